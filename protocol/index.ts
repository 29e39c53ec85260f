// THE one module declaring Callflow's custom LSP messages and the settings shape. The server and
// the VS Code client both import it, so the two can never disagree on a method name or a payload.
//
// The extension host holds no parser, schema checker or layout engine: everything that reads
// workflow text is asked of the server here.
//   preview model + layout ........ GraphRequest           (callflow/graph)
//   export mermaid / dot / svg .... ExportRequest          (callflow/export)
//   node key → text ranges ........ NodeLocationRequest    (callflow/nodeLocation)
//   text position → node key ...... NodeAtRequest          (callflow/nodeAt)
//   semantic diff against a base .. DiffRequest            (callflow/diff)
//   pre-push check ................ PrePushRequest         (callflow/prePush): REPLACES core's
//       `analyze` in client/platform-ops.ts `loadWorkflow`: diagnostics, the platform/desired.ts
//       DesiredWorkflow and node key → line, so platform/ prepare/apply run in the client on data.
//   pulled workflow → file text ... RenderRemoteRequest    (callflow/renderRemote): the renderer of
//       platform/pull.ts's one pull flow (platform/pull-render.ts) for the editor, whose host has no core.
// The other direction: the server asks the client for the approved target of a file
// (CredentialsRequest, answered from SecretStorage) and never resolves keys itself.
//
// No runtime dependency: a message is its method name plus its types (./messages.ts), so the
// extension's first bundle needs no JSON-RPC library to name one; both sides send by method.
import type { ChangeStatusMap } from '../core/diff';
import type { RemoteEdge, RemoteNode, RemoteWorkflowHeader } from '../core/remote';
import { NotificationType, NotificationType0, RequestType } from './messages';
export { NotificationType, NotificationType0, RequestType } from './messages';

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
  /** Not declared: named by an edge's `to` (WF110); its ranges are the first such edge's. Drawn in red. */
  ghost?: boolean;
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
  /** The worst problem on this edge (WF110/111/113/115/118) and every message (core/layout.ts markEdges). */
  mark?: { severity: 'error' | 'warning' | 'info'; messages: string[] };
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
  /** The `title:` of the workflow. */
  title?: string;
  /**
   * The first YAML syntax problem (WF001/WF004), when there is one: a partial model would lose
   * nodes, so the preview keeps its last good graph and shows this instead.
   */
  syntaxError?: { line: number; message: string };
  /** Stroke colour per node type (core/export.ts NODE_STYLE), so every drawing uses the same colours. */
  colors: Record<string, string>;
  /** The drawing's extent when laid out (nodes, routed edges and label boxes, plus a margin). */
  width?: number;
  height?: number;
}

/** The graph model of a workflow file for the preview. */
export namespace GraphRequest {
  export const method = 'callflow/graph';
  export interface Params {
    uri: string;
    layout?: boolean;
  }
  export const type = new RequestType<Params, GraphModel>(method);
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
  export const type = new RequestType<Params, PlanResult>(method);
}

export interface OnlineStatusParams {
  state: 'off' | 'loading' | 'ready' | 'unavailable';
  target?: string;
  message?: string;
  /** Epoch milliseconds of the data in the cache. */
  fetchedAt?: number;
  /** Where the key in use came from (as the client said in its CredentialsRequest answer). */
  keySource?: KeySource;
}

/** The online cache's state, sent on each change (the client shows it in the status bar). */
export namespace OnlineStatus {
  export const method = 'callflow/onlineStatus';
  export const type = new NotificationType<OnlineStatusParams>(method);
}

/** A graph export of the file's current text (core/export.ts). */
export namespace ExportRequest {
  export const method = 'callflow/export';
  export interface Params {
    uri: string;
    format: 'mermaid' | 'dot' | 'svg';
  }
  export type Result = { ok: true; text: string } | { ok: false; reason: string };
  export const type = new RequestType<Params, Result>(method);
}

