// cli.md's JSON report: one array, one entry per validated file, 0-based LSP ranges.
import type { FileReport } from './types';

export function formatJson(reports: readonly FileReport[]): string {
  const out = reports.map((r) => ({
    file: r.file,
    diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range })),
  }));
  return JSON.stringify(out, null, 2) + '\n';
}
