// `# callflow-disable-next-line WF116` and `# callflow-disable WF124` (until `# callflow-enable`).
import type { Diagnostic } from './diagnostic';
import { UNSUPPRESSIBLE } from './rules/catalogue';
import type { LineIndex } from './text';

const DIRECTIVE = /#\s*callflow-(disable-next-line|disable-line|disable|enable)\b([^\n]*)/g;

export interface Suppression {
  kind: 'next-line' | 'line' | 'from' | 'enable';
  line: number;
  codes: string[] | 'all';
}

export function findSuppressions(text: string, lines: LineIndex): Suppression[] {
  if (!text.includes('callflow-')) return [];
  const out: Suppression[] = [];
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const codes = m[2].match(/\b[A-Z]{2}\d{3}\b/g) ?? [];
    const kind =
      m[1] === 'disable-next-line'
        ? 'next-line'
        : m[1] === 'disable-line'
          ? 'line'
          : m[1] === 'disable'
            ? 'from'
            : 'enable';
    out.push({ kind, line: lines.position(m.index).line, codes: codes.length ? codes : 'all' });
  }
  return out;
}

export function applySuppressions(text: string, lines: LineIndex, list: Diagnostic[]): Diagnostic[] {
  const sup = findSuppressions(text, lines);
  if (sup.length === 0) return list;
  const matches = (s: Suppression, code: string) => s.codes === 'all' || s.codes.includes(code);
  return list.filter((d) => {
    // Syntax errors cannot be silenced: the file would not mean what its author thinks.
    if (UNSUPPRESSIBLE.has(d.code)) return true;
    const line = d.range.start.line;
    let off = false;
    for (const s of sup) {
      if (s.kind === 'next-line' && s.line + 1 === line && matches(s, d.code)) return false;
      if (s.kind === 'line' && s.line === line && matches(s, d.code)) return false;
      if (s.line <= line) {
        if (s.kind === 'from' && matches(s, d.code)) off = true;
        if (s.kind === 'enable' && matches(s, d.code)) off = false;
      }
    }
    return !off;
  });
}
