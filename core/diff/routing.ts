// Routing is first match: an outcome takes the first edge whose `on` is that outcome or that has no
// `on` (the catch-all). Comparing where each outcome goes, not which lines moved, says what a
// reorder or a retargeted edge really changes.
import type { EdgeChange, EdgeRef, RouteChange } from './types';

const edgeId = (e: EdgeRef): string => `${e.on ?? ''}\u0000${e.to}`;

/** Where `on` goes (undefined `on`: an outcome no edge names). */
export function routeOf(edges: readonly EdgeRef[], on: string | undefined): string | undefined {
  for (const e of edges) if (e.on === undefined || (on !== undefined && e.on === on)) return e.to;
  return undefined;
}

/** The outcomes worth a row: every label either side names, then "any other outcome". */
export function outcomesOf(...lists: (readonly EdgeRef[])[]): (string | undefined)[] {
  const labels: string[] = [];
  for (const l of lists) for (const e of l) if (e.on !== undefined && !labels.includes(e.on)) labels.push(e.on);
  return [...labels, undefined];
}

/** Edges both lists hold (as multisets), each list in its own order. */
function kept(oldEdges: readonly EdgeRef[], newEdges: readonly EdgeRef[]): { old: EdgeRef[]; new: EdgeRef[] } {
  const take = (from: readonly EdgeRef[], other: readonly EdgeRef[]) => {
    const left = new Map<string, number>();
    for (const e of other) left.set(edgeId(e), (left.get(edgeId(e)) ?? 0) + 1);
    return from.filter((e) => {
      const c = left.get(edgeId(e)) ?? 0;
      if (c > 0) left.set(edgeId(e), c - 1);
      return c > 0;
    });
  };
  return { old: take(oldEdges, newEdges), new: take(newEdges, oldEdges) };
}

export interface EdgeComparison {
  edges: EdgeChange[];
  routes: RouteChange[];
  reordered?: { old: EdgeRef[]; new: EdgeRef[]; changesRouting: boolean };
}

/** `oldEdges` already in new-file keys (targets mapped through renames). */
export function compareEdges(oldEdges: readonly EdgeRef[], newEdges: readonly EdgeRef[]): EdgeComparison {
  const k = kept(oldEdges, newEdges);
  const keptOldIds = new Map<string, number>();
  for (const e of k.old) keptOldIds.set(edgeId(e), (keptOldIds.get(edgeId(e)) ?? 0) + 1);
  const edges: EdgeChange[] = [];
  const unmatched = (list: readonly EdgeRef[], keep: readonly EdgeRef[]) => {
    const left = new Map<string, number>();
    for (const e of keep) left.set(edgeId(e), (left.get(edgeId(e)) ?? 0) + 1);
    return list.map((e) => {
      const c = left.get(edgeId(e)) ?? 0;
      if (c > 0) left.set(edgeId(e), c - 1);
      return c === 0;
    });
  };
  unmatched(oldEdges, k.old).forEach((gone, index) => {
    if (gone) edges.push({ kind: 'removed', edge: oldEdges[index], index });
  });
  unmatched(newEdges, k.new).forEach((added, index) => {
    if (added) edges.push({ kind: 'added', edge: newEdges[index], index });
  });

  const outcomes = outcomesOf(oldEdges, newEdges);
  const order = (l: EdgeRef[]) => l.map(edgeId).join('\n');
  const isReordered = order(k.old) !== order(k.new);
  const routes: RouteChange[] = [];
  let changesRouting = false;
  for (const on of outcomes) {
    const before = routeOf(oldEdges, on),
      after = routeOf(newEdges, on);
    const byReorder = isReordered && routeOf(k.old, on) !== routeOf(k.new, on);
    if (byReorder) changesRouting = true;
    if (before === after) continue;
    routes.push({
      ...(on !== undefined ? { on } : {}),
      ...(before !== undefined ? { old: before } : {}),
      ...(after !== undefined ? { new: after } : {}),
      ...(byReorder ? { byReorder } : {}),
      ...(outcomes.length === 1 ? { only: true } : {}),
    });
  }
  return { edges, routes, ...(isReordered ? { reordered: { old: k.old, new: k.new, changesRouting } } : {}) };
}

/** Every route of one node's edges (for added and removed nodes): outcome → target. */
export function routesOf(edges: readonly EdgeRef[]): { on?: string; to: string }[] {
  const out: { on?: string; to: string }[] = [];
  for (const on of outcomesOf(edges)) {
    const to = routeOf(edges, on);
    if (to !== undefined) out.push({ ...(on !== undefined ? { on } : {}), to });
  }
  return out;
}
