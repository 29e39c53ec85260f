// Draws a GraphMessage as SVG: the laid-out nodes and edges exactly where the layout put them (edge
// label boxes included: the layout guarantees they overlap nothing), plus what the host marks —
// diagnostics on nodes and on edges, ghost nodes for edges to unknown nodes, and in changes mode the
// status of each node and edge (a renamed node says its old key).
// Types only: the page bundle must not pull in the layout engine.
import type { LaidOutEdge, LaidOutNode } from '../../../core/layout';
import type { GraphMessage } from '../messages';
import { el } from './dom';

export interface Drawing {
  svg: SVGSVGElement;
  scene: SVGGElement;
  nodes: Map<string, { g: SVGGElement; node: LaidOutNode }>;
}

export interface DrawOptions {
  changes: boolean;
  highlighted?: string;
  onReveal: (key: string) => void;
}

/** Average width of a character of the node's type line (10 px): used to shorten the rename note. */
const TYPE_CHAR = 6.6;

export function drawGraph(msg: GraphMessage, o: DrawOptions): Drawing {
  const { layout } = msg;
  const changes = o.changes ? msg.changes : undefined;
  const svg = el('svg', { id: 'graph', role: 'group', 'aria-label': msg.title || 'workflow graph' });
  const defs = el('defs', {}, svg);
  for (const [id, cls] of [
    ['arrow', 'arrowhead'],
    ['arrow-error', 'arrowhead arrowhead-error'],
    ['arrow-warning', 'arrowhead arrowhead-warning'],
  ]) {
    const marker = el(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 9,
        markerHeight: 9,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto-start-reverse',
      },
      defs,
    );
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }, marker);
  }
  const scene = el('g', { id: 'scene' }, svg);
  // The drawing's own area, so that it can be told apart from the panel's background when panning.
  el('rect', { class: 'backdrop', x: 0, y: 0, width: layout.width, height: layout.height }, scene);

  const edges = el('g', { class: 'edges' }, scene);
  const labels = el('g', { class: 'edge-labels' }, scene);
  for (const e of layout.edges) drawEdge(e, msg, changes, edges, labels);

  const nodes = el('g', { class: 'nodes' }, scene);
  const byKey: Drawing['nodes'] = new Map();
  for (const n of layout.nodes) byKey.set(n.key, { g: drawNode(n, msg, changes, o, nodes), node: n });
  // Labels above the nodes' layer: they never overlap a node, and stay readable over edges.
  scene.appendChild(labels);
  return { svg, scene, nodes: byKey };
}

function drawEdge(
  e: LaidOutEdge,
  msg: GraphMessage,
  changes: GraphMessage['changes'],
  edges: SVGGElement,
  labels: SVGGElement,
): void {
  if (e.points.length < 2) return;
  const key = `${e.from}|${e.label ?? ''}|${e.to}`;
  const status = changes?.edges[key];
  const ghost = msg.layout.nodes.some((n) => n.ghost && n.key === e.to);
  const classes = ['edge'];
  if (status) classes.push(`change-${status}`);
  if (e.mark) classes.push(`diag-${e.mark.severity}`);
  if (ghost) classes.push('dangling');
  const g = el(
    'g',
    { class: classes.join(' '), 'data-from': e.from, 'data-to': e.to, 'data-index': e.index, 'data-key': key },
    edges,
  );
  const severity = e.mark?.severity ?? (ghost ? 'error' : undefined);
  const arrow = severity === 'error' ? 'arrow-error' : severity === 'warning' ? 'arrow-warning' : 'arrow';
  el('path', { d: 'M ' + e.points.map((p) => `${p.x} ${p.y}`).join(' L '), 'marker-end': `url(#${arrow})` }, g);
  const tip = [
    `${e.from} → ${e.to}${e.label !== undefined ? ` on ${e.label}` : ''}`,
    ...(ghost ? [`"${e.to}" is not a node of this workflow`] : []),
    ...(e.mark?.messages ?? []),
    ...(status ? [`${status} since ${changes!.base}`] : []),
  ].join('\n');
  el('title', {}, g).textContent = tip;
  if (e.mark) {
    // A badge on the edge itself, a third of the way along its longest segment.
    const p = badgeAt(e.points);
    const b = el('g', { class: `edge-badge diag-${e.mark.severity}`, transform: `translate(${p.x} ${p.y})` }, g);
    el('circle', { r: 6 }, b);
    el('text', { y: 3.5, 'text-anchor': 'middle' }, b).textContent = '!';
  }
  if (e.label !== undefined && e.labelBox) {
    const b = e.labelBox;
    const lg = el(
      'g',
      { class: `edge-label${e.mark ? ` diag-${e.mark.severity}` : ''}`, 'data-from': e.from, 'data-index': e.index },
      labels,
    );
    el('rect', { class: 'edge-label-bg', x: b.x, y: b.y, width: b.width, height: b.height, rx: 3 }, lg);
    el('text', { x: b.x + b.width / 2, y: b.y + b.height / 2 + 4, 'text-anchor': 'middle' }, lg).textContent = e.label;
    el('title', {}, lg).textContent = tip;
  }
}

