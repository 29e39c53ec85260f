// The platform API client: fetch, a key, timeouts, retries with backoff, bounded concurrency paced
// by the rate-limit headers, envelope unwrapping, paging, typed errors, and read/write counts.
import { ApiError, errorMessages, NetworkError } from './errors';
import { RateGate, Semaphore } from './ratelimit';
import { workflowStatusPath, workflowVerbPath } from './api';
import { redact, registerSecret } from './redact';
import { TargetError } from './target-error';
import { backoffMs, DEFAULT_RETRY, RETRYABLE_STATUS, retryAfterMs, sleep, type RetryPolicy } from './retry';

export interface ClientOptions {
  baseUrl: string;
  key: string;
  /** The target's name, used in messages ("the API key for target staging was rejected"). */
  target: string;
  /** Requests in flight at once (default 6, or CALLFLOW_API_CONCURRENCY). */
  concurrency?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** One line per request attempt, already redacted (CALLFLOW_DEBUG=1 sends them to stderr). */
  debug?: (line: string) => void;
  /** Told before each retry wait (for progress lines). */
  onRetry?: (info: { method: string; path: string; attempt: number; waitMs: number; why: string }) => void;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /**
   * For a create (POST) whose outcome is unknown (the connection broke after sending, a timeout,
   * a 502/504): asked before retrying; returning a value means "it did happen, here is the
   * result", so the retry that would duplicate it is skipped.
   */
  recover?: () => Promise<unknown | undefined>;
  /** A multipart body (a file upload) instead of JSON; never repeated when its outcome is unknown. */
  form?: FormData;
}

export interface ClientStats {
  reads: number;
  writes: number;
  attempts: number;
  retries: number;
  recovered: number;
}

export interface Page<T> {
  data: T[];
  meta?: Record<string, unknown>;
}

export type LifecycleVerb = 'activate' | 'pause' | 'resume' | 'cancel';

const ENVELOPE_KEYS = new Set(['data', 'statusCode', 'message', 'count', 'success']);

/**
 * `{data: …}` envelopes (the newer surface wraps everything as `{statusCode, message, data}`) are
 * removed wherever they appear, but a page keeps its `{data, meta}` shape.
 */
export function unwrap(body: unknown): unknown {
  let cur = body;
  for (let i = 0; i < 4; i++) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return cur;
    const o = cur as Record<string, unknown>;
    if (!('data' in o)) return cur;
    if ('meta' in o) return { data: o.data, meta: o.meta };
    if (!Object.keys(o).every((k) => ENVELOPE_KEYS.has(k))) return cur;
    cur = o.data;
  }
  return cur;
}

/**
 * A 404 from the router ("Cannot POST /v1/workflows/x/activate", or a body that is not an API
 * error at all) means the path does not exist on this server; any other 404 is about the resource.
 */
export function isRouteNotFound(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 404) return false;
  if (err.messages.length === 0) return true;
  return err.messages.some((m) => /^Cannot (GET|POST|PATCH|PUT|DELETE) \//.test(m));
}

function networkCause(e: unknown): { text: string; sent: boolean } {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { text: 'timed out', sent: true };
  const code = err?.cause?.code;
  // A refused connection never carried the request: retrying it cannot duplicate anything.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { text: code, sent: false };
  return { text: code ?? err?.cause?.message ?? err?.message ?? String(e), sent: true };
}

