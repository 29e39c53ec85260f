// Structure of a workflow file as LSP-shaped plain data: outline symbols (nodes with their type,
// edges beneath), folding ranges, selection ranges, semantic tokens and the link on `leads:`.
import { isMap, isPair, isSeq, type Node as YNode } from 'yaml';
import type { Range, Span } from './diagnostic';
import type { Analysis } from './validate';

/** LSP SymbolKind numbers used here. */
const KIND = { Module: 2, Class: 5, Field: 8, Function: 12, Variable: 13, Event: 24 } as const;

export interface SymbolInfo {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: SymbolInfo[];
}

export function documentSymbols(a: Analysis): SymbolInfo[] {
  const m = a.model;
  if (!m) return [];
  const L = a.parsed.lines;
  const out: SymbolInfo[] = [];
  for (const [k, v] of m.topKeys) {
    if (k === 'nodes') continue;
    const span = { start: v.keySpan.start, end: v.valueSpan?.end ?? v.keySpan.end };
    out.push({
      name: k,
      kind: k === 'variables' ? KIND.Variable : KIND.Field,
      range: L.range(span),
      selectionRange: L.range(v.keySpan),
    });
  }
  if (m.nodesKeySpan) {
    const nodes: SymbolInfo[] = m.nodes.map((n) => ({
      name: n.key,
      detail: [n.type?.value, n.label?.value].filter(Boolean).join(' · ') || undefined,
      kind: KIND.Class,
      range: L.range(n.span),
      selectionRange: L.range(n.keySpan),
      children: n.next.map((e) => ({
        name: `${e.on ? `${e.on.value} ` : ''}→ ${e.to?.value ?? '?'}`,
        kind: KIND.Event,
        range: L.range(e.span),
        selectionRange: L.range(e.to?.span ?? e.span),
      })),
    }));
    const span = { start: m.nodesKeySpan.start, end: m.nodesSpan?.end ?? m.nodesKeySpan.end };
    out.push({
      name: 'nodes',
      detail: `${m.nodes.length} nodes`,
      kind: KIND.Module,
      range: L.range(span),
      selectionRange: L.range(m.nodesKeySpan),
      children: nodes,
    });
  }
  return out.sort((x, y) => x.range.start.line - y.range.start.line);
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

/** One fold per multi-line block collection, plus runs of comment lines; works on broken text too. */
export function foldingRanges(a: Analysis): FoldingRange[] {
  const L = a.parsed.lines;
  const out: FoldingRange[] = [];
  const doc = a.parsed.doc;
  if (doc) {
    const walk = (n: unknown, startLine: number | undefined, depth: number): void => {
      if (depth > 40 || !n) return;
      if (isMap(n) || isSeq(n)) {
        const r = (n as YNode).range;
        if (r && startLine !== undefined) {
          const end = L.position(Math.max(r[0], r[1] - 1)).line;
          if (end > startLine) out.push({ startLine, endLine: end });
        }
        for (const item of n.items) {
          if (isPair(item)) {
            const kr = (item.key as YNode | null)?.range;
            walk(item.value, kr ? L.position(kr[0]).line : undefined, depth + 1);
          } else {
            const ir = (item as YNode | null)?.range;
            walk(item, ir ? L.position(ir[0]).line : undefined, depth + 1);
          }
        }
      }
    };
    walk(doc.contents, undefined, 0);
  }
  let run = -1;
  for (let i = 0; i <= L.lineCount; i++) {
    const isComment = i < L.lineCount && /^\s*#/.test(L.lineText(i));
    if (isComment && run < 0) run = i;
    if (!isComment && run >= 0) {
      if (i - 1 > run) out.push({ startLine: run, endLine: i - 1, kind: 'comment' });
      run = -1;
    }
  }
  return out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}

export interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

/** Innermost scalar, its `key: value` entry, the enclosing collection, … up to the document. */
export function selectionRange(a: Analysis, offset: number): SelectionRange {
  const L = a.parsed.lines;
  const spans: Span[] = [{ start: 0, end: a.parsed.text.length }];
  const push = (s: Span | undefined) => {
    if (s && s.end >= s.start && (spans[spans.length - 1].start !== s.start || spans[spans.length - 1].end !== s.end))
      spans.push(s);
  };
  const doc = a.parsed.doc;
  const walk = (n: unknown, depth: number): void => {
    if (depth > 40 || !n) return;
    const r = (n as YNode).range;
    if (!r || offset < r[0] || offset > r[1]) return;
    push({ start: r[0], end: r[1] });
    if (isMap(n)) {
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const kr = (p.key as YNode | null)?.range,
          vr = (p.value as YNode | null)?.range;
        const start = kr?.[0] ?? vr?.[0],
          end = vr?.[1] ?? kr?.[1];
        if (start === undefined || end === undefined || offset < start || offset > end) continue;
        push({ start, end });
        if (kr && offset <= kr[1]) {
          push({ start: kr[0], end: kr[1] });
          return;
        }
        walk(p.value, depth + 1);
        return;
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item, depth + 1);
    }
  };
  if (doc) walk(doc.contents, 0);
  let sel: SelectionRange | undefined;
  for (const s of spans) sel = { range: L.range(s), parent: sel };
  return sel!;
}

/** Token types in the order of the legend the server announces. */
export { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './semantic-legend';

/** Node keys (class + declaration), references (function), variables, edge labels, node types; LSP-encoded. */
export function semanticTokens(a: Analysis): number[] {
  const m = a.model;
  if (!m) return [];
  const toks: { span: Span; type: number; mod: number }[] = [];
  for (const n of m.nodes) {
    toks.push({ span: n.keySpan, type: 0, mod: 1 });
    if (n.type) toks.push({ span: n.type.span, type: 4, mod: 0 });
    for (const e of n.next) {
      if (e.on) toks.push({ span: e.on.span, type: 3, mod: 0 });
      if (e.to) toks.push({ span: e.to.span, type: 1, mod: 0 });
    }
  }
  if (m.entry) toks.push({ span: m.entry.span, type: 1, mod: 0 });
  for (const v of m.variables) toks.push({ span: v.span, type: 2, mod: 1 });
  for (const t of m.templates) toks.push({ span: t.span, type: 2, mod: 0 });
  toks.sort((x, y) => x.span.start - y.span.start);
  const L = a.parsed.lines;
  const data: number[] = [];
  let prevLine = 0,
    prevChar = 0,
    lastEnd = -1;
  for (const t of toks) {
    if (t.span.start < lastEnd) continue;
    const s = L.position(t.span.start),
      e = L.position(t.span.end);
    if (e.line !== s.line || e.character <= s.character) continue;
    data.push(
      s.line - prevLine,
      s.line === prevLine ? s.character - prevChar : s.character,
      e.character - s.character,
      t.type,
      t.mod,
    );
    prevLine = s.line;
    prevChar = s.character;
    lastEnd = t.span.end;
  }
  return data;
}

/** The `leads:` value as a link to the CSV, resolved by the caller against the file's folder. */
export function leadsLink(a: Analysis): { range: Range; path: string } | undefined {
  const l = a.model?.leads;
  if (!l) return undefined;
  const raw = a.parsed.text.slice(l.span.start, l.span.end);
  const at = raw.indexOf(l.value);
  const span = at >= 0 ? { start: l.span.start + at, end: l.span.start + at + l.value.length } : l.span;
  return { range: a.parsed.lines.range(span), path: l.value };
}
