// A real LSP client for tests and the benchmark: spawns the built server (node dist/server.js
// --stdio) and talks JSON-RPC to it over the child's stdio with vscode-jsonrpc.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');

export interface ClientOptions {
  /** Declare pull-diagnostics support (textDocument.diagnostic). */
  pull?: boolean;
  /** Answer workspace/configuration with these settings (`callflow` section). */
  settings?: unknown;
  workspaceFolder?: string;
  command?: string[];
  initializationOptions?: unknown;
  env?: NodeJS.ProcessEnv;
  /** Answer workspace/configuration per section (for servers other than ours). */
  sections?: Record<string, unknown>;
  /** workspace/configuration is answered only once this settles (a client that answers late). */
  configurationGate?: Promise<void>;
  /** The answer to the server's callflow/credentials request (default: none to hand over). */
  credentials?: (p: { uri: string; target?: string }) => unknown;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  /** Every publishDiagnostics notification per uri, latest last. */
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly messages: { type: number; message: string }[] = [];
  /** What happened, in order: `configuration:asked`, `configuration:answered`, `credentials:asked`, `publish`, `notification:<method>`. */
  readonly events: string[] = [];
  readonly credentialRequests: { uri: string; target?: string }[] = [];
  stderr = '';
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();

  constructor(private readonly opts: ClientOptions = {}) {
    const cmd = opts.command ?? [process.execPath, SERVER, '--stdio'];
    this.proc = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.events.push('publish');
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      this.poke();
    });
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.events.push(`notification:${method}`);
      this.notifications.push({ method, params });
      this.poke();
    });
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      this.events.push('configuration:asked');
      this.poke();
      await opts.configurationGate;
      const answer = p.items.map((i) =>
        opts.sections ? (opts.sections[i.section ?? ''] ?? null) : (opts.settings ?? null),
      );
      this.events.push('configuration:answered');
      return answer;
    });
    this.conn.onRequest('callflow/credentials', (p: { uri: string; target?: string }) => {
      this.events.push('credentials:asked');
      this.credentialRequests.push(p);
      this.poke();
      return opts.credentials ? opts.credentials(p) : { unavailable: 'the test client hands over no target' };
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.listen();
  }

  private poke(): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.check()) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Resolves when `check` holds (checked on every message), or rejects after `ms`. */
  until(check: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        check,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out waiting for ${what}\n${this.stderr}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  async initialize(): Promise<unknown> {
    const folder = this.opts.workspaceFolder;
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).toString() : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).toString(), name: 'ws' }] : null,
      initializationOptions: this.opts.initializationOptions,
      capabilities: {
        workspace: {
          configuration: this.opts.settings !== undefined || this.opts.sections !== undefined,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          diagnostics: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { didSave: true },
          ...(this.opts.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          rename: { prepareSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          },
        },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  serverReady(ms = 20_000): Promise<void> {
    return this.until(
      () => this.notifications.some((n) => n.method === 'callflow/serverReady'),
      ms,
      'callflow/serverReady',
    );
  }

  open(uri: string, text: string, version = 1, languageId = 'callflow-workflow'): void {
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** One incremental change: replace `range` with `text`. Returns the new version. */
  change(
    uri: string,
    changes: {
      range?: { start: { line: number; character: number }; end: { line: number; character: number } };
      text: string;
    }[],
  ): number {
    const v = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: changes,
    });
    return v;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** The next publishDiagnostics for `uri` with this version (or after `count` earlier ones). */
  async diagnosticsFor(uri: string, version?: number, ms = 20_000): Promise<Diagnostic[]> {
    const match = () => (this.published.get(uri) ?? []).find((p) => version === undefined || p.version === version);
    await this.until(() => !!match(), ms, `diagnostics for ${uri} v${version}`);
    return match()!.diagnostics;
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    const l = this.published.get(uri);
    return l?.[l.length - 1];
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 50));
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** LSP position ↔ offset for the test's own copy of the text. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
