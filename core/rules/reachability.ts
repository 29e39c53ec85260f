// WF116 (unreachable nodes), WF119 (leads that can never finish), WF120 (re-dial loops without a
// wait). All linear: one pass of iterative Tarjan per rule, no recursion. Their findings name nodes
// by index, never by place, so an incremental step whose graph kept its structure (core/graph.ts
// patchGraph hands back the same Graph object) reuses them and only places them again.
import type { Diagnostic } from '../diagnostic';
import { relevantNodes, stronglyConnected, successors } from '../graph';
import { type NodeDecl } from '../model';
import { TERMINAL_TYPES } from '../vocabulary';
import type { RuleContext } from './context';
import { deadEdges } from './edges';
import { hasDuplicateNodeKeys } from './skip';
import { knownType } from '../vocabulary';
import { quoteList } from '../strings';
import { report } from './report';

/** A diagnostic of this family before it is placed: at a node's key, related notes at other nodes' keys. */
interface Finding {
  code: 'WF116' | 'WF119' | 'WF120';
  message: string;
  node: number;
  related?: { message: string; node: number }[];
  data: Record<string, unknown>;
}

/** Members of each component, in file order. */
function members(comp: Int32Array, count: number): number[][] {
  const m: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < comp.length; i++) if (comp[i] >= 0) m[comp[i]].push(i);
  return m;
}

function wf116(ctx: RuleContext, succ: number[][], out: Finding[]): void {
  const g = ctx.graph;
  // Without an entry WF117 (or WF110) speaks; with an unreadable edge any node may be its target.
  if (g.entry === undefined || g.unresolved > 0) return;
  const n = g.keys.length;
  const unreachable = (i: number) => !g.reachable.has(g.keys[i]);
  const { comp, count } = stronglyConnected(succ, unreachable);
  const entered = new Uint8Array(count);
  for (let i = 0; i < n; i++) {
    if (!unreachable(i)) continue;
    for (const j of succ[i]) if (comp[j] >= 0 && comp[j] !== comp[i]) entered[comp[j]] = 1;
  }
  // One warning per unreachable region, on its first node: what only it leads to is unreachable because of it.
  for (const m of members(comp, count)) {
    if (m.length === 0 || entered[comp[m[0]]]) continue;
    const node = ctx.model.nodes[m[0]];
    const below =
      m.length > 1
        ? ` (nor can ${quoteList(
            m.slice(1).map((i) => g.keys[i]),
            4,
          )}, in a loop with it)`
        : '';
    out.push({
      code: 'WF116',
      message: `node "${node.key}" cannot be reached from the entry node "${g.entry}"${below}: no lead ever gets here; connect it or remove it`,
      node: m[0],
      data: { node: node.key },
    });
  }
}

function wf119(ctx: RuleContext, succ: number[][], relevant: Set<number>, out: Finding[]): void {
  const g = ctx.graph;
  const nodes = ctx.model.nodes;
  const n = nodes.length;
  // Nodes that may finish: terminals, and every node another rule already reports as incomplete
  // (unknown type, no edge, an unreadable edge), so that one mistake is not reported twice.
  const canFinish = new Uint8Array(n);
  const pred: number[][] = Array.from({ length: n }, () => []);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    const t = knownType(node);
    const seed =
      !t ||
      TERMINAL_TYPES.has(t) ||
      node.next.length === 0 ||
      g.opaqueNext.has(node.key) ||
      node.next.some((e) => !g.target.has(e));
    if (seed) {
      canFinish[i] = 1;
      queue.push(i);
      continue;
    }
    for (const j of succ[i]) pred[j].push(i);
  }
  while (queue.length) {
    const j = queue.pop()!;
    for (const i of pred[j])
      if (!canFinish[i]) {
        canFinish[i] = 1;
        queue.push(i);
      }
  }
  const trapped = (i: number) => !canFinish[i];
  const { comp, count } = stronglyConnected(succ, trapped);
  const exits = new Uint8Array(count);
  for (let i = 0; i < n; i++) if (trapped(i)) for (const j of succ[i]) if (comp[j] !== comp[i]) exits[comp[i]] = 1;
  // Report each trap where leads circle forever (a sink component); the nodes leading into it are fixed with it.
  for (const m of members(comp, count)) {
    if (m.length === 0 || exits[comp[m[0]]] || !m.some((i) => relevant.has(i))) continue;
    const node = nodes[m[0]];
    const keys = m.map((i) => g.keys[i]);
    const message =
      m.length === 1
        ? `leads that reach "${node.key}" never finish: its edges lead only back to itself, so no terminal node (CONVERTED or DROPPED) can be reached; add an edge to a terminal node`
        : `leads that reach "${node.key}" never finish: ${quoteList(keys, 6)} route only among themselves, so no terminal node (CONVERTED or DROPPED) can be reached; add an edge from one of them to a terminal node`;
    out.push({
      code: 'WF119',
      message,
      node: m[0],
      related: m.slice(1, 20).map((i) => ({ message: `"${g.keys[i]}" is in the same loop`, node: i })),
      data: { nodes: keys },
    });
  }
}

