// THE one module declaring Callflow's custom LSP messages and the settings shape. The server and
// the VS Code client both import it, so the two can never disagree on a method name or a payload.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Sent once the server has indexed the workspace and is ready to answer. */
export namespace ServerReady {
  export const method = 'callflow/serverReady';
  export interface Params {
    version: string;
    indexedFiles: number;
    pullDiagnostics: boolean;
  }
  export const type = new NotificationType<Params>(method);
}

export interface GraphNode {
  key: string;
  type: string;
  label: string;
  /** Laid out position (from `position:` when every node has one, else the automatic layout). */
  position?: { x: number; y: number };
  size?: { width: number; height: number };
  entry: boolean;
  diagnostics: { error: number; warning: number; info: number };
  /** The node key in the text, and the whole node entry. */
  keyRange: Range;
  range: Range;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  index: number;
  range: Range;
  /** The routed edge (start, bends, end) and where its label goes, when laid out. */
  points?: { x: number; y: number }[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface GraphModel {
  uri: string;
  version: number | null;
  /** False when the text has no usable model (it does not parse); the preview keeps its last good graph. */
  ok: boolean;
  entry?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  diagnostics: { error: number; warning: number; info: number };
  layout?: 'elk' | 'positions' | 'none';
}

/** The graph model of a workflow file for the preview. */
export namespace GraphRequest {
  export const method = 'callflow/graph';
  export interface Params {
    uri: string;
    layout?: boolean;
  }
  export const type = new RequestType<Params, GraphModel, void>(method);
}

/** Sent after a file's analysis changed (debounced like diagnostics): the preview asks again. */
export namespace GraphChanged {
  export const method = 'callflow/graphChanged';
  export interface Params {
    uri: string;
    version: number | null;
  }
  export const type = new NotificationType<Params>(method);
}

export type PlanResult =
  | {
      available: true;
      target: string;
      summary: string;
      calls: { kind: 'create' | 'update' | 'delete'; description: string }[];
    }
  | { available: false; reason: string };

/** What a push would change on a target (the platform layer computes it when present). */
export namespace PlanRequest {
  export const method = 'callflow/plan';
  export interface Params {
    uri: string;
    target?: string;
  }
  export const type = new RequestType<Params, PlanResult, void>(method);
}

export interface OnlineStatusParams {
  state: 'off' | 'loading' | 'ready' | 'unavailable';
  target?: string;
  message?: string;
  /** Epoch milliseconds of the data in the cache. */
  fetchedAt?: number;
}

/** The online cache's state, sent on each change (the client shows it in the status bar). */
export namespace OnlineStatus {
  export const method = 'callflow/onlineStatus';
  export const type = new NotificationType<OnlineStatusParams>(method);
}

/** The `callflow` settings section the server reads (workspace/configuration or initializationOptions.settings). */
export interface CallflowSettings {
  validate: {
    /** `onType`: as you type, coalesced by `debounceMs`; `onSave`: only when the file is saved. */
    run: 'onType' | 'onSave';
    debounceMs: number;
  };
  rules: { severity: Record<string, 'error' | 'warning' | 'info' | 'off'> };
  /** The workspace's concurrency limit for WF105 when no target says it. */
  workspaceLimit?: number;
  online: { enabled: boolean; target?: string; refreshMinutes: number };
  index: { maxFiles: number };
}

export const DEFAULT_SETTINGS: CallflowSettings = {
  validate: { run: 'onType', debounceMs: 150 },
  rules: { severity: {} },
  online: { enabled: true, refreshMinutes: 5 },
  index: { maxFiles: 5000 },
};

export const WORKFLOW_GLOB = '**/*.workflow.yaml';
export const FIX_ALL_KIND = 'source.fixAll.callflow';
