// The emulator's programmatic API: one HTTP server over one SQLite file, serving platform-api.md
// under /v1 for the workspaces of a seed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { agentRoutes } from './agents';
import { clearStaleLock, openDatabase, type DB } from './db';
import { edgeRoutes } from './edges';
import { Faults, RateLimiter, Stats } from './faults';
import {
  errorBody,
  HttpError,
  matchRoute,
  parseJsonObject,
  readBody,
  sendJson,
  type Request,
  type Route,
} from './http';
import { leadRoutes } from './leads';
import { nodeRoutes } from './nodes';
import { outcomesFrom, parseOutcomes, type OutcomesSpec } from './outcomes';
import { ensureClock, nowMs, Scheduler } from './scheduler';
import { phoneNumberRoutes } from './phone-numbers';
import { defaultSeedData, loadWorkspaces, readSeedFile, DEFAULT_RATE_LIMIT, type Workspace } from './seed';
import { getWorkflow, type Ctx } from './store';
import { workflowRoutes } from './workflows';

/** The fixed, non-secret key the CLI's `local` target uses; the default seed's default workspace accepts it. */
export const LOCAL_DEV_KEY = 'cf_local_dev';
export const API_PREFIX = '/v1';
export const DEFAULT_DB_PATH = '.callflow/emulator.sqlite';

export interface EmulatorOptions {
  /** 0 (default) picks any free port. */
  port?: number;
  host?: string;
  dbPath: string;
  /** A seed JSON file; default: emulator/default-seed.json (bundled). */
  seedPath?: string;
  /** The key the default workspace accepts (replaces the seed's keys for it). */
  key?: string;
  /** Enables /__emulator/faults. */
  faults?: boolean;
  /** No request errors on stderr. */
  quiet?: boolean;
  /** virtual (default): time moves with POST /__emulator/advance; real: by itself, `speed` virtual seconds per second. */
  clock?: 'virtual' | 'real';
  speed?: number;
  /** Call outcomes (emulator/outcomes.ts); default: the seeded default mix. */
  outcomes?: OutcomesSpec;
}

export interface RunningEmulator {
  url: string;
  key: string;
  /** True when no key was given and the seed had none: the key was made up for this run. */
  generatedKey: boolean;
  port: number;
  workspaces: Workspace[];
  /** Keys accepted that anyone can read in the bundled seed (`cf_local_dev`, ...). */
  publicKeys: string[];
  close(): Promise<void>;
}

