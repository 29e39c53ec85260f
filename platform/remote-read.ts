// Reading the remote workflow: three reads (workflow, nodes, edges), the only reads a no-op push makes.
import type { RemoteEdge, RemoteNode } from '../core/remote';
import type { ApiClient } from './client';
import { ApiError } from './errors';
import type { RemoteWorkflow, Snapshot } from './snapshot';

const enc = encodeURIComponent;

/** The remote graph, or undefined when the workflow does not exist (any more) for this key. */
export async function readRemote(client: ApiClient, workflowId: string): Promise<Snapshot | undefined> {
  const base = `/workflows/${enc(workflowId)}`;
  const [w, n, e] = await Promise.allSettled([
    client.get<RemoteWorkflow>(base),
    client.list<RemoteNode>(`${base}/nodes`),
    client.list<RemoteEdge>(`${base}/edges`),
  ]);
  if (w.status === 'rejected') {
    if (w.reason instanceof ApiError && w.reason.status === 404) return undefined;
    throw w.reason;
  }
  if (n.status === 'rejected') throw n.reason;
  if (e.status === 'rejected') throw e.reason;
  return { workflow: w.value, nodes: n.value, edges: e.value };
}

/**
 * A workflow created by a push whose answer never arrived: the newest draft with this title and
 * description that no state knows. Titles are not unique, so this is only asked when the state
 * says such a create was in flight.
 */
export async function findOrphanWorkflow(
  client: ApiClient,
  title: string,
  description: string,
  exclude: ReadonlySet<string> = new Set(),
): Promise<RemoteWorkflow | undefined> {
  const all = await client.list<RemoteWorkflow>('/workflows', { limit: 100 });
  const candidates = all.filter(
    (w) =>
      !exclude.has(w.id) &&
      (w.title ?? '') === title &&
      (w.description ?? '') === description &&
      (w.status ?? 'draft') === 'draft',
  );
  candidates.sort((a, b) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')));
  return candidates[0];
}