function badgeAt(points: { x: number; y: number }[]): { x: number; y: number } {
  let best = 0,
    len = -1;
  for (let i = 0; i + 1 < points.length; i++) {
    const l = Math.abs(points[i + 1].x - points[i].x) + Math.abs(points[i + 1].y - points[i].y);
    if (l > len) {
      len = l;
      best = i;
    }
  }
  const a = points[best],
    b = points[best + 1];
  return { x: Math.round(a.x + (b.x - a.x) / 3), y: Math.round(a.y + (b.y - a.y) / 3) };
}

function drawNode(
  n: LaidOutNode,
  msg: GraphMessage,
  changes: GraphMessage['changes'],
  o: DrawOptions,
  parent: SVGGElement,
): SVGGElement {
  const mark = n.ghost ? undefined : msg.marks[n.key];
  const status = n.ghost ? undefined : changes?.nodes[n.key];
  const renamedFrom = status === 'renamed' ? changes?.renamedFrom?.[n.key] : undefined;
  const classes = ['node', `type-${n.type}`];
  if (n.ghost) classes.push('ghost');
  if (n.entry) classes.push('entry');
  if (mark) classes.push(`diag-${mark.severity}`);
  if (status) classes.push(`change-${status}`);
  if (n.key === o.highlighted) classes.push('highlight');
  const typeLine = n.ghost
    ? 'unknown node'
    : renamedFrom !== undefined
      ? renameNote(renamedFrom, n.width - 12)
      : n.type + (n.entry ? ' · entry' : '');
  const g = el(
    'g',
    {
      class: classes.join(' '),
      'data-key': n.key,
      transform: `translate(${n.x} ${n.y})`,
      ...(n.ghost
        ? { role: 'img', 'aria-label': `unknown node ${n.key}` }
        : {
            tabindex: 0,
            role: 'button',
            'aria-label': `${n.label}, ${typeLine}${mark ? `, ${mark.severity}` : ''}`,
          }),
    },
    parent,
  );
  const color = n.ghost ? 'currentColor' : (msg.colors[n.type] ?? '#5f6368');
  el(
    'rect',
    {
      class: 'node-box',
      width: n.width,
      height: n.height,
      rx: n.type === 'CONVERTED' || n.type === 'DROPPED' ? n.height / 2 : 6,
      ...(n.ghost ? {} : { fill: color, stroke: color }),
    },
    g,
  );
  el('text', { class: 'node-label', x: n.width / 2, y: 20, 'text-anchor': 'middle' }, g).textContent = n.label;
  el('text', { class: 'node-type', x: n.width / 2, y: 36, 'text-anchor': 'middle' }, g).textContent = typeLine;
  if (mark) el('circle', { class: 'diag-dot', cx: n.width - 6, cy: 6, r: 5 }, g);
  el('title', {}, g).textContent = n.ghost
    ? `"${n.key}" is not a node of this workflow: the edges drawn to it lead nowhere (WF110).`
    : [
        `${n.key} (${n.type})`,
        ...(renamedFrom !== undefined ? [`renamed from ${renamedFrom} since ${changes!.base}`] : []),
        ...(mark?.messages ?? []),
        ...(status && status !== 'renamed' ? [`${status} since ${changes!.base}`] : []),
      ].join('\n');
  if (!n.ghost) {
    g.addEventListener('click', () => o.onReveal(n.key));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        o.onReveal(n.key);
      }
    });
  }
  return g;
}

/** "renamed from <old>", or the shorter "was <old>" when that does not fit, shortened with an ellipsis if need be (the tooltip has it in full). */
function renameNote(old: string, width: number): string {
  const max = Math.max(4, Math.floor(width / TYPE_CHAR));
  for (const text of [`renamed from ${old}`, `was ${old}`]) if (text.length <= max) return text;
  return `was ${old}`.slice(0, max - 1) + '…';
}
