// Reading the YAML tree: spans, keys, scalars, aliases (resolved through one map per document, so a
// file of many aliases costs one walk, not one walk per alias), and the workflow-shaped accessors
// the rules share (a node's `config`, its `next` items, an edge's `to`/`on`).
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
  type Node as YNode,
} from 'yaml';
import type { Span } from './diagnostic';
import type { EdgeDecl, NodeDecl } from './model';

export function spanOf(n: YNode | null | undefined): Span | undefined {
  const r = n?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/**
 * Each alias of a document and the node it stands for: the last node before it with that anchor
 * (YAML's rule, as `Alias.resolve` applies it). Built by one walk on first use. A document is
 * never changed after an alias has been resolved in it (core/incremental.ts only splices
 * documents that hold no alias or anchor).
 */
const aliasTargets = new WeakMap<Document, Map<Alias, YNode | undefined>>();

function targetsOf(doc: Document): Map<Alias, YNode | undefined> {
  let map = aliasTargets.get(doc);
  if (map) return map;
  const found = new Map<Alias, YNode | undefined>();
  const anchors = new Map<string, YNode>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) found.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  map = found;
  aliasTargets.set(doc, map);
  return map;
}

/** Counts alias look-ups and document walks, for the tests that prove parsing stays linear. */
export const ALIAS_WORK = { lookups: 0, walks: 0 };

/** The node an alias stands for, or undefined when no anchor of its name precedes it. */
export function resolveAlias(doc: Document, alias: Alias): YNode | undefined {
  ALIAS_WORK.lookups++;
  let map = aliasTargets.get(doc);
  if (!map) {
    ALIAS_WORK.walks++;
    map = targetsOf(doc);
  }
  return map.get(alias);
}

/** Follows aliases (a bounded number of hops: an alias may name an alias). */
export function resolveNode(doc: Document, n: unknown, depth = 0): unknown {
  let cur = n;
  while (isAlias(cur) && depth++ < 32) cur = resolveAlias(doc, cur);
  return cur;
}

/** A scalar's text the way the platform will see it: booleans and numbers as their source text. */
export function scalarText(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function pairs(doc: Document, map: unknown): Pair<unknown, unknown>[] {
  const m = resolveNode(doc, map);
  return isMap(m) ? (m.items as Pair<unknown, unknown>[]) : [];
}

export function keyText(p: Pair<unknown, unknown>): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

export function pairSpan(p: Pair<unknown, unknown>): Span | undefined {
  const ks = spanOf(p.key as YNode);
  const vs = spanOf(p.value as YNode);
  if (!ks) return vs;
  return { start: ks.start, end: vs ? Math.max(vs.end, ks.end) : ks.end };
}

export function pairOf(map: YAMLMap | undefined, key: string): Pair<unknown, unknown> | undefined {
  return map?.items.find((p) => keyText(p as Pair<unknown, unknown>) === key) as Pair<unknown, unknown> | undefined;
}

/** Where a node's own text ends: block collections' ranges run on over trailing newlines and comments. */
export function contentEnd(n: unknown): number | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const node = n as YNode;
  if (isCollection(node) && !node.flow) {
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i];
      if (isMap(node)) {
        const p = it as Pair<unknown, unknown>;
        const v = isNullScalar(p.value) ? undefined : contentEnd(p.value);
        const k = contentEnd(p.key);
        if (v !== undefined || k !== undefined) return Math.max(v ?? 0, k ?? 0);
      } else {
        const e = contentEnd(it);
        if (e !== undefined) return e;
      }
    }
    return node.range?.[0];
  }
  return node.range?.[1];
}

export function isNullScalar(v: unknown): boolean {
  return !v || (isScalar(v) && v.value === null && (!v.range || v.range[0] === v.range[1] || v.source === ''));
}

/** A node's span without trailing newlines/comments of block collections. */
export function nodeSpan(n: unknown): Span | undefined {
  const r = (n as YNode | null | undefined)?.range;
  if (!r) return undefined;
  return { start: r[0], end: contentEnd(n) ?? r[1] };
}

export function keySpanOf(p: Pair<unknown, unknown> | undefined): Span | undefined {
  const r = (p?.key as YNode | null | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** A pair's value span without trailing newlines/comments; undefined for an empty value. */
export function valueSpanOf(p: Pair<unknown, unknown> | undefined): Span | undefined {
  const v = p?.value as YNode | null | undefined;
  const r = v?.range;
  if (!r || r[0] === r[1]) return undefined;
  return { start: r[0], end: contentEnd(v) ?? r[1] };
}

// ---- The workflow's shape -------------------------------------------------------------------

/** The top-level mapping of a workflow document, when it is one. */
export function topMap(doc: Document): YAMLMap | undefined {
  return isMap(doc.contents) ? (doc.contents as YAMLMap) : undefined;
}

export function nodePair(n: NodeDecl, key: string): Pair<unknown, unknown> | undefined {
  return pairOf(n.node, key);
}

/** A node's `config` mapping (through an alias), when it is one. */
export function configMap(doc: Document, n: NodeDecl): YAMLMap | undefined {
  const v = resolveNode(doc, nodePair(n, 'config')?.value);
  return isMap(v) ? v : undefined;
}

/** The YAML item of a node's `next` list at `index` (undefined when `next` is not a plain list). */
export function edgeItem(n: NodeDecl, index: number): YNode | undefined {
  const v = nodePair(n, 'next')?.value;
  return isSeq(v) ? (v.items[index] as YNode | undefined) : undefined;
}

export function nextSeq(n: NodeDecl): YAMLSeq | undefined {
  const v = nodePair(n, 'next')?.value;
  return isSeq(v) ? v : undefined;
}

/** The edge item's own text: from its first key to the end of its last value (no trailing comment). */
export function edgeSpan(n: NodeDecl, e: EdgeDecl): Span {
  return nodeSpan(edgeItem(n, e.index)) ?? e.span;
}

/** The `to`/`on` scalar of an edge, to tell a string from a number or boolean. */
export function edgeValue(n: NodeDecl, e: EdgeDecl, key: 'to' | 'on'): unknown {
  const item = edgeItem(n, e.index);
  if (!isMap(item)) return undefined;
  const v = pairOf(item, key)?.value;
  return isScalar(v) ? v.value : v;
}
