// What the extension's views and commands need of the language server, whichever runs it: the
// desktop's child process (client/lsp.ts ServerHost) or the web extension's Web Worker
// (client/browser/server.ts). Free of Node, so the web extension shares the modules that use it.
import type * as vscode from 'vscode';
import type { NotificationType, RequestType } from '../protocol';

export const LANGUAGE_ID = 'callflow-workflow';

export interface LanguageServer {
  /** A custom request (protocol/index.ts); waits while the server (re)starts. */
  request<P, R>(type: RequestType<P, R>, params: P): Promise<R>;
  /** A server notification, on this and every later client. */
  onNotification<P>(t: NotificationType<P>, handler: (params: P) => void): vscode.Disposable;
  /** Fires each time a client is running (first start and every restart). */
  readonly onDidStart: vscode.Event<unknown>;
  readonly running: boolean;
}

let active: LanguageServer | undefined;
/** The extension's server (there is one per extension host). */
export function activeServer(): LanguageServer | undefined {
  return active;
}
export function setActiveServer(s: LanguageServer): void {
  active = s;
}
