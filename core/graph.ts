// The workflow as a directed graph: entry node, ordered out-edges, in-edges, reachability, and the
// linear-time helpers (iterative, no recursion) the graph rules share.
import { isSeq } from 'yaml';
import { closest } from './text';
import { keyText, type EdgeDecl, type NodeDecl, type WorkflowModel } from './model';

export interface Graph {
  /** The entry node key, when one can be determined (WF117 reports when not). */
  entry?: string;
  /** Why no entry could be determined ('unknown': `entry:` names no node, WF110 reports it). */
  entryProblem?: 'none' | 'several' | 'unknown';
  /** Nodes with no incoming edge, in file order (an edge to a misspelled key counts for the key it resembles). */
  roots: string[];
  out: Map<string, EdgeDecl[]>;
  /** Edges as written whose `to` is this node. */
  incoming: Map<string, EdgeDecl[]>;
  /** Nodes reachable from the entry (empty without an entry). */
  reachable: Set<string>;
  /** Node keys in file order and their indexes, for the array-based algorithms. */
  keys: string[];
  indexOf: Map<string, number>;
  /** The node an edge leads to: its `to` when that node exists, else the closest key (see `dangling`). */
  target: Map<EdgeDecl, string>;
  /** Edges whose `to` names no node; the value is the key it most resembles, if any. */
  dangling: Map<EdgeDecl, string | undefined>;
  /**
   * Edges (or whole `next` values) whose target cannot be known: `to` missing or not a string, a
   * dangling `to` with no close key, a `next` that is not a list. Rules about roots and reachability
   * stay silent while any exists: the author's fix may connect any node.
   */
  unresolved: number;
  /** Nodes whose `next` is present but is not a list (WF002 reports it). */
  opaqueNext: Set<string>;
}

/** Suggesting keys for dangling names costs O(keys × name²); hostile files stop getting suggestions past this. */
const SUGGESTION_BUDGET = 2_000_000;

export function makeSuggester(candidates: string[]): (word: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  let spent = 0;
  return (word) => {
    if (cache.has(word)) return cache.get(word);
    spent += candidates.length * Math.max(1, word.length);
    const s = spent > SUGGESTION_BUDGET || word.length > 200 ? undefined : closest(word, candidates);
    cache.set(word, s);
    return s;
  };
}

export function nextIsOpaque(n: NodeDecl): boolean {
  if (!n.nextKeySpan || !n.node) return false;
  const p = n.node.items.find((it) => keyText(it as never) === 'next');
  // `next:` with no value is WF002 (not a list) too: either way the author's edges are not readable.
  return !isSeq(p?.value);
}

export function buildGraph(model: WorkflowModel): Graph {
  const out = new Map<string, EdgeDecl[]>();
  const incoming = new Map<string, EdgeDecl[]>();
  const keys = model.nodes.map((n) => n.key);
  const indexOf = new Map<string, number>();
  keys.forEach((k, i) => indexOf.set(k, i));
  for (const n of model.nodes) { out.set(n.key, n.next); incoming.set(n.key, []); }
  const target = new Map<EdgeDecl, string>();
  const dangling = new Map<EdgeDecl, string | undefined>();
  const opaqueNext = new Set<string>();
  let unresolved = 0;
  const suggest = makeSuggester(keys);
  const hasIncoming = new Uint8Array(keys.length);
  for (const n of model.nodes) {
    if (nextIsOpaque(n)) { opaqueNext.add(n.key); unresolved++; }
    for (const e of n.next) {
      const to = e.to?.value;
      if (to === undefined) { unresolved++; continue; }
      if (indexOf.has(to)) {
        incoming.get(to)!.push(e);
        target.set(e, to);
        hasIncoming[indexOf.get(to)!] = 1;
        continue;
      }
      const s = suggest(to);
      dangling.set(e, s);
      if (s === undefined) { unresolved++; continue; }
      target.set(e, s);
      hasIncoming[indexOf.get(s)!] = 1;
    }
  }
  const roots = keys.filter((_, i) => !hasIncoming[i]);
  let entry: string | undefined;
  let entryProblem: Graph['entryProblem'];
  if (model.entry) {
    if (indexOf.has(model.entry.value)) entry = model.entry.value;
    else entryProblem = 'unknown';
  } else if (roots.length === 1) entry = roots[0];
  else if (model.nodes.length > 0) entryProblem = roots.length === 0 ? 'none' : 'several';
  const g: Graph = { entry, entryProblem, roots, out, incoming, reachable: new Set(), keys, indexOf, target, dangling, unresolved, opaqueNext };
  if (entry) for (const i of reachableFrom(g, [indexOf.get(entry)!])) g.reachable.add(keys[i]);
  return g;
}

/** Successor indexes of every node (through `target`, so a misspelled `to` counts as meant). */
export function successors(g: Graph, include: (e: EdgeDecl) => boolean = () => true): number[][] {
  return g.keys.map((k) => {
    const list: number[] = [];
    for (const e of g.out.get(k) ?? []) {
      const t = g.target.get(e);
      if (t !== undefined && include(e)) list.push(g.indexOf.get(t)!);
    }
    return list;
  });
}

/** Indexes reachable from the starts, iteratively. */
export function reachableFrom(g: Graph, starts: number[], succ: number[][] = successors(g)): Set<number> {
  const seen = new Set<number>();
  const stack = [...starts];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const j of succ[i]) if (!seen.has(j)) stack.push(j);
  }
  return seen;
}

/**
 * Tarjan's strongly connected components, iterative (10,000-node chains do not overflow the stack).
 * Only nodes with `keep(i)` take part; edges to others are ignored. comp[i] = -1 for dropped nodes.
 * Components are numbered in reverse topological order (a component's successors come first).
 */
export function stronglyConnected(succ: number[][], keep: (i: number) => boolean = () => true): { comp: Int32Array; count: number } {
  const n = succ.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const work: { v: number; k: number }[] = [];
  let counter = 0, count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || !keep(s)) continue;
    work.push({ v: s, k: 0 });
    index[s] = low[s] = counter++; stack.push(s); onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const { v } = top;
      if (top.k < succ[v].length) {
        const w = succ[v][top.k++];
        if (!keep(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++; stack.push(w); onStack[w] = 1;
          work.push({ v: w, k: 0 });
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      work.pop();
      if (work.length) { const p = work[work.length - 1].v; if (low[v] < low[p]) low[p] = low[v]; }
      if (low[v] === index[v]) {
        let w: number;
        do { w = stack.pop()!; onStack[w] = 0; comp[w] = count; } while (w !== v);
        count++;
      }
    }
  }
  return { comp, count };
}

/** Nodes that matter for "leads get stuck" rules: reachable from the entry, else from any root, else all. */
export function relevantNodes(g: Graph, succ: number[][]): Set<number> {
  if (g.entry !== undefined) return reachableFrom(g, [g.indexOf.get(g.entry)!], succ);
  if (g.roots.length) return reachableFrom(g, g.roots.map((r) => g.indexOf.get(r)!), succ);
  return new Set(g.keys.map((_, i) => i));
}
