// The default report: `file:line:col  severity  CODE  message`, then the offending line with the
// range underlined (^ at its start, ~ for the rest), then a summary. 1-based lines and columns,
// as compilers print them, so terminals and editors can jump to them.
import type { Diagnostic } from '../../core/diagnostic';
import { escapeControls } from '../../core/strings';
import { LineIndex } from '../../core/text';
import { countSeverities, summaryLine, type FileReport, type ReportOptions } from './types';

const SGR = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
};
const SEVERITY_COLOR = { error: SGR.red, warning: SGR.yellow, info: SGR.blue } as const;

export function formatText(reports: readonly FileReport[], opts: ReportOptions): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${SGR.reset}` : s);
  const out: string[] = [];
  for (const r of reports) {
    if (r.diagnostics.length === 0) continue;
    const lines = new LineIndex(r.text);
    for (const d of r.diagnostics) {
      const where = `${escapeControls(r.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      out.push(
        `${paint(SGR.bold, where)}  ${paint(SEVERITY_COLOR[d.severity], d.severity)}  ${paint(SGR.dim, d.code)}  ${escapeControls(d.message)}`,
      );
      out.push(...codeFrame(lines, d, paint));
      out.push('');
    }
  }
  out.push(summaryLine(countSeverities(reports)));
  return out.join('\n') + '\n';
}

function codeFrame(lines: LineIndex, d: Diagnostic, paint: (c: string, s: string) => string): string[] {
  const n = d.range.start.line;
  if (n >= lines.lineCount) return [];
  // The file's own line, with control characters (ESC, …) shown as one replacement character each
  // so the terminal obeys nothing in it and the marker below still lines up; tabs stay.
  const text = lines.lineText(n).replace(/[^\P{Cc}\t]|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '\uFFFD');
  const startCol = Math.min(d.range.start.character, text.length);
  const endCol = d.range.end.line > n ? text.length : Math.min(Math.max(d.range.end.character, startCol), text.length);
  const gutter = String(n + 1);
  // Tabs stay tabs under the line so the marker lines up whatever the terminal's tab width.
  const pad = text.slice(0, startCol).replace(/[^\t]/g, ' ');
  const marker = '^' + '~'.repeat(Math.max(0, endCol - startCol - 1));
  return [
    `${paint(SGR.dim, `${gutter} |`)} ${text}`,
    `${paint(SGR.dim, `${' '.repeat(gutter.length)} |`)} ${pad}${paint(SEVERITY_COLOR[d.severity], marker)}`,
  ];
}
