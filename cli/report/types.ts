// What every report format receives: each validated file, as given on the command line, with its
// text (for code frames) and its diagnostics in core's order.
import type { Diagnostic, Severity } from '../../core/diagnostic';

export interface FileReport {
  /** The path as given (relative when given relative), `/`-separated from folder searches. */
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

export interface ReportOptions {
  color: boolean;
  /** The tool's version, for SARIF's driver. */
  version: string;
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
  files: number;
}

export function countSeverities(reports: readonly FileReport[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0, files: reports.length };
  for (const r of reports) for (const d of r.diagnostics) c[d.severity satisfies Severity]++;
  return c;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `2 errors, 1 warning, 0 infos in 3 files` */
export function summaryLine(c: Counts): string {
  return `${plural(c.error, 'error', 'errors')}, ${plural(c.warning, 'warning', 'warnings')}, ${plural(c.info, 'info', 'infos')} in ${plural(c.files, 'file', 'files')}`;
}