function wf120(ctx: RuleContext, relevant: Set<number>, out: Finding[]): void {
  const g = ctx.graph;
  const nodes = ctx.model.nodes;
  // Only edges that can fire and whose target is certain; TIME nodes, terminals and untyped nodes are left out
  // (an untyped node might be a TIME node with a typo, WF002 says which).
  const inLoop = (node: NodeDecl) => {
    const t = knownType(node);
    return t === 'VOICE_CALL' || t === 'CONDITIONAL' || t === 'APPLICATION';
  };
  const succ: number[][] = nodes.map((node) => {
    if (!inLoop(node)) return [];
    const dead = deadEdges(node);
    const list: number[] = [];
    for (const e of node.next) {
      if (dead.has(e) || g.dangling.has(e)) continue;
      const t = g.target.get(e);
      if (t !== undefined) list.push(g.indexOf.get(t)!);
    }
    return list;
  });
  const keep = (i: number) => inLoop(nodes[i]);
  const { comp, count } = stronglyConnected(succ, keep);
  for (const m of members(comp, count)) {
    if (m.length === 0) continue;
    const cyclic = m.length > 1 || succ[m[0]].includes(m[0]);
    const call = m.find((i) => knownType(nodes[i]) === 'VOICE_CALL');
    if (!cyclic || call === undefined || !relevant.has(call)) continue;
    const cycle = cycleThrough(call, succ, comp);
    const path = cycle.map((i) => `"${g.keys[i]}"`).join(' → ');
    out.push({
      code: 'WF120',
      message: `leads would be re-dialled at once, again and again: the loop ${path} passes through no TIME node; add a TIME node (a wait) on the way back to "${g.keys[call]}"`,
      node: call,
      data: { node: g.keys[call], cycle: cycle.map((i) => g.keys[i]) },
    });
  }
}

/** A shortest cycle from `v` back to itself inside v's component (BFS), as node indexes v … v. */
function cycleThrough(v: number, succ: number[][], comp: Int32Array): number[] {
  const parent = new Map<number, number>();
  const queue = [v];
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi];
    for (const w of succ[u]) {
      if (comp[w] !== comp[v]) continue;
      if (w === v) {
        const path = [v];
        for (let x = u; x !== v; x = parent.get(x)!) path.push(x);
        path.push(v);
        return [path[0], ...path.slice(1, -1).reverse(), v];
      }
      if (!parent.has(w)) {
        parent.set(w, u);
        queue.push(w);
      }
    }
  }
  return [v, v];
}

/** The findings last computed on a graph, and whether the file repeated a node key then (WF116/WF119 stay silent). */
const found = new WeakMap<object, { duplicates: boolean; findings: Finding[] }>();

function findings(ctx: RuleContext): Finding[] {
  const duplicates = hasDuplicateNodeKeys(ctx);
  const cached = found.get(ctx.graph);
  if (cached && cached.duplicates === duplicates) return cached.findings;
  const out: Finding[] = [];
  const succ = successors(ctx.graph);
  const relevant = relevantNodes(ctx.graph, succ);
  if (!duplicates) {
    wf116(ctx, succ, out);
    wf119(ctx, succ, relevant, out);
  }
  wf120(ctx, relevant, out);
  found.set(ctx.graph, { duplicates, findings: out });
  return out;
}

export function reachabilityRules(ctx: RuleContext): Diagnostic[] {
  const nodes = ctx.model.nodes;
  return findings(ctx).map((f) =>
    report(ctx, f.code, f.message, nodes[f.node].keySpan, {
      related: f.related?.map((r) => ({ message: r.message, span: nodes[r.node].keySpan })),
      data: f.data,
    }),
  );
}
