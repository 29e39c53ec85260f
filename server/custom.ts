// Callflow's own requests (declared in protocol/index.ts): everything the extension host would
// otherwise need a parser, the schema or the layout engine for. Each answer comes from core/ (or
// platform/) over the server's own analysis of the document. None needs a disk or the network, so
// the browser server answers them too; the plan (network) is server/plan.ts, Node only.
import type { Connection } from 'vscode-languageserver/node';
import { changeStatus, diffWorkflows, renderDiffTextLinked } from '../core/diff';
import type { Diagnostic } from '../core/diagnostic';
import { toDot, toMermaid, toSvg } from '../core/export';
import { analyze } from '../core/validate';
import { desiredFromModel } from '../platform/desired';
import { renderPull } from '../platform/pull-render';
import {
  DiffRequest,
  ExportRequest,
  GraphRequest,
  NodeAtRequest,
  NodeLocationRequest,
  PrePushRequest,
  RenderRemoteRequest,
  type PrePushProblem,
} from '../protocol';
import type { DocumentStore } from './documents';
import { graphModel } from './graph-model';
import { onRequest } from './messages';

const UNUSABLE = 'The file cannot be read as a workflow: fix its syntax first.';

export function registerCustom(connection: Connection, store: DocumentStore): void {
  onRequest(connection, GraphRequest.type, (p) =>
    graphModel(store.analysis(p.uri), p.uri, store.version(p.uri), p.layout !== false),
  );

  onRequest(connection, ExportRequest.type, async (p): Promise<ExportRequest.Result> => {
    const a = store.analysis(p.uri);
    if (!a?.model) return { ok: false, reason: UNUSABLE };
    const text =
      p.format === 'mermaid'
        ? toMermaid(a.model, a.graph)
        : p.format === 'dot'
          ? toDot(a.model, a.graph)
          : await toSvg(a.model, a.graph);
    return { ok: true, text };
  });

  onRequest(connection, NodeLocationRequest.type, (p) => {
    const a = store.analysis(p.uri);
    const n = a?.model?.nodeByKey.get(p.key);
    if (!a || !n) return null;
    return { keyRange: a.parsed.lines.range(n.keySpan), range: a.parsed.lines.range(n.span) };
  });

  onRequest(connection, NodeAtRequest.type, (p) => {
    const a = store.analysis(p.uri);
    if (!a?.model) return {};
    const off = a.parsed.lines.offset(p.position);
    return { key: a.model.nodes.find((n) => n.span.start <= off && off <= n.span.end)?.key };
  });

  onRequest(connection, DiffRequest.type, (p): DiffRequest.Result => {
    const text = store.text(p.uri);
    if (text === undefined) return { ok: false, reason: 'the file is not open' };
    const diff = diffWorkflows(p.baseText, text);
    if ('error' in diff) return { ok: false, reason: diff.error };
    const rendered = renderDiffTextLinked(diff);
    return {
      ok: true,
      equal: diff.equal,
      nodes: diff.nodes.length,
      text: rendered.text,
      links: rendered.links,
      status: changeStatus(diff),
    };
  });

  onRequest(connection, PrePushRequest.type, (p): PrePushRequest.Result => {
    const text = p.text ?? store.text(p.uri) ?? '';
    const a = analyze(text, store.pushOptions(p.uri, text, p.workspaceLimit));
    const problem = (d: Diagnostic): PrePushProblem => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      line: d.range.start.line,
      character: d.range.start.character,
    });
    const errors = a.diagnostics.filter((d) => d.severity === 'error').map(problem);
    const nodeLines: Record<string, number> = {};
    for (const n of a.model?.nodes ?? []) nodeLines[n.key] = a.parsed.lines.range(n.keySpan).start.line;
    return {
      usable: !!a.model,
      errors,
      warnings: a.diagnostics.filter((d) => d.severity !== 'error').map(problem),
      desired: a.model && errors.length === 0 ? desiredFromModel(a.model) : undefined,
      nodeLines,
    };
  });

  onRequest(connection, RenderRemoteRequest.type, async (p): Promise<RenderRemoteRequest.Result> => {
    const { keyById, ...graph } = p;
    const r = await renderPull(graph, keyById ? new Map(Object.entries(keyById)) : undefined);
    return { ...r, idByKey: Object.fromEntries(r.idByKey) };
  });
}
