// The web extension's language server: dist/browser/server.js in a Web Worker, driven by
// vscode-languageclient/browser. The same engine as the desktop's child process; no restart with
// backoff (a worker that fails is restarted by the Restart command) and no credentials (the web
// has no online checks).
import * as vscode from 'vscode';
import { LanguageClient, State, type LanguageClientOptions } from 'vscode-languageclient/browser';
import type { InitializationOptions, NotificationType, RequestType } from '../../protocol';
import { LANGUAGE_ID, NotificationListeners, setActiveServer, type LanguageServer } from '../language-server';
import { log, outputChannel } from '../log';

export class BrowserServer implements LanguageServer, vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  readonly onDidStart = this.started.event;
  private readonly listeners = new NotificationListeners();

  constructor(private readonly extensionUri: vscode.Uri) {
    setActiveServer(this);
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  async start(): Promise<void> {
    const main = vscode.Uri.joinPath(this.extensionUri, 'dist', 'browser', 'server.js');
    const options: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE_ID }],
      outputChannel: outputChannel(),
      // Trust gates nothing here (no platform, no online checks), but the server is told as on the desktop.
      initializationOptions: {
        client: 'callflow-vscode-web',
        trusted: vscode.workspace.isTrusted,
      } satisfies InitializationOptions,
    };
    // A fresh worker for every start (the Restart command).
    const worker = async () => new Worker(main.toString(true));
    const client = new LanguageClient('callflow', 'Callflow Language Server', worker, options);
    this.client = client;
    this.listeners.attach(client);
    await client.start();
    log('language server started in a Web Worker');
    this.started.fire(client);
  }

  async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    await old?.dispose().catch(() => undefined);
    await this.start();
  }

  async request<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    if (!this.running)
      await new Promise<void>((resolve) => {
        const sub = this.onDidStart(() => {
          sub.dispose();
          resolve();
        });
      });
    return this.client!.sendRequest(type.method, params) as Promise<R>;
  }

  onNotification<P>(t: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    return this.listeners.add(t, handler, this.running ? this.client : undefined);
  }

  dispose(): void {
    void this.client?.dispose().catch(() => undefined);
    this.started.dispose();
  }
}
