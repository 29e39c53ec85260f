// Building a rule's diagnostic: severity from the catalogue, ranges from spans, fixes kept only
// when every edit could be computed.
import type { Diagnostic, Fix, RelatedInfo, Severity, Span } from '../diagnostic';
import type { Source } from '../fixes';
import { SEVERITY } from './catalogue';
import type { RuleContext } from './context';

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

/** A fix, or undefined when one of its edits could not be computed (a partial fix would break the file). */
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

/** The text and line index the fix builders of core/fixes.ts work on. */
export function src(ctx: RuleContext): Source {
  return { text: ctx.text, lines: ctx.lines };
}

/** 1-based line of a span's start, for messages that point at another place ("the edge on line 12"). */
export function lineOf(ctx: RuleContext, span: Span): number {
  return ctx.lines.position(span.start).line + 1;
}
