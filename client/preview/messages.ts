// The messages between the preview panel (extension host) and its page (webview.ts). Plain data only:
// the page bundle must not pull in vscode or the layout engine, so the host sends a finished layout.
import type { Layout } from '../../core/layout';
import type { ChangeStatusMap } from '../../core/diff';

export type NodeSeverity = 'error' | 'warning' | 'info';

export interface NodeMark {
  severity: NodeSeverity;
  /** The diagnostics' messages, shown as the node's tooltip. */
  messages: string[];
}

/** Host → page: a new graph to draw (replaces the last one). */
export interface GraphMessage {
  type: 'graph';
  uri: string;
  title: string;
  layout: Layout;
  /** Stroke colour per node type (core/export.ts NODE_STYLE), so every drawing uses the same colours. */
  colors: Record<string, string>;
  /** Node key → the worst diagnostic on it. */
  marks: Record<string, NodeMark>;
  /** Present in "changes since HEAD" mode. */
  changes?: ChangeStatusMap & { base: string };
  /** Why the changes mode shows nothing (no git, file not in HEAD, HEAD unreadable). */
  changesNote?: string;
}

/** Host → page: the text cannot be read as a workflow now; the page keeps the last good graph. */
export interface ParseErrorMessage {
  type: 'parseError';
  uri: string;
  message: string;
}

/** Host → page: the node under the editor's cursor (undefined clears it). */
export interface HighlightMessage {
  type: 'highlight';
  key?: string;
}

/** Host → page: the mode toggle's state. */
export interface ModeMessage {
  type: 'mode';
  changes: boolean;
}

export type HostMessage = GraphMessage | ParseErrorMessage | HighlightMessage | ModeMessage;

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'reveal'; key: string }
  | { type: 'toggleChanges'; on: boolean }
  | { type: 'export'; format: 'mermaid' | 'svg' };

/** What the page keeps across webview reloads (vscode.setState). */
export interface PageState {
  last?: GraphMessage;
  changes: boolean;
}
