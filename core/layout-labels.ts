// Edge-label placement shared by every layout engine (ELK, the fast layered layout, `position`s):
// after the engines have placed nodes and routed edges, each outcome label (DNP, FAILED, ANSWERED…)
// gets a box that touches its own edge and overlaps no node box and no other label. An engine's own
// box is kept when it is free; otherwise the label moves along its edge (nearest the source first,
// where a reader looks for a node's outcomes), then outwards in rings until it is free. A uniform
// grid makes each test cost O(boxes nearby), so 1,000-node graphs stay in milliseconds.
import type { Layout, Point } from './layout';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Gap kept between a label and a node box, and between two labels. */
const NODE_MARGIN = 3;
const LABEL_MARGIN = 2;
/** Distance from the ends of an edge within which no label is put (the arrowhead, the port). */
const END_ROOM = 6;
const STEP = 12;
const CELL = 64;

export function intersects(a: Box, b: Box, margin = 0): boolean {
  return (
    a.x < b.x + b.width + margin &&
    b.x < a.x + a.width + margin &&
    a.y < b.y + b.height + margin &&
    b.y < a.y + a.height + margin
  );
}

/** Boxes in a uniform grid; `hits` says whether a box comes within `margin` of any stored box. */
class Grid {
  private readonly cells = new Map<number, Box[]>();
  private key(cx: number, cy: number): number {
    // Cells are bounded by the drawing; 2^20 columns is far beyond any real one.
    return cy * 1048576 + cx;
  }
  private each(b: Box, margin: number, fn: (cell: number) => boolean | void): boolean {
    const x0 = Math.floor((b.x - margin) / CELL),
      x1 = Math.floor((b.x + b.width + margin) / CELL);
    const y0 = Math.floor((b.y - margin) / CELL),
      y1 = Math.floor((b.y + b.height + margin) / CELL);
    for (let cy = y0; cy <= y1; cy++) for (let cx = x0; cx <= x1; cx++) if (fn(this.key(cx, cy))) return true;
    return false;
  }
  add(b: Box, margin: number): void {
    this.each(b, margin, (k) => {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    });
  }
  hits(b: Box, margin: number): boolean {
    return this.each(b, margin, (k) => this.cells.get(k)?.some((o) => intersects(b, o, margin)) ?? false);
  }
}

/** Candidate boxes for a label of size w×h along the polyline, nearest its start first. */
function* alongEdge(points: Point[], w: number, h: number): Generator<Box> {
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i],
      b = points[i + 1];
    const len = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
    if (len === 0) continue;
    const vertical = Math.abs(b.y - a.y) >= Math.abs(b.x - a.x);
    const from = i === 0 ? END_ROOM : 0,
      to = i + 2 === points.length ? len - END_ROOM : len;
    for (let d = from; d <= to; d += STEP) {
      const t = d / len;
      const x = Math.round(a.x + (b.x - a.x) * t),
        y = Math.round(a.y + (b.y - a.y) * t);
      if (vertical) {
        // Beside the line, starting just below the point so the label reads downwards with the edge.
        yield { x: x + 4, y: b.y >= a.y ? y : y - h, width: w, height: h };
        yield { x: x - 4 - w, y: b.y >= a.y ? y : y - h, width: w, height: h };
        yield { x: Math.round(x - w / 2), y: Math.round(y - h / 2), width: w, height: h };
      } else {
        const left = b.x >= a.x ? x : x - w;
        yield { x: left, y: y - h - 2, width: w, height: h };
        yield { x: left, y: y + 2, width: w, height: h };
        yield { x: Math.round(x - w / 2), y: Math.round(y - h / 2), width: w, height: h };
      }
    }
  }
}

/** Rings of boxes around a point at growing distance (a fallback that always ends: space is unbounded). */
function* rings(c: Point, w: number, h: number): Generator<Box> {
  for (let r = 1; ; r++) {
    const d = r * STEP;
    for (let k = -r; k <= r; k++) {
      const o = k * STEP;
      for (const [dx, dy] of [
        [o, -d],
        [o, d],
        [-d, o],
        [d, o],
      ])
        yield { x: Math.round(c.x + dx - w / 2), y: Math.round(c.y + dy - h / 2), width: w, height: h };
    }
  }
}

/**
 * Gives every labelled edge a free label box (in place) and grows the layout's size so nothing is
 * clipped. Labels are placed in edge order, so the result is deterministic.
 */
export function placeEdgeLabels(layout: Layout, padding: number): Layout {
  const grid = new Grid();
  for (const n of layout.nodes) grid.add(n, NODE_MARGIN);
  const inside = (b: Box) => b.x >= padding / 2 && b.y >= padding / 2;
  const free = (b: Box) => inside(b) && !grid.hits(b, NODE_MARGIN);
  const labelled = layout.edges.filter((e) => e.label !== undefined && e.labelBox);
  const pending: typeof labelled = [];
  // First the engine's own boxes that are free: ELK's are usually good and stay where it put them.
  for (const e of labelled) {
    const b = e.labelBox!;
    if (free(b)) grid.add(b, LABEL_MARGIN);
    else pending.push(e);
  }
  for (const e of pending) {
    const { width: w, height: h } = e.labelBox!;
    let found: Box | undefined;
    for (const b of alongEdge(e.points, w, h))
      if (free(b)) {
        found = b;
        break;
      }
    if (!found) {
      const c = e.points.length
        ? e.points[Math.floor((e.points.length - 1) / 2)]
        : { x: e.labelBox!.x, y: e.labelBox!.y };
      for (const b of rings(c, w, h))
        if (free(b)) {
          found = b;
          break;
        }
    }
    e.labelBox = found!;
    grid.add(found!, LABEL_MARGIN);
  }
  let right = layout.width - padding,
    bottom = layout.height - padding;
  for (const e of layout.edges) {
    for (const p of e.points) {
      right = Math.max(right, p.x);
      bottom = Math.max(bottom, p.y);
    }
    if (e.labelBox) {
      right = Math.max(right, e.labelBox.x + e.labelBox.width);
      bottom = Math.max(bottom, e.labelBox.y + e.labelBox.height);
    }
  }
  layout.width = Math.max(layout.width, Math.ceil(right + padding));
  layout.height = Math.max(layout.height, Math.ceil(bottom + padding));
  return layout;
}

/** Every pair of overlapping label boxes and every label overlapping a node box (for tests and checks). */
export function labelCollisions(layout: Layout): string[] {
  const out: string[] = [];
  const labels = layout.edges.filter((e) => e.labelBox);
  const name = (e: (typeof labels)[number]) => `${e.from}#${e.index} "${e.label}"`;
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i].labelBox!;
    for (let j = i + 1; j < labels.length; j++)
      if (intersects(a, labels[j].labelBox!)) out.push(`label ${name(labels[i])} overlaps label ${name(labels[j])}`);
    for (const n of layout.nodes) if (intersects(a, n)) out.push(`label ${name(labels[i])} overlaps node ${n.key}`);
    if (a.x < 0 || a.y < 0 || a.x + a.width > layout.width || a.y + a.height > layout.height)
      out.push(`label ${name(labels[i])} is outside the drawing`);
  }
  return out;
}
