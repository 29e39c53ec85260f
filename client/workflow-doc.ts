// Finding the workflow file a command is about: its argument (a URI from a menu or CodeLens), else the
// active editor.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './language-server';
import { UserError } from './user-error';

export function isWorkflowDoc(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (doc.languageId === LANGUAGE_ID || doc.uri.path.endsWith('.workflow.yaml'));
}

export async function workflowDocument(arg?: unknown): Promise<vscode.TextDocument> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : undefined;
  if (uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (isWorkflowDoc(doc)) return doc;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).find(isWorkflowDoc);
  if (visible) return visible;
  throw new UserError('Open a .workflow.yaml file first.');
}

/** Platform commands work on files on disk: saves a dirty document first. */
export async function savedFile(doc: vscode.TextDocument): Promise<string> {
  if (doc.uri.scheme !== 'file') throw new UserError('This command needs a workflow file on disk.');
  if (doc.isDirty && !(await doc.save()))
    throw new UserError(`${vscode.workspace.asRelativePath(doc.uri)} could not be saved.`);
  return doc.uri.fsPath;
}
