// The preview's graph model, built once, here: nodes and edges with their text ranges, diagnostic
// counts per node (by offset), the layout (core/layout.ts) with edge label boxes, the drawing's
// extent and the node colours. The extension host only draws what this returns.
import { NODE_STYLE } from '../core/export';
import { previewLayout } from '../core/layout';
import type { IncrementalAnalysis } from '../core/incremental';
import type { GraphModel } from '../protocol';

const COLORS = Object.fromEntries(Object.entries(NODE_STYLE).map(([k, v]) => [k, v.stroke]));
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
    // Ghost nodes for edges to unknown nodes, label boxes clear of nodes and of each other, edge
    // problems on their edges: all from core/layout.ts, forwarded as they are.
    const l = await previewLayout(model, a.graph, a.diagnostics);
    const byKey = new Map(l.nodes.map((n) => [n.key, n]));
    for (const n of out.nodes) {
      const p = byKey.get(n.key);
      n.position = { x: p?.x ?? 0, y: p?.y ?? 0 };
      n.size = p ? { width: p.width, height: p.height } : { ...DEFAULT_SIZE };
    }
    for (const g of l.nodes.filter((n) => n.ghost)) {
      const first = out.edges.find((e) => e.to === g.key);
      const range = first?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      out.nodes.push({
        key: g.key,
        type: g.type,
        label: g.label,
        entry: false,
        ghost: true,
        diagnostics: { error: 0, warning: 0, info: 0 },
        keyRange: range,
        range,
        position: { x: g.x, y: g.y },
        size: { width: g.width, height: g.height },
      });
    }
    for (const e of out.edges) {
      const le = l.edges.find((x) => x.from === e.from && x.index === e.index);
      e.points = le?.points ?? [];
      if (le?.labelBox) e.labelBox = le.labelBox;
      if (le?.mark) e.mark = le.mark;
    }
    // The layout's extent covers nodes, routes and label boxes, with its margin.
    out.width = l.width;
    out.height = l.height;
    out.layout = l.source;
  } catch {
    out.layout = 'none';
  }
  return out;
}