/** Where a node is in the file's current text (its key, and its whole entry); null when it has none. */
export namespace NodeLocationRequest {
  export const method = 'callflow/nodeLocation';
  export interface Params {
    uri: string;
    key: string;
  }
  export interface Result {
    keyRange: Range;
    range: Range;
  }
  export const type = new RequestType<Params, Result | null>(method);
}

/** The node whose entry holds the position (innermost), if any. */
export namespace NodeAtRequest {
  export const method = 'callflow/nodeAt';
  export interface Params {
    uri: string;
    position: { line: number; character: number };
  }
  export const type = new RequestType<Params, { key?: string }>(method);
}

/** The semantic diff (core/diff.ts) from `baseText` (e.g. the file at git HEAD) to the file's current text. */
export namespace DiffRequest {
  export const method = 'callflow/diff';
  export interface Params {
    uri: string;
    baseText: string;
  }
  export type Result =
    | { ok: false; reason: string }
    | {
        ok: true;
        equal: boolean;
        nodes: number;
        /** The diff as text (core/diff.ts renderDiffText). */
        text: string;
        /** Text line (0-based) → line of the file (1-based) it is about, for links (renderDiffTextLinked). */
        links?: { textLine: number; line: number }[];
        /** Per node and edge: added, removed, renamed, changed, moved (for the preview). */
        status: ChangeStatusMap;
      };
  export const type = new RequestType<Params, Result>(method);
}

/** One problem as the pre-push check reports it (0-based line and character). */
export interface PrePushProblem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  character: number;
}

/**
 * platform/desired.ts `DesiredWorkflow` on the wire. Declared here because protocol/ may not import
 * platform/; the server assigns platform's type to it and the client passes it back to platform, so
 * the compiler checks on both sides that the two shapes agree.
 */
export interface DesiredWorkflowData {
  title: string;
  description: string;
  maxConcurrentCalls: number | null;
  nodes: {
    key: string;
    type: string;
    label: string;
    config: Record<string, unknown>;
    position?: { x: number; y: number };
    autoPosition: { x: number; y: number };
    next: { to: string; label?: string }[];
  }[];
}

/**
 * The check before a plan, push or activate: the file validated as a push sees it (offline rules,
 * the leads file, the target's concurrency limit), and, when it has no errors, what it asks the
 * platform to hold. platform/prepare.ts then runs in the client on `desired`, never on text.
 */
export namespace PrePushRequest {
  export const method = 'callflow/prePush';
  export interface Params {
    uri: string;
    /** The text to check; the server's copy of the document when absent. */
    text?: string;
    /** The target's `max_concurrent_calls` (WF105), when it states one. */
    workspaceLimit?: number;
  }
  export interface Result {
    /** False when the text has no usable workflow at all (syntax). */
    usable: boolean;
    errors: PrePushProblem[];
    warnings: PrePushProblem[];
    /** Present exactly when `usable` and there are no errors. */
    desired?: DesiredWorkflowData;
    /** Node key → the 0-based line of its key (to put the cursor on a node a platform error names). */
    nodeLines: Record<string, number>;
  }
  export const type = new RequestType<Params, Result>(method);
}

/**
 * A remote workflow (as platform/remote-read.ts reads it) rendered as file text: the `PullRenderer`
 * of platform/pull.ts, which decides everything else (variables, what is left out, the file).
 */
export namespace RenderRemoteRequest {
  export const method = 'callflow/renderRemote';
  export interface Params {
    workflow: RemoteWorkflowHeader;
    nodes: RemoteNode[];
    edges: RemoteEdge[];
    /** The `variables:` list platform/pull.ts chose from the workflow's lead columns. */
    variables?: string[];
    /** Remote node id → the key a state file already records for it. */
    keyById?: Record<string, string>;
  }
  export interface Result {
    text: string;
    /** Node key in the text → remote node id (for the state file). */
    idByKey: Record<string, string>;
    /** The file name `pull` would choose, without `.workflow.yaml` (from the title). */
    fileBase: string;
    /** Edges left out because they point outside the workflow. */
    skippedEdges: number;
    /** Errors the rendered text still has, `line N: CODE message` each. */
    errors: string[];
  }
  export const type = new RequestType<Params, Result>(method);
}

