// The workflow as a directed graph: entry node, ordered out-edges, in-edges, reachability, and the
// linear-time helpers (iterative, no recursion) the graph rules share.
import { type EdgeDecl, type NodeDecl, type WorkflowModel } from './model';
import { NODE_TYPES, TERMINAL_TYPES } from './vocabulary';
import { labelUncertain, nextIsOpaque } from './rules/skip';
import { makeSuggester } from './typo';

const TYPES: ReadonlySet<string> = new Set(NODE_TYPES);

export interface Graph {
  /** The entry node key, when one can be determined (WF117 reports when not). */
  entry?: string;
  /** Why no entry could be determined ('unknown': `entry:` names no node, WF110 reports it). */
  entryProblem?: 'none' | 'several' | 'unknown';
  /** Nodes with no incoming edge, in file order (an edge to a misspelled key counts for the key it resembles; a node's edge to itself does not count). */
  roots: string[];
  /** The roots that could be where leads start: a terminal node never is (an orphan terminal is WF116). */
  entryCandidates: string[];
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

export function buildGraph(model: WorkflowModel): Graph {
  const out = new Map<string, EdgeDecl[]>();
  const incoming = new Map<string, EdgeDecl[]>();
  const keys = model.nodes.map((n) => n.key);
  const indexOf = new Map<string, number>();
  keys.forEach((k, i) => indexOf.set(k, i));
  for (const n of model.nodes) {
    out.set(n.key, n.next);
    incoming.set(n.key, []);
  }
  const target = new Map<EdgeDecl, string>();
  const dangling = new Map<EdgeDecl, string | undefined>();
  const opaqueNext = new Set<string>();
  let unresolved = 0;
  const suggest = makeSuggester(keys);
  // Incoming edges counted twice: from any node, and from non-terminal nodes only (an edge out of a
  // terminal never fires, WF112). A node's edge to itself (a retry) never makes it "entered".
  const hasIncoming = new Uint8Array(keys.length);
  const hasLiveIncoming = new Uint8Array(keys.length);
  const mark = (from: NodeDecl, to: string) => {
    if (to === from.key) return;
    const i = indexOf.get(to)!;
    hasIncoming[i] = 1;
    if (!TERMINAL_TYPES.has(from.type?.value ?? '')) hasLiveIncoming[i] = 1;
  };
  for (const n of model.nodes) {
    if (nextIsOpaque(n)) {
      opaqueNext.add(n.key);
      unresolved++;
    }
    for (const e of n.next) {
      const to = e.to?.value;
      if (to === undefined) {
        unresolved++;
        continue;
      }
      if (indexOf.has(to)) {
        incoming.get(to)!.push(e);
        target.set(e, to);
        mark(n, to);
        continue;
      }
      const s = suggest(to);
      dangling.set(e, s);
      if (s === undefined) {
        unresolved++;
        continue;
      }
      target.set(e, s);
      mark(n, s);
    }
  }
  const roots = keys.filter((_, i) => !hasIncoming[i]);
  // Leads start at a typed, non-terminal node; a node whose type WF002 rejects is a candidate only when
  // no typed one is (it may be a misspelled DROPPED as well as a misspelled VOICE_CALL).
  const typeOf = (k: string) => model.nodeByKey.get(k)!.type?.value ?? '';
  const startable = (list: string[]) => {
    const typed = list.filter((k) => TYPES.has(typeOf(k)) && !TERMINAL_TYPES.has(typeOf(k)));
    return typed.length ? typed : list.filter((k) => !TYPES.has(typeOf(k)));
  };
  const live = startable(keys.filter((_, i) => !hasLiveIncoming[i]));
  const written = startable(roots);
  // The platform's view (edges that can fire) decides; the file as written breaks a tie.
  const entryCandidates = live.length !== 1 && written.length === 1 ? written : live;
  let entry: string | undefined;
  let entryProblem: Graph['entryProblem'];
  if (model.entry) {
    if (indexOf.has(model.entry.value)) entry = model.entry.value;
    else entryProblem = 'unknown';
  } else if (entryCandidates.length === 1) entry = entryCandidates[0];
  else if (model.nodes.every((n) => TERMINAL_TYPES.has(n.type?.value ?? ''))) {
    // Only terminal nodes (a placeholder workflow): nothing routes, so no entry is needed; one node is it.
    if (roots.length === 1) entry = roots[0];
  } else entryProblem = entryCandidates.length === 0 ? 'none' : 'several';
  const g: Graph = {
    entry,
    entryProblem,
    roots,
    entryCandidates,
    out,
    incoming,
    reachable: new Set(),
    keys,
    indexOf,
    target,
    dangling,
    unresolved,
    opaqueNext,
  };
  if (entry) for (const i of reachableFrom(g, [indexOf.get(entry)!])) g.reachable.add(keys[i]);
  return g;
}

/**
 * Everything the graph, and the graph-wide rules (core/rules/reachability.ts), read from one node:
 * its key, its type, whether its \`next\` is readable, and each edge's target, label and whether the
 * label can be read. Two models whose nodes have equal signatures, in the same order and with the
 * same \`entry:\`, have the same graph up to the edge objects.
 */
export function graphSignature(n: NodeDecl): string {
  let s = `${n.key}\u0000${n.type?.value ?? '\u0001'}\u0000${nextIsOpaque(n) ? 1 : 0}`;
  for (const e of n.next)
    s += `\u0000${e.to?.value ?? '\u0001'}\u0002${e.on?.value ?? '\u0001'}\u0002${labelUncertain(n, e) ? 1 : 0}`;
  return s;
}

/**
 * The graph of \`model\` made from \`prev\`, the graph of \`prevModel\` (an earlier model of the same
 * document whose untouched node declarations \`model\` shares, core/incremental.ts), when the edit
 * left the structure alone: the same node keys in the same order, the same \`entry:\`, and every
 * redeclared node with its old signature (a label or config edit). Then only the redeclared
 * nodes' edge objects are swapped into \`prev\`, in place (the previous analysis is not used after
 * an incremental step), and \`prev\` is returned; it equals \`buildGraph(model)\`. Otherwise
 * undefined: build it afresh.
 */
export function patchGraph(prev: Graph, prevModel: WorkflowModel, model: WorkflowModel): Graph | undefined {
  const nodes = model.nodes;
  const old = prevModel.nodes;
  if (nodes.length !== old.length || model.entry?.value !== prevModel.entry?.value) return undefined;
  const swapped: [NodeDecl, NodeDecl][] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i] === old[i]) continue;
    if (nodes[i].key !== old[i].key || graphSignature(nodes[i]) !== graphSignature(old[i])) return undefined;
    swapped.push([old[i], nodes[i]]);
  }
  let dangling = false;
  for (const [was, now] of swapped) {
    prev.out.set(now.key, now.next);
    for (let j = 0; j < now.next.length; j++) {
      const eo = was.next[j],
        en = now.next[j];
      const t = prev.target.get(eo);
      if (t !== undefined) {
        prev.target.delete(eo);
        prev.target.set(en, t);
      }
      const list = eo.to ? prev.incoming.get(eo.to.value) : undefined;
      const at = list ? list.indexOf(eo) : -1;
      if (at >= 0) list![at] = en;
      if (prev.dangling.has(eo)) dangling = true;
    }
  }
  if (dangling) {
    // Rebuilt in file order: WF110 reports walk it.
    const map = new Map<EdgeDecl, EdgeDecl>();
    for (const [was, now] of swapped) was.next.forEach((e, j) => map.set(e, now.next[j]));
    const next = new Map<EdgeDecl, string | undefined>();
    for (const [e, s] of prev.dangling) next.set(map.get(e) ?? e, s);
    prev.dangling = next;
  }
  return prev;
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
export function stronglyConnected(
  succ: number[][],
  keep: (i: number) => boolean = () => true,
): { comp: Int32Array; count: number } {
  const n = succ.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const work: { v: number; k: number }[] = [];
  let counter = 0,
    count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || !keep(s)) continue;
    work.push({ v: s, k: 0 });
    index[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const { v } = top;
      if (top.k < succ[v].length) {
        const w = succ[v][top.k++];
        if (!keep(w)) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, k: 0 });
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      work.pop();
      if (work.length) {
        const p = work[work.length - 1].v;
        if (low[v] < low[p]) low[p] = low[v];
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
    }
  }
  return { comp, count };
}

/** Nodes that matter for "leads get stuck" rules: reachable from the entry, else from any root, else all. */
export function relevantNodes(g: Graph, succ: number[][]): Set<number> {
  if (g.entry !== undefined) return reachableFrom(g, [g.indexOf.get(g.entry)!], succ);
  if (g.entryCandidates.length)
    return reachableFrom(
      g,
      g.entryCandidates.map((r) => g.indexOf.get(r)!),
      succ,
    );
  return new Set(g.keys.map((_, i) => i));
}
