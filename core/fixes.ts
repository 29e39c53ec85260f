// Text edits for quick fixes, computed from the YAML tree so that they respect the file's own
// layout: block or flow style, its indentation, its line endings. Each helper returns one TextEdit
// or undefined when the shape is too unusual to edit safely (then no fix is offered).
import { isMap, isSeq, type Pair, type YAMLMap, type YAMLSeq, type Node as YNode } from 'yaml';
import type { Span, TextEdit } from './diagnostic';
import { contentEnd, isNullScalar, keyText, pairOf } from './yaml-access';
import type { LineIndex } from './text';

export interface Source {
  text: string;
  lines: LineIndex;
}

/** A scalar's span without its quotes: the characters a person would retype (an empty string keeps its quotes). */
export function innerSpan(text: string, span: Span): Span {
  const a = text[span.start],
    b = text[span.end - 1];
  if (span.end - span.start > 2 && (a === '"' || a === "'") && b === a)
    return { start: span.start + 1, end: span.end - 1 };
  return span;
}

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
/** A string as a YAML scalar: plain when that reads back as the same string, else double-quoted. */
export function yamlString(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

export function replaceSpan(src: Source, span: Span, newText: string): TextEdit {
  return { range: src.lines.range(span), newText };
}

function lineStart(src: Source, offset: number): number {
  return src.lines.starts[src.lines.position(offset).line];
}
/** Offset just past the line break of the line holding `offset` (or the text's end). */
function nextLineStart(src: Source, offset: number): number {
  const line = src.lines.position(offset).line;
  return line + 1 < src.lines.starts.length ? src.lines.starts[line + 1] : src.text.length;
}
function onlySpaceBefore(src: Source, offset: number): boolean {
  return /^[ \t]*$/.test(src.text.slice(lineStart(src, offset), offset));
}
function column(src: Source, offset: number): number {
  return src.lines.position(offset).character;
}

export interface NewPair {
  key: string;
  /** The value as flow text (`""`, `{ a: 1 }`, `[x]`), used in flow maps and when `block` is absent. */
  flow: string;
  /** The value as block lines, relative to the key's indentation + 2. */
  block?: string[];
}

/** Inserts pairs into a mapping, before the first of `before` present (canonical key order), else at its end. */
export function insertPairs(
  src: Source,
  map: YAMLMap,
  entries: NewPair[],
  before: string[] = [],
): TextEdit | undefined {
  const r = map.range;
  if (!r || entries.length === 0) return undefined;
  const items = map.items as Pair<unknown, unknown>[];
  const beforePair = items.find((p) => before.includes(keyText(p) ?? ''));
  const bStart = beforePair ? (beforePair.key as YNode | null)?.range?.[0] : undefined;
  if (map.flow) {
    const text = entries.map((e) => `${e.key}: ${e.flow}`);
    if (bStart !== undefined)
      return { range: src.lines.range({ start: bStart, end: bStart }), newText: text.map((t) => `${t}, `).join('') };
    if (items.length === 0) {
      if (src.text[r[0]] !== '{') return undefined;
      return { range: src.lines.range({ start: r[0] + 1, end: r[1] - 1 }), newText: ` ${text.join(', ')} ` };
    }
    const end = contentEnd(items[items.length - 1].value) ?? contentEnd(items[items.length - 1].key);
    if (end === undefined) return undefined;
    return { range: src.lines.range({ start: end, end }), newText: text.map((t) => `, ${t}`).join('') };
  }
  const firstKey = (items[0]?.key as YNode | null)?.range?.[0];
  if (firstKey === undefined) return undefined;
  const indent = ' '.repeat(column(src, firstKey));
  const eol = eolOf(src.text);
  const linesOf = (e: NewPair) =>
    e.block ? [`${indent}${e.key}:`, ...e.block.map((l) => `${indent}  ${l}`)] : [`${indent}${e.key}: ${e.flow}`];
  const all = entries.flatMap(linesOf);
  if (bStart !== undefined && onlySpaceBefore(src, bStart)) {
    const at = lineStart(src, bStart);
    return { range: src.lines.range({ start: at, end: at }), newText: all.map((l) => l + eol).join('') };
  }
  const end = contentEnd(map);
  if (end === undefined) return undefined;
  const at = src.lines.lineEnd(src.lines.position(Math.max(end - 1, r[0])).line);
  return { range: src.lines.range({ start: at, end: at }), newText: all.map((l) => eol + l).join('') };
}

/** Removes one pair of a mapping with its line(s) in block style, with its comma in flow style. */
export function deletePair(src: Source, map: YAMLMap, key: string): TextEdit | undefined {
  const items = map.items as Pair<unknown, unknown>[];
  const i = items.findIndex((p) => keyText(p) === key);
  if (i < 0) return undefined;
  const kStart = (items[i].key as YNode | null)?.range?.[0];
  const end = contentEnd(items[i].value) ?? contentEnd(items[i].key);
  if (kStart === undefined || end === undefined) return undefined;
  const nextKey = i + 1 < items.length ? (items[i + 1].key as YNode | null)?.range?.[0] : undefined;
  if (map.flow) {
    if (items.length === 1)
      return map.range ? replaceSpan(src, { start: map.range[0], end: map.range[1] }, '{}') : undefined;
    if (nextKey !== undefined) return replaceSpan(src, { start: kStart, end: nextKey }, '');
    const prevEnd = contentEnd(items[i - 1].value) ?? contentEnd(items[i - 1].key);
    return prevEnd === undefined ? undefined : replaceSpan(src, { start: prevEnd, end }, '');
  }
  if (onlySpaceBefore(src, kStart)) return deleteLines(src, kStart, end);
  // The pair shares its line with a `- ` (first key of a list item): pull the next key up.
  if (nextKey !== undefined) return replaceSpan(src, { start: kStart, end: nextKey }, '');
  return undefined;
}

/** Deletes whole lines from the one holding `start` through the one holding `end - 1`. */
function deleteLines(src: Source, start: number, end: number): TextEdit {
  const from = lineStart(src, start);
  let to = nextLineStart(src, Math.max(start, end - 1));
  let a = from;
  if (to >= src.text.length && from > 0 && !/\n$/.test(src.text.slice(from, to))) {
    // Last line without a line break: take the break before it instead.
    a = from - (src.text[from - 2] === '\r' ? 2 : 1);
    to = src.text.length;
  }
  return replaceSpan(src, { start: a, end: to }, '');
}

/** Removes one item of a sequence (its whole line(s) in block style). The last item leaves `[]`. */
export function deleteSeqItem(src: Source, seq: YAMLSeq, index: number): TextEdit | undefined {
  const items = seq.items as unknown[];
  const item = items[index] as YNode | undefined;
  const start = item?.range?.[0];
  const end = contentEnd(item);
  if (!item || start === undefined || end === undefined) return undefined;
  if (items.length === 1) {
    const r = seq.range;
    if (!r) return undefined;
    return replaceSpan(src, { start: r[0], end: seq.flow ? r[1] : (contentEnd(seq) ?? r[1]) }, '[]');
  }
  if (seq.flow) {
    if (index + 1 < items.length) {
      const next = (items[index + 1] as YNode).range?.[0];
      return next === undefined ? undefined : replaceSpan(src, { start, end: next }, '');
    }
    const prevEnd = contentEnd(items[index - 1]);
    return prevEnd === undefined ? undefined : replaceSpan(src, { start: prevEnd, end }, '');
  }
  let dash = start - 1;
  while (dash >= 0 && (src.text[dash] === ' ' || src.text[dash] === '\t')) dash--;
  if (src.text[dash] !== '-' || !onlySpaceBefore(src, dash)) return undefined;
  return deleteLines(src, dash, end);
}

/** Appends items to a sequence. `flow` is each item as flow text; `block` as lines after `- `. */
export function appendSeqItems(src: Source, seq: YAMLSeq, flow: string[], block: string[][]): TextEdit | undefined {
  const items = seq.items as YNode[];
  const r = seq.range;
  if (!r) return undefined;
  if (seq.flow) {
    if (items.length === 0) {
      if (src.text[r[0]] !== '[') return undefined;
      return { range: src.lines.range({ start: r[0] + 1, end: r[1] - 1 }), newText: flow.join(', ') };
    }
    const end = contentEnd(items[items.length - 1]);
    return end === undefined
      ? undefined
      : { range: src.lines.range({ start: end, end }), newText: flow.map((f) => `, ${f}`).join('') };
  }
  const first = items[0]?.range?.[0];
  const end = contentEnd(seq);
  if (first === undefined || end === undefined) return undefined;
  let dash = first - 1;
  while (dash >= 0 && src.text[dash] === ' ') dash--;
  if (src.text[dash] !== '-') return undefined;
  const ind = ' '.repeat(column(src, dash));
  const eol = eolOf(src.text);
  const flowItems = isMap(items[0]) && (items[0] as YAMLMap).flow;
  const at = src.lines.lineEnd(src.lines.position(end - 1).line);
  const text = flow
    .map((f, i) =>
      flowItems || block[i].length === 0
        ? `${eol}${ind}- ${f}`
        : block[i].map((l, j) => `${eol}${ind}${j === 0 ? '- ' : '  '}${l}`).join(''),
    )
    .join('');
  return { range: src.lines.range({ start: at, end: at }), newText: text };
}

export interface NewEdge {
  on?: string;
  to: string;
}

function edgeFlow(e: NewEdge): string {
  return e.on === undefined ? `{ to: ${e.to} }` : `{ on: ${yamlString(e.on)}, to: ${e.to} }`;
}
function edgeBlock(e: NewEdge): string[] {
  return e.on === undefined ? [`to: ${e.to}`] : [`on: ${yamlString(e.on)}`, `to: ${e.to}`];
}

/** Appends edges to a node's `next`, creating `next` when the node has none. */
export function appendEdges(src: Source, nodeMap: YAMLMap | undefined, edges: NewEdge[]): TextEdit | undefined {
  if (!nodeMap || edges.length === 0) return undefined;
  const p = pairOf(nodeMap, 'next');
  if (!p) {
    return insertPairs(src, nodeMap, [
      {
        key: 'next',
        flow: `[${edges.map(edgeFlow).join(', ')}]`,
        block: edges.flatMap((e) => edgeBlock(e).map((l, j) => `${j === 0 ? '- ' : '  '}${l}`)),
      },
    ]);
  }
  if (isSeq(p.value)) return appendSeqItems(src, p.value as YAMLSeq, edges.map(edgeFlow), edges.map(edgeBlock));
  if (isNullScalar(p.value)) {
    const kEnd = (p.key as YNode | null)?.range?.[1];
    if (kEnd === undefined || src.text[kEnd] !== ':') return undefined;
    return {
      range: src.lines.range({ start: kEnd + 1, end: kEnd + 1 }),
      newText: ` [${edges.map(edgeFlow).join(', ')}]`,
    };
  }
  return undefined;
}

/** Adds a node at the end of `nodes`. */
export function addNode(src: Source, nodesMap: YAMLMap, key: string, flowValue: string): TextEdit | undefined {
  return insertPairs(src, nodesMap, [{ key, flow: flowValue }]);
}

/**
 * Applies edits (non-overlapping) to a text; used by tests and by the CLI's --fix. Inserts at one
 * position keep their array order, as in an LSP WorkspaceEdit.
 */
export function applyEdits(text: string, lines: LineIndex, edits: TextEdit[]): string {
  const abs = edits
    .map((e, i) => ({ i, start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
