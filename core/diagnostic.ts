// The one shape every problem takes, whichever tool reports it (editor, CLI, push, emulator).
import { ruleInfo } from './rules/catalogue';

export type Severity = 'error' | 'warning' | 'info';

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** Offsets into the text; ranges are derived from spans only at the edge. */
export interface Span {
  start: number;
  end: number;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A ready-to-apply fix; computed in core so every front end offers the same one. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface RelatedInfo {
  message: string;
  range: Range;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: RelatedInfo[];
  fixes?: Fix[];
  /** Extra facts for a front end (e.g. the node key concerned); never needed to show the message. */
  data?: Record<string, unknown>;
}

export const DOCS_BASE_URL = 'https://github.com/callflow/callflow/blob/main/docs/rules/';
export function ruleDocUrl(code: string): string {
  return `${DOCS_BASE_URL}${ruleInfo(code)?.docs ?? code}.md`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
