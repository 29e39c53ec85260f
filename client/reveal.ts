// Puts the cursor on a node's key in the text (a click in the preview, a node a 400 names). Where
// the key is comes from the language server (NodeLocationRequest): the extension host parses nothing.
import * as vscode from 'vscode';
import { NodeLocationRequest } from '../protocol';
import { activeServer } from './language-server';

export async function nodeKeyRange(doc: vscode.TextDocument, key: string): Promise<vscode.Range | undefined> {
  const server = activeServer();
  if (!server) return undefined;
  const r = await server.request(NodeLocationRequest.type, { uri: doc.uri.toString(), key }).catch(() => null);
  if (!r) return undefined;
  return new vscode.Range(
    r.keyRange.start.line,
    r.keyRange.start.character,
    r.keyRange.end.line,
    r.keyRange.end.character,
  );
}

export async function revealNode(
  doc: vscode.TextDocument,
  key: string | undefined,
  column?: vscode.ViewColumn,
): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  const range = key ? await nodeKeyRange(doc, key) : undefined;
  if (range) {
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return editor;
}
