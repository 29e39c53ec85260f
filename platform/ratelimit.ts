// Bounded concurrency plus pacing from the X-RateLimit-* headers: when the server says few
// requests remain in its window, new requests wait for the window to reset instead of
// running into 429s.
import { sleep } from './retry';

export class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(readonly limit: number) {
    if (limit < 1) throw new Error('concurrency must be at least 1');
  }
  get inFlight(): number {
    return this.active;
  }
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.active--;
  }
}

export class RateGate {
  private remaining?: number;
  private resetAt?: number; // ms since epoch
  /** How long pacing waited in total (for reports and tests). */
  waitedMs = 0;
  constructor(private readonly maxWaitMs = 60_000) {}

  observe(headers: Headers): void {
    const rem = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.has('x-ratelimit-remaining') && Number.isFinite(rem)) this.remaining = rem;
    if (headers.has('x-ratelimit-reset') && Number.isFinite(reset)) this.resetAt = reset * 1000;
  }

  /** Waits while the window has no room for one more request beside those in flight. */
  async pace(inFlight: number): Promise<void> {
    if (this.remaining === undefined || this.resetAt === undefined) return;
    if (this.remaining > inFlight) {
      this.remaining--;
      return;
    }
    const wait = Math.min(this.maxWaitMs, Math.max(0, this.resetAt - Date.now()) + 50);
    this.remaining = undefined; // re-learnt from the next response
    if (wait > 0) {
      this.waitedMs += wait;
      await sleep(wait);
    }
  }
}
