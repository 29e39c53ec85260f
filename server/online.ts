// The online cache: platform data (agents, phone numbers, remote variable keys, drift) fetched in
// the background through platform/online.ts. The server never resolves a key itself: it asks the
// client (CredentialsRequest), which answers only in a trusted workspace, for an approved host, with
// the key from SecretStorage (or the environment when the client allows it). Nothing is asked, and
// nothing fetched, unless `enabled()` holds: the server's settings have arrived, the client said the
// workspace is trusted and `online.enabled` is on. Validation only ever reads the cache; it never
// waits on the network. A failure is said once, then offline rules.
import path from 'node:path';
import type { OnlineData } from '../core/options';
import { gatherOnlineDataForFile } from '../platform/online';
import { redact, registerSecret } from '../platform/redact';
import type { ResolvedTarget } from '../platform/targets';
import type { CredentialsRequest, KeySource, OnlineStatusParams } from '../protocol';

interface Entry {
  data?: OnlineData;
  fetchedAt: number;
  pending?: Promise<void>;
  error?: string;
}

/** The target a file's checks use, as the client handed it over. */
export interface OnlineTarget extends ResolvedTarget {
  keySource: KeySource;
}

export type AskCredentials = (uri: string, target?: string) => Promise<CredentialsRequest.Result>;

export interface OnlineSettings {
  /** Settings received, workspace trusted, `online.enabled` on. */
  enabled: boolean;
  target?: string;
  refreshMinutes: number;
}

export class OnlineCache {
  private readonly entries = new Map<string, Entry>();
  private reported = false;
  private state: OnlineStatusParams = { state: 'off' };
  /** The client's answer per folder (the config it resolves is per folder); a pending ask is undefined. */
  private readonly targets = new Map<string, OnlineTarget | null>();
  private generation = 0;

  constructor(
    private readonly settings: () => OnlineSettings,
    private readonly ask: AskCredentials,
    private readonly onChange: (file: string) => void,
    private readonly onStatus: (s: OnlineStatusParams) => void,
    private readonly onFirstFailure: (message: string) => void,
  ) {}

  /** The target the file would use, when the client has handed one over; asks it on first use. */
  targetFor(file: string, uri: string): OnlineTarget | undefined {
    const s = this.settings();
    if (!s.enabled) return undefined;
    const dir = path.dirname(file);
    if (this.targets.has(dir)) return this.targets.get(dir) ?? undefined;
    this.targets.set(dir, null);
    const generation = this.generation;
    void this.credentials(uri, s.target).then((t) => {
      // Settings or credentials changed meanwhile: that answer may be for another target.
      if (generation !== this.generation) return;
      if ('unavailable' in t) {
        if (s.target) this.fail(s.target, t.unavailable);
        return;
      }
      this.targets.set(dir, t);
      this.onChange(file);
    });
    return undefined;
  }

  /** Asks the client; any failure of the request itself counts as "no credentials". */
  async credentials(uri: string, target?: string): Promise<OnlineTarget | { unavailable: string }> {
    try {
      const r = await this.ask(uri, target);
      if (!r || 'unavailable' in r) return { unavailable: r?.unavailable ?? 'no answer' };
      registerSecret(r.key);
      return {
        name: r.target,
        local: r.keySource === 'local',
        url: r.baseUrl.replace(/\/+$/, ''),
        key: r.key,
        keySource: r.keySource,
        maxConcurrentCalls: r.maxConcurrentCalls,
      };
    } catch (e) {
      return { unavailable: `the client did not hand over a target (${(e as Error).message})` };
    }
  }

  /** Cached data for the file now (maybe stale), and a background refresh when it is due. */
  get(file: string, uri: string): OnlineData | undefined {
    const target = this.targetFor(file, uri);
    if (!target) return undefined;
    const id = `${target.name}\u0000${file}`;
    let e = this.entries.get(id);
    if (!e) {
      e = { fetchedAt: 0 };
      this.entries.set(id, e);
    }
    const due = Date.now() - e.fetchedAt > this.settings().refreshMinutes * 60_000;
    if (due && !e.pending) this.refresh(e, target, file);
    return e.data;
  }

  private refresh(e: Entry, target: OnlineTarget, file: string): void {
    const generation = this.generation;
    this.status({ state: 'loading', target: target.name, keySource: target.keySource });
    e.pending = gatherOnlineDataForFile(target, file)
      .then(
        (data) => {
          if (generation !== this.generation) return;
          e.data = data;
          e.fetchedAt = Date.now();
          e.error = undefined;
          this.status({ state: 'ready', target: target.name, fetchedAt: e.fetchedAt, keySource: target.keySource });
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

  /** Settings, credentials or callflow.config.yaml changed: ask the client again, refetch, say a failure again. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.targets.clear();
    this.reported = false;
    if (!this.settings().enabled) this.status({ state: 'off' });
  }
}
