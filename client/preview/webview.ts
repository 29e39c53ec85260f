// The graph preview page (runs inside the webview, bundled to dist/webview.js). It only draws what the
// host sends: a finished layout plus marks; it never parses YAML. Clicking a node asks the host to
// reveal it in the text; the host tells it which node the cursor is in. Zoom, pan and fit live in
// webview/viewport.ts, the drawing in webview/draw.ts, the legend in webview/legend.ts.
import './preview.css';
import type { HostMessage, PageMessage, PageState, GraphMessage } from './messages';
import { $ } from './webview/dom';
import { drawGraph, type Drawing } from './webview/draw';
import { renderLegend } from './webview/legend';
import { Minimap } from './webview/minimap';
import { Viewport } from './webview/viewport';

interface VsCodeApi {
  postMessage(msg: PageMessage): void;
  getState(): PageState | undefined;
  setState(s: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const canvas = $('canvas');
const banner = $('banner');
const legend = $('legend');
const zoomLevel = $('zoom-level') as HTMLButtonElement;
const changesButton = $('changes') as HTMLButtonElement;

const state: PageState = vscode.getState() ?? { changes: false };
let highlighted: string | undefined;
let drawing: Drawing | undefined;
let drawnUri: string | undefined;

const viewport = new Viewport(canvas, (v) => {
  zoomLevel.textContent = `${Math.round(v.scale * 100)}%`;
  minimap?.update();
});
// eslint-disable-next-line prefer-const -- the viewport's callback above reads it once it is set
let minimap: Minimap | undefined;
minimap = new Minimap($('view'), viewport);

function draw(msg: GraphMessage): void {
  const d = drawGraph(msg, {
    changes: state.changes,
    highlighted,
    onReveal: (key) => vscode.postMessage({ type: 'reveal', key }),
  });
  // Keyboard focus on a node (Tab) brings it into view.
  d.svg.addEventListener('focusin', (ev) => {
    const key = (ev.target as Element).closest?.('g.node')?.getAttribute('data-key');
    const n = key ? d.nodes.get(key)?.node : undefined;
    if (n) viewport.reveal(n);
  });
  const focused = (document.activeElement as Element | null)?.closest?.('g.node')?.getAttribute('data-key');
  canvas.replaceChildren(d.svg);
  const same = drawnUri === msg.uri;
  drawing = d;
  drawnUri = msg.uri;
  minimap?.show(msg.layout.nodes, { width: msg.layout.width, height: msg.layout.height });
  viewport.attach(d.scene, { width: msg.layout.width, height: msg.layout.height }, same);
  // Redrawing while typing must not steal or drop the keyboard focus of a node.
  if (focused) (d.nodes.get(focused)?.g as SVGGElement | undefined)?.focus({ preventScroll: true });
  $('title').textContent = msg.title;
  renderLegend(legend, msg, state.changes);
}

function setHighlight(key: string | undefined): void {
  highlighted = key;
  if (!drawing) return;
  for (const [k, { g, node }] of drawing.nodes) {
    const on = k === key;
    g.classList.toggle('highlight', on);
    if (on) viewport.reveal(node);
  }
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
        minimap?.show([], { width: 0, height: 0 });
        drawing = undefined;
        drawnUri = undefined;
        state.last = undefined;
        renderLegend(legend, undefined, state.changes);
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

// Zoom and pan keys anywhere in the page except where a key has its own meaning (a button's
// Enter or Space is left alone: those are not zoom keys).
document.addEventListener('keydown', (ev) => {
  if (viewport.key(ev)) ev.preventDefault();
});
$('zoom-in').addEventListener('click', () => viewport.zoomIn());
$('zoom-out').addEventListener('click', () => viewport.zoomOut());
$('fit').addEventListener('click', () => viewport.fit());
zoomLevel.addEventListener('click', () => viewport.actualSize());
changesButton.addEventListener('click', () => {
  const on = changesButton.getAttribute('aria-pressed') !== 'true';
  vscode.postMessage({ type: 'toggleChanges', on });
});
$('export-mermaid').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'mermaid' }));
$('export-svg').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'svg' }));

changesButton.setAttribute('aria-pressed', String(state.changes));
if (state.last) draw(state.last);
vscode.postMessage({ type: 'ready' });
