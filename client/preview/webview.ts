// The graph preview page (runs inside the webview, bundled to dist/webview.js). It only draws what the
// host sends: a finished layout plus marks; it never parses YAML. Clicking a node asks the host to
// reveal it in the text; the host tells it which node the cursor is in.
import './preview.css';
import type { GraphMessage, HostMessage, PageMessage, PageState } from './messages';

interface VsCodeApi {
  postMessage(msg: PageMessage): void;
  getState(): PageState | undefined;
  setState(s: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id: string) => document.getElementById(id)!;
const canvas = $('canvas');
const banner = $('banner');
const legend = $('legend');
const changesButton = $('changes') as HTMLButtonElement;

const state: PageState = vscode.getState() ?? { changes: false };
let highlighted: string | undefined;

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function draw(msg: GraphMessage): void {
  const { layout } = msg;
  const changes = state.changes ? msg.changes : undefined;
  const w = Math.max(layout.width, 40),
    h = Math.max(layout.height, 40);
  const svg = el('svg', {
    id: 'graph',
    viewBox: `0 0 ${w} ${h}`,
    width: w,
    height: h,
    role: 'img',
    'aria-label': msg.title || 'workflow graph',
  });
  const defs = el('defs', {}, svg);
  const marker = el(
    'marker',
    {
      id: 'arrow',
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
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }, marker);

  const edges = el('g', { class: 'edges' }, svg);
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const key = `${e.from}|${e.label ?? ''}|${e.to}`;
    const status = changes?.edges[key];
    const g = el(
      'g',
      { class: `edge${status ? ` change-${status}` : ''}`, 'data-from': e.from, 'data-to': e.to, 'data-key': key },
      edges,
    );
    el('path', { d: 'M ' + e.points.map((p) => `${p.x} ${p.y}`).join(' L '), 'marker-end': 'url(#arrow)' }, g);
    if (e.label !== undefined && e.labelBox) {
      const b = e.labelBox;
      el('rect', { class: 'edge-label-bg', x: b.x - 2, y: b.y, width: b.width + 4, height: b.height, rx: 3 }, g);
      const t = el(
        'text',
        { class: 'edge-label', x: b.x + b.width / 2, y: b.y + b.height / 2 + 4, 'text-anchor': 'middle' },
        g,
      );
      t.textContent = e.label;
    }
  }

  const nodes = el('g', { class: 'nodes' }, svg);
  for (const n of layout.nodes) {
    const mark = msg.marks[n.key];
    const status = changes?.nodes[n.key];
    const classes = ['node', `type-${n.type}`];
    if (n.entry) classes.push('entry');
    if (mark) classes.push(`diag-${mark.severity}`);
    if (status) classes.push(`change-${status}`);
    if (n.key === highlighted) classes.push('highlight');
    const g = el(
      'g',
      {
        class: classes.join(' '),
        'data-key': n.key,
        tabindex: 0,
        role: 'button',
        transform: `translate(${n.x} ${n.y})`,
      },
      nodes,
    );
    const color = msg.colors[n.type] ?? '#5f6368';
    el(
      'rect',
      {
        class: 'node-box',
        width: n.width,
        height: n.height,
        rx: n.type === 'CONVERTED' || n.type === 'DROPPED' ? n.height / 2 : 6,
        fill: color,
        stroke: color,
      },
      g,
    );
    const label = el('text', { class: 'node-label', x: n.width / 2, y: 20, 'text-anchor': 'middle' }, g);
    label.textContent = n.label;
    const type = el('text', { class: 'node-type', x: n.width / 2, y: 36, 'text-anchor': 'middle' }, g);
    type.textContent = n.type + (n.entry ? ' · entry' : '');
    if (mark) {
      el('circle', { class: 'diag-dot', cx: n.width - 6, cy: 6, r: 5 }, g);
    }
    const tip = el('title', {}, g);
    tip.textContent = [
      `${n.key} (${n.type})`,
      ...(mark?.messages ?? []),
      ...(status ? [`${status} since ${changes!.base}`] : []),
    ].join('\n');
    g.addEventListener('click', () => vscode.postMessage({ type: 'reveal', key: n.key }));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') vscode.postMessage({ type: 'reveal', key: n.key });
    });
  }

  canvas.replaceChildren(svg);
  $('title').textContent = msg.title;
  drawLegend(msg);
}

function drawLegend(msg: GraphMessage): void {
  const lines: string[] = [];
  if (state.changes) {
    const c = msg.changes;
    if (!c) lines.push(msg.changesNote ?? 'No base revision to compare with.');
    else {
      const counted = Object.values(c.nodes);
      const count = (s: string) => counted.filter((x) => x === s).length;
      lines.push(
        `Since ${c.base}: ${count('added')} added, ${count('changed')} changed, ${count('renamed')} renamed, ${c.removedNodes.length} removed nodes; ${Object.keys(c.edges).length} new or moved, ${c.removedEdges.length} removed edges.`,
      );
      if (c.removedNodes.length) lines.push(`Removed nodes: ${c.removedNodes.join(', ')}`);
      if (c.removedEdges.length)
        lines.push(
          `Removed edges: ${c.removedEdges.map((r) => `${r.from} —${r.edge.on ?? 'any'}→ ${r.edge.to}`).join(', ')}`,
        );
    }
  }
  legend.hidden = lines.length === 0;
  legend.replaceChildren(
    ...lines.map((l) => {
      const p = document.createElement('p');
      p.textContent = l;
      return p;
    }),
  );
}

function setHighlight(key: string | undefined): void {
  highlighted = key;
  canvas.querySelectorAll('g.node').forEach((g) => {
    const on = g.getAttribute('data-key') === key;
    g.classList.toggle('highlight', on);
    if (on) (g as SVGGElement).scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  });
}

function showBanner(text: string | undefined): void {
  banner.hidden = !text;
  banner.textContent = text ?? '';
}

function save(): void {
  vscode.setState(state);
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const msg = ev.data;
  switch (msg?.type) {
    case 'graph':
      if (state.last && state.last.uri !== msg.uri) highlighted = undefined;
      state.last = msg;
      showBanner(undefined);
      draw(msg);
      save();
      break;
    case 'parseError':
      // Keep drawing the last good graph of this file; say why it is not current.
      if (state.last?.uri !== msg.uri) {
        canvas.replaceChildren();
        state.last = undefined;
        save();
      }
      showBanner(state.last ? `Showing the last valid graph. ${msg.message}` : msg.message);
      break;
    case 'highlight':
      setHighlight(msg.key);
      break;
    case 'mode':
      state.changes = msg.changes;
      changesButton.setAttribute('aria-pressed', String(msg.changes));
      save();
      if (state.last) draw(state.last);
      break;
  }
});

changesButton.addEventListener('click', () => {
  const on = changesButton.getAttribute('aria-pressed') !== 'true';
  vscode.postMessage({ type: 'toggleChanges', on });
});
$('export-mermaid').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'mermaid' }));
$('export-svg').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'svg' }));

changesButton.setAttribute('aria-pressed', String(state.changes));
if (state.last) draw(state.last);
vscode.postMessage({ type: 'ready' });