export class ApiClient {
  readonly stats: ClientStats = { reads: 0, writes: 0, attempts: 0, retries: 0, recovered: 0 };
  readonly baseUrl: string;
  readonly target: string;
  private readonly key: string;
  private readonly sem: Semaphore;
  private readonly gate = new RateGate();
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(opts.baseUrl);
    } catch {
      throw new TargetError(`target ${opts.target}: the API URL is not a URL`);
    }
    // fetch refuses such a URL with a TypeError on every attempt; and it must never be printed.
    if (parsed.username || parsed.password)
      throw new TargetError(`target ${opts.target}: the API URL holds a user name or password; remove it`);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.key = opts.key;
    this.target = opts.target;
    registerSecret(opts.key);
    const envConc = Number(process.env.CALLFLOW_API_CONCURRENCY);
    this.sem = new Semaphore(opts.concurrency ?? (envConc >= 1 ? Math.floor(envConc) : 6));
    this.policy = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? (Number(process.env.CALLFLOW_API_TIMEOUT_MS) || 30_000);
  }

  get concurrency(): number {
    return this.sem.limit;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown, recover?: RequestOptions['recover']): Promise<T> {
    return this.request<T>('POST', path, { body, recover });
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path, {});
  }

  /** Every item of a list, following `page < totalPages`; a plain array or `{data}` is one page. */
  async list<T>(path: string, query: RequestOptions['query'] = {}): Promise<T[]> {
    const out: T[] = [];
    let page = typeof query.page === 'number' ? query.page : 1;
    for (let guard = 0; guard < 10_000; guard++) {
      const q = guard === 0 ? query : { ...query, page };
      const body = await this.get<unknown>(path, q);
      if (Array.isArray(body)) {
        out.push(...(body as T[]));
        return out;
      }
      const p = body as Page<T> | undefined;
      if (!p || !Array.isArray(p.data))
        throw new ApiError(200, ['the list answer has no data array'], 'GET', path, undefined, this.target);
      out.push(...p.data);
      const meta = p.meta ?? {};
      const current = Number(meta.page ?? meta.currentPage ?? page);
      const total = Number(meta.totalPages ?? 1);
      if (!(current < total) || p.data.length === 0) return out;
      page = current + 1;
      if (guard === 0 && query.limit === undefined && meta.limit !== undefined)
        query = { ...query, limit: Number(meta.limit) };
    }
    return out;
  }

  /**
   * A lifecycle verb. When the verb's path itself is unknown to the server (a router 404, see
   * isRouteNotFound), falls back to the newer `PATCH /workflows/{id}/status {action}`.
   */
  async lifecycle(workflowId: string, verb: LifecycleVerb): Promise<{ id: string; status: string }> {
    const path = workflowVerbPath(workflowId, verb);
    try {
      return await this.post<{ id: string; status: string }>(path);
    } catch (e) {
      if (!isRouteNotFound(e) || verb === 'cancel') throw e;
      const r = await this.patch<{ id: string; status: string }>(workflowStatusPath(workflowId), { action: verb });
      return { id: r.id ?? workflowId, status: r.status };
    }
  }

  async request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    if (method === 'GET') this.stats.reads++;
    else this.stats.writes++;
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const isCreate = method === 'POST';
    for (let attempt = 0; ; attempt++) {
      let retryWhy: string | undefined;
      let waitOverride: number | undefined;
      let ambiguous = false;
      await this.sem.acquire();
      let res: Response | undefined;
      let text = '';
      try {
        await this.gate.pace(this.sem.inFlight - 1);
        this.stats.attempts++;
        this.opts.debug?.(
          redact(`${method} ${url.toString()} (Authorization: Bearer ${this.key}) attempt ${attempt + 1}`),
        );
        res = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.key}`,
            Accept: 'application/json',
            ...(ro.body !== undefined && !ro.form ? { 'Content-Type': 'application/json' } : {}),
          },
          body: ro.form ?? (ro.body !== undefined ? JSON.stringify(ro.body) : undefined),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await res.text();
        this.gate.observe(res.headers);
      } catch (e) {
        // A TypeError without a cause is a request fetch refused to build: no retry can help.
        if (e instanceof TypeError && (e as { cause?: unknown }).cause === undefined) {
          throw new NetworkError(method, path, redact(e.message), redact(this.baseUrl));
        }
        const cause = networkCause(e);
        res = undefined;
        retryWhy = `network error: ${cause.text}`;
        ambiguous = cause.sent;
        // An upload that may have arrived is not sent again (its rows would be enrolled twice).
        if (attempt >= this.policy.retries || (ro.form && ambiguous)) {
          throw new NetworkError(method, path, `${cause.text}, after ${attempt + 1} attempts`, this.baseUrl);
        }
      } finally {
        this.sem.release();
      }
      if (res) {
        this.opts.debug?.(redact(`${method} ${path} → ${res.status}`));
        if (res.ok) return unwrap(parseJson(text)) as T;
        const body = parseJson(text);
        const { messages, reason } = errorMessages(body);
        const maybeDone = res.status === 502 || res.status === 504;
        if (!RETRYABLE_STATUS.has(res.status) || attempt >= this.policy.retries || (ro.form && maybeDone)) {
          const err = new ApiError(res.status, messages, method, path, reason, this.target);
          if (attempt > 0 && RETRYABLE_STATUS.has(res.status)) err.message += ` (after ${attempt + 1} attempts)`;
          throw err;
        }
        retryWhy = `${res.status}${messages.length ? ` ${messages[0]}` : ''}`;
        ambiguous = res.status === 502 || res.status === 504;
        if (res.status === 429) {
          const ra = retryAfterMs(res.headers.get('retry-after'));
          if (ra !== undefined && ra > this.policy.maxRetryAfterMs) {
            throw new ApiError(
              429,
              [
                `rate limited; the server asks to wait ${Math.ceil(ra / 1000)} s, longer than the ${this.policy.maxRetryAfterMs / 1000} s this client waits`,
              ],
              method,
              path,
              reason,
              this.target,
            );
          }
          if (ra !== undefined) waitOverride = ra;
        }
      }
      if (isCreate && ambiguous && ro.recover) {
        // The create may have happened: look before repeating it.
        // If looking fails too (the server is still away), the retry below is the next best thing.
        const found = await ro.recover().catch(() => undefined);
        if (found !== undefined) {
          this.stats.recovered++;
          return found as T;
        }
      }
      const wait = waitOverride ?? backoffMs(attempt, this.policy);
      this.stats.retries++;
      this.opts.onRetry?.({ method, path, attempt: attempt + 1, waitMs: wait, why: retryWhy ?? 'retry' });
      await sleep(wait);
    }
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
