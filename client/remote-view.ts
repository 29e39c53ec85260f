// The "Remote Workflows" view: the selected target's workflows with status and node/edge counts;
// open one as a read-only document, compare it with the local file, pull it, and the lifecycle
// verbs inline. Nothing is fetched in a restricted workspace, and a host not yet approved is not
// asked about from here until the user refreshes.
import * as vscode from 'vscode';
import type { LifecycleVerb } from '../platform/client';
import type { RemoteWorkflow } from '../platform/snapshot';
import { statePathFor } from '../platform/state';
import { lifecycleOn } from './commands/platform';
import { register } from './commands/run';
import type { Ext } from './context';
import * as ops from './platform-ops';
import { isTrusted } from './trust';
import { UserError } from './targets';
import { ui } from './ui';

export interface RemoteItem {
  id: string;
  title: string;
  status: string;
  nodes?: number;
  edges?: number;
  target: string;
}

class WorkflowItem extends vscode.TreeItem {
  constructor(readonly item: RemoteItem) {
    super(item.title, vscode.TreeItemCollapsibleState.None);
    const counts = item.nodes !== undefined ? ` · ${item.nodes} nodes, ${item.edges ?? 0} edges` : '';
    this.description = `${item.status}${counts}`;
    this.tooltip = `${item.title}\n${item.id} on ${item.target}\nstatus: ${item.status}${counts}`;
    this.contextValue = `workflow:${item.status}`;
    this.id = `${item.target}/${item.id}`;
    this.iconPath = new vscode.ThemeIcon(ICONS[item.status] ?? 'circle-outline');
    this.command = { command: 'callflow.remote.open', title: 'Open', arguments: [item] };
  }
}

const ICONS: Record<string, string> = {
  draft: 'edit',
  active: 'play-circle',
  running: 'play-circle',
  paused: 'debug-pause',
  cancelled: 'circle-slash',
  completed: 'pass',
};

class MessageItem extends vscode.TreeItem {
  constructor(label: string, command?: vscode.Command) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'message';
    if (command) this.command = command;
  }
}

