// Fault injection and request statistics, for the platform client's tests and benchmark.
// Faults exist only when the emulator starts with `faults: true` (`--faults`); stats are always kept.
import { badRequest } from './http';

export interface FaultRule {
  method?: string;
  /** A regular expression searched in the request path (e.g. "/nodes$"). */
  path?: string;
  /** 1-based: the first matching request this rule affects (default 1). */
  nth?: number;
  /** How many matching requests it affects from the nth on (default 1). */
  times?: number;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  /** Destroy the connection without any response; the handler does not run. */
  reset?: boolean;
  /** Run the handler (its change is committed), then destroy the connection: the lost response. */
  after?: boolean;
  /**
   * A queueing gateway: destroy the connection at once (the client sees a network error) and process
   * the request afterwards, `lateMs` after the drop (default 0): a create the client gave up on appears.
   */
  late?: boolean;
  lateMs?: number;
  /**
   * With late: the request waits until `POST /__emulator/faults/release` instead of `lateMs`, so a test
   * decides exactly when the create the client gave up on lands (before or after its retry, or after the push).
   */
  hold?: boolean;
}

interface LiveRule extends FaultRule {
  regex?: RegExp;
  seen: number;
  fired: number;
}

export interface FaultDecision {
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  reset?: boolean;
  after?: boolean;
  late?: boolean;
  lateMs?: number;
  hold?: boolean;
}

const KEYS = new Set([
  'method',
  'path',
  'nth',
  'times',
  'status',
  'retryAfter',
  'latencyMs',
  'reset',
  'after',
  'late',
  'lateMs',
  'hold',
]);

export class Faults {
  private rules: LiveRule[] = [];

  /** Replaces the current rules; every problem is reported at once. */
  set(body: Record<string, unknown>): number {
    if (!Array.isArray(body.rules)) throw badRequest(['rules must be an array']);
    const problems: string[] = [];
    const rules: LiveRule[] = body.rules.map((r: unknown, i: number) => {
      const at = `rules[${i}]`;
      if (!r || typeof r !== 'object' || Array.isArray(r)) {
        problems.push(`${at} must be an object`);
        return { seen: 0, fired: 0 };
      }
      const o = r as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!KEYS.has(k)) problems.push(`${at}.${k} is not a fault rule field`);
      const int = (k: string, min: number) => {
        if (o[k] === undefined) return;
        if (typeof o[k] !== 'number' || !Number.isInteger(o[k]) || (o[k] as number) < min)
          problems.push(`${at}.${k} must be an integer ≥ ${min}`);
      };
      int('nth', 1);
      int('times', 1);
      int('retryAfter', 0);
      int('latencyMs', 0);
      int('lateMs', 0);
      if (o.status !== undefined && (typeof o.status !== 'number' || o.status < 400 || o.status > 599))
        problems.push(`${at}.status must be an HTTP error status (400-599)`);
      if (o.method !== undefined && typeof o.method !== 'string') problems.push(`${at}.method must be a string`);
      let regex: RegExp | undefined;
      if (o.path !== undefined) {
        try {
          regex = new RegExp(String(o.path));
        } catch (e) {
          problems.push(`${at}.path is not a regular expression: ${(e as Error).message}`);
        }
      }
      if (
        o.status === undefined &&
        o.latencyMs === undefined &&
        o.reset !== true &&
        o.after !== true &&
        o.late !== true
      ) {
        problems.push(`${at} has no effect: give status, latencyMs, reset, after or late`);
      }
      if (o.lateMs !== undefined && o.late !== true) problems.push(`${at}.lateMs needs late: true`);
      if (o.hold !== undefined && o.late !== true) problems.push(`${at}.hold needs late: true`);
      if (o.hold !== undefined && o.lateMs !== undefined) problems.push(`${at}: give hold or lateMs, not both`);
      return {
        ...(o as FaultRule),
        method: typeof o.method === 'string' ? o.method.toUpperCase() : undefined,
        regex,
        seen: 0,
        fired: 0,
      };
    });
    if (problems.length) throw badRequest(problems);
    this.rules = rules;
    return rules.length;
  }

  clear(): void {
    this.rules = [];
  }

  list() {
    return this.rules.map(({ regex: _r, ...r }) => r);
  }

  /** Called once per API request, before its handler: every matching rule counts it; the first due one applies. */
  decide(method: string, path: string): FaultDecision | undefined {
    let chosen: LiveRule | undefined;
    for (const r of this.rules) {
      if (r.method && r.method !== method) continue;
      if (r.regex && !r.regex.test(path)) continue;
      r.seen++;
      const due = r.seen >= (r.nth ?? 1) && r.fired < (r.times ?? 1);
      if (due && !chosen) {
        chosen = r;
        r.fired++;
      }
    }
    if (!chosen) return undefined;
    return {
      status: chosen.status,
      retryAfter: chosen.retryAfter,
      latencyMs: chosen.latencyMs,
      reset: chosen.reset,
      after: chosen.after,
      late: chosen.late,
      lateMs: chosen.lateMs,
      hold: chosen.hold,
    };
  }
}

interface Counts {
  reads: number;
  writes: number;
  byRoute: Record<string, number>;
}

const empty = (): Counts => ({ reads: 0, writes: 0, byRoute: {} });

/** Requests received, as reads (GET) and writes (POST, PATCH, DELETE), overall and per workspace. */
export class Stats {
  private all = empty();
  private perWorkspace = new Map<string, Counts>();

  count(method: string, routeKey: string, workspaceId: string | undefined): void {
    const targets = [this.all];
    if (workspaceId) {
      if (!this.perWorkspace.has(workspaceId)) this.perWorkspace.set(workspaceId, empty());
      targets.push(this.perWorkspace.get(workspaceId)!);
    }
    for (const c of targets) {
      if (method === 'GET' || method === 'HEAD') c.reads++;
      else c.writes++;
      const k = `${method} ${routeKey}`;
      c.byRoute[k] = (c.byRoute[k] ?? 0) + 1;
    }
  }

  snapshot(workspaceId?: string | null) {
    if (workspaceId) return this.perWorkspace.get(workspaceId) ?? empty();
    return {
      ...this.all,
      byWorkspace: Object.fromEntries(
        [...this.perWorkspace].map(([k, v]) => [k, { reads: v.reads, writes: v.writes }]),
      ),
    };
  }

  reset(): void {
    this.all = empty();
    this.perWorkspace.clear();
  }
}

export class RateLimiter {
  private buckets = new Map<string, { start: number; count: number }>();

  /** Fixed windows per key: the first request opens a window of `windowSeconds`. */
  take(bucket: string, limit: number, windowSeconds: number, now = Date.now()) {
    let b = this.buckets.get(bucket);
    if (!b || now >= b.start + windowSeconds * 1000) {
      b = { start: now, count: 0 };
      this.buckets.set(bucket, b);
    }
    const resetMs = b.start + windowSeconds * 1000;
    const allowed = b.count < limit;
    if (allowed) b.count++;
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - b.count)),
        'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
      } as Record<string, string>,
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }
}
