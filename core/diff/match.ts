// Which old node is which new node. In order of certainty: the state file's platform ids (a node
// keeps its id through a rename once pushed), the same key, the same type/config/edges under
// another key, then a similarity score over key, label, config and edges, like git's `-M`.
import { deepEqual } from '../format';
import { editDistance } from '../typo';
import type { NodeData, Side } from './read';
import type { NodeIdentity, NodeDiff } from './types';

export interface Matching {
  /** Old key → new key for every node present on both sides. */
  toNew: Map<string, string>;
  /** New key → old key. */
  toOld: Map<string, string>;
  /** New key → how a rename was recognised. */
  how: Map<string, NonNullable<NodeDiff['renamedBy']>>;
}

/** Below this a removed and an added node stay a removal and an addition (git's default is 50%). */
export const RENAME_THRESHOLD = 0.5;
/** Pairs scored at most: beyond this (thousands of nodes renamed at once) only exact matches count. */
const MAX_SCORED_PAIRS = 250_000;

export function matchNodes(a: Side, b: Side, identity?: NodeIdentity): Matching {
  const m: Matching = { toNew: new Map(), toOld: new Map(), how: new Map() };
  const pair = (o: string, n: string, how?: NonNullable<NodeDiff['renamedBy']>) => {
    m.toNew.set(o, n);
    m.toOld.set(n, o);
    if (how && o !== n) m.how.set(n, how);
  };

  if (identity) {
    const byToken = new Map<string, string>();
    for (const [n, tokens] of identity.new) if (b.nodes.has(n)) for (const t of tokens) byToken.set(t, n);
    for (const [o, tokens] of identity.old) {
      if (!a.nodes.has(o)) continue;
      for (const t of tokens) {
        const n = byToken.get(t);
        if (n !== undefined && !m.toOld.has(n) && !m.toNew.has(o)) pair(o, n, { stateId: t });
      }
    }
  }
  for (const k of a.nodes.keys()) if (b.nodes.has(k) && !m.toNew.has(k) && !m.toOld.has(k)) pair(k, k);

  const freeOld = () => [...a.nodes.keys()].filter((k) => !m.toNew.has(k));
  const freeNew = () => [...b.nodes.keys()].filter((k) => !m.toOld.has(k));

  // Same type, config and edges under another key: a pure rename (only unambiguous pairs).
  for (let round = 0; round < 8; round++) {
    const olds = freeOld(),
      news = freeNew();
    if (!olds.length || !news.length || olds.length * news.length > MAX_SCORED_PAIRS) break;
    const same = (o: string, n: string) => sameShape(a.nodes.get(o)!, b.nodes.get(n)!, m.toNew);
    let found = false;
    for (const o of olds) {
      const hits = news.filter((n) => !m.toOld.has(n) && same(o, n));
      if (hits.length !== 1 || olds.filter((o2) => !m.toNew.has(o2) && same(o2, hits[0])).length !== 1) continue;
      pair(o, hits[0], { similarity: 1 });
      found = true;
    }
    if (!found) break;
  }

  // Renamed and edited: best-scoring pairs first (greedy, as git pairs renames); the nodes left over
  // are scored again, since the pairs found change what their neighbours' edges point at.
  for (let round = 0; round < 8; round++) {
    const olds = freeOld(),
      news = freeNew();
    if (!olds.length || !news.length || olds.length * news.length > MAX_SCORED_PAIRS) break;
    const incomingA = incomingOf(a),
      incomingB = incomingOf(b);
    const scored: { o: string; n: string; s: number }[] = [];
    for (const o of olds)
      for (const n of news) {
        const s = similarity(a.nodes.get(o)!, b.nodes.get(n)!, m.toNew, incomingA.get(o) ?? [], incomingB.get(n) ?? []);
        if (s >= RENAME_THRESHOLD) scored.push({ o, n, s });
      }
    if (!scored.length) break;
    // Stable order: score, then file order of the old and new node (sort is stable).
    scored.sort((x, y) => y.s - x.s);
    let found = false;
    for (const { o, n, s } of scored) {
      if (m.toNew.has(o) || m.toOld.has(n)) continue;
      pair(o, n, { similarity: Math.round(s * 100) / 100 });
      found = true;
    }
    if (!found) break;
  }
  return m;
}

