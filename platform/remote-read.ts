// Reading the remote workflow: three reads (workflow, nodes, edges), the only reads a no-op push makes.
import { getWorkflow, listEdges, listNodes, listWorkflows } from './api';
import type { ApiClient } from './client';
import { ApiError } from './errors';
import type { RemoteWorkflow, Snapshot } from './snapshot';

/** The remote graph, or undefined when the workflow does not exist (any more) for this key. */
export async function readRemote(client: ApiClient, workflowId: string): Promise<Snapshot | undefined> {
  const [w, n, e] = await Promise.allSettled([
    getWorkflow(client, workflowId),
    listNodes(client, workflowId),
    listEdges(client, workflowId),
  ]);
  if (w.status === 'rejected') {
    if (w.reason instanceof ApiError && w.reason.status === 404) return undefined;
    throw w.reason;
  }
  if (n.status === 'rejected') throw n.reason;
  if (e.status === 'rejected') throw e.reason;
  return { workflow: w.value, nodes: n.value, edges: e.value };
}

/** How far the platform's clock may be behind ours when judging "created during this push". */
export const CLOCK_SKEW_MS = 60_000;

/**
 * A workflow created by a push whose answer never arrived. Titles are not unique and anyone may
 * create a draft, so only this is adopted: a draft with this title and description, created no
 * earlier than the push started (less CLOCK_SKEW_MS), that no state knows (`exclude`) and that is
 * still empty (no node, no edge). Anything else is someone else's: a new workflow is created.
 */
export async function findOrphanWorkflow(
  client: ApiClient,
  title: string,
  description: string,
  o: { since: number; exclude?: ReadonlySet<string> },
): Promise<RemoteWorkflow | undefined> {
  return (await ownEmptyDrafts(client, title, description, { ...o, first: true }))[0];
}

/**
 * Every draft that can only be a push's own (the rules of findOrphanWorkflow), oldest first: the
 * oldest is the one a push created first, later ones are its own duplicates (apply-late.ts deletes
 * those that land after the push made or adopted its workflow). `until` bounds the creation time too;
 * `first` stops at the first one.
 */
export async function ownEmptyDrafts(
  client: ApiClient,
  title: string,
  description: string,
  o: { since: number; until?: number; exclude?: ReadonlySet<string>; first?: boolean },
): Promise<RemoteWorkflow[]> {
  const all = await listWorkflows(client);
  const candidates = all.filter((w) => {
    const created = Date.parse(String(w.created_at ?? ''));
    return (
      typeof w.id === 'string' &&
      !o.exclude?.has(w.id) &&
      (w.title ?? '') === title &&
      (w.description ?? '') === description &&
      (w.status ?? 'draft') === 'draft' &&
      Number.isFinite(created) &&
      created >= o.since - CLOCK_SKEW_MS &&
      (o.until === undefined || created <= o.until + CLOCK_SKEW_MS)
    );
  });
  candidates.sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')));
  const out: RemoteWorkflow[] = [];
  for (const w of candidates) {
    const full = await readRemote(client, w.id);
    if (full && full.nodes.length === 0 && full.edges.length === 0) {
      out.push(full.workflow);
      if (o.first) break;
    }
  }
  return out;
}
