// Offsets ↔ line/character positions over one text.
import type { Position, Range, Span } from './diagnostic';

/** Offset ↔ position conversion over one text; built once per parse. */
export class LineIndex {
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  /** An index over `text` whose line starts are already known (core/incremental.ts moves an old table). */
  static fromStarts(text: string, starts: number[]): LineIndex {
    const li = Object.create(LineIndex.prototype) as { text: string; starts: number[] };
    li.text = text;
    li.starts = starts;
    return li as LineIndex;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a CRLF break belongs to the end of the line's text, as an editor counts it.
    const end = o > this.starts[lo] && this.text.charCodeAt(o - 1) === 13 ? o - 1 : o;
    // A byte-order mark is not a character to an editor: columns on the first line skip it.
    const bom = lo === 0 && this.text.charCodeAt(0) === 0xfeff && end > 0 ? 1 : 0;
    return { line: lo, character: end - this.starts[lo] - bom };
  }
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const lineEnd = this.lineEnd(pos.line);
    const bom = pos.line === 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return Math.min(this.starts[pos.line] + bom + Math.max(0, pos.character), lineEnd);
  }
  /** Offset of the end of a line's content (before its line break). */
  lineEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    while (end > this.starts[line] && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13))
      end--;
    return end;
  }
  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }
  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
