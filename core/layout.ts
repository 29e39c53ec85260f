// The one graph layout, as plain data: `callflow graph --format svg` and the editor's preview both
// draw from it, so a workflow looks the same everywhere. ELK's layered algorithm does the work;
// it is pure computation (no I/O) but asynchronous, so this module's entry point is async.
import type { ELK as ElkEngine, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Diagnostic, Severity } from './diagnostic';
import type { Graph } from './graph';
import { layeredLayout } from './layered-layout';
import { placeEdgeLabels } from './layout-labels';
import type { WorkflowModel } from './model';

export interface LayoutInput {
  /** `ghost`: a node that does not exist, named by an edge's `to` (WF110); drawn so the edge is seen. */
  nodes: { key: string; label: string; type: string; position?: { x: number; y: number }; ghost?: boolean }[];
  edges: { from: string; to: string; label?: string; index: number }[];
  entry?: string;
}

/** The type shown on a ghost node. */
export const GHOST_TYPE = 'UNKNOWN NODE';

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
  /** Named by an edge but not declared (see LayoutInput). */
  ghost?: boolean;
}

/** The worst problem reported on one edge (WF110, WF111, WF113, WF115, WF118) and every message. */
export interface EdgeMark {
  severity: Severity;
  messages: string[];
}

export interface LaidOutEdge {
  from: string;
  to: string;
  label?: string;
  index: number;
  /** Start, bends, end. */
  points: Point[];
  labelBox?: { x: number; y: number; width: number; height: number };
  /** Set by markEdges from the file's diagnostics. */
  mark?: EdgeMark;
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

/**
 * Text metrics are estimated, not measured, so that the layout is the same on every machine (the
 * server lays out, the page only draws). The estimate is an upper bound for common UI fonts: the
 * advance widths of DejaVu Sans (what `system-ui` resolves to on Linux, wider than Segoe UI, SF or
 * Roboto), measured in Chromium at 100 px for the printable ASCII characters; other characters
 * count as 0.8 em, wide (CJK, emoji) ones as 1 em.
 */
export const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  labelSize: 13,
  typeSize: 10,
  edgeSize: 11,
};
export const NODE_HEIGHT = 48;
const CHAR_WIDTH = 7.4;
const PADDING = 20;
// Characters 32..126, hundredths of an em; normal weight and semibold (600, the SVG export's labels).
const ADVANCE_NORMAL =
  '32,40,46,84,64,95,78,27,39,39,50,84,32,36,32,34,64,64,64,64,64,64,64,64,64,64,34,34,84,84,84,53,100,68,69,70,77,63,58,77,75,29,29,66,56,86,75,79,60,79,69,63,61,73,68,99,69,61,69,39,34,39,84,50,50,61,63,55,63,62,35,63,63,28,28,58,28,97,63,61,63,63,41,52,39,63,59,82,59,59,52,64,34,64,84'
    .split(',')
    .map(Number);
const ADVANCE_SEMIBOLD =
  '35,46,52,84,70,100,87,31,46,46,52,84,38,42,38,37,70,70,70,70,70,70,70,70,70,70,40,40,84,84,84,58,100,77,76,73,83,68,68,82,84,37,37,77,64,100,84,85,73,85,77,72,68,81,77,110,77,72,73,46,37,46,84,50,50,67,72,59,72,68,44,72,71,34,34,67,34,104,71,69,72,72,49,60,48,71,65,92,65,65,58,71,37,71,84'
    .split(',')
    .map(Number);

/** Rough width of text in a uniform character width (kept for callers that size boxes by count). */
export function textWidth(text: string, charWidth = CHAR_WIDTH): number {
  return Math.ceil([...text].length * charWidth);
}

/** Upper-bound width in px of `text` at `size` px (see the note on FONT). */
export function measureText(text: string, size: number, weight: 'normal' | 'semibold' = 'normal'): number {
  const table = weight === 'semibold' ? ADVANCE_SEMIBOLD : ADVANCE_NORMAL;
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c <= 126) em += table[c - 32];
    else if (c >= 0x1100) em += 100;
    else em += 80;
  }
  return Math.ceil((em * size) / 100);
}

export function nodeWidth(label: string, type: string): number {
  // The type line may say " · entry" in the preview: room for it too.
  return Math.max(120, measureText(label, FONT.labelSize, 'semibold') + 28, typeLineWidth(`${type} · entry`) + 28);
}

/** The type line is drawn with 0.04 em letter spacing. */
function typeLineWidth(text: string): number {
  return measureText(text, FONT.typeSize) + Math.ceil([...text].length * FONT.typeSize * 0.04);
}

/** An edge label's box: its text and 4 px each side (the box is drawn behind the text). */
export const LABEL_HEIGHT = 16;
export function edgeLabelWidth(label: string): number {
  return measureText(label, FONT.edgeSize) + 8;
}

/**
 * The drawable graph of a model. An edge whose `to` names no node leads to a ghost node of that
 * name (one per name), so the edge stays visible; `ghosts: false` leaves such edges out instead.
 */
