// Small helpers every rule family shares: severities, diagnostics from spans, node facts.
import type { Document } from 'yaml';
import { isMap, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq, type Node as YNode } from 'yaml';
import type { Diagnostic, Fix, RelatedInfo, Severity, Span } from '../diagnostic';
import { contentEnd, nodeSpan, pairOf, type Source } from '../fixes';
import { NODE_TYPES, keyText, resolveNode, type EdgeDecl, type NodeDecl } from '../model';
import { closestName } from '../graph';
import type { RuleContext } from '../validate';

/** Severities exactly as rules.md lists them (WF114 depends on the node type, see outcomes.ts). */
export const SEVERITY: Readonly<Record<string, Severity>> = {
  WF101: 'error',
  WF102: 'error',
  WF103: 'error',
  WF104: 'error',
  WF105: 'error',
  WF110: 'error',
  WF111: 'error',
  WF112: 'error',
  WF113: 'error',
  WF114: 'error',
  WF115: 'warning',
  WF116: 'warning',
  WF117: 'error',
  WF118: 'warning',
  WF119: 'warning',
  WF120: 'warning',
  WF121: 'error',
  WF122: 'error',
  WF123: 'error',
  WF124: 'info',
  WF125: 'warning',
  WF201: 'error',
  WF202: 'error',
  WF203: 'error',
  WF204: 'warning',
};

export interface Extra {
  severity?: Severity;
  related?: { message: string; span: Span }[];
  fixes?: (Fix | undefined)[];
  data?: Record<string, unknown>;
}

export function report(ctx: RuleContext, code: string, message: string, span: Span, extra: Extra = {}): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? SEVERITY[code], message, range: ctx.lines.range(span) };
  if (extra.related?.length)
    d.related = extra.related.map((r): RelatedInfo => ({ message: r.message, range: ctx.lines.range(r.span) }));
  const fixes = (extra.fixes ?? []).filter((f): f is Fix => !!f && f.edits.length > 0);
  if (fixes.length) d.fixes = fixes;
  if (extra.data) d.data = extra.data;
  return d;
}

export function fix(
  title: string,
  edits: ({ range: unknown; newText: string } | undefined)[],
  isPreferred?: boolean,
): Fix | undefined {
  if (edits.some((e) => !e)) return undefined;
  const f: Fix = { title, edits: edits as Fix['edits'] };
  if (isPreferred) f.isPreferred = true;
  return f;
}

export function src(ctx: RuleContext): Source {
  return { text: ctx.text, lines: ctx.lines };
}

/** The node's type when it is one of the six; undefined otherwise (WF002 reports it; type rules skip the node). */
const TYPE_SET: ReadonlySet<string> = new Set(NODE_TYPES);
export function knownType(n: NodeDecl): string | undefined {
  const t = n.type?.value;
  return t !== undefined && TYPE_SET.has(t) ? t : undefined;
}

