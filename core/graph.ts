// The workflow as a directed graph: entry node, ordered out-edges, in-edges, reachability.
import type { EdgeDecl, WorkflowModel } from './model';

export interface Graph {
  /** The entry node key, when one can be determined (WF117 reports when not). */
  entry?: string;
  /** Why no entry could be determined. */
  entryProblem?: 'none' | 'several' | 'unknown';
  /** Nodes with no incoming edge, in file order. */
  roots: string[];
  out: Map<string, EdgeDecl[]>;
  incoming: Map<string, EdgeDecl[]>;
  /** Nodes reachable from the entry (empty without an entry). */
  reachable: Set<string>;
}

export function buildGraph(model: WorkflowModel): Graph {
  const out = new Map<string, EdgeDecl[]>();
  const incoming = new Map<string, EdgeDecl[]>();
  for (const n of model.nodes) { out.set(n.key, n.next); incoming.set(n.key, []); }
  for (const n of model.nodes) for (const e of n.next) {
    const to = e.to?.value;
    if (to !== undefined) incoming.get(to)?.push(e);
  }
  const roots = model.nodes.filter((n) => incoming.get(n.key)!.length === 0).map((n) => n.key);
  let entry: string | undefined;
  let entryProblem: Graph['entryProblem'];
  if (model.entry) {
    if (model.nodeByKey.has(model.entry.value)) entry = model.entry.value;
    else entryProblem = 'unknown';
  } else if (roots.length === 1) entry = roots[0];
  else if (model.nodes.length > 0) entryProblem = roots.length === 0 ? 'none' : 'several';
  const reachable = new Set<string>();
  if (entry) {
    const stack = [entry];
    while (stack.length) {
      const k = stack.pop()!;
      if (reachable.has(k)) continue;
      reachable.add(k);
      for (const e of out.get(k) ?? []) if (e.to && out.has(e.to.value) && !reachable.has(e.to.value)) stack.push(e.to.value);
    }
  }
  return { entry, entryProblem, roots, out, incoming, reachable };
}
