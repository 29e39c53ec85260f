// An overview in the panel's corner for large graphs (more nodes than fit legibly): every node as a
// small box and the visible part as a frame. Pressing or dragging in it centres the view there.
// Mouse only (aria-hidden): from the keyboard, Fit and the arrow keys do the same.
import type { LaidOutNode } from '../../../core/layout';
import { el } from './dom';
import type { Viewport } from './viewport';

/** Shown from this many nodes on. */
export const MINIMAP_MIN_NODES = 30;
const WIDTH = 160;
const HEIGHT = 120;

export class Minimap {
  private svg: SVGSVGElement | undefined;
  private frame: SVGRectElement | undefined;
  private k = 1;
  private ox = 0;
  private oy = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly viewport: Viewport,
  ) {}

  /** Draws the overview of a new drawing, or removes it for a small graph. */
  show(nodes: LaidOutNode[], size: { width: number; height: number }): void {
    this.svg?.remove();
    this.svg = undefined;
    if (nodes.length < MINIMAP_MIN_NODES || size.width <= 0 || size.height <= 0) return;
    this.k = Math.min(WIDTH / size.width, HEIGHT / size.height);
    this.ox = (WIDTH - size.width * this.k) / 2;
    this.oy = (HEIGHT - size.height * this.k) / 2;
    const svg = el('svg', { id: 'minimap', width: WIDTH, height: HEIGHT, 'aria-hidden': 'true' });
    const g = el('g', { transform: `translate(${this.ox} ${this.oy}) scale(${this.k})` }, svg);
    for (const n of nodes)
      el('rect', { class: n.ghost ? 'mm-node ghost' : 'mm-node', x: n.x, y: n.y, width: n.width, height: n.height }, g);
    this.frame = el('rect', { class: 'mm-frame' }, svg);
    let dragging = false;
    const go = (ev: PointerEvent) => {
      const r = svg.getBoundingClientRect();
      this.viewport.centreOn({
        x: (ev.clientX - r.left - this.ox) / this.k,
        y: (ev.clientY - r.top - this.oy) / this.k,
      });
    };
    // The canvas below pans on drag: the minimap's presses are its own.
    svg.addEventListener('pointerdown', (ev) => {
      ev.stopPropagation();
      dragging = true;
      svg.setPointerCapture(ev.pointerId);
      go(ev);
    });
    svg.addEventListener('pointermove', (ev) => {
      if (dragging) go(ev);
    });
    svg.addEventListener('pointerup', () => {
      dragging = false;
    });
    svg.addEventListener('wheel', (ev) => ev.stopPropagation());
    this.host.appendChild(svg);
    this.svg = svg;
    this.update();
  }

  /** Moves the frame to the visible part of the drawing. */
  update(): void {
    if (!this.svg || !this.frame) return;
    const v = this.viewport.visible();
    this.frame.setAttribute('x', String(this.ox + v.x * this.k));
    this.frame.setAttribute('y', String(this.oy + v.y * this.k));
    this.frame.setAttribute('width', String(Math.max(2, v.width * this.k)));
    this.frame.setAttribute('height', String(Math.max(2, v.height * this.k)));
  }
}
