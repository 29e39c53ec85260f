// The preview's graph model, built once, here: nodes and edges with their text ranges, diagnostic
// counts per node (by offset), the layout (core/layout.ts) with edge label boxes, the drawing's
// extent and the node colours. The extension host only draws what this returns.
import { NODE_STYLE } from '../core/export';
import { layoutGraph, layoutInputFromModel, textWidth } from '../core/layout';
import type { IncrementalAnalysis } from '../core/incremental';
import type { GraphModel } from '../protocol';

const COLORS = Object.fromEntries(Object.entries(NODE_STYLE).map(([k, v]) => [k, v.stroke]));
/** Margin right of and below the drawing. */
const PAD = 20;
const DEFAULT_SIZE = { width: 140, height: 48 };

/** The first syntax problem: a partial tree would draw a graph missing nodes. */
export function syntaxError(a: IncrementalAnalysis): GraphModel['syntaxError'] {
  const d = a.parsed.diagnostics.find((x) => x.code === 'WF001' || x.code === 'WF004');
  return d ? { line: d.range.start.line, message: d.message } : undefined;
}

export async function graphModel(
  a: IncrementalAnalysis | undefined,
  uri: string,
  version: number | null,
  layout: boolean,
): Promise<GraphModel> {
  const count = { error: 0, warning: 0, info: 0 };
  for (const d of a?.diagnostics ?? []) count[d.severity]++;
  if (!a?.model) return { uri, version, ok: false, nodes: [], edges: [], diagnostics: count, colors: COLORS };
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
    title: model.title?.value,
    syntaxError: syntaxError(a),
    colors: COLORS,
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
  if (!layout) return out;
  try {
    const l = await layoutGraph(layoutInputFromModel(model, a.graph));
    const byKey = new Map(l.nodes.map((n) => [n.key, n]));
    for (const n of out.nodes) {
      const p = byKey.get(n.key);
      n.position = { x: p?.x ?? 0, y: p?.y ?? 0 };
      n.size = p ? { width: p.width, height: p.height } : { ...DEFAULT_SIZE };
    }
    for (const e of out.edges) {
      e.points = l.edges.find((x) => x.from === e.from && x.index === e.index)?.points ?? [];
      // The label sits at the middle of the routed path (the preview has always placed it there).
      const mid = midpoint(e.points);
      if (e.label !== undefined && mid)
        e.labelBox = {
          x: Math.round(mid.x + 4),
          y: Math.round(mid.y - 8),
          width: textWidth(e.label, 6.4) + 8,
          height: 16,
        };
    }
    const xs = [
      ...out.nodes.map((n) => n.position!.x + n.size!.width),
      ...out.edges.flatMap((e) => e.points!.map((p) => p.x)),
    ];
    const ys = [
      ...out.nodes.map((n) => n.position!.y + n.size!.height),
      ...out.edges.flatMap((e) => e.points!.map((p) => p.y)),
    ];
    out.width = Math.max(0, ...xs) + PAD;
    out.height = Math.max(0, ...ys) + PAD;
    out.layout = l.source;
  } catch {
    out.layout = 'none';
  }
  return out;
}

function midpoint(points: { x: number; y: number }[]): { x: number; y: number } | undefined {
  if (points.length < 2) return undefined;
  const seg = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let half = seg.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < seg.length; i++) {
    if (half <= seg[i] && seg[i] > 0) {
      const t = half / seg[i];
      return {
        x: points[i].x + (points[i + 1].x - points[i].x) * t,
        y: points[i].y + (points[i + 1].y - points[i].y) * t,
      };
    }
    half -= seg[i];
  }
  return points[0];
}
