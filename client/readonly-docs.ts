// Read-only virtual documents (plans, semantic diffs, remote workflows) under the `callflow` scheme:
// callflow:/<kind>/<name>?<id>. Their text is set before they are opened.
import * as vscode from 'vscode';

export const SCHEME = 'callflow';

export class ReadonlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A URI for `text`; the path ends in `name` so VS Code picks the language from it. */
  put(kind: string, name: string, text: string, stableId?: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${kind}/${name}`, query: stableId ?? String(++this.n) });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  async open(
    kind: string,
    name: string,
    text: string,
    o: { stableId?: string; language?: string; preview?: boolean } = {},
  ): Promise<vscode.TextEditor> {
    const uri = this.put(kind, name, text, o.stableId);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (o.language && doc.languageId !== o.language)
      doc = await vscode.languages.setTextDocumentLanguage(doc, o.language);
    return vscode.window.showTextDocument(doc, { preview: o.preview ?? true, viewColumn: vscode.ViewColumn.Active });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
