// Callflow's own requests (declared in protocol.ts): the graph model for the preview and the plan.
import type { Connection } from 'vscode-languageserver/node';
import { layoutGraph, layoutInputFromModel } from '../core/layout';
import { ApiClient } from '../platform/client';
import { desiredFromModel } from '../platform/desired';
import { callKind } from '../platform/plan';
import { preparePush } from '../platform/prepare';
import { describeCall, renderPlan } from '../platform/render';
import { redact } from '../platform/redact';
import { resolveTarget } from '../platform/targets';
import type { DocumentStore } from './documents';
import { GraphRequest, PlanRequest, type GraphModel, type PlanResult } from '../protocol';
import { uriToPath } from './workspace';

export function registerCustom(connection: Connection, store: DocumentStore): void {
  connection.onRequest(GraphRequest.type, async (p) => graphModel(store, p.uri, p.layout !== false));
  connection.onRequest(PlanRequest.type, async (p): Promise<PlanResult> => {
    const file = uriToPath(p.uri);
    const a = store.analysis(p.uri);
    if (!file || !a?.model)
      return { available: false, reason: 'the file has no usable workflow (fix its syntax problems first)' };
    if (a.diagnostics.some((d) => d.severity === 'error'))
      return { available: false, reason: 'the file has errors; a plan is computed for a valid file only' };
    try {
      const target = resolveTarget(file, p.target);
      if (!target.url || !target.key)
        return {
          available: false,
          reason: `target ${target.name} has no URL here (start the local emulator or configure a target)`,
        };
      const client = new ApiClient({ baseUrl: target.url, key: target.key, target: target.name });
      const prepared = await preparePush(client, file, target.name, desiredFromModel(a.model));
      return {
        available: true,
        target: target.name,
        summary: renderPlan(prepared.plan, { file, target: target.name, drift: prepared.drift }),
        calls: prepared.plan.calls.map((c) => ({ kind: callKind(c), description: describeCall(c).what })),
      };
    } catch (e) {
      return { available: false, reason: redact((e as Error).message) };
    }
  });
}

export async function graphModel(store: DocumentStore, uri: string, layout: boolean): Promise<GraphModel> {
  const a = store.analysis(uri);
  const version = store.version(uri);
  const count = { error: 0, warning: 0, info: 0 };
  for (const d of a?.diagnostics ?? []) count[d.severity]++;
  if (!a?.model) return { uri, version, ok: false, nodes: [], edges: [], diagnostics: count };
  const L = a.parsed.lines;
  const model = a.model;
  const perNode = new Map<string, { error: number; warning: number; info: number }>();
  for (const n of model.nodes) perNode.set(n.key, { error: 0, warning: 0, info: 0 });
  for (const d of a.diagnostics) {
    const off = L.offset(d.range.start);
    const n = model.nodes.find((x) => x.span.start <= off && off <= x.span.end);
    if (n) perNode.get(n.key)![d.severity]++;
  }
  const out: GraphModel = {
    uri,
    version,
    ok: true,
    entry: a.graph?.entry,
    diagnostics: count,
    layout: 'none',
    nodes: model.nodes.map((n) => ({
      key: n.key,
      type: n.type?.value ?? '?',
      label: n.label?.value ?? n.key,
      entry: a.graph?.entry === n.key,
      diagnostics: perNode.get(n.key)!,
      keyRange: L.range(n.keySpan),
      range: L.range(n.span),
    })),
    edges: model.nodes.flatMap((n) =>
      n.next
        .filter((e) => e.to)
        .map((e) => ({ from: n.key, to: e.to!.value, label: e.on?.value, index: e.index, range: L.range(e.span) })),
    ),
  };
  if (layout) {
    try {
      const l = await layoutGraph(layoutInputFromModel(model, a.graph));
      const byKey = new Map(l.nodes.map((n) => [n.key, n]));
      for (const n of out.nodes) {
        const p = byKey.get(n.key);
        if (p) {
          n.position = { x: p.x, y: p.y };
          n.size = { width: p.width, height: p.height };
        }
      }
      for (const e of out.edges) {
        const le = l.edges.find((x) => x.from === e.from && x.index === e.index);
        if (le) {
          e.points = le.points;
          if (le.labelBox) e.labelBox = le.labelBox;
        }
      }
      out.layout = l.source;
    } catch {
      out.layout = 'none';
    }
  }
  return out;
}
