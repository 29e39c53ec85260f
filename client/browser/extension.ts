// The web extension's entry (dist/browser/extension.js, package.json "browser"): github.dev and
// vscode.dev, where only web extensions run. The language server runs in a Web Worker
// (client/browser/server.ts): diagnostics, completion, hover, rename, symbols and formatting come
// through LSP; the graph preview is the desktop's panel (client/preview/panel.ts) over the same
// requests; the semantic diff compares the two sides of a diff editor. The platform commands are
// hidden (`callflow.web` context key) and say why if run. What is off and why: docs/decisions.md.
import * as vscode from 'vscode';
import { log } from '../log';
import { PreviewPanel } from '../preview/panel';
import { ReadonlyDocs, SCHEME } from '../readonly-docs';
import { registerWebCommands } from './commands';
import { BrowserServer } from './server';

export interface CallflowWebApi {
  server: BrowserServer;
  preview: PreviewPanel;
  activationMs: number;
}

let server: BrowserServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CallflowWebApi> {
  const t0 = Date.now();
  void vscode.commands.executeCommand('setContext', 'callflow.web', true);
  server = new BrowserServer(context.extensionUri);
  const docs = new ReadonlyDocs();
  const preview = new PreviewPanel(context.extensionUri, server, async () => ({
    note: 'the browser has no git (open the change from Source Control to compare)',
  }));
  context.subscriptions.push(server, docs, preview, vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs));
  registerWebCommands({ context, server, preview, docs });
  void server.start().catch((e) => log(`language server did not start: ${(e as Error).message}`));
  const activationMs = Date.now() - t0;
  log(`Callflow (web) activated in ${activationMs} ms`);
  return { server, preview, activationMs };
}

export async function deactivate(): Promise<void> {
  server?.dispose();
  server = undefined;
}
