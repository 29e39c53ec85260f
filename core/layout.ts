// The one graph layout, as plain data: `callflow graph --format svg` and the editor's preview both
// draw from it, so a workflow looks the same everywhere. ELK's layered algorithm does the work;
// it is pure computation (no I/O) but asynchronous, so this module's entry point is async.
import type { ELK as ElkEngine, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Graph } from './graph';
import { layeredLayout } from './layered-layout';
import type { WorkflowModel } from './model';

export interface LayoutInput {
  nodes: { key: string; label: string; type: string; position?: { x: number; y: number } }[];
  /** Edges to unknown nodes are left out (WF110 reports them). */
  edges: { from: string; to: string; label?: string; index: number }[];
  entry?: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutNode {
  key: string;
  label: string;
  type: string;
  entry: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  label?: string;
  index: number;
  /** Start, bends, end. */
  points: Point[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface Layout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  /** Computed by a layout algorithm, or the author's `position`s (the preview protocol's values). */
  source: 'elk' | 'positions';
  /** Which one: ELK's layered algorithm, the fast layered layout (large graphs), or the positions. */
  engine?: 'elk' | 'layered' | 'positions';
}

/**
 * Above this many nodes (or edges) ELK is not used: its layered algorithm costs ~0.1–0.5 s of CPU
 * already at 10–50 nodes and grows quadratically or worse with the edges that skip layers, while
 * the preview must follow typing. Below it, ELK's drawing (fewer crossings, compact) is worth it.
 */
export const ELK_MAX_NODES = 30;
export const ELK_MAX_EDGES = 80;

/** Text metrics are estimated, not measured, so that the layout is the same on every machine. */
export const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  labelSize: 13,
  typeSize: 10,
  edgeSize: 11,
};
export const NODE_HEIGHT = 48;
const CHAR_WIDTH = 7.4;
const EDGE_CHAR_WIDTH = 6.4;
const PADDING = 20;

export function textWidth(text: string, charWidth = CHAR_WIDTH): number {
  return Math.ceil([...text].length * charWidth);
}

export function nodeWidth(label: string, type: string): number {
  return Math.max(120, textWidth(label) + 28, textWidth(type, 6) + 28);
}

export function layoutInputFromModel(model: WorkflowModel, graph?: Graph): LayoutInput {
  const keys = new Set(model.nodes.map((n) => n.key));
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    nodes: model.nodes.map((n) => {
      const x = num(n.position?.value.x),
        y = num(n.position?.value.y);
      return {
        key: n.key,
        label: n.label?.value ?? n.key,
        type: n.type?.value ?? '?',
        ...(x !== undefined && y !== undefined ? { position: { x, y } } : {}),
      };
    }),
    edges: model.nodes.flatMap((n) =>
      n.next
        .filter((e) => e.to && keys.has(e.to.value))
        .map((e) => ({ from: n.key, to: e.to!.value, index: e.index, ...(e.on ? { label: e.on.value } : {}) })),
    ),
    entry: graph?.entry,
  };
}

// ELK is a large module: loaded on the first layout, not when a command merely imports core.
let elk: Promise<ElkEngine> | undefined;
function engine(): Promise<ElkEngine> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const Ctor = (m.default ?? m) as unknown as new () => ElkEngine;
    return new Ctor();
  });
  return elk;
}

export interface LayoutOptions {
  /** Which algorithm computes the layout; by default ELK up to ELK_MAX_NODES/ELK_MAX_EDGES, the fast one above. */
  engine?: 'elk' | 'layered';
}

export async function layoutGraph(input: LayoutInput, options: LayoutOptions = {}): Promise<Layout> {
  if (input.nodes.length > 0 && input.nodes.every((n) => n.position)) return fromPositions(input);
  const large = input.nodes.length > ELK_MAX_NODES || input.edges.length > ELK_MAX_EDGES;
  if (options.engine === 'layered' || (options.engine === undefined && large)) {
    return layeredLayout(input, {
      nodeWidth,
      labelWidth: (l) => textWidth(l, EDGE_CHAR_WIDTH) + 8,
      nodeHeight: NODE_HEIGHT,
      padding: PADDING,
    });
  }
  return elkLayout(input);
}

/**
 * ELK's last results by input: while the user types, most keystrokes (a config value, a comment)
 * leave the graph as it was, and the preview then costs nothing. Copies go out, so a caller that
 * changes its layout cannot change the cached one.
 */
const ELK_CACHE_SIZE = 16;
const elkCache = new Map<string, string>();

async function elkLayout(input: LayoutInput): Promise<Layout> {
  const key = JSON.stringify(input);
  const hit = elkCache.get(key);
  if (hit !== undefined) {
    elkCache.delete(key);
    elkCache.set(key, hit);
    return JSON.parse(hit) as Layout;
  }
  const layout = await runElk(input);
  elkCache.set(key, JSON.stringify(layout));
  if (elkCache.size > ELK_CACHE_SIZE) elkCache.delete(elkCache.keys().next().value!);
  return layout;
}