export function layoutInputFromModel(
  model: WorkflowModel,
  graph?: Graph,
  options: { ghosts?: boolean } = {},
): LayoutInput {
  const keys = new Set(model.nodes.map((n) => n.key));
  const ghosts = new Map<string, LayoutInput['nodes'][number]>();
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const edges: LayoutInput['edges'] = [];
  for (const n of model.nodes)
    for (const e of n.next) {
      if (!e.to || typeof e.to.value !== 'string') continue;
      const to = e.to.value;
      if (!keys.has(to)) {
        if (options.ghosts === false) continue;
        if (!ghosts.has(to)) ghosts.set(to, { key: to, label: to, type: GHOST_TYPE, ghost: true });
      }
      edges.push({ from: n.key, to, index: e.index, ...(e.on ? { label: e.on.value } : {}) });
    }
  return {
    nodes: [
      ...model.nodes.map((n) => {
        const x = num(n.position?.value.x),
          y = num(n.position?.value.y);
        return {
          key: n.key,
          label: n.label?.value ?? n.key,
          type: n.type?.value ?? '?',
          ...(x !== undefined && y !== undefined ? { position: { x, y } } : {}),
        };
      }),
      ...ghosts.values(),
    ],
    edges,
    entry: graph?.entry,
  };
}

/**
 * Puts the file's edge problems on the edges they concern (diagnostics carrying the source node and
 * the edge's index; WF110 names the source and the unknown target), so a drawing marks the edge
 * itself, not only its source node.
 */
export function markEdges(layout: Layout, diagnostics: readonly Diagnostic[]): Layout {
  const rank: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
  for (const d of diagnostics) {
    const data = d.data as { node?: unknown; index?: unknown; to?: unknown } | undefined;
    if (typeof data?.node !== 'string') continue;
    const hit = layout.edges.filter(
      (e) =>
        e.from === data.node &&
        (typeof data.index === 'number' ? e.index === data.index : d.code === 'WF110' && e.to === data.to),
    );
    for (const e of hit) {
      const text = `${d.code} ${d.message}`;
      if (!e.mark) e.mark = { severity: d.severity, messages: [text] };
      else {
        if (rank[d.severity] > rank[e.mark.severity]) e.mark.severity = d.severity;
        if (!e.mark.messages.includes(text)) e.mark.messages.push(text);
      }
    }
  }
  return layout;
}

/**
 * What the preview draws, in one call: the layout with ghost nodes for edges to unknown nodes,
 * edge labels placed clear of each other and of the nodes, and the edge problems on their edges.
 * A front end forwards it as it is (nodes with `ghost`, edges with `labelBox` and `mark`, `width`
 * and `height` covering everything).
 */
export async function previewLayout(
  model: WorkflowModel,
  graph: Graph | undefined,
  diagnostics: readonly Diagnostic[],
): Promise<Layout> {
  return markEdges(await layoutGraph(layoutInputFromModel(model, graph)), diagnostics);
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
  const real = input.nodes.filter((n) => !n.ghost);
  if (real.length > 0 && real.every((n) => n.position)) return placeEdgeLabels(fromPositions(input), PADDING);
  const large = input.nodes.length > ELK_MAX_NODES || input.edges.length > ELK_MAX_EDGES;
  if (options.engine === 'layered' || (options.engine === undefined && large)) {
    const l = layeredLayout(input, {
      nodeWidth,
      labelWidth: edgeLabelWidth,
      nodeHeight: NODE_HEIGHT,
      padding: PADDING,
    });
    return placeEdgeLabels(l, PADDING);
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
  const layout = placeEdgeLabels(await runElk(input), PADDING);
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
          ? [{ id: `${edgeId(e)}:l`, text: e.label, width: edgeLabelWidth(e.label), height: LABEL_HEIGHT }]
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
      ...(n.ghost ? { ghost: true } : {}),
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

/**
 * Every node placed by its `position`: straight edges from box border to box border. Ghost nodes
 * (no position of their own) go in a column right of the drawing, each level with its first source.
 */
function fromPositions(input: LayoutInput): Layout {
  const real = input.nodes.filter((n) => !n.ghost);
  const minX = Math.min(...real.map((n) => n.position!.x));
  const minY = Math.min(...real.map((n) => n.position!.y));
  const placed: LaidOutNode[] = real.map((n) => ({
    key: n.key,
    label: n.label,
    type: n.type,
    entry: n.key === input.entry,
    x: Math.round(n.position!.x - minX + PADDING),
    y: Math.round(n.position!.y - minY + PADDING),
    width: nodeWidth(n.label, n.type),
    height: NODE_HEIGHT,
  }));
  const at = new Map(placed.map((n) => [n.key, n]));
  const column = Math.max(...placed.map((n) => n.x + n.width)) + 80;
  let below = -Infinity;
  for (const g of input.nodes.filter((n) => n.ghost)) {
    const src = input.edges.find((e) => e.to === g.key && at.has(e.from));
    const y = Math.max(src ? at.get(src.from)!.y : PADDING, below + 24);
    const node: LaidOutNode = {
      key: g.key,
      label: g.label,
      type: g.type,
      entry: false,
      x: column,
      y,
      width: nodeWidth(g.label, g.type),
      height: NODE_HEIGHT,
      ghost: true,
    };
    below = y + NODE_HEIGHT;
    at.set(g.key, node);
  }
  const nodes = input.nodes.map((n) => at.get(n.key)!);
  const edges: LaidOutEdge[] = input.edges.map((e) => {
    const a = at.get(e.from)!,
      b = at.get(e.to)!;
    const ca = { x: a.x + a.width / 2, y: a.y + a.height / 2 },
      cb = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    const p0 = clip(a, ca, cb),
      p1 = clip(b, cb, ca);
    const points = [p0, p1].map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
    const mid = { x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
    const w = e.label !== undefined ? edgeLabelWidth(e.label) : 0;
    return {
      from: e.from,
      to: e.to,
      index: e.index,
      ...(e.label !== undefined
        ? {
            label: e.label,
            labelBox: {
              x: Math.round(mid.x + 4),
              y: Math.round(mid.y - LABEL_HEIGHT / 2),
              width: w,
              height: LABEL_HEIGHT,
            },
          }
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
