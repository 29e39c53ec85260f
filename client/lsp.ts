// The language server (dist/server.js) as a child process over Node IPC. A crash restarts it with
// growing delays (0.5 s, 1 s, 2 s … up to 30 s), at most `callflow.server.restartLimit` times in a
// row; a run that lasted three minutes resets the count. The output channel shows each step.
// The server is the extension's only language engine: `request()` is how every feature asks it
// (protocol/index.ts). It is told the workspace's trust at start, and asks this side for the target
// and key of its online checks (CredentialsRequest), answered by the provider `useCredentials` sets.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, MessageTransports } from 'vscode-languageclient/node';
import {
  CredentialsChanged,
  CredentialsRequest,
  type InitializationOptions,
  type NotificationType,
  type RequestType,
} from '../protocol';
import { LOCAL_TARGET } from '../platform/targets';
import { log, outputChannel } from './log';
import { ruleDocsMiddleware } from './rule-docs';
import type { KeyStore } from './secrets';
import type { Targets } from './targets';
import { isTrusted } from './trust';
import { LANGUAGE_ID, NotificationListeners, setActiveServer, type LanguageServer } from './language-server';

export { activeServer, LANGUAGE_ID } from './language-server';

type Lib = typeof import('vscode-languageclient/node');
let libLoad: Promise<Lib> | undefined;
/**
 * vscode-languageclient (about 0.4 MB with its JSON-RPC) is loaded when the server starts, which
 * activate() does not wait for; the build keeps it in its own file (dist/language-client.js).
 */
function loadLib(): Promise<Lib> {
  return (libLoad ??= import('vscode-languageclient/node'));
}

export type CredentialsProvider = (p: CredentialsRequest.Params) => Promise<CredentialsRequest.Result>;

const STABLE_MS = 3 * 60_000;

export class ServerHost implements vscode.Disposable, LanguageServer {
  client: LanguageClient | undefined;
  private proc: ChildProcess | undefined;
  private crashes = 0;
  private startedAt = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  /** Fires each time a client is running (first start and every restart). */
  readonly onDidStart = this.started.event;
  /** How many times the server was started (first start included). */
  starts = 0;
  private readonly trace = vscode.window.createOutputChannel('Callflow Language Server Trace', { log: true });

  private credentials: CredentialsProvider | undefined;
  private lib: Lib | undefined;
  /** Notification handlers, registered on every client (the first and each restart). */
  private readonly listeners = new NotificationListeners();

  constructor(private readonly extensionPath: string) {
    setActiveServer(this);
  }

  /** Who answers the server's CredentialsRequest; `changed` fires when the answer may differ. */
  useCredentials(provider: CredentialsProvider, changed?: vscode.Event<unknown>): vscode.Disposable {
    this.credentials = provider;
    this.credentialsChanged();
    return changed?.(() => this.credentialsChanged()) ?? new vscode.Disposable(() => undefined);
  }

  /** Keys, approvals, the target or the local emulator changed: the server asks again. */
  credentialsChanged(): void {
    if (this.running) void this.client?.sendNotification(CredentialsChanged.type.method).catch(() => undefined);
  }

