// Everything the commands and views share, built once in activate().
import * as vscode from 'vscode';
import type { HostApprovals } from './hosts';
import type { ServerHost } from './lsp';
import type { RemoteStatuses } from './remote-status';
import type { KeyStore } from './secrets';
import type { Targets } from './targets';
import type { ReadonlyDocs } from './readonly-docs';
import type { RemoteView } from './remote-view';
import type { PreviewPanel } from './preview/panel';

export interface Ext {
  context: vscode.ExtensionContext;
  keys: KeyStore;
  approvals: HostApprovals;
  targets: Targets;
  statuses: RemoteStatuses;
  server: ServerHost;
  docs: ReadonlyDocs;
  remoteView: RemoteView;
  preview: PreviewPanel;
}
