// Creates the platform processes late. When a create's answer is lost (a reset, a timeout, a 502/504)
// and looking finds nothing, the client sends it again; but a queueing gateway may still hand the first
// request to the platform afterwards, leaving a second copy the push never learns about (the next push
// would call it drift). So apply counts, per create, the lost attempts that looking did not find
// ("doubts"), and before its final state write looks again, after a backoff, for late copies: objects
// that are provably this push's (created within it: absent from the remote it started from; unknown to
// every state; equal to what it tried to create; at most one per doubt) are deleted. Doubts still open
// after the last look stay in the state as pending creates, so a copy that lands even later is
// recognised by the next push (no drift) and removed by its plan.
//
// Edges need none of this: the platform answers 409 to a second edge with the same (from, to, label)
// (platform-api.md, Nodes and edges), so a late copy of an edge this push made is refused, and one that
// lands before the retry turns the retry into a 409, which apply adopts.
import { deleteWorkflow, listNodes, nodePath } from './api';
import type { ApiClient } from './client';
import { ApiError } from './errors';
import type { Call } from './plan';
import { bodyHash } from './plan';
import { ownEmptyDrafts } from './remote-read';
import { sleep } from './retry';
import { nodeHash } from './snapshot';
import type { PendingOp } from './state';

export interface LateLookOptions {
  /**
   * The waits before each look again, in ms (default [1000, 3000]; `CALLFLOW_LATE_LOOK_MS=ms,ms,…`
   * overrides it, `CALLFLOW_LATE_LOOK_MS=0` looks once at once). Looking stops early once every doubt is
   * settled.
   */
  delaysMs?: number[];
  /** How to wait before look `look` (1-based). Tests pass one that waits on the emulator's late counters. */
  wait?: (ms: number, look: number) => Promise<void>;
}

export interface LateReport {
  /** Lost attempts looking did not find (each may still land). */
  doubts: number;
  looks: number;
  removed: { workflows: string[]; nodes: string[] };
  /** Doubts still open after the last look: kept in the state as pending creates. */
  unresolved: PendingOp[];
}

export const DEFAULT_LATE_DELAYS_MS = [1000, 3000];

export function lateDelaysFromEnv(env: Record<string, string | undefined> = process.env): number[] {
  const raw = env.CALLFLOW_LATE_LOOK_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_LATE_DELAYS_MS;
  const list = raw.split(',').map((s) => Number(s.trim()));
  return list.length <= 10 && list.every((n) => Number.isInteger(n) && n >= 0 && n <= 600_000)
    ? list
    : DEFAULT_LATE_DELAYS_MS;
}

/** One create whose answer was lost at least once: `open` late copies may still appear. */
interface Doubt {
  call: Extract<Call, { kind: 'create-workflow' | 'create-node' }>;
  op: PendingOp;
  open: number;
}

export class LateCreates {
  private doubts: Doubt[] = [];

  /**
   * Wraps a create's recover callback: every lost attempt that looking does not find is a doubt (an
   * attempt the platform may still process). A look that fails counts too: the client then retries.
   */
  counted<T>(call: Doubt['call'], op: PendingOp, look: () => Promise<T | undefined>): () => Promise<T | undefined> {
    return async () => {
      let found: T | undefined;
      try {
        found = await look();
      } finally {
        if (found === undefined) this.doubt(call, op);
      }
      return found;
    };
  }

  private doubt(call: Doubt['call'], op: PendingOp): void {
    const d = this.doubts.find((x) => x.call === call);
    if (d) d.open++;
    else this.doubts.push({ call, op, open: 1 });
  }

  get count(): number {
    return this.doubts.reduce((n, d) => n + d.open, 0);
  }

  /**
   * Looks again after each delay until no doubt is open, deleting this push's late copies. `known`
   * (`knownNodes`) is every node id this push started from, made, or any state records: never deleted.
   */
  async settle(o: {
    client: ApiClient;
    workflowId: string;
    knownNodes: (id: string) => boolean;
    /** For a workflow create: the workflows that existed before it, and the push's start. */
    workflows?: { exclude: ReadonlySet<string>; since: number };
    options?: LateLookOptions;
  }): Promise<LateReport> {
    const report: LateReport = {
      doubts: this.count,
      looks: 0,
      removed: { workflows: [], nodes: [] },
      unresolved: [],
    };
    const delays = o.options?.delaysMs ?? lateDelaysFromEnv();
    const wait = o.options?.wait ?? ((ms: number) => sleep(ms));
    const open = () => this.doubts.filter((d) => d.open > 0);
    for (let i = 0; i < delays.length && open().length; i++) {
      await wait(delays[i], i + 1);
      report.looks++;
      await this.lookOnce(o, report);
    }
    report.unresolved = open().map((d) => d.op);
    return report;
  }

  private async lookOnce(o: Parameters<LateCreates['settle']>[0], report: LateReport): Promise<void> {
    const { client, workflowId } = o;
    const kinds = new Set(this.doubts.filter((d) => d.open > 0).map((d) => d.call.kind));
    if (kinds.has('create-workflow') && o.workflows) {
      const exclude = new Set([...o.workflows.exclude, workflowId, ...report.removed.workflows]);
      for (const d of this.doubts.filter((x) => x.open > 0 && x.call.kind === 'create-workflow')) {
        const { title, description } = (d.call as Extract<Call, { kind: 'create-workflow' }>).body;
        const copies = await ownEmptyDrafts(client, title, description, { since: o.workflows.since, exclude });
        for (const w of copies.slice(0, d.open)) {
          await deleteGone(() => deleteWorkflow(client, w.id));
          report.removed.workflows.push(w.id);
          exclude.add(w.id);
          d.open--;
        }
      }
    }
    if (kinds.has('create-node')) {
      const taken = new Set(report.removed.nodes);
      const list = await listNodes(client, workflowId);
      for (const d of this.doubts.filter((x) => x.open > 0 && x.call.kind === 'create-node')) {
        const want = bodyHash((d.call as Extract<Call, { kind: 'create-node' }>).body);
        for (const n of list) {
          if (d.open === 0) break;
          if (taken.has(n.id) || o.knownNodes(n.id) || nodeHash(n) !== want) continue;
          await deleteGone(() => client.delete(nodePath(workflowId, n.id)));
          taken.add(n.id);
          report.removed.nodes.push(n.id);
          d.open--;
        }
      }
    }
  }
}

/** Deleting a late copy that is already gone has reached its goal. */
async function deleteGone(del: () => Promise<unknown>): Promise<void> {
  try {
    await del();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
}
