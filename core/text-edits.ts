// The smallest line-based edit list turning one text into another, so that formatting a document
// in the editor touches only the lines that change (cursor, folding and undo stay where they were).
import type { TextEdit } from './diagnostic';
import { LineIndex } from './text';

/**
 * Work budget of the line diff (diagonal steps plus matched lines). The diff is O((N+M)·D) for D
 * changed lines; a region that would exceed the budget becomes one block edit, so a pathological
 * pair of texts still answers quickly (the edits are then correct, just not minimal there).
 */
const MAX_DIFF_WORK = 20_000_000;

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
  const a = splitLines(oldText),
    b = splitLines(newText);
  // Lines become small integers, so the diff compares numbers, not strings.
  const ids = new Map<string, number>();
  const idOf = (l: string) => {
    let v = ids.get(l);
    if (v === undefined) {
      v = ids.size;
      ids.set(l, v);
    }
    return v;
  };
  const ai = Int32Array.from(a, idOf),
    bi = Int32Array.from(b, idOf);
  const hunks = lineHunks(ai, bi);
  const idx = new LineIndex(oldText);
  const startOfLine = (k: number) => (k < a.length ? (idx.starts[k] ?? oldText.length) : oldText.length);
  return hunks.map(([os, oe, ns, ne]) => ({
    range: { start: idx.position(startOfLine(os)), end: idx.position(startOfLine(oe)) },
    newText: b.slice(ns, ne).join(''),
  }));
}

/**
 * The changed regions between two line sequences as [old start, old end, new start, new end):
 * a shortest edit script (Myers' O(ND) algorithm in linear space: the middle snake splits each
 * region in two), after trimming the common head and tail of every region.
 */
export function lineHunks(a: Int32Array, b: Int32Array): [number, number, number, number][] {
  // Matched line pairs in increasing order; the hunks are the gaps between them.
  const matchA: number[] = [],
    matchB: number[] = [];
  const size = a.length + b.length + 2;
  const vf = new Int32Array(2 * size + 1),
    vb = new Int32Array(2 * size + 1);
  let work = 0;

  const region = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      matchA.push(aLo++);
      matchB.push(bLo++);
    }
    let tail = 0;
    while (aHi - tail > aLo && bHi - tail > bLo && a[aHi - 1 - tail] === b[bHi - 1 - tail]) tail++;
    const aEnd = aHi - tail,
      bEnd = bHi - tail;
    if (aLo < aEnd && bLo < bEnd) {
      const split = work > MAX_DIFF_WORK ? undefined : middle(aLo, aEnd, bLo, bEnd);
      if (split && !(split[0] === aLo && split[1] === bLo) && !(split[0] === aEnd && split[1] === bEnd)) {
        region(aLo, split[0], bLo, split[1]);
        region(split[0], aEnd, split[1], bEnd);
      }
      // Otherwise (over budget) the region stays one gap between matches: one block edit.
    }
    for (let t = tail; t > 0; t--) {
      matchA.push(aHi - t);
      matchB.push(bHi - t);
    }
  };

  /** Where the middle snake of a shortest edit path starts (a point on that path), or undefined over budget. */
  const middle = (aLo: number, aHi: number, bLo: number, bHi: number): [number, number] | undefined => {
    const n = aHi - aLo,
      m = bHi - bLo,
      delta = n - m,
      odd = (delta & 1) !== 0,
      off = size;
    const max = Math.ceil((n + m) / 2);
    vf[off + 1] = 0;
    vb[off + 1] = 0;
    for (let d = 0; d <= max; d++) {
      work += 2 * d + 2;
      if (work > MAX_DIFF_WORK) return undefined;
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && vf[off + k - 1] < vf[off + k + 1]) ? vf[off + k + 1] : vf[off + k - 1] + 1;
        let y = x - k;
        const x0 = x,
          y0 = y;
        while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
          x++;
          y++;
        }
        work += x - x0;
        vf[off + k] = x;
        if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) && x + vb[off + delta - k] >= n)
          return [aLo + x0, bLo + y0];
      }
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && vb[off + k - 1] < vb[off + k + 1]) ? vb[off + k + 1] : vb[off + k - 1] + 1;
        let y = x - k;
        const x0 = x;
        while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
          x++;
          y++;
        }
        work += x - x0;
        vb[off + k] = x;
        if (!odd && delta - k >= -d && delta - k <= d && x + vf[off + delta - k] >= n)
          return [aLo + n - x, bLo + m - y];
      }
    }
    return undefined;
  };

  region(0, a.length, 0, b.length);
  // Turn the matches into hunks; block regions (over budget) are gaps between matches already.
  const hunks: [number, number, number, number][] = [];
  let i = 0,
    j = 0;
  for (let t = 0; t <= matchA.length; t++) {
    const mi = t < matchA.length ? matchA[t] : a.length,
      mj = t < matchB.length ? matchB[t] : b.length;
    if (mi > i || mj > j) hunks.push([i, mi, j, mj]);
    i = mi + 1;
    j = mj + 1;
  }
  return hunks;
}

/** Applies non-overlapping edits (any order) to a text: the inverse check for minimalEdits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const idx = new LineIndex(text);
  const withOffsets = edits
    .map((e) => ({ s: idx.offset(e.range.start), e: idx.offset(e.range.end), t: e.newText }))
    .sort((x, y) => y.s - x.s);
  let out = text;
  for (const x of withOffsets) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}
