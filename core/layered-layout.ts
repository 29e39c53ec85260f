// The fast layered layout used for graphs too large for ELK to lay out while the user types
// (ELK's layered algorithm makes one dummy node per layer an edge spans, and a workflow where
// every step can go to one `dropped` node has O(n²) of them). Same drawing conventions as the ELK
// layout (top-down layers, orthogonal edges, the entry in the first layer, edges back up the file
// reversed), in O((V + E) log V): longest-path layering, a few barycentric ordering sweeps, centred
// placement, and edges that skip layers routed along a shared lane beside the drawing per target
// instead of through the layers. Deterministic: integers only, ties broken by file order.
import type { LaidOutEdge, LaidOutNode, Layout, LayoutInput, Point } from './layout';

export interface LayeredMetrics {
  nodeWidth: (label: string, type: string) => number;
  labelWidth: (label: string) => number;
  nodeHeight: number;
  padding: number;
}

const NODE_GAP = 40;
/** Room between layers: edge labels stack in the upper part, horizontal segments run below them. */
const LAYER_GAP = 80;
const LABEL_HEIGHT = 16;
const LANE_GAP = 12;
const SWEEPS = 4;

export function layeredLayout(input: LayoutInput, m: LayeredMetrics): Layout {
  const n = input.nodes.length;
  const indexOf = new Map<string, number>();
  input.nodes.forEach((node, i) => {
    if (!indexOf.has(node.key)) indexOf.set(node.key, i);
  });
  // File order, with the entry first: an edge to an earlier (or the same) node is a back edge.
  const entry = input.entry !== undefined ? indexOf.get(input.entry) : undefined;
  const order = (i: number) => (i === entry ? -1 : i);

  type E = { from: number; to: number; src: LayoutInput['edges'][number]; back: boolean };
  const edges: E[] = [];
  for (const e of input.edges) {
    const from = indexOf.get(e.from),
      to = indexOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    edges.push({ from, to, src: e, back: order(to) <= order(from) });
  }
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    if (e.back) continue;
    preds[e.to].push(e.from);
    succs[e.from].push(e.to);
  }

  // Longest-path layering over the forward edges, visiting nodes in (entry-first) file order,
  // which is a topological order of them.
  const visit = [...Array(n).keys()].sort((a, b) => order(a) - order(b));
  const layer = new Int32Array(n);
  for (const v of visit) for (const u of preds[v]) layer[v] = Math.max(layer[v], layer[u] + 1);
  const layerCount = n === 0 ? 0 : layer.reduce((a, b) => Math.max(a, b), 0) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (const v of visit) layers[layer[v]].push(v);

  // Barycentric sweeps: each node moves to the mean position of its neighbours in the layers
  // already swept (down: predecessors, up: successors); nodes without any keep their place.
  const pos = new Float64Array(n);
  const renumber = (l: number[]) =>
    l.forEach((v, i) => {
      pos[v] = i;
    });
  layers.forEach(renumber);
  for (let s = 0; s < SWEEPS; s++) {
    const down = s % 2 === 0;
    const seq = down ? layers : [...layers].reverse();
    for (const l of seq) {
      const key = new Map<number, number>();
      for (const v of l) {
        const nb = down ? preds[v] : succs[v];
        key.set(v, nb.length ? nb.reduce((sum, u) => sum + pos[u], 0) / nb.length : pos[v]);
      }
      l.sort((a, b) => key.get(a)! - key.get(b)! || pos[a] - pos[b] || a - b);
      renumber(l);
    }
  }

  // Placement: each node centred under its predecessors in the layer just above, then pushed right
  // as far as needed to keep the gap to its left neighbour.
  const width = input.nodes.map((node) => m.nodeWidth(node.label, node.type));
  const cx = new Float64Array(n);
  for (const l of layers) {
    let right = -Infinity;
    for (const v of l) {
      const near = preds[v].filter((u) => layer[u] === layer[v] - 1);
      const from = near.length ? near : preds[v];
      let want = from.length ? from.reduce((sum, u) => sum + cx[u], 0) / from.length : right + NODE_GAP + width[v] / 2;
      if (!Number.isFinite(want)) want = width[v] / 2;
      const c = Math.max(want, right + NODE_GAP + width[v] / 2);
      cx[v] = c;
      right = c + width[v] / 2;
    }
  }

  // Lanes: one per target of edges that skip layers (right of the drawing) or go back up (left).
  const skips = (e: E) => !e.back && layer[e.to] > layer[e.from] + 1;
  const laneOf = (list: E[]) => {
    const lanes = new Map<number, number>();
    for (const e of list) if (!lanes.has(e.to)) lanes.set(e.to, lanes.size);
    return lanes;
  };
  const rightLanes = laneOf(edges.filter(skips));
  const leftLanes = laneOf(edges.filter((e) => e.back));

  let minX = Infinity,
    maxX = -Infinity;
  for (let v = 0; v < n; v++) {
    minX = Math.min(minX, cx[v] - width[v] / 2);
    maxX = Math.max(maxX, cx[v] + width[v] / 2);
  }
  if (n === 0) {
    minX = 0;
    maxX = 0;
  }
  const leftRoom = leftLanes.size ? leftLanes.size * LANE_GAP + NODE_GAP / 2 : 0;
  const shift = m.padding + leftRoom - minX;
  const row = m.nodeHeight + LAYER_GAP;
  const nodes: LaidOutNode[] = input.nodes.map((node, v) => ({
    key: node.key,
    label: node.label,
    type: node.type,
    entry: v === entry,
    x: Math.round(cx[v] - width[v] / 2 + shift),
    y: m.padding + layer[v] * row,
    width: width[v],
    height: m.nodeHeight,
    ...(node.ghost ? { ghost: true } : {}),
  }));
  const drawRight = Math.round(maxX + shift);
  const leftLaneX = (t: number) => m.padding + leftRoom - NODE_GAP / 2 - leftLanes.get(t)! * LANE_GAP;
  const rightLaneX = (t: number) => drawRight + NODE_GAP / 2 + rightLanes.get(t)! * LANE_GAP;

  // Ports spread along the bottom (out) and top (in) of each box, in the order of the far ends.
  const outs: E[][] = Array.from({ length: n }, () => []),
    ins: E[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    outs[e.from].push(e);
    ins[e.to].push(e);
  }
  const endX = (e: E, side: 'from' | 'to') => {
    const other = side === 'from' ? e.to : e.from;
    if (e.back) return -1e9 + other;
    if (skips(e)) return 1e9 + other;
    return nodes[other].x;
  };
  const port = new Map<E, { out: number; in: number; outRank: number }>();
  for (let v = 0; v < n; v++) {
    const o = [...outs[v]].sort((a, b) => endX(a, 'from') - endX(b, 'from') || a.src.index - b.src.index);
    o.forEach((e, k) =>
      port.set(e, { out: nodes[v].x + Math.round(((k + 1) * nodes[v].width) / (o.length + 1)), in: 0, outRank: k }),
    );
  }
  for (let v = 0; v < n; v++) {
    // Edges arriving along a lane merge there and share one port (a bus), like a join.
    const slot = (e: E) => (e.back ? -1e9 : skips(e) ? 1e9 : endX(e, 'to'));
    const i = [...ins[v]].sort((a, b) => slot(a) - slot(b) || a.from - b.from || a.src.index - b.src.index);
    const slots = new Map<number, number>();
    for (const e of i) if (!slots.has(slot(e))) slots.set(slot(e), slots.size);
    i.forEach((e) => {
      port.get(e)!.in = nodes[v].x + Math.round(((slots.get(slot(e))! + 1) * nodes[v].width) / (slots.size + 1));
    });
  }

  // Each edge with a horizontal segment under its source's layer gets its own height there (four
  // tracks, in the order of the sources along the layer), so parallel segments do not merge.
  const track = new Map<E, number>();
  for (const l of layers) {
    let k = 0;
    for (const v of l)
      for (const e of [...outs[v]].sort((x, y) => port.get(x)!.outRank - port.get(y)!.outRank))
        track.set(e, (k++ % 4) * 4);
  }

  const laidEdges: LaidOutEdge[] = [];
  const byEdge = new Map<E, LaidOutEdge>();
  for (const e of edges) {
    const a = nodes[e.from],
      b = nodes[e.to],
      p = port.get(e)!;
    const start: Point = { x: p.out, y: a.y + a.height },
      end: Point = { x: p.in, y: b.y };
    // A target's only incoming edge comes straight down when the source's port is above the box.
    if (!e.back && !skips(e) && ins[e.to].length === 1 && start.x > b.x + 8 && start.x < b.x + b.width - 8)
      end.x = start.x;
    const below = a.y + a.height + LAYER_GAP - 24 + track.get(e)!; // under the labels of this source's edges
    const above = b.y - 8;
    let bends: Point[];
    if (e.back || skips(e)) {
      const lane = e.back ? leftLaneX(e.to) : rightLaneX(e.to);
      bends = [
        { x: start.x, y: below },
        { x: lane, y: below },
        { x: lane, y: above },
        { x: end.x, y: above },
      ];
    } else {
      bends =
        start.x === end.x
          ? []
          : [
              { x: start.x, y: below },
              { x: end.x, y: below },
            ];
    }
    const points = [start, ...bends, end];
    const label = e.src.label;
    const out: LaidOutEdge = {
      from: e.src.from,
      to: e.src.to,
      index: e.src.index,
      ...(label !== undefined ? { label } : {}),
      points,
      ...(label !== undefined
        ? {
            labelBox: {
              x: start.x + 4,
              y: start.y + 2 + (p.outRank % 3) * (LABEL_HEIGHT + 1),
              width: m.labelWidth(label),
              height: LABEL_HEIGHT,
            },
          }
        : {}),
    };
    byEdge.set(e, out);
  }
  // Edges in the input's order (file order), as the ELK layout gives them.
  for (const e of edges) laidEdges.push(byEdge.get(e)!);

  let right = drawRight + (rightLanes.size ? NODE_GAP / 2 + rightLanes.size * LANE_GAP : 0);
  for (const e of laidEdges) if (e.labelBox) right = Math.max(right, e.labelBox.x + e.labelBox.width);
  const height = n === 0 ? 2 * m.padding : m.padding + layerCount * row - LAYER_GAP + m.padding;
  return { width: right + m.padding, height, nodes, edges: laidEdges, source: 'elk', engine: 'layered' };
}