export function keySpanOf(p: Pair<unknown, unknown> | undefined): Span | undefined {
  const r = (p?.key as YNode | null | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export function valueSpanOf(p: Pair<unknown, unknown> | undefined): Span | undefined {
  const v = p?.value as YNode | null | undefined;
  const r = v?.range;
  if (!r || r[0] === r[1]) return undefined;
  return { start: r[0], end: contentEnd(v) ?? r[1] };
}

export function nodePair(n: NodeDecl, key: string): Pair<unknown, unknown> | undefined {
  return pairOf(n.node, key);
}

export function configMap(ctx: RuleContext, n: NodeDecl): YAMLMap | undefined {
  const v = resolveNode(ctx.doc as Document, nodePair(n, 'config')?.value);
  return isMap(v) ? v : undefined;
}

/**
 * True when the mapping has a key that is not `wanted` but resembles it (`agentid`, `nexts`):
 * WF002 already names that typo, so a rule about `wanted` missing would report the same mistake twice.
 */
/** Every field name of the format: never a misspelling of another one. */
const FORMAT_FIELDS: ReadonlySet<string> = new Set([
  'version',
  'title',
  'description',
  'variables',
  'leads',
  'settings',
  'entry',
  'nodes',
  'max_concurrent_calls',
  'type',
  'label',
  'position',
  'config',
  'next',
  'to',
  'on',
  'x',
  'y',
  'agent_id',
  'from_phone_number',
  'delay_hours',
  'time_source',
  'pca_field',
  'logic',
  'conditions',
  'condition_field',
  'branches',
  'field',
  'operator',
  'value',
  'provider_key',
  'adapter_key',
  'action_key',
  'function_key',
  'action_config',
]);

export function hasNearMissKey(map: YAMLMap | undefined, wanted: string): boolean {
  if (!map) return false;
  for (const p of map.items) {
    const k = keyText(p as Pair<unknown, unknown>);
    if (k === undefined || FORMAT_FIELDS.has(k) || k.startsWith('x-')) continue;
    if (closestName(k, [wanted]) === wanted) return true;
  }
  return false;
}

export function topMap(ctx: RuleContext): YAMLMap | undefined {
  return isMap(ctx.doc.contents) ? (ctx.doc.contents as YAMLMap) : undefined;
}

export function quoteList(xs: readonly string[], max = 6): string {
  const q = xs.slice(0, max).map((x) => `"${x}"`);
  if (xs.length > max) q.push(`and ${xs.length - max} more`);
  return q.join(', ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
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

export function lineOf(ctx: RuleContext, span: Span): number {
  return ctx.lines.position(span.start).line + 1;
}

/**
 * True when `nodes` repeats a key (WF003): the model keeps the first, so the edges of the others are
 * invisible and "unreachable" or "no entry" would be guesses.
 */
export function hasDuplicateNodeKeys(ctx: RuleContext): boolean {
  return duplicatedNodeKeys(ctx).size > 0;
}

const dupCache = new WeakMap<object, Set<string>>();
/** Node keys `nodes` holds more than once; per-node rules skip them (which definition is meant is unknown). */
export function duplicatedNodeKeys(ctx: RuleContext): Set<string> {
  const cached = dupCache.get(ctx.model);
  if (cached) return cached;
  const out = new Set<string>();
  const v = topMap(ctx)?.items.find((p) => keyText(p as Pair<unknown, unknown>) === 'nodes')?.value;
  if (isMap(v) && v.items.length > ctx.model.nodes.length) {
    const seen = new Set<string>();
    for (const p of v.items) {
      const k = keyText(p as Pair<unknown, unknown>);
      if (k === undefined) continue;
      if (seen.has(k)) out.add(k);
      else seen.add(k);
    }
  }
  dupCache.set(ctx.model, out);
  return out;
}

const NODE_FIELD_SET: ReadonlySet<string> = new Set(['type', 'label', 'position', 'config', 'next']);

/**
 * True when a node has no `config` but an unknown field that may be it (resembles `config`, or holds
 * a mapping): WF002 names that field, and "no agent"/"no wait" would repeat the same mistake.
 */
export function configMisplaced(n: NodeDecl): boolean {
  if (!n.node || nodePair(n, 'config')) return false;
  return n.node.items.some((p) => {
    const k = keyText(p as Pair<unknown, unknown>);
    if (k === undefined || NODE_FIELD_SET.has(k) || k.startsWith('x-')) return false;
    return isMap((p as Pair<unknown, unknown>).value) || closestName(k, ['config']) === 'config';
  });
}

/**
 * True when an edge's label cannot be read: an unknown field beside `to` (`label:`, `outcome:`,
 * WF002 names it) or an `on` that is not a plain value. Label rules leave such an edge alone.
 */
const uncertain = new WeakMap<EdgeDecl, boolean>();
export function labelUncertain(n: NodeDecl, e: EdgeDecl): boolean {
  let r = uncertain.get(e);
  if (r === undefined) {
    r = computeLabelUncertain(n, e);
    uncertain.set(e, r);
  }
  return r;
}
function computeLabelUncertain(n: NodeDecl, e: EdgeDecl): boolean {
  const item = edgeItem(n, e.index);
  if (!isMap(item)) return true;
  for (const p of item.items) {
    const k = keyText(p as Pair<unknown, unknown>);
    if (k === 'on') {
      const v = (p as Pair<unknown, unknown>).value;
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') return true;
    } else if (k !== 'to' && !(k ?? '').startsWith('x-')) return true;
  }
  return false;
}
