// Go to definition, find references and highlights for node keys and variables, in offsets.
import type { Span } from './diagnostic';
import { nodeKeyOccurrences, targetAt, variableOccurrences } from './document-index';
import type { Analysis } from './validate';

export interface Occurrence {
  span: Span;
  declaration: boolean;
}

/** Node key or variable occurrences for whatever symbol is at the offset. */
export function occurrencesAt(
  a: Analysis,
  offset: number,
): { kind: 'node' | 'variable'; name: string; list: Occurrence[] } | undefined {
  const t = targetAt(a, offset);
  if (!t || !a.model) return undefined;
  if (t.kind === 'nodeKey' || t.kind === 'nodeRef')
    return { kind: 'node', name: t.key, list: nodeKeyOccurrences(a.model, t.key) };
  if (t.kind === 'variable') return { kind: 'variable', name: t.name, list: variableOccurrences(a.model, t.name) };
  return undefined;
}

/** Where the symbol at the offset is declared (a node key, a `variables` entry). */
export function definition(a: Analysis, offset: number): Span[] {
  return (
    occurrencesAt(a, offset)
      ?.list.filter((o) => o.declaration)
      .map((o) => o.span) ?? []
  );
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Span[] {
  return (
    occurrencesAt(a, offset)
      ?.list.filter((o) => includeDeclaration || !o.declaration)
      .map((o) => o.span) ?? []
  );
}

/** Highlights: the declaration is a write, every use a read (LSP DocumentHighlightKind 3 / 2). */
export function highlights(a: Analysis, offset: number): { span: Span; kind: 2 | 3 }[] {
  return (
    occurrencesAt(a, offset)?.list.map((o) => ({ span: o.span, kind: o.declaration ? (3 as const) : (2 as const) })) ??
    []
  );
}
