// At the top of each workflow file: remote status · Activate · Plan · Preview.
import * as vscode from 'vscode';
import type { RemoteStatuses } from './remote-status';
import type { Targets } from './targets';
import { isTrusted } from './trust';

export class WorkflowCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly statuses: RemoteStatuses,
    private readonly targets: Targets,
  ) {
    statuses.onDidChange(() => this.changed.fire());
    targets.onDidChange(() => this.changed.fire());
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('callflow.codeLens')) this.changed.fire();
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('callflow.codeLens').get<boolean>('enabled', true)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    const file = doc.uri.fsPath;
    if (doc.uri.scheme === 'file' && isTrusted()) {
      const s = this.statuses.get(file);
      if (!s) void this.statuses.refresh(file);
      const target = s?.target ?? this.targets.selected(file);
      const label = s?.status ? `${target}: ${s.status}` : s?.note ? `${target}: ${s.note}` : `${target}: …`;
      lenses.push(
        new vscode.CodeLens(top, {
          title: `$(cloud) ${label}`,
          command: 'callflow.selectTarget',
          tooltip: s?.workflowId
            ? `workflow ${s.workflowId}; click to change the target`
            : 'Click to change the target',
        }),
      );
      const verb =
        s?.status === 'paused'
          ? ['Resume', 'callflow.resume']
          : s?.status === 'active'
            ? ['Pause', 'callflow.pause']
            : ['Activate', 'callflow.activate'];
      lenses.push(new vscode.CodeLens(top, { title: verb[0], command: verb[1], arguments: [doc.uri] }));
      lenses.push(new vscode.CodeLens(top, { title: 'Plan', command: 'callflow.showPlan', arguments: [doc.uri] }));
    }
    lenses.push(new vscode.CodeLens(top, { title: 'Preview', command: 'callflow.showPreview', arguments: [doc.uri] }));
    return lenses;
  }
}
