// The workflow a file asks the platform to hold, in the API's own terms (platform/desired.ts
// computes it from a file's model). Plain data with no core import: the language server sends it
// to the extension host (`callflow/prePush`), where platform/prepare.ts and plan.ts use it.
export interface DesiredEdge {
  to: string;
  label?: string;
}

export interface DesiredNode {
  key: string;
  type: string;
  label: string;
  config: Record<string, unknown>;
  /** Set when the file gives a position: then it is compared and pushed. */
  position?: { x: number; y: number };
  /** Where a node without a position is created. */
  autoPosition: { x: number; y: number };
  next: DesiredEdge[];
}

export interface DesiredWorkflow {
  title: string;
  description: string;
  maxConcurrentCalls: number | null;
  nodes: DesiredNode[];
}

/** Keys of the nodes whose position the file leaves to the dashboard (not compared, not in hashes). */
export function autoPositionKeys(d: DesiredWorkflow): Set<string> {
  return new Set(d.nodes.filter((n) => !n.position).map((n) => n.key));
}
