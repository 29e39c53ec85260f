// Puts the cursor on a node's key in the text (a click in the preview, a node a 400 names).
import * as vscode from 'vscode';
import { buildModel } from '../core/model';
import { parseText } from '../core/parse';

export function nodeKeyRange(doc: vscode.TextDocument, key: string): vscode.Range | undefined {
  const parsed = parseText(doc.getText());
  if (!parsed.doc) return undefined;
  const node = buildModel(parsed.doc, parsed.text).nodeByKey.get(key);
  if (!node) return undefined;
  return new vscode.Range(doc.positionAt(node.keySpan.start), doc.positionAt(node.keySpan.end));
}

export async function revealNode(
  doc: vscode.TextDocument,
  key: string | undefined,
  column?: vscode.ViewColumn,
): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  const range = key ? nodeKeyRange(doc, key) : undefined;
  if (range) {
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return editor;
}
