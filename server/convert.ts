// Core's plain shapes → LSP shapes (core already speaks 0-based UTF-16 positions like LSP).
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { ruleDocUrl, type Diagnostic, type Span } from '../core/diagnostic';
import type { Analysis } from '../core/validate';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: ruleDocUrl(d.code) },
    source: 'callflow',
    message: d.message,
  };
  if (d.related?.length)
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  if (d.data) out.data = d.data;
  return out;
}

export function rangeOf(a: Analysis, span: Span) {
  return a.parsed.lines.range(span);
}

/** A stable identity for a core diagnostic, to find it again from what the client sends back. */
export function sameDiagnostic(d: Diagnostic, l: LspDiagnostic): boolean {
  return (
    d.code === l.code &&
    d.message === l.message &&
    d.range.start.line === l.range.start.line &&
    d.range.start.character === l.range.start.character &&
    d.range.end.line === l.range.end.line &&
    d.range.end.character === l.range.end.character
  );
}
