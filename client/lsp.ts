// The language server (dist/server.js) as a child process over Node IPC. A crash restarts it with
// growing delays (0.5 s, 1 s, 2 s … up to 30 s), at most `callflow.server.restartLimit` times in a
// row; a run that lasted three minutes resets the count. The output channel shows each step.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  IPCMessageReader,
  IPCMessageWriter,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type MessageTransports,
} from 'vscode-languageclient/node';
import { log, outputChannel } from './log';
import { ruleDocsMiddleware } from './rule-docs';
import { isTrusted } from './trust';

export const LANGUAGE_ID = 'callflow-workflow';
const STABLE_MS = 3 * 60_000;

export class ServerHost implements vscode.Disposable {
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

  constructor(private readonly extensionPath: string) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get running(): boolean {
    return this.client?.state === State.Running;
  }

  async start(): Promise<void> {
    this.stopping = false;
    const serverModule = path.join(this.extensionPath, 'dist', 'server.js');
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: LANGUAGE_ID }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.workflow.yaml,*.csv,callflow.config.yaml}'),
      },
      outputChannel: outputChannel(),
      traceOutputChannel: this.trace,
      initializationOptions: { client: 'callflow-vscode', trusted: isTrusted() },
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
    if (c && c.state !== State.Stopped) await c.stop(4000).catch(() => undefined);
    if (this.proc && this.proc.exitCode === null) this.proc.kill();
  }

  dispose(): void {
    void this.stop();
    this.started.dispose();
    this.trace.dispose();
  }
}
