// "One mistake, one diagnostic": when a rule would report a consequence of a mistake another code
// already names (a misspelled field is WF002, a repeated node key WF003, …), it stays silent. Each
// predicate here is one such case; a family asks before reporting.
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { EdgeDecl, NodeDecl } from '../model';
import { closestName } from '../typo';
import { FORMAT_FIELDS, NODE_FIELD_SET } from '../vocabulary';
import { edgeItem, keyText, nodePair, topMap } from '../yaml-access';
import type { RuleContext } from './context';

/**
 * True when the mapping has a key that is not `wanted` but resembles it (`agentid`, `nexts`):
 * WF002 already names that typo, so a rule about `wanted` missing would report the same mistake twice.
 */
export function hasNearMissKey(map: YAMLMap | undefined, wanted: string): boolean {
  if (!map) return false;
  for (const p of map.items) {
    const k = keyText(p as Pair<unknown, unknown>);
    if (k === undefined || FORMAT_FIELDS.has(k) || k.startsWith('x-')) continue;
    if (closestName(k, [wanted]) === wanted) return true;
  }
  return false;
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
  const v = topMap(ctx.doc)?.items.find((p) => keyText(p as Pair<unknown, unknown>) === 'nodes')?.value;
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

/**
 * True when a node's edges cannot be read: `next` is not a list (WF002), or there is no `next` but an
 * unknown field that resembles it or holds a list (`nexts:`, `edges:`), which WF002 names.
 */
export function nextIsOpaque(n: NodeDecl): boolean {
  if (!n.node) return false;
  if (!n.nextKeySpan) {
    return n.node.items.some((it) => {
      const k = keyText(it as never);
      if (k === undefined || NODE_FIELD_SET.has(k) || k.startsWith('x-')) return false;
      return isSeq((it as { value?: unknown }).value) || closestName(k, ['next']) === 'next';
    });
  }
  const p = n.node.items.find((it) => keyText(it as never) === 'next');
  // `next:` with no value is WF002 (not a list) too: either way the author's edges are not readable.
  return !isSeq(p?.value);
}
