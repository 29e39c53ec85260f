// The status bar item: the target and the remote status of the active file's workflow.
import * as vscode from 'vscode';
import { OnlineStatus, type OnlineStatusParams } from '../protocol';
import type { ServerHost } from './lsp';
import type { RemoteStatuses } from './remote-status';
import type { Targets } from './targets';
import { isTrusted } from './trust';
import { isWorkflowDoc } from './workflow-doc';

const ONLINE_KEY: Record<NonNullable<OnlineStatusParams['keySource']>, string> = {
  secretStorage: 'stored in VS Code',
  environment: 'from the environment',
  local: 'the local emulator',
};

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('callflow.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[] = [];
  /** The language server's online cache (WF2xx checks), as it last reported it. */
  online: OnlineStatusParams | undefined;

  constructor(
    private readonly statuses: RemoteStatuses,
    private readonly targets: Targets,
    server: ServerHost,
  ) {
    this.item.name = 'Callflow target';
    this.item.command = 'callflow.selectTarget';
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render(true)),
      statuses.onDidChange(() => this.render(false)),
      targets.onDidChange(() => this.render(true)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isWorkflowDoc(d) && d.uri.scheme === 'file') void this.statuses.refresh(d.uri.fsPath);
      }),
      server.onNotification(OnlineStatus.type, (p) => {
        this.online = p;
        this.render(false);
      }),
    );
    this.render(true);
  }

  /** What the item shows now (the in-editor tests read it). */
  get text(): string {
    return this.item.text;
  }

  render(refresh: boolean): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isWorkflowDoc(doc) || doc.uri.scheme !== 'file') {
      this.item.hide();
      return;
    }
    const file = doc.uri.fsPath;
    const target = this.targets.selected(file);
    if (!isTrusted()) {
      this.item.text = `$(shield) Callflow: ${target} (restricted)`;
      this.item.tooltip = 'Restricted workspace: validation only; push, activate and online checks are off.';
      this.item.show();
      return;
    }
    const s = this.statuses.get(file);
    if (refresh || !s || s.target !== target) void this.statuses.refresh(file);
    const state = s && s.target === target ? (s.status ?? s.note ?? '…') : '…';
    // Which key this target uses, for remote targets (known once a connection was made).
    const key = this.targets.keySources.get(target);
    this.item.text = `$(cloud) ${target}: ${state}${key ? ` $(key) ${key}` : ''}`;
    const o = this.online;
    const online = !o
      ? ''
      : o.state === 'ready'
        ? `\n\nOnline checks: data from ${o.target ?? 'the target'}${o.fetchedAt ? `, fetched ${new Date(o.fetchedAt).toLocaleTimeString()}` : ''}${o.keySource ? ` (key: ${ONLINE_KEY[o.keySource]})` : ''}.`
        : `\n\nOnline checks: ${o.state}${o.message ? ` (${o.message})` : ''}.`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Callflow** target \`${target}\`${s?.workflowId ? `, workflow \`${s.workflowId}\`` : ''}: ${state}${key ? `\n\nAPI key: ${key}.` : ''}${online}\n\nClick to choose another target.`,
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subs) s.dispose();
  }
}
