// Zoom and pan of the drawn graph: one transform on the scene group (screen = world × scale +
// offset). The graph is fitted to the panel when it is first shown and whenever the panel is
// resized while still fitted; once the user zooms or pans, updates of the same file keep the view.
// Mouse: wheel zooms about the pointer, drag pans. Keyboard: + and - zoom, 0 fits, 1 is 100 %,
// arrows pan (Shift: further). A node that gets keyboard focus is brought into view.
export interface Size {
  width: number;
  height: number;
}
export interface Box extends Size {
  x: number;
  y: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;
/** Fitting never enlarges a small graph beyond this: a two-node file stays at a readable size. */
const FIT_MAX = 1.25;
const MARGIN = 16;
const STEP = 1.25;
const PAN = 48;

export class Viewport {
  scale = 1;
  x = 0;
  y = 0;
  /** True until the user zooms or pans: then resizes and updates refit. */
  fitted = true;
  private content: Size = { width: 0, height: 0 };
  private scene: SVGGElement | undefined;

  constructor(
    private readonly host: HTMLElement,
    private readonly onChange: (v: Viewport) => void,
  ) {
    new ResizeObserver(() => {
      if (this.fitted) this.fit();
    }).observe(host);
    host.addEventListener('wheel', (ev) => this.onWheel(ev), { passive: false });
    this.dragging();
  }

  /** A new drawing; `keep`: the same file redrawn, so the user's zoom and pan stay. */
  attach(scene: SVGGElement, content: Size, keep: boolean): void {
    this.scene = scene;
    this.content = content;
    if (keep && !this.fitted) this.apply();
    else this.fit();
  }

  private get area(): Size {
    return { width: this.host.clientWidth, height: this.host.clientHeight };
  }

  fit(): void {
    const { width, height } = this.area;
    const { width: w, height: h } = this.content;
    if (w <= 0 || h <= 0 || width <= 0 || height <= 0) {
      this.set(1, 0, 0, true);
      return;
    }
    const s = clamp(Math.min((width - 2 * MARGIN) / w, (height - 2 * MARGIN) / h, FIT_MAX));
    this.set(s, (width - w * s) / 2, Math.max(MARGIN, (height - h * s) / 2), true);
  }

  /** Zoom by `factor` about a point of the panel (its centre by default). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    this.zoomTo(this.scale * factor, at);
  }

  zoomTo(scale: number, at?: { x: number; y: number }): void {
    const { width, height } = this.area;
    const p = at ?? { x: width / 2, y: height / 2 };
    const s = clamp(scale);
    const k = s / this.scale;
    this.set(s, p.x - (p.x - this.x) * k, p.y - (p.y - this.y) * k, false);
  }

  zoomIn(): void {
    this.zoomBy(STEP);
  }
  zoomOut(): void {
    this.zoomBy(1 / STEP);
  }
  /** 100 %: the drawing at its natural size, keeping the panel's centre where it is. */
  actualSize(): void {
    this.zoomTo(1);
  }

  panBy(dx: number, dy: number): void {
    this.set(this.scale, this.x + dx, this.y + dy, false);
  }

  /** The part of the drawing in view, in the drawing's units. */
  visible(): Box {
    const { width, height } = this.area;
    return { x: -this.x / this.scale, y: -this.y / this.scale, width: width / this.scale, height: height / this.scale };
  }

  /** Pans so that a point of the drawing is at the panel's centre. */
  centreOn(p: { x: number; y: number }): void {
    const { width, height } = this.area;
    this.set(this.scale, width / 2 - p.x * this.scale, height / 2 - p.y * this.scale, false);
  }

  /** Brings a box of the drawing (a node) fully into view, panning as little as needed. */
  reveal(b: Box): void {
    const { width, height } = this.area;
    const left = b.x * this.scale + this.x,
      top = b.y * this.scale + this.y;
    const right = left + b.width * this.scale,
      bottom = top + b.height * this.scale;
    let dx = 0,
      dy = 0;
    if (left < MARGIN) dx = MARGIN - left;
    else if (right > width - MARGIN) dx = width - MARGIN - right;
    if (top < MARGIN) dy = MARGIN - top;
    else if (bottom > height - MARGIN) dy = height - MARGIN - bottom;
    if (dx || dy) this.set(this.scale, this.x + dx, this.y + dy, false);
  }

  /** Handles a zoom or pan key; true when it was one. */
  key(ev: KeyboardEvent): boolean {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return false;
    const far = ev.shiftKey ? 4 : 1;
    switch (ev.key) {
      case '+':
      case '=':
        this.zoomIn();
        return true;
      case '-':
      case '_':
        this.zoomOut();
        return true;
      case '0':
        this.fit();
        return true;
      case '1':
        this.actualSize();
        return true;
      case 'ArrowLeft':
        this.panBy(PAN * far, 0);
        return true;
      case 'ArrowRight':
        this.panBy(-PAN * far, 0);
        return true;
      case 'ArrowUp':
        this.panBy(0, PAN * far);
        return true;
      case 'ArrowDown':
        this.panBy(0, -PAN * far);
        return true;
    }
    return false;
  }

  private onWheel(ev: WheelEvent): void {
    ev.preventDefault();
    const r = this.host.getBoundingClientRect();
    // Pixel deltas from a wheel notch are ~100; a trackpad sends many small ones.
    const factor = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
    this.zoomBy(factor, { x: ev.clientX - r.left, y: ev.clientY - r.top });
  }

  /** Drag anywhere to pan; a press that does not move stays a click (a node's reveal). */
  private dragging(): void {
    let start: { x: number; y: number; vx: number; vy: number; id: number } | undefined;
    let moved = false;
    this.host.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      start = { x: ev.clientX, y: ev.clientY, vx: this.x, vy: this.y, id: ev.pointerId };
      moved = false;
    });
    this.host.addEventListener('pointermove', (ev) => {
      if (!start || ev.pointerId !== start.id) return;
      const dx = ev.clientX - start.x,
        dy = ev.clientY - start.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!moved) this.host.setPointerCapture(ev.pointerId);
      moved = true;
      this.host.classList.add('panning');
      this.set(this.scale, start.vx + dx, start.vy + dy, false);
    });
    const end = (ev: PointerEvent) => {
      if (!start || ev.pointerId !== start.id) return;
      start = undefined;
      this.host.classList.remove('panning');
    };
    this.host.addEventListener('pointerup', end);
    this.host.addEventListener('pointercancel', end);
    // A drag that ends on a node is not a click on it.
    this.host.addEventListener(
      'click',
      (ev) => {
        if (moved) {
          ev.stopPropagation();
          moved = false;
        }
      },
      true,
    );
  }

  private set(scale: number, x: number, y: number, fitted: boolean): void {
    this.scale = scale;
    this.x = Math.round(x * 100) / 100;
    this.y = Math.round(y * 100) / 100;
    this.fitted = fitted;
    this.apply();
  }

  private apply(): void {
    this.scene?.setAttribute('transform', `translate(${this.x} ${this.y}) scale(${this.scale})`);
    this.onChange(this);
  }
}

function clamp(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}
