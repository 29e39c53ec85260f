// Entry point (dist/extension.js). Activation: a workflow file is opened, or a Callflow command or
// view is used. Builds the shared pieces once and hands them to the commands and views; returns a
// small API (internal state for the in-editor tests, as many extensions expose).
import * as vscode from 'vscode';
import { WorkflowCodeLens } from './codelens';
import { registerKeyCommands } from './commands/keys';
import { registerLeadsCommands } from './commands/leads';
import { registerPlatformCommands } from './commands/platform';
import { register } from './commands/run';
import { headText, registerWorkspaceCommands } from './commands/workspace';
import { registerCompareCommands } from './commands/compare';
import type { Ext } from './context';
import { onLocalEmulatorStarted, stopLocalEmulators } from './emulator';
import { HostApprovals } from './hosts';
import { offerFormatOnSave } from './format-offer';
import { disposeLog, log, logLines } from './log';
import { credentialsFromTargets, LANGUAGE_ID, ServerHost } from './lsp';
import { PreviewPanel } from './preview/panel';
import { ReadonlyDocs, SCHEME } from './readonly-docs';
import { RemoteStatuses } from './remote-status';
import { RemoteView } from './remote-view';
import { registerRuleDocs } from './rule-docs';
import { KeyStore } from './secrets';
import { StatusBar } from './status-bar';
import { Targets } from './targets';
import { WorkflowTests } from './testing';
import { isTrusted, setTrustOverride } from './trust';
import { setUi, type Ui } from './ui';
import { setWalkthroughContext } from './walkthrough';
import { workflowDocument } from './workflow-doc';

export interface CallflowApi {
  ext: Ext;
  statusBar: StatusBar;
  /** Test hooks: answer modals and pickers; pretend the workspace is (un)trusted. */
  setUi(u: Ui | undefined): void;
  setTrust(v: boolean | undefined): void;
  logLines(): readonly string[];
  /** How long activate() took (the language server starts in the background). */
  activationMs: number;
}

let ext: Ext | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CallflowApi> {
  const t0 = Date.now();
  const keys = new KeyStore(context.secrets);
  const approvals = new HostApprovals(context.globalState);
  const targets = new Targets(context.extensionPath, context.workspaceState, keys, approvals);
  const statuses = new RemoteStatuses(targets);
  const server = new ServerHost(context.extensionPath);
  const docs = new ReadonlyDocs();
  const remoteView = new RemoteView();
  const preview = new PreviewPanel(context.extensionUri, server, (uri) => headText(uri.fsPath));
  ext = { context, keys, approvals, targets, statuses, server, docs, remoteView, preview };
  const statusBar = new StatusBar(statuses, targets, server);
  context.subscriptions.push(
    statuses,
    server,
    // Online checks (WF201–204) on `local` use the emulator once it runs; its start makes the server ask again.
    server.useCredentials(
      credentialsFromTargets(targets, keys, (file) => targets.runningLocal(file)),
      targets.onDidChange,
    ),
    onLocalEmulatorStarted(() => server.credentialsChanged()),
    docs,
    remoteView,
    preview,
    statusBar,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    new WorkflowTests(server),
    vscode.languages.registerCodeLensProvider(
      { language: LANGUAGE_ID, scheme: 'file' },
      new WorkflowCodeLens(statuses, targets),
    ),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      statusBar.render(true);
      remoteView.refresh();
      void server.restart();
    }),
  );
  remoteView.attach(ext);
  registerPlatformCommands(ext);
  registerKeyCommands(ext);
  registerLeadsCommands(ext);
  registerWorkspaceCommands(ext);
  registerCompareCommands(ext);
  registerRuleDocs(context);
  context.subscriptions.push(offerFormatOnSave(context));
  register(context, 'callflow.showPreview', async (arg) => {
    const doc = await workflowDocument(arg);
    preview.show(doc);
    setWalkthroughContext('preview');
    return { uri: doc.uri.toString() };
  });

  // Not awaited: activation returns at once; features arrive as soon as the server answers initialize.
  void server.start().catch((e) => log(`language server did not start: ${(e as Error).message}`));
  const activationMs = Date.now() - t0;
  log(`Callflow activated in ${activationMs} ms (${isTrusted() ? 'trusted' : 'restricted'} workspace)`);
  return {
    ext,
    statusBar,
    setUi,
    setTrust: (v) => {
      setTrustOverride(v);
      statusBar.render(true);
    },
    logLines,
    activationMs,
  };
}

export async function deactivate(): Promise<void> {
  await ext?.server.stop();
  await stopLocalEmulators();
  disposeLog();
  ext = undefined;
}
