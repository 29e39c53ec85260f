// The online cache: platform data (agents, phone numbers, remote variable keys, drift) fetched in
// the background through platform/online.ts when a target with a URL is configured. Validation only
// ever reads the cache; it never waits on the network. A failure is said once, then offline rules.
import path from 'node:path';
import type { OnlineData } from '../core/options';
import { gatherOnlineDataForFile } from '../platform/online';
import { redact } from '../platform/redact';
import { resolveTarget, type ResolvedTarget } from '../platform/targets';
import type { OnlineStatusParams } from '../protocol';

interface Entry {
  data?: OnlineData;
  fetchedAt: number;
  pending?: Promise<void>;
  error?: string;
}

export class OnlineCache {
  private readonly entries = new Map<string, Entry>();
  private reported = false;
  private state: OnlineStatusParams = { state: 'off' };
  /** Resolved targets per folder: resolving reads callflow.config.yaml, not something to do per keystroke. */
  private readonly targets = new Map<string, ResolvedTarget | undefined>();

  constructor(
    private readonly settings: () => { enabled: boolean; target?: string; refreshMinutes: number },
    private readonly onChange: (file: string) => void,
    private readonly onStatus: (s: OnlineStatusParams) => void,
    private readonly onFirstFailure: (message: string) => void,
  ) {}

  /** The target the file would use, when online checks apply to it (a real URL and key). */
  targetFor(file: string): ResolvedTarget | undefined {
    const s = this.settings();
    if (!s.enabled) return undefined;
    const dir = path.dirname(file);
    if (this.targets.has(dir)) return this.targets.get(dir);
    let found: ResolvedTarget | undefined;
    try {
      const t = resolveTarget(file, s.target);
      found = t.url && t.key ? t : undefined;
    } catch (e) {
      // A named target that cannot be resolved (missing key, unknown name) is worth saying once.
      if (s.target) this.fail(s.target, (e as Error).message);
    }
    this.targets.set(dir, found);
    return found;
  }

  /** Cached data for the file now (maybe stale), and a background refresh when it is due. */
  get(file: string): OnlineData | undefined {
    const target = this.targetFor(file);
    if (!target) return undefined;
    const id = `${target.name}\u0000${file}`;
    let e = this.entries.get(id);
    if (!e) {
      e = { fetchedAt: 0 };
      this.entries.set(id, e);
    }
    const due = Date.now() - e.fetchedAt > this.settings().refreshMinutes * 60_000;
    if (due && !e.pending) this.refresh(id, e, target, file);
    return e.data;
  }

  private refresh(id: string, e: Entry, target: ResolvedTarget, file: string): void {
    this.status({ state: 'loading', target: target.name });
    e.pending = gatherOnlineDataForFile(target, file)
      .then(
        (data) => {
          e.data = data;
          e.fetchedAt = Date.now();
          e.error = undefined;
          this.status({ state: 'ready', target: target.name, fetchedAt: e.fetchedAt });
          this.onChange(file);
        },
        (err: Error) => {
          // Keep any older data; retry after the refresh interval, not on every keystroke.
          e.fetchedAt = Date.now();
          e.error = err.message;
          this.fail(target.name, err.message);
        },
      )
      .finally(() => {
        e.pending = undefined;
      });
    void this.entries.get(id);
  }

  private fail(target: string, message: string): void {
    const safe = redact(message);
    this.status({ state: 'unavailable', target, message: safe });
    if (!this.reported) {
      this.reported = true;
      this.onFirstFailure(
        `Callflow: platform data for target "${target}" cannot be fetched (${safe}). Online checks WF201–WF204 are off; offline rules still run.`,
      );
    }
  }

  private status(s: OnlineStatusParams): void {
    if (s.state === this.state.state && s.target === this.state.target && s.message === this.state.message) return;
    this.state = s;
    this.onStatus(s);
  }

  /** Settings or callflow.config.yaml changed: resolve targets again, refetch, and say a failure again. */
  clear(): void {
    this.entries.clear();
    this.targets.clear();
    this.reported = false;
  }
}
