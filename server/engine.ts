// The language engine: every handler of the Callflow language server over core/, loaded by an
// entry once `initialize` has been answered (server/start-gate.ts). The same module runs in Node
// (server/main.ts) and in a Web Worker (server/browser/main.ts); what differs between the two is
// the host: files on disk, the online cache, the plan and workflow tests exist in Node only.
import {
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { describeCrash, setCrashSink } from '../core/crash';
import { redact } from '../platform/redact';
import { SERVER_VERSION } from './capabilities';
import { registerCodeActions } from './code-actions';
import { registerCustom } from './custom';
import { DiagnosticsScheduler } from './diagnostics';
import { DocumentStore } from './documents';
import { registerFeatures } from './features';
import type { OnlineCache } from './online';
import {
  CredentialsChanged,
  DEFAULT_SETTINGS,
  OnlineStatus,
  ServerReady,
  type CallflowSettings,
  type InitializationOptions,
  type OnlineStatusParams,
} from '../protocol';
import { normalizeSettings } from './settings';
import { TestHooks } from './test-hooks';
import { isWorkflowUri, uriToPath } from './workspace';
import { onNotification0, sendNotification } from './messages';

/** What the engine asks of its environment. */
export interface EngineHost {
  /** The workflow files under a workspace folder (uris), at most `limit`; none where there is no disk. */
  listWorkflowFiles(folder: string, limit: number): Promise<string[]>;
  /** A workspace file's text, or undefined when it cannot be read. */
  readText(uri: string): Promise<string | undefined>;
  /** The online cache (network): Node only. Without it, online checks are off. */
  online?(o: OnlineHooks): OnlineCache;
  /** Requests that need the network or the disk (the plan, workflow tests): Node only. */
  registerMore?(e: EngineParts): void;
}

export interface OnlineHooks {
  connection: Connection;
  settings: () => CallflowSettings['online'] & { enabled: boolean };
  onChange: () => void;
  onStatus: (s: OnlineStatusParams) => void;
  onFirstFailure: (message: string) => void;
}

export interface EngineParts {
  connection: Connection;
  store: DocumentStore;
  online: OnlineCache;
  trusted: () => boolean;
  folders: () => readonly string[];
}

/** Online checks off: what DocumentStore and the requests see where there is no network. */
const NO_ONLINE = {
  targetFor: () => undefined,
  get: () => undefined,
  clear: () => undefined,
  credentials: async () => ({ unavailable: 'online checks are not available here' }),
} satisfies Pick<OnlineCache, 'targetFor' | 'get' | 'clear' | 'credentials'>;

/** Registers every handler; `params` is the `initialize` request the entry has already answered. */
export function startEngine(connection: Connection, params: InitializeParams, host: EngineHost): void {
  // A crashing rule family is not silent: core reports it here and it reaches the client's output channel.
  setCrashSink((c) => connection.console.error(redact(describeCrash(c))));
  // Until the client's settings arrive these defaults hold, and nothing is sent (the scheduler waits
  // for start()) and nothing is fetched (online checks need `ready`, trust and `online.enabled`).
  let settings: CallflowSettings = DEFAULT_SETTINGS;
  let ready = false;
  const caps = params.capabilities;
  const configurationSupport = !!caps.workspace?.configuration;
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  /** The client said the workspace is trusted (initializationOptions.trusted === true); absent = not. */
  const trusted = init.trusted === true;
  if (init.settings) settings = normalizeSettings(init.settings);
  // Workspace folders as paths on disk (none in the browser, where every uri is virtual).
  const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders.push(p);
  }

  const online: OnlineCache =
    host.online?.({
      connection,
      settings: () => ({ ...settings.online, enabled: ready && trusted && settings.online.enabled }),
      onChange: () => {
        store.optionsVersion++;
        scheduler.all();
      },
      onStatus: (s) => void sendNotification(connection, OnlineStatus.type, s),
      onFirstFailure: (message) =>
        void sendNotification(connection, ShowMessageNotification.type, { type: MessageType.Warning, message }),
    }) ?? (NO_ONLINE as unknown as OnlineCache);
  const store = new DocumentStore(
    () => settings,
    online,
    () => folders,
  );
  const hooks = new TestHooks(connection, init.testHooks === true);
  const scheduler = new DiagnosticsScheduler(connection, store, () => settings, hooks);
  scheduler.pull = !!caps.textDocument?.diagnostic;

  async function loadSettings(): Promise<void> {
    if (!configurationSupport) return;
    try {
      const raw = await connection.workspace.getConfiguration('callflow');
      if (raw) settings = normalizeSettings(raw);
    } catch {
      /* keep the previous settings */
    }
  }

  async function indexWorkspace(): Promise<number> {
    let n = 0;
    for (const folder of folders) {
      for (const uri of await host.listWorkflowFiles(folder, Math.max(0, settings.index.maxFiles - n))) {
        const text = await host.readText(uri);
        if (text === undefined) continue; // vanished while scanning
        store.disk.set(uri, text);
        n++;
      }
    }
    if (scheduler.pull) void connection.languages.diagnostics.refresh().catch(() => undefined);
    else for (const uri of store.disk.keys()) if (!store.isOpen(uri)) scheduler.schedule(uri, 0);
    return n;
  }

  connection.onInitialized(async () => {
    if (configurationSupport) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'callflow' })
        .catch(() => undefined);
      await loadSettings();
    }
    // From here on the settings are the client's: validate, publish, and (when allowed) go online.
    ready = true;
    store.optionsVersion++;
    scheduler.start();
    const indexed = await indexWorkspace();
    void sendNotification(connection, ServerReady.type, {
      version: SERVER_VERSION,
      indexedFiles: indexed,
      pullDiagnostics: scheduler.pull,
    });
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (configurationSupport) await loadSettings();
    else if (change.settings && typeof change.settings === 'object' && 'callflow' in change.settings)
      settings = normalizeSettings((change.settings as { callflow: unknown }).callflow);
    online.clear();
    store.optionsVersion++;
    scheduler.all();
  });

  // Keys, host approvals, the selected target or the local emulator changed in the client.
  onNotification0(connection, CredentialsChanged.type, () => {
    online.clear();
    store.optionsVersion++;
    scheduler.all();
  });

  connection.onDidChangeWatchedFiles(async (p) => {
    let csv = false;
    for (const c of p.changes) {
      if (c.uri.endsWith('.csv')) {
        csv = true;
        continue;
      }
      if (c.uri.endsWith('callflow.config.yaml')) {
        online.clear();
        csv = true;
        continue;
      }
      if (!isWorkflowUri(c.uri)) continue;
      if (c.type === FileChangeType.Deleted || !uriToPath(c.uri)) {
        store.disk.delete(c.uri);
        if (!store.isOpen(c.uri)) {
          store.forget(c.uri);
          if (!scheduler.pull) void connection.sendDiagnostics({ uri: c.uri, diagnostics: [] });
        }
        continue;
      }
      const text = await host.readText(c.uri);
      if (text === undefined) store.disk.delete(c.uri);
      else store.disk.set(c.uri, text);
      if (!store.isOpen(c.uri)) scheduler.schedule(c.uri, 0);
    }
    if (csv) {
      store.leadsChanged();
      scheduler.all();
    } else if (scheduler.pull) void connection.languages.diagnostics.refresh().catch(() => undefined);
  });

  store.open.onDidOpen((e) => scheduler.opened(e.document.uri));
  store.open.onDidChangeContent((e) => scheduler.changed(e.document.uri));
  store.open.onDidSave((e) => scheduler.saved(e.document.uri));
  store.open.onDidClose((e) => scheduler.closed(e.document.uri));

  connection.languages.diagnostics.on((p, token) =>
    scheduler.pullDocument(p.textDocument.uri, p.previousResultId, token),
  );
  connection.languages.diagnostics.onWorkspace((p, token) =>
    scheduler.pullWorkspace(p.previousResultIds, token).then((items) => ({ items })),
  );

  registerFeatures(connection, store);
  registerCodeActions(connection, store);
  registerCustom(connection, store);
  host.registerMore?.({ connection, store, online, trusted: () => ready && trusted, folders: () => folders });

  store.open.listen(connection);
}