export class RemoteView implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** What the view shows now (the test API reads it). */
  items: RemoteItem[] = [];
  message: string | undefined;
  private view: vscode.TreeView<vscode.TreeItem> | undefined;
  private loaded: Promise<void> | undefined;
  private ext!: Ext;

  attach(ext: Ext): void {
    this.ext = ext;
    this.view = vscode.window.createTreeView('callflow.remote', { treeDataProvider: this, showCollapseAll: false });
    ext.context.subscriptions.push(
      this.view,
      ext.targets.onDidChange(() => this.refresh()),
    );
    register(ext.context, 'callflow.remote.refresh', async () => {
      this.refresh();
      await this.loaded;
      return { items: this.items, message: this.message };
    });
    register(ext.context, 'callflow.remote.open', async (arg) => this.open(this.pickArg(arg)));
    register(ext.context, 'callflow.remote.compare', async (arg) => this.compare(this.pickArg(arg)));
    register(ext.context, 'callflow.remote.pull', async (arg) =>
      vscode.commands.executeCommand('callflow.pull', this.pickArg(arg).id),
    );
    for (const v of ['activate', 'pause', 'resume', 'cancel'] as LifecycleVerb[]) {
      register(ext.context, `callflow.remote.${v}`, async (arg) => {
        const item = this.pickArg(arg);
        const conn = await ext.targets.connect(this.anchor(), { what: v, isDir: true, targetName: item.target });
        const question =
          v === 'activate'
            ? (id: string, t: string): [string, string, string] => [
                `Activate workflow ${id} on target "${t}"?`,
                'It activates what the platform holds now (no push). Calls start for enrolled leads.',
                'Activate',
              ]
            : undefined;
        return lifecycleOn(ext, conn, item.id, v, question);
      });
    }
  }

  private pickArg(arg: unknown): RemoteItem {
    if (arg instanceof WorkflowItem) return arg.item;
    const a = arg as Partial<RemoteItem> | string | undefined;
    const id = typeof a === 'string' ? a : a?.id;
    const found = this.items.find((i) => i.id === id);
    if (found) return found;
    if (typeof a === 'object' && a?.id && a.target) return a as RemoteItem;
    throw new UserError('Choose a workflow in the Remote Workflows view.');
  }

  private anchor(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new UserError('Open a folder first.');
    return folder.uri.fsPath;
  }

  refresh(): void {
    this.loaded = this.load();
    this.changed.fire();
  }

  /** Resolves when the current load is finished (tests, commands). */
  async whenLoaded(): Promise<void> {
    await this.loaded;
  }

  private async load(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      this.items = [];
      this.message = 'Open a folder.';
      return;
    }
    const target = this.ext.targets.selected(folder.uri.fsPath, true);
    if (this.view) this.view.description = target;
    if (!isTrusted()) {
      this.items = [];
      this.message = 'Off in a restricted workspace.';
      this.changed.fire();
      return;
    }
    try {
      const conn = await this.ext.targets.connect(folder.uri.fsPath, {
        what: 'The remote view',
        isDir: true,
        quiet: true,
      });
      const list = await ops.listWorkflows(conn);
      // The list may leave out the counts that Get returns.
      const full = await Promise.all(
        list.map(async (w) => (w.node_count === undefined ? ((await ops.getWorkflow(conn, w.id)) ?? w) : w)),
      );
      this.items = full.map((w: RemoteWorkflow) => ({
        id: w.id,
        title: w.title || w.id,
        status: w.status === 'running' ? 'active' : (w.status ?? 'unknown'),
        nodes: w.node_count,
        edges: w.edge_count,
        target: conn.target.name,
      }));
      this.message = this.items.length ? undefined : `No workflows on ${conn.target.name}.`;
    } catch (e) {
      this.items = [];
      this.message = (e as Error).message;
    }
    this.changed.fire();
  }

  getTreeItem(e: vscode.TreeItem): vscode.TreeItem {
    return e;
  }

  async getChildren(parent?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    if (parent) return [];
    this.loaded ??= this.load();
    await this.loaded;
    if (this.message) return [new MessageItem(this.message, { command: 'callflow.remote.refresh', title: 'Refresh' })];
    return this.items.map((i) => new WorkflowItem(i));
  }

  async open(item: RemoteItem): Promise<{ uri: string; text: string }> {
    const conn = await this.ext.targets.connect(this.anchor(), {
      what: 'Opening a remote workflow',
      isDir: true,
      targetName: item.target,
    });
    const r = await ops.pullRemote(this.ext.server, conn, item.id);
    if (!r) throw new UserError(`Workflow ${item.id} no longer exists on ${item.target}.`);
    const editor = await this.ext.docs.open('remote', `${item.target}/${item.id}.workflow.yaml`, r.text, {
      stableId: `${item.target}/${item.id}`,
    });
    return { uri: editor.document.uri.toString(), text: r.text };
  }

  /** Remote (left) against the local file whose state records this workflow (right). */
  async compare(item: RemoteItem): Promise<{ local: string; remote: string }> {
    const conn = await this.ext.targets.connect(this.anchor(), {
      what: 'Comparing with a remote workflow',
      isDir: true,
      targetName: item.target,
    });
    let local = await this.localFileFor(item);
    if (!local) {
      const files = await vscode.workspace.findFiles('**/*.workflow.yaml', '**/node_modules/**');
      const pick = await ui().pick(
        files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
        `No local file records ${item.id}: compare with which file?`,
      );
      if (!pick) throw new UserError('Cancelled.');
      local = pick.uri;
    }
    // Rendered as a pull into that file would be: with the node keys its state records.
    const r = await ops.pullRemote(this.ext.server, conn, item.id, statePathFor(local.fsPath));
    if (!r) throw new UserError(`Workflow ${item.id} no longer exists on ${item.target}.`);
    const remoteUri = this.ext.docs.put(
      'remote',
      `${item.target}/${item.id}.workflow.yaml`,
      r.text,
      `${item.target}/${item.id}`,
    );
    await vscode.commands.executeCommand(
      'vscode.diff',
      remoteUri,
      local,
      `${item.title} (${item.target}) ↔ ${vscode.workspace.asRelativePath(local)}`,
    );
    return { local: local.fsPath, remote: remoteUri.toString() };
  }

  private async localFileFor(item: RemoteItem): Promise<vscode.Uri | undefined> {
    const files = await vscode.workspace.findFiles('**/*.workflow.yaml', '**/node_modules/**');
    for (const f of files) {
      try {
        if (ops.workflowIdFor(f.fsPath, item.target) === item.id) return f;
      } catch {
        /* unreadable state: skip */
      }
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