function sameShape(x: NodeData, y: NodeData, toNew: Map<string, string>): boolean {
  if (x.type !== y.type || !deepEqual(x.config, y.config)) return false;
  const mapped = x.edges.map((e) => ({ ...e, to: e.to === x.key ? y.key : (toNew.get(e.to) ?? e.to) }));
  return deepEqual(mapped, y.edges);
}

/** Edge sources into each node, as `from|on` with the source key. */
function incomingOf(s: Side): Map<string, { from: string; on?: string }[]> {
  const inc = new Map<string, { from: string; on?: string }[]>();
  for (const n of s.nodes.values())
    for (const e of n.edges) {
      const list = inc.get(e.to) ?? [];
      list.push({ from: n.key, on: e.on });
      inc.set(e.to, list);
    }
  return inc;
}

function textSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  const len = Math.max(x.length, y.length);
  if (len > 400) return 0;
  return 1 - editDistance(x.toLowerCase(), y.toLowerCase()) / len;
}

/** Config leaves as path → value text. */
function leaves(v: unknown, path = '', out = new Map<string, string>(), depth = 0): Map<string, string> {
  if (depth > 16) return out;
  if (v && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (!entries.length && depth > 0) out.set(path, JSON.stringify(v));
    for (const [k, x] of entries) leaves(x, path ? `${path}.${k}` : k, out, depth + 1);
  } else out.set(path, JSON.stringify(v));
  return out;
}

/** Same path and value counts 1, same path with another value ½, over the union of paths. */
function configSimilarity(x?: Record<string, unknown>, y?: Record<string, unknown>): number | undefined {
  const lx = leaves(x ?? {}),
    ly = leaves(y ?? {});
  if (!lx.size && !ly.size) return undefined;
  let score = 0;
  const paths = new Set([...lx.keys(), ...ly.keys()]);
  for (const p of paths) if (lx.has(p) && ly.has(p)) score += lx.get(p) === ly.get(p) ? 1 : 0.5;
  return score / paths.size;
}

/** Dice coefficient of two multisets of strings; undefined when both are empty. */
function dice(x: string[], y: string[]): number | undefined {
  if (!x.length && !y.length) return undefined;
  const count = new Map<string, number>();
  for (const s of x) count.set(s, (count.get(s) ?? 0) + 1);
  let common = 0;
  for (const s of y) {
    const c = count.get(s) ?? 0;
    if (c > 0) {
      common++;
      count.set(s, c - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/**
 * 0..1: how likely `y` is `x` renamed and edited. Different types never match. Weights: config .4,
 * outgoing edges .25, incoming edges .15, key .1, label .1; a feature empty on both sides says
 * nothing and is left out of the weighting.
 */
export function similarity(
  x: NodeData,
  y: NodeData,
  toNew: Map<string, string>,
  inX: { from: string; on?: string }[],
  inY: { from: string; on?: string }[],
): number {
  if (x.type !== y.type) return 0;
  const parts: [number, number | undefined][] = [
    [0.1, textSimilarity(x.key, y.key)],
    [0.1, textSimilarity(x.label ?? x.key, y.label ?? y.key)],
    [0.4, configSimilarity(x.config, y.config)],
    [
      0.25,
      dice(
        x.edges.map((e) => `${e.on ?? ''}|${e.to === x.key ? y.key : (toNew.get(e.to) ?? e.to)}`),
        y.edges.map((e) => `${e.on ?? ''}|${e.to}`),
      ),
    ],
    [
      0.15,
      dice(
        inX.map((e) => `${e.on ?? ''}|${e.from === x.key ? y.key : (toNew.get(e.from) ?? e.from)}`),
        inY.map((e) => `${e.on ?? ''}|${e.from}`),
      ),
    ],
  ];
  let sum = 0,
    weight = 0;
  for (const [w, s] of parts)
    if (s !== undefined) {
      sum += w * s;
      weight += w;
    }
  return weight ? sum / weight : 0;
}