/** Loopback only: the emulator's keys are local-development keys. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const ROUTES: Route<Ctx>[] = [
  ...workflowRoutes,
  ...nodeRoutes,
  ...edgeRoutes,
  ...leadRoutes,
  ...agentRoutes,
  ...phoneNumberRoutes,
];

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const seed = opts.seedPath ? readSeedFile(opts.seedPath) : defaultSeedData();
  const { workspaces, defaultKey, generatedKey } = loadWorkspaces(seed, opts.key);
  const byKey = new Map<string, Workspace>();
  for (const w of workspaces) for (const k of w.keys) byKey.set(k, w);
  const db = openDatabase(opts.dbPath);
  ensureClock(db);
  const scheduler = new Scheduler(db, workspaces, outcomesFrom(opts.outcomes ?? parseOutcomes({})));
  const app = new App(db, byKey, workspaces, opts, scheduler);
  const server = createServer((req, res) => {
    app.handle(req, res).catch((e) => app.crash(res, e));
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    db.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  // The real clock: every quarter second, the virtual time catches up with the real time elapsed × speed.
  let timer: NodeJS.Timeout | undefined;
  if (opts.clock === 'real') {
    const speed = opts.speed ?? 1;
    let last = Date.now();
    timer = setInterval(() => {
      const t = Date.now();
      const dt = (t - last) * speed;
      last = t;
      try {
        scheduler.advanceTo(nowMs(db) + Math.round(dt));
      } catch (e) {
        if (!opts.quiet) process.stderr.write(`emulator: clock: ${(e as Error).message}\n`);
      }
    }, 250);
    timer.unref();
  }
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${API_PREFIX}`,
    key: defaultKey,
    generatedKey,
    port,
    workspaces,
    publicKeys: bundledKeysIn(workspaces),
    close() {
      if (timer) clearInterval(timer);
      closed ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function bundledKeysIn(workspaces: Workspace[]): string[] {
  const bundled = loadWorkspaces(defaultSeedData()).workspaces.flatMap((w) => w.keys);
  return workspaces.flatMap((w) => w.keys).filter((k) => bundled.includes(k));
}

class App {
  private faults = new Faults();
  private late = { queued: 0, held: 0, processed: 0 };
  /** Late requests waiting for `POST /__emulator/faults/release` (the `hold` fault). */
  private heldLate: (() => void)[] = [];
  private stats = new Stats();
  private limiter = new RateLimiter();

  constructor(
    private db: DB,
    private byKey: Map<string, Workspace>,
    private workspaces: Workspace[],
    private opts: EmulatorOptions,
    private scheduler: Scheduler,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/__emulator/')) return this.control(method, url, req, res);

    const inApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = inApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const ws = this.workspaceOf(req);
    let matched: ReturnType<typeof matchRoute<Ctx>>;
    try {
      matched = inApi ? matchRoute(ROUTES, method, path) : undefined;
    } catch {
      matched = undefined;
    }
    this.stats.count(method, matched?.route.pattern ?? '(unknown route)', ws?.id);

    // Faults are decided before anything runs, so a failed request changes nothing (except `after`).
    const fault = this.opts.faults ? this.faults.decide(method, url.pathname) : undefined;
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.reset && !fault.after) {
      req.socket.destroy();
      return;
    }

    // Rate limits are per key; requests without a valid key share one anonymous bucket.
    const bucketKey = ws ? `key:${this.keyOf(req)}` : 'anonymous';
    const rl = ws ?? { rateLimit: DEFAULT_RATE_LIMIT };
    const limit = this.limiter.take(bucketKey, rl.rateLimit.requests, rl.rateLimit.windowSeconds);
    const headers = limit.headers;

    if (fault?.status) {
      const h = {
        ...headers,
        ...(fault.retryAfter !== undefined || fault.status === 429
          ? { 'Retry-After': String(fault.retryAfter ?? 1) }
          : {}),
      };
      // An injected 404 reads like a route the server does not have, so a client's fallback (to the
      // newer status endpoint) can be tested against it.
      const message =
        fault.status === 429 ? TOO_MANY : fault.status === 404 ? `Cannot ${method} ${url.pathname}` : 'Injected fault';
      return sendJson(res, fault.status, errorBody(fault.status, message), h);
    }
    if (!limit.allowed) {
      return sendJson(res, 429, errorBody(429, TOO_MANY), { ...headers, 'Retry-After': String(limit.retryAfter) });
    }
    if (!ws) return sendJson(res, 401, errorBody(401, 'Unauthorized'), headers);
    if (!matched) return sendJson(res, 404, errorBody(404, `Cannot ${method} ${url.pathname}`), headers);

    let reply;
    try {
      const body = await readBody(req);
      const request: Request = {
        method,
        path,
        query: url.searchParams,
        params: matched.params,
        headers: req.headers,
        body,
      };
      if (fault?.late)
        return this.runLate(req, fault.hold ? 'hold' : (fault.lateMs ?? 0), () => this.run(matched.route, ws, request));
      reply = this.run(matched.route, ws, request);
    } catch (e) {
      if (fault?.after) {
        req.socket.destroy();
        return;
      }
      if (e instanceof HttpError)
        return sendJson(res, e.status, errorBody(e.status, e.detail), { ...headers, ...e.headers });
      // A 500 is a response too: it carries the rate-limit headers like every other.
      return this.crash(res, e, headers);
    }
    if (fault?.after) {
      req.socket.destroy();
      return;
    }
    sendJson(res, reply.status, reply.body, { ...headers, ...reply.headers });
  }

  /**
   * One request = one transaction when it writes: every check a handler makes (the workflow exists, both
   * nodes of an edge are in it, no duplicate) and its writes see the same data, even with another
   * emulator process on the same file. A file locked by a process that died is cleared and answered 503
   * (clients retry it); a live lock held past the busy timeout is a 503 too.
   */
  private run(route: Route<Ctx>, ws: Workspace, request: Request) {
    const ctx = { db: this.db, ws };
    try {
      // Reads too: the wasm build takes and drops its file lock per statement outside a transaction.
      return this.db.transaction(
        () => route.handler(ctx, request),
        request.method === 'GET' ? 'deferred' : 'immediate',
      )();
    } catch (e) {
      if (e instanceof Error && /database is locked|database is busy/i.test(e.message)) {
        clearStaleLock(this.db.file);
        throw new HttpError(503, 'The database is busy; retry shortly.', { 'Retry-After': '1' });
      }
      throw e;
    }
  }

  /**
   * The `late` fault: a queueing gateway. The client's connection is dropped at once (it sees a network
   * error, as after a gateway timeout); the request is processed afterwards: `lateMs` after the drop, or,
   * with `hold`, when `POST /__emulator/faults/release` says so. `GET /__emulator/faults` counts queued
   * (held included), held and processed late requests, so a test can wait on the state, never on time.
   */
  private runLate(req: IncomingMessage, when: number | 'hold', work: () => unknown): void {
    this.late.queued++;
    req.socket.destroy();
    const go = () => {
      try {
        work();
      } catch {
        /* nobody is listening for the answer: a refused late request changes nothing */
      } finally {
        this.late.queued--;
        this.late.processed++;
      }
    };
    if (when !== 'hold') {
      setTimeout(go, when);
      return;
    }
    this.late.held++;
    this.heldLate.push(() => {
      this.late.held--;
      go();
    });
  }

  /** Processes every held late request now, in arrival order; answers how many. */
  private releaseLate(): number {
    const held = this.heldLate.splice(0);
    for (const go of held) go();
    return held.length;
  }

  private clockJson() {
    return {
      now: new Date(nowMs(this.db)).toISOString(),
      mode: this.opts.clock ?? 'virtual',
      speed: this.opts.clock === 'real' ? (this.opts.speed ?? 1) : null,
    };
  }

  crash(res: ServerResponse, e: unknown, headers: Record<string, string> = {}): void {
    if (!this.opts.quiet)
      process.stderr.write(`emulator: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    if (!res.headersSent) sendJson(res, 500, errorBody(500, 'Internal server error'), headers);
    else res.destroy();
  }

  private keyOf(req: IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
    return m?.[1];
  }

  private workspaceOf(req: IncomingMessage): Workspace | undefined {
    const k = this.keyOf(req);
    return k ? this.byKey.get(k) : undefined;
  }

  /** /__emulator/*: a workspace key is required (as for /v1); stats always, faults only when enabled. */
  private async control(method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = url.pathname;
    const ws = this.workspaceOf(req);
    if (!ws) return sendJson(res, 401, errorBody(401, 'Unauthorized'));
    try {
      if (p === '/__emulator/clock' && method === 'GET') return sendJson(res, 200, this.clockJson());
      if (p === '/__emulator/advance' && method === 'POST') {
        const body = parseJsonObject(await readBody(req));
        const h = body.hours;
        const extra = Object.keys(body).filter((k) => k !== 'hours');
        if (extra.length)
          throw new HttpError(
            400,
            extra.map((k) => `property ${k} should not exist`),
          );
        if (typeof h !== 'number' || !Number.isFinite(h) || h < 0 || h > MAX_ADVANCE_HOURS)
          throw new HttpError(400, [`hours must be a number from 0 to ${MAX_ADVANCE_HOURS}`]);
        const r = this.scheduler.advance(h);
        return sendJson(res, 200, { ...this.clockJson(), ticks: r.ticks, steps: r.steps });
      }
      if (p === '/__emulator/events' && method === 'GET') {
        const id = url.searchParams.get('workflow_id');
        if (!id) throw new HttpError(400, ['workflow_id should not be empty']);
        getWorkflow({ db: this.db, ws }, id);
        return sendJson(res, 200, { data: this.scheduler.journalOf(id) });
      }
      if (p === '/__emulator/stats' && method === 'GET')
        return sendJson(res, 200, this.stats.snapshot(url.searchParams.get('workspace')));
      if (p === '/__emulator/stats' && method === 'DELETE') {
        this.stats.reset();
        return sendJson(res, 200, { message: 'Stats reset.' });
      }
      if (p === '/__emulator/faults' && this.opts.faults) {
        if (method === 'GET') return sendJson(res, 200, { rules: this.faults.list(), late: { ...this.late } });
        if (method === 'DELETE') {
          this.faults.clear();
          return sendJson(res, 200, { message: 'Faults cleared.' });
        }
        if (method === 'POST') {
          const n = this.faults.set(parseJsonObject(await readBody(req)));
          return sendJson(res, 200, { rules: n });
        }
      }
      if (p === '/__emulator/faults/release' && this.opts.faults && method === 'POST') {
        return sendJson(res, 200, { released: this.releaseLate(), late: { ...this.late } });
      }
      if (p === '/__emulator/workspaces' && method === 'GET') {
        return sendJson(res, 200, {
          data: this.workspaces.map((w) => ({
            id: w.id,
            name: w.name,
            default: w.isDefault,
            plan: w.plan,
            concurrency_limit: w.concurrencyLimit,
          })),
        });
      }
    } catch (e) {
      if (e instanceof HttpError) return sendJson(res, e.status, errorBody(e.status, e.detail));
      throw e;
    }
    sendJson(res, 404, errorBody(404, `Cannot ${method} ${p}`));
  }
}

/** Ten years: an advance is bounded work. */
const MAX_ADVANCE_HOURS = 24 * 366 * 10;

const TOO_MANY = 'Too many requests. Please slow down and retry after a moment.';
