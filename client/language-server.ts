// What the extension's views and commands need of the language server, whichever runs it: the
// desktop's child process (client/lsp.ts ServerHost) or the web extension's Web Worker
// (client/browser/server.ts). Free of Node, so the web extension shares the modules that use it.
import * as vscode from 'vscode';
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

/**
 * Notification handlers that outlive a client: each is registered on the running client and again
 * on every later one (a restart makes a new client), until its disposable is disposed.
 */
export class NotificationListeners {
  private readonly list: { method: string; handler: (p: any) => void }[] = [];

  add<P>(t: NotificationType<P>, handler: (params: P) => void, running?: NotificationTarget): vscode.Disposable {
    const l = { method: t.method, handler: handler as (p: any) => void };
    this.list.push(l);
    const sub = running?.onNotification(t.method, handler);
    return new vscode.Disposable(() => {
      this.list.splice(this.list.indexOf(l), 1);
      sub?.dispose();
    });
  }

  /** Registers every handler on a new client, before it starts. */
  attach(client: NotificationTarget): void {
    for (const l of this.list) client.onNotification(l.method, l.handler);
  }
}

/** The part of a language client the listeners use (desktop and browser clients alike). */
interface NotificationTarget {
  onNotification(method: string, handler: (p: any) => void): { dispose(): void };
}
