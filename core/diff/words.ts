// The sentences every renderer shares, so text, markdown and the editor say the same thing.
import { fieldName, outcomeText, showValue } from './values';
import type { EdgeChange, FieldChange, NodeDiff, RouteChange } from './types';

/** `on DNP now goes to X instead of Y`, `any other outcome now goes nowhere (went to Y)`. */
export function routeSentence(r: RouteChange): string {
  const what = r.only ? 'next step' : outcomeText(r.on);
  let s: string;
  if (r.old !== undefined && r.new !== undefined) s = `${what} now goes to ${r.new} instead of ${r.old}`;
  else if (r.new !== undefined) s = `${what} now goes to ${r.new} (went nowhere before)`;
  else s = `${what} now goes nowhere (went to ${r.old})`;
  return r.byReorder ? `${s}: edges reordered, routing is first match` : s;
}

/** `delay_hours 48 → 72`, `+ label Lost`, `- cc sales@x`. */
export function fieldSentence(f: FieldChange): string {
  const name = fieldName(f.path);
  if (!('old' in f)) return `${name} added: ${showValue(f.new)}`;
  if (!('new' in f)) return `${name} removed (was ${showValue(f.old)})`;
  return `${name} ${showValue(f.old)} → ${showValue(f.new)}`;
}

/**
 * Edge changes no route change explains (an edge an earlier one shadows, or one that duplicates
 * where the outcome went anyway): shown so no edit goes unmentioned.
 */
export function silentEdgeSentences(n: NodeDiff): string[] {
  const explained = (e: EdgeChange) => n.routes.some((r) => r.on === e.edge.on);
  return n.edges
    .filter((e) => !explained(e))
    .map((e) => `edge #${e.index + 1} ${e.kind} (${outcomeText(e.edge.on)} → ${e.edge.to}): changes no routing`);
}

export function statusWord(n: NodeDiff): string {
  return n.status === 'renamed' ? `renamed from ${n.from}` : n.status;
}
