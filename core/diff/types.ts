// The shape of a semantic workflow diff: what the CLI prints as JSON and every renderer reads.
// Node keys are the new file's keys; a renamed node carries its old key in `from`.

export interface FieldChange {
  /** Dotted path with [i] for list items, e.g. `config.action_config.subject`, `variables[2]`. */
  path: string;
  /** Absent when the field was added. */
  old?: unknown;
  /** Absent when the field was removed. */
  new?: unknown;
}

export interface EdgeRef {
  on?: string;
  to: string;
}

export interface EdgeChange {
  kind: 'added' | 'removed';
  edge: EdgeRef;
  /** Position in the node's `next` list (old list for removed, new list for added). */
  index: number;
}

/**
 * Where one outcome of a node goes, before and after (first matching edge wins). `on` undefined is
 * "any other outcome" (the catch-all edge). `old`/`new` undefined: the outcome went nowhere.
 */
export interface RouteChange {
  on?: string;
  old?: string;
  new?: string;
  /** The same edges are there in another order, and that order decides this outcome now. */
  byReorder?: boolean;
  /** Neither version labels any edge of this node (a TIME node's one `next`): there is one route. */
  only?: boolean;
}

/** An edge of the old file that pointed at a removed node (its source in new-file terms). */
export interface IncomingEdge {
  from: string;
  on?: string;
}

export type NodeStatus = 'added' | 'removed' | 'renamed' | 'changed';

export interface NodeDiff {
  /** The key in the new file (the old key for a removed node). */
  key: string;
  status: NodeStatus;
  /** The old key of a renamed node. */
  from?: string;
  /** How a rename was recognised: the state file's node ids, or a similarity score (0..1, like git -M). */
  renamedBy?: { stateId: string } | { similarity: number };
  type?: string;
  /** The node's label (the new one; the old one for a removed node), when written. */
  label?: string;
  /** 1-based line of the node's key in the new file (in the old file for a removed node). */
  line?: number;
  /** Added and removed nodes: their whole config, so a reviewer sees what is new or lost. */
  config?: Record<string, unknown>;
  fields: FieldChange[];
  edges: EdgeChange[];
  /** Outcome by outcome, where routing goes now (routing is first match). */
  routes: RouteChange[];
  /** Set when the edges both files share are in another routing order. */
  reordered?: { old: EdgeRef[]; new: EdgeRef[]; changesRouting: boolean };
  /** A removed node: the edges that pointed at it in the old file. */
  incoming?: IncomingEdge[];
}

export type FlagKind =
  | 'agent'
  | 'phone-number'
  | 'new-variable'
  | 'concurrency'
  | 'terminal-path'
  | 'unreachable'
  | 'diagnostic';

/** A change that matters when the workflow is activated; listed first by every renderer. */
export interface Flag {
  kind: FlagKind;
  /** One sentence, plain text (renderers add their own markup). */
  message: string;
  /** The new-file node it concerns, if any. */
  node?: string;
  /** 1-based line in the new file. */
  line?: number;
}

export interface WorkflowDiff {
  /** Changes outside `nodes`: title, description, variables, leads, settings, entry, version, x- keys. */
  header: FieldChange[];
  /** Added, removed, renamed and changed nodes (unchanged nodes are left out), in new-file order, removed ones last. */
  nodes: NodeDiff[];
  flags: Flag[];
  summary: { added: number; removed: number; renamed: number; changed: number; flagged: number };
  equal: boolean;
}

export type DiffResult = WorkflowDiff | { error: string };

/**
 * Platform node ids per side, from the state files beside the workflow (`target/id` tokens, so one
 * node known in several targets matches on any of them). Two keys sharing a token are one node.
 */
export interface NodeIdentity {
  old: Map<string, string[]>;
  new: Map<string, string[]>;
}

export interface DiffOptions {
  identity?: NodeIdentity;
}
