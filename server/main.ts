// The Callflow language server: LSP wiring over core/. Started with --stdio or --node-ipc.
import { readFile } from 'node:fs/promises';
import {
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { describeCrash, setCrashSink } from '../core/crash';
import { redact } from '../platform/redact';
import { serverCapabilities } from './capabilities';
import { registerCodeActions } from './code-actions';
import { registerCustom } from './custom';
import { DiagnosticsScheduler } from './diagnostics';
import { DocumentStore } from './documents';
import { registerFeatures } from './features';
import { OnlineCache } from './online';
import {
  CredentialsChanged,
  CredentialsRequest,
  DEFAULT_SETTINGS,
  OnlineStatus,
  ServerReady,
  type CallflowSettings,
  type InitializationOptions,
} from '../protocol';
import { normalizeSettings } from './settings';
import { TestHooks } from './test-hooks';
import { isWorkflowUri, pathToUri, scanFolder, uriToPath } from './workspace';
import { registerWorkflowTests } from './workflow-tests';
import { onNotification0, sendNotification, sendRequest } from './messages';

// yaml reports odd-but-legal input (collection keys) through process warnings; in a server they
// would only flood the client's log, and the diagnostics already say what matters.
process.emitWarning = (() => undefined) as typeof process.emitWarning;

const VERSION = '0.1.0';
const connection = createConnection(ProposedFeatures.all);
// A crashing rule family is not silent: core reports it here and it reaches the client's output channel.
setCrashSink((c) => connection.console.error(redact(describeCrash(c))));
// Until the client's settings arrive these defaults hold, and nothing is sent (the scheduler waits
// for start()) and nothing is fetched (online checks need `ready`, trust and `online.enabled`).
let settings: CallflowSettings = DEFAULT_SETTINGS;
let ready = false;
/** The client said the workspace is trusted (initializationOptions.trusted === true); absent = not. */
let trusted = false;
let configurationSupport = false;
let folders: string[] = [];
let hooks: TestHooks | undefined;

const online = new OnlineCache(
  () => ({ ...settings.online, enabled: ready && trusted && settings.online.enabled }),
  (uri, target) => sendRequest(connection, CredentialsRequest.type, { uri, target }),
  () => {
    store.optionsVersion++;
    scheduler.all();
  },
  (s) => void sendNotification(connection, OnlineStatus.type, s),
  (message) => void sendNotification(connection, ShowMessageNotification.type, { type: MessageType.Warning, message }),
);
const store = new DocumentStore(() => settings, online);
let scheduler: DiagnosticsScheduler;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  configurationSupport = !!caps.workspace?.configuration;
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  trusted = init.trusted === true;
  hooks = new TestHooks(connection, init.testHooks === true);
  scheduler = new DiagnosticsScheduler(connection, store, () => settings, hooks);
  scheduler.pull = !!caps.textDocument?.diagnostic;
  if (init.settings) settings = normalizeSettings(init.settings);
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders.push(p);
  }
  return {
    capabilities: serverCapabilities(scheduler.pull),
    serverInfo: { name: 'callflow-language-server', version: VERSION },
  };
});

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
    version: VERSION,
    indexedFiles: indexed,
    pullDiagnostics: scheduler.pull,
  });
});

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
    const files = await scanFolder(folder, Math.max(0, settings.index.maxFiles - n));
    for (const f of files) {
      try {
        store.disk.set(pathToUri(f), await readFile(f, 'utf8'));
        n++;
      } catch {
        /* vanished while scanning */
      }
    }
  }
  if (scheduler.pull) void connection.languages.diagnostics.refresh().catch(() => undefined);
  else for (const uri of store.disk.keys()) if (!store.isOpen(uri)) scheduler.schedule(uri, 0);
  return n;
}

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
    const file = uriToPath(c.uri);
    if (c.type === FileChangeType.Deleted || !file) {
      store.disk.delete(c.uri);
      if (!store.isOpen(c.uri)) {
        store.forget(c.uri);
        if (!scheduler.pull) void connection.sendDiagnostics({ uri: c.uri, diagnostics: [] });
      }
      continue;
    }
    try {
      store.disk.set(c.uri, await readFile(file, 'utf8'));
    } catch {
      store.disk.delete(c.uri);
    }
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
registerCustom(connection, store, online, () => ready && trusted);
registerWorkflowTests(connection, store, () => folders);

store.open.listen(connection);
connection.listen();
