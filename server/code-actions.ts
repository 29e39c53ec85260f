// Code actions: the quick fixes core attached to its diagnostics (Diagnostic.fixes), a "fix all"
// source action, a suppression comment per rule, and formatting through core/format.ts.
import {
  CodeActionKind,
  MessageType,
  ShowMessageNotification,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Diagnostic } from '../core/diagnostic';
import { formatWorkflow } from '../core/format';
import { minimalEdits } from '../core/text-edits';
import type { Analysis } from '../core/validate';
import { sameDiagnostic, toLspDiagnostic } from './convert';
import type { DocumentStore } from './documents';
import { FIX_ALL_KIND } from '../protocol';

/** Codes a comment cannot silence (core/suppress.ts keeps them). */
const UNSUPPRESSIBLE = new Set(['WF001', 'WF004']);

const overlaps = (a: LspDiagnostic['range'], b: LspDiagnostic['range']) =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );

export function registerCodeActions(connection: Connection, store: DocumentStore): void {
  connection.onCodeAction((p) => {
    const uri = p.textDocument.uri;
    const a = store.analysis(uri);
    if (!a) return [];
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const out: CodeAction[] = [];
    // The client's diagnostics may be from an older pull; match them to the current analysis.
    const sent = p.context.diagnostics;
    const here = a.diagnostics.filter(
      (d) => overlaps(d.range, p.range) && (sent.length === 0 || sent.some((l) => sameDiagnostic(d, l))),
    );
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of here) {
        const lsp = toLspDiagnostic(d, uri);
        for (const f of d.fixes ?? []) {
          out.push({
            title: f.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [lsp],
            isPreferred: f.isPreferred,
            edit: { changes: { [uri]: f.edits } },
          });
        }
        if (!UNSUPPRESSIBLE.has(d.code))
          out.push({
            title: `Disable ${d.code} for this line`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [lsp],
            edit: { changes: { [uri]: [suppressionEdit(a, d)] } },
          });
      }
    }
    if (wants(FIX_ALL_KIND) && (only?.length || a.diagnostics.some((d) => d.fixes?.length))) {
      const edits = fixAllEdits(a);
      if (edits.length)
        out.push({
          title: 'Fix all Callflow problems that have a fix',
          kind: FIX_ALL_KIND,
          edit: { changes: { [uri]: edits } },
        });
    }
    return out;
  });

  const format = (uri: string): TextEdit[] | undefined => {
    const text = store.text(uri);
    if (text === undefined) return undefined;
    const r = formatWorkflow(text);
    if ('error' in r) {
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Callflow: not formatted: ${r.error}`,
      });
      return undefined;
    }
    return r.changed ? minimalEdits(text, r.text) : [];
  };
  connection.onDocumentFormatting((p) => format(p.textDocument.uri) ?? []);
  connection.onDocumentRangeFormatting((p) =>
    (format(p.textDocument.uri) ?? []).filter((e) => overlaps(e.range, p.range)),
  );
}

/** `# callflow-disable-next-line WFxxx` above the diagnostic's line, at that line's indentation. */
export function suppressionEdit(a: Analysis, d: Diagnostic): TextEdit {
  const line = d.range.start.line;
  const indent = /^[ ]*/.exec(a.parsed.lines.lineText(line))![0];
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}# callflow-disable-next-line ${d.code}\n`,
  };
}

/** The preferred (else first) fix of every diagnostic, skipping any that would overlap one already taken. */
export function fixAllEdits(a: Analysis): TextEdit[] {
  const taken: TextEdit[] = [];
  const lines = a.parsed.lines;
  const span = (e: TextEdit) => [lines.offset(e.range.start), lines.offset(e.range.end)] as const;
  for (const d of a.diagnostics) {
    const f = d.fixes?.find((x) => x.isPreferred) ?? d.fixes?.[0];
    if (!f || f.edits.length === 0) continue;
    const clash = f.edits.some((e) => {
      const [s, t] = span(e);
      return taken.some((x) => {
        const [s2, t2] = span(x);
        return (s < t2 && s2 < t) || (s === s2 && (s === t || s2 === t2));
      });
    });
    if (!clash) taken.push(...f.edits);
  }
  return taken;
}
