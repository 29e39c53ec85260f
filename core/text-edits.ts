// The smallest line-based edit list turning one text into another, so that formatting a document
// in the editor touches only the lines that change (cursor, folding and undo stay where they were).
import type { TextEdit } from './diagnostic';
import { LineIndex } from './text';

/** Above this many line pairs (after trimming the common head and tail) one block edit is used. */
const MAX_LCS_CELLS = 4_000_000;

/** Lines with their line breaks, so that joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export function minimalEdits(oldText: string, newText: string): TextEdit[] {
  if (oldText === newText) return [];
  const a = splitLines(oldText), b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail), bm = b.slice(head, b.length - tail);

  // Hunks as [old start, old end, new start, new end) in line numbers of the trimmed middle.
  const hunks: [number, number, number, number][] = [];
  if (am.length * bm.length > MAX_LCS_CELLS || am.length === 0 || bm.length === 0) {
    hunks.push([0, am.length, 0, bm.length]);
  } else {
    const n = am.length, m = bm.length;
    // LCS table from the end, so the walk below goes forwards.
    const w = m + 1;
    const t = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = am[i] === bm[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
    let i = 0, j = 0, open: [number, number] | undefined;
    const close = () => { if (open) { hunks.push([open[0], i, open[1], j]); open = undefined; } };
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) { close(); i++; j++; continue; }
      if (!open) open = [i, j];
      if (j >= m || (i < n && t[(i + 1) * w + j] >= t[i * w + j + 1])) i++;
      else j++;
    }
    close();
  }

  const idx = new LineIndex(oldText);
  const startOfLine = (k: number) => (k < a.length ? idx.starts[k] ?? oldText.length : oldText.length);
  return hunks.map(([os, oe, ns, ne]) => ({
    range: { start: idx.position(startOfLine(head + os)), end: idx.position(startOfLine(head + oe)) },
    newText: bm.slice(ns, ne).join(''),
  }));
}

/** Applies non-overlapping edits (any order) to a text: the inverse check for minimalEdits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const idx = new LineIndex(text);
  const withOffsets = edits.map((e) => ({ s: idx.offset(e.range.start), e: idx.offset(e.range.end), t: e.newText }))
    .sort((x, y) => y.s - x.s);
  let out = text;
  for (const x of withOffsets) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}