async function runElk(input: LayoutInput): Promise<Layout> {
  const id = (k: string) => `n:${k}`;
  const edgeId = (e: LayoutInput['edges'][number]) => `e:${e.from}:${e.index}`;
  const request: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // Files list nodes roughly in flow order: an edge back up the file is the one to reverse.
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      'elk.randomSeed': '1',
      // Speed over the last few crossings: one pass of the sweep heuristic instead of seven and no
      // greedy switching afterwards (together about half of ELK's time on workflow-sized graphs).
      'elk.layered.thoroughness': '1',
      'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
      'elk.padding': `[top=${PADDING},left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
    },
    // The entry sits in the first layer whatever cycles lead back to it.
    children: input.nodes.map((n) => ({
      id: id(n.key),
      width: nodeWidth(n.label, n.type),
      height: NODE_HEIGHT,
      ...(n.key === input.entry ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' } } : {}),
    })),
    edges: input.edges.map((e) => ({
      id: edgeId(e),
      sources: [id(e.from)],
      targets: [id(e.to)],
      labels:
        e.label !== undefined
          ? [{ id: `${edgeId(e)}:l`, text: e.label, width: textWidth(e.label, EDGE_CHAR_WIDTH) + 8, height: 16 }]
          : [],
    })),
  };
  const res = await (await engine()).layout(request);
  const r = (v: number | undefined) => Math.round(v ?? 0);
  const byId = new Map((res.children ?? []).map((c) => [c.id, c]));
  const nodes: LaidOutNode[] = input.nodes.map((n) => {
    const c = byId.get(id(n.key))!;
    return {
      key: n.key,
      label: n.label,
      type: n.type,
      entry: n.key === input.entry,
      x: r(c.x),
      y: r(c.y),
      width: r(c.width),
      height: r(c.height),
    };
  });
  const edgeById = new Map(((res.edges ?? []) as ElkExtendedEdge[]).map((e) => [e.id, e]));
  const edges: LaidOutEdge[] = input.edges.map((e) => {
    const le = edgeById.get(edgeId(e));
    const s = le?.sections?.[0];
    const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: r(p.x), y: r(p.y) })) : [];
    const l = le?.labels?.[0];
    return {
      from: e.from,
      to: e.to,
      index: e.index,
      ...(e.label !== undefined ? { label: e.label } : {}),
      points,
      ...(l ? { labelBox: { x: r(l.x), y: r(l.y), width: r(l.width), height: r(l.height) } } : {}),
    };
  });
  return { width: r(res.width), height: r(res.height), nodes, edges, source: 'elk', engine: 'elk' };
}

/** Every node placed by its `position`: straight edges from box border to box border. */
function fromPositions(input: LayoutInput): Layout {
  const minX = Math.min(...input.nodes.map((n) => n.position!.x));
  const minY = Math.min(...input.nodes.map((n) => n.position!.y));
  const nodes: LaidOutNode[] = input.nodes.map((n) => ({
    key: n.key,
    label: n.label,
    type: n.type,
    entry: n.key === input.entry,
    x: Math.round(n.position!.x - minX + PADDING),
    y: Math.round(n.position!.y - minY + PADDING),
    width: nodeWidth(n.label, n.type),
    height: NODE_HEIGHT,
  }));
  const at = new Map(nodes.map((n) => [n.key, n]));
  const edges: LaidOutEdge[] = input.edges.map((e) => {
    const a = at.get(e.from)!,
      b = at.get(e.to)!;
    const ca = { x: a.x + a.width / 2, y: a.y + a.height / 2 },
      cb = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    const p0 = clip(a, ca, cb),
      p1 = clip(b, cb, ca);
    const points = [p0, p1].map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
    const mid = { x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
    const w = e.label !== undefined ? textWidth(e.label, EDGE_CHAR_WIDTH) + 8 : 0;
    return {
      from: e.from,
      to: e.to,
      index: e.index,
      ...(e.label !== undefined
        ? { label: e.label, labelBox: { x: Math.round(mid.x + 4), y: Math.round(mid.y - 8), width: w, height: 16 } }
        : {}),
      points,
    };
  });
  const width = Math.max(...nodes.map((n) => n.x + n.width)) + PADDING;
  const height = Math.max(...nodes.map((n) => n.y + n.height)) + PADDING;
  return { width, height, nodes, edges, source: 'positions', engine: 'positions' };
}

/** Where the segment from the box's centre towards `to` leaves the box. */
function clip(box: LaidOutNode, from: Point, to: Point): Point {
  const dx = to.x - from.x,
    dy = to.y - from.y;
  if (dx === 0 && dy === 0) return from;
  const sx = dx !== 0 ? box.width / 2 / Math.abs(dx) : Infinity;
  const sy = dy !== 0 ? box.height / 2 / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy, 1);
  return { x: from.x + dx * s, y: from.y + dy * s };
}