  /**
   * A custom request to the server (protocol/index.ts). While it is (re)starting, waits for it (up
   * to 20 s); fails with a readable message when it is not running.
   */
  async request<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    if (!this.running) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => {
          sub.dispose();
          reject(new Error('The Callflow language server is not running (Callflow: Show Output).'));
        }, 20_000);
        const sub = this.onDidStart(() => {
          clearTimeout(t);
          sub.dispose();
          resolve();
        });
      });
    }
    return this.client!.sendRequest(type.method, params) as Promise<R>;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get running(): boolean {
    return !!this.lib && this.client?.state === this.lib.State.Running;
  }

  /** A server notification (protocol/index.ts), on this and every later client. */
  onNotification<P>(t: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    return this.listeners.add(t, handler, this.running ? this.client : undefined);
  }

  async start(): Promise<void> {
    this.stopping = false;
    const lib = (this.lib = await loadLib());
    const { CloseAction, ErrorAction, IPCMessageReader, IPCMessageWriter, LanguageClient } = lib;
    const serverModule = path.join(this.extensionPath, 'dist', 'server.js');
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE_ID }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.workflow.yaml,*.csv,callflow.config.yaml}'),
      },
      outputChannel: outputChannel(),
      traceOutputChannel: this.trace,
      initializationOptions: { client: 'callflow-vscode', trusted: isTrusted() } satisfies InitializationOptions,
      middleware: {
        ...ruleDocsMiddleware(this.extensionPath),
        workspace: {
          // A restricted workspace gets no online checks, whatever its settings say.
          configuration: async (params, token, next) => {
            const r = await next(params, token);
            if (isTrusted() || !Array.isArray(r)) return r;
            return r.map((v, i) =>
              params.items[i]?.section === 'callflow' && v && typeof v === 'object'
                ? { ...v, online: { ...(v as { online?: object }).online, enabled: false } }
                : v,
            );
          },
        },
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        // We restart ourselves (with backoff, and with a fresh process we can see).
        closed: () => {
          this.onClosed();
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    const serverOptions = async (): Promise<MessageTransports> => {
      const proc = fork(serverModule, ['--node-ipc'], {
        execArgv: [],
        silent: true,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
      this.proc = proc;
      proc.stderr?.on('data', (d: Buffer) => outputChannel().append(d.toString()));
      log(`language server started (pid ${proc.pid})`);
      return { reader: new IPCMessageReader(proc), writer: new IPCMessageWriter(proc) };
    };
    const client = new LanguageClient('callflow', 'Callflow Language Server', serverOptions, clientOptions);
    this.client = client;
    this.startedAt = Date.now();
    this.starts++;
    // Registered before start: the server may ask as soon as it has its settings.
    client.onRequest(CredentialsRequest.type.method, async (p: CredentialsRequest.Params) => {
      if (!isTrusted()) return { unavailable: 'the workspace is restricted' };
      if (!this.credentials) return { unavailable: 'the extension hands over no target' };
      try {
        return await this.credentials(p);
      } catch (e) {
        return { unavailable: (e as Error).message };
      }
    });
    this.listeners.attach(client);
    await client.start();
    this.started.fire(client);
  }

  private onClosed(): void {
    if (this.stopping) return;
    if (Date.now() - this.startedAt > STABLE_MS) this.crashes = 0;
    this.crashes++;
    const limit = vscode.workspace.getConfiguration('callflow').get<number>('server.restartLimit', 5);
    if (this.crashes > limit) {
      log(`language server stopped ${this.crashes} times in a row: not restarting (Callflow: Restart Language Server)`);
      void vscode.window
        .showErrorMessage('The Callflow language server keeps stopping; see the output.', 'Show Output', 'Restart')
        .then((a) => {
          if (a === 'Show Output') outputChannel().show();
          if (a === 'Restart') void vscode.commands.executeCommand('callflow.restartServer');
        });
      return;
    }
    const delay = Math.min(30_000, 500 * 2 ** (this.crashes - 1));
    log(`language server stopped unexpectedly; restarting in ${delay} ms (attempt ${this.crashes} of ${limit})`);
    const old = this.client;
    this.client = undefined;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void old?.dispose().catch(() => undefined);
      this.start().catch((e) => {
        log(`language server restart failed: ${(e as Error).message}`);
        this.onClosed();
      });
    }, delay);
  }

  /** Stops and starts again (the Restart command); resets the crash count. */
  async restart(): Promise<void> {
    await this.stop();
    this.crashes = 0;
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const c = this.client;
    this.client = undefined;
    if (c && this.lib && c.state !== this.lib.State.Stopped) await c.stop(4000).catch(() => undefined);
    if (this.proc && this.proc.exitCode === null) this.proc.kill();
  }

  dispose(): void {
    void this.stop();
    this.started.dispose();
    this.trace.dispose();
  }
}

/**
 * The default answer to the server's CredentialsRequest: the file's target as the platform commands
 * would connect to it, without asking anything (`quiet`): trusted workspace, approved host, the key
 * from SecretStorage, else the environment variable the config names (as `connect` allows). `local`
 * is handed over by `local` once its emulator runs (it is never started for a background check).
 */
export function credentialsFromTargets(
  targets: Targets,
  keys: KeyStore,
  local?: (file: string) => Promise<{ baseUrl: string; key: string } | undefined>,
): CredentialsProvider {
  return async (p) => {
    const file = vscode.Uri.parse(p.uri).fsPath;
    const name = p.target ?? targets.selected(file);
    if (name === LOCAL_TARGET) {
      const emu = await local?.(file);
      return emu
        ? { target: LOCAL_TARGET, ...emu, keySource: 'local' }
        : { unavailable: 'the local emulator is not running' };
    }
    const conn = await targets.connect(file, { targetName: name, what: 'Online checks', quiet: true });
    return {
      target: conn.target.name,
      baseUrl: conn.target.url!,
      key: conn.target.key!,
      keySource: (await keys.has(name)) ? 'secretStorage' : 'environment',
      maxConcurrentCalls: conn.target.maxConcurrentCalls,
    };
  };
}
