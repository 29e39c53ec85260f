// Language features: each handler asks core for plain data and turns offsets into LSP ranges.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  ResponseError,
  ErrorCodes,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type Location,
  type TextDocumentPositionParams,
} from 'vscode-languageserver/node';
import { complete } from '../core/completion';
import { hover } from '../core/hover';
import { definition, highlights, references } from '../core/navigation';
import { prepareRename, rename } from '../core/rename';
import { documentSymbols, foldingRanges, leadsLink, selectionRange, semanticTokens } from '../core/symbols';
import type { IncrementalAnalysis } from '../core/incremental';
import type { DocumentStore } from './documents';
import { siblingUri } from './workspace';

export function registerFeatures(connection: Connection, store: DocumentStore): void {
  const at = (p: TextDocumentPositionParams): { a: IncrementalAnalysis; offset: number } | undefined => {
    const a = store.analysis(p.textDocument.uri);
    return a ? { a, offset: a.parsed.lines.offset(p.position) } : undefined;
  };

  connection.onCompletion((p) => {
    const h = at(p);
    if (!h) return [];
    const options = store.options(p.textDocument.uri, h.a.parsed.text);
    return complete(h.a, h.offset, options).map((c): CompletionItem => {
      const item: CompletionItem = { label: c.label, kind: c.kind as CompletionItemKind, detail: c.detail };
      if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
      const start = h.a.parsed.lines.position(h.offset - (c.replaceBefore ?? 0));
      item.textEdit = { range: { start, end: p.position }, newText: c.insertText ?? c.label };
      if (c.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
      return item;
    });
  });

  connection.onHover((p) => {
    const h = at(p);
    if (!h) return null;
    const r = hover(h.a, h.offset, store.options(p.textDocument.uri, h.a.parsed.text));
    return r
      ? { contents: { kind: MarkupKind.Markdown, value: r.markdown }, range: h.a.parsed.lines.range(r.span) }
      : null;
  });

  connection.onDefinition((p) => {
    const h = at(p);
    if (!h) return [];
    return definition(h.a, h.offset).map(
      (s): Location => ({ uri: p.textDocument.uri, range: h.a.parsed.lines.range(s) }),
    );
  });

  connection.onReferences((p) => {
    const h = at(p);
    if (!h) return [];
    return references(h.a, h.offset, p.context.includeDeclaration).map(
      (s): Location => ({ uri: p.textDocument.uri, range: h.a.parsed.lines.range(s) }),
    );
  });

  connection.onDocumentHighlight((p) => {
    const h = at(p);
    if (!h) return [];
    return highlights(h.a, h.offset).map((x) => ({ range: h.a.parsed.lines.range(x.span), kind: x.kind }));
  });

  connection.onPrepareRename((p) => {
    const h = at(p);
    if (!h) return null;
    const r = prepareRename(h.a, h.offset);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { range: h.a.parsed.lines.range(r.span), placeholder: r.placeholder };
  });

  connection.onRenameRequest((p) => {
    const h = at(p);
    if (!h) return null;
    const r = rename(h.a, h.offset, p.newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return {
      changes: {
        [p.textDocument.uri]: r.edits.map((e) => ({ range: h.a.parsed.lines.range(e.span), newText: e.newText })),
      },
    };
  });

  connection.onDocumentSymbol((p) => {
    const a = store.analysis(p.textDocument.uri);
    return a ? (documentSymbols(a) as DocumentSymbol[]) : [];
  });

  connection.onFoldingRanges((p) => {
    const a = store.analysis(p.textDocument.uri);
    return a ? foldingRanges(a) : [];
  });

  connection.onSelectionRanges((p) => {
    const a = store.analysis(p.textDocument.uri);
    if (!a) return [];
    return p.positions.map((pos) => selectionRange(a, a.parsed.lines.offset(pos)));
  });

  connection.languages.semanticTokens.on((p) => {
    const a = store.analysis(p.textDocument.uri);
    return { data: a ? semanticTokens(a) : [] };
  });

  connection.onDocumentLinks((p) => {
    const a = store.analysis(p.textDocument.uri);
    const link = a && leadsLink(a);
    const target = link && siblingUri(p.textDocument.uri, link.path);
    if (!link || !target) return [];
    return [{ range: link.range, target, tooltip: 'Open the leads CSV' }];
  });
}