export type KeySource = 'secretStorage' | 'environment' | 'local';

/**
 * Server → client: the target a file's online checks use, with its key, as the client approved it
 * (trusted workspace, approved host, key from SecretStorage or, when the client allows it, the
 * environment). The server never reads keys from the environment or from workspace files.
 */
export namespace CredentialsRequest {
  export const method = 'callflow/credentials';
  export interface Params {
    /** The workflow file the checks are for. */
    uri: string;
    /** `online.target` from the settings, when set. */
    target?: string;
  }
  export type Result =
    | {
        target: string;
        /** The API base URL (…/v1) the key may be sent to. */
        baseUrl: string;
        key: string;
        keySource: KeySource;
        /** The target's `max_concurrent_calls` (WF105). */
        maxConcurrentCalls?: number;
      }
    | { unavailable: string };
  export const type = new RequestType<Params, Result>(method);
}

/** Client → server: keys, host approvals, the selected target or the local emulator changed: ask again. */
export namespace CredentialsChanged {
  export const method = 'callflow/credentialsChanged';
  export const type = new NotificationType0(method);
}

/**
 * Test-only messages, active only with `initializationOptions.testHooks: true`: they make server
 * state observable so tests never race it. `TestHold` parks the next pull-diagnostics request for a
 * uri; the server then sends `TestParked` and answers only once that request is cancelled.
 */
export namespace TestHold {
  export const method = 'callflow/test/hold';
  export const type = new RequestType<{ uri: string }, null>(method);
}
export namespace TestParked {
  export const method = 'callflow/test/parked';
  export const type = new NotificationType<{ uri: string; method: string }>(method);
}

/**
 * Workflow test files (`*.workflow.test.yaml`, docs/workflow-tests.md): checked and run by the server
 * (core/workflow-test-run.ts) for the client's Testing view, CodeLens and diagnostics
 * (server/workflow-tests.ts answers; client/testing.ts asks). The client sends the file's current
 * text: test files are not synced documents.
 */
export namespace WorkflowTestsRequest {
  export const method = 'callflow/workflowTests';
  export interface Params {
    uri: string;
    text: string;
  }
  export interface Failure {
    field: string;
    message: string;
    expected?: unknown;
    actual?: unknown;
    range: Range;
  }
  export interface Case {
    name: string;
    range: Range;
    expectRange?: Range;
    status: 'pass' | 'fail' | 'skip' | 'not-run';
    failures: Failure[];
    skipReason?: string;
    actual?: { path: string[]; ends: string; elapsedHours: number; calls: number };
  }
  export interface Result {
    /** False: the file or its workflow has errors (see diagnostics); every case is `not-run`. */
    ran: boolean;
    workflowUri?: string;
    diagnostics: { code: string; severity: 'error' | 'warning' | 'info'; message: string; range: Range }[];
    cases: Case[];
  }
  export const type = new RequestType<Params, Result>(method);
}

/** What the client says in `initializationOptions`. */
export interface InitializationOptions {
  client?: string;
  /** The workspace is trusted: only then may the server make any network call. Absent = false. */
  trusted?: boolean;
  /** Settings for a client without workspace/configuration. */
  settings?: unknown;
  /** Enables the Test* messages (tests only). */
  testHooks?: boolean;
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
  // Off until the client says otherwise (and never without trust): no request before settings arrive.
  online: { enabled: false, refreshMinutes: 5 },
  index: { maxFiles: 5000 },
};

export const WORKFLOW_GLOB = '**/*.workflow.yaml';
export const WORKFLOW_TEST_GLOB = '**/*.workflow.test.yaml';
export const FIX_ALL_KIND = 'source.fixAll.callflow';
