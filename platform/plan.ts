// The fewest API calls that make the remote workflow equal to the file. Pure: the remote snapshot
// and the state's key → id mapping in, a list of calls out.
//
// Nodes are matched to remote nodes in this order: by key through the state; as a rename (a key
// that left the file and a new key with the same type and config: a state change only); by
// adoption (a remote node the state does not know with the same type, label and config: the
// trace of a create whose answer was lost). Edges need no state: the remote edges of each node,
// read in creation (= routing) order, are compared with the file's `next` list.
import type { DesiredNode, DesiredWorkflow } from './desired';
import { canonicalJson, contentHash, normConfig, normLabel, sameData, type Snapshot } from './snapshot';
import type { TargetState } from './state';
import type { RemoteNode } from '../core/remote';

export interface NodeBody {
  node_type: string;
  label: string;
  position_x: number;
  position_y: number;
  config: Record<string, unknown>;
}

export type Call =
  | { kind: 'create-workflow'; body: { title: string; description: string; max_concurrent_calls?: number } }
  | { kind: 'patch-workflow'; body: Record<string, unknown>; fields: string[] }
  | { kind: 'create-node'; key: string; body: NodeBody }
  | { kind: 'patch-node'; key: string; id: string; body: Partial<NodeBody>; fields: string[] }
  | { kind: 'delete-edge'; id: string; from: string; to: string; label?: string; why: string }
  | { kind: 'create-edge'; from: string; to: string; label?: string; index: number }
  | { kind: 'delete-node'; id: string; name: string; type: string; why: string };

export interface Plan {
  workflowId?: string;
  status?: string;
  calls: Call[];
  renames: { from: string; to: string; id: string }[];
  adoptions: { key: string; id: string; kind: 'node' }[];
  /** State entries whose remote object no longer exists. */
  dropped: string[];
  /** Key → remote id for every file node that already exists remotely (after renames/adoption). */
  idByKey: Map<string, string>;
  notes: string[];
}

export function nodeBody(d: DesiredNode): NodeBody {
  const p = d.position ?? d.autoPosition;
  return { node_type: d.type, label: d.label, position_x: p.x, position_y: p.y, config: d.config };
}

/** The hash a node created from this body will have once the platform holds it. */
export function bodyHash(b: NodeBody): string {
  return contentHash({ type: b.node_type, label: b.label, config: b.config, x: b.position_x, y: b.position_y });
}

const NEW = 'new:';

export function computePlan(desired: DesiredWorkflow, remote: Snapshot | undefined, state: TargetState): Plan {
  const plan: Plan = { calls: [], renames: [], adoptions: [], dropped: [], idByKey: new Map(), notes: [] };
  if (!remote) {
    if (state.workflowId)
      plan.notes.push(
        `the workflow ${state.workflowId} recorded in the state no longer exists: a new one will be created`,
      );
    const body: { title: string; description: string; max_concurrent_calls?: number } = {
      title: desired.title,
      description: desired.description,
    };
    if (desired.maxConcurrentCalls !== null) body.max_concurrent_calls = desired.maxConcurrentCalls;
    plan.calls.push({ kind: 'create-workflow', body });
    for (const d of desired.nodes) plan.calls.push({ kind: 'create-node', key: d.key, body: nodeBody(d) });
    for (const d of desired.nodes)
      d.next.forEach((e, index) =>
        plan.calls.push({ kind: 'create-edge', from: d.key, to: e.to, label: e.label, index }),
      );
    return plan;
  }
  plan.workflowId = remote.workflow.id;
  plan.status = remote.workflow.status;

  // Workflow header.
  const wb: Record<string, unknown> = {};
  if ((remote.workflow.title ?? '') !== desired.title) wb.title = desired.title;
  if ((remote.workflow.description ?? '') !== desired.description) wb.description = desired.description;
  if ((remote.workflow.max_concurrent_calls ?? null) !== desired.maxConcurrentCalls)
    wb.max_concurrent_calls = desired.maxConcurrentCalls;
  if (Object.keys(wb).length) plan.calls.push({ kind: 'patch-workflow', body: wb, fields: Object.keys(wb) });

  // Match nodes.
  const remoteById = new Map(remote.nodes.map((n) => [n.id, n]));
  const trackedKeyById = new Map<string, string>();
  for (const [key, { id }] of state.nodes) {
    if (remoteById.has(id)) trackedKeyById.set(id, key);
    else plan.dropped.push(`node ${key} (${id})`);
  }
  const fileKeys = new Set(desired.nodes.map((d) => d.key));
  const claimed = new Set<string>();
  const toDelete = new Map<string, string>(); // id → why
  const unmatched: DesiredNode[] = [];
  for (const d of desired.nodes) {
    const t = state.nodes.get(d.key);
    const r = t && remoteById.get(t.id);
    if (r && trackedKeyById.get(r.id) === d.key) {
      if (r.node_type === d.type) {
        plan.idByKey.set(d.key, r.id);
        claimed.add(r.id);
        continue;
      }
      toDelete.set(r.id, `type changes from ${r.node_type} to ${d.type}`);
      claimed.add(r.id);
    }
    unmatched.push(d);
  }
  const sameShape = (d: DesiredNode, r: RemoteNode) =>
    r.node_type === d.type && sameData(normConfig(r.config), d.config);
  // Renames: a tracked node whose key left the file, same type and config.
  const renameable = remote.nodes.filter(
    (r) => !claimed.has(r.id) && trackedKeyById.has(r.id) && !fileKeys.has(trackedKeyById.get(r.id)!),
  );
  const stillUnmatched: DesiredNode[] = [];
  for (const d of unmatched) {
    const candidates = renameable.filter((r) => !claimed.has(r.id) && sameShape(d, r));
    const r = candidates.find((c) => (c.label ?? '') === d.label) ?? candidates[0];
    if (r) {
      claimed.add(r.id);
      plan.idByKey.set(d.key, r.id);
      plan.renames.push({ from: trackedKeyById.get(r.id)!, to: d.key, id: r.id });
    } else stillUnmatched.push(d);
  }
  // Adoption: a node the state does not know that is exactly what the file asks for.
  const toCreate: DesiredNode[] = [];
  for (const d of stillUnmatched) {
    const r = remote.nodes.find(
      (c) =>
        !claimed.has(c.id) &&
        !trackedKeyById.has(c.id) &&
        sameShape(d, c) &&
        (c.label ?? '') === d.label &&
        (!d.position || (c.position_x === d.position.x && c.position_y === d.position.y)),
    );
    if (r) {
      claimed.add(r.id);
      plan.idByKey.set(d.key, r.id);
      plan.adoptions.push({ key: d.key, id: r.id, kind: 'node' });
    } else toCreate.push(d);
  }
  for (const r of remote.nodes)
    if (!claimed.has(r.id) || toDelete.has(r.id)) {
      if (!toDelete.has(r.id))
        toDelete.set(
          r.id,
          trackedKeyById.has(r.id) ? 'no longer in the file' : 'not in the file (unknown to the state)',
        );
    }

  // Node updates.
  const desiredByKey = new Map(desired.nodes.map((d) => [d.key, d]));
  for (const [key, id] of plan.idByKey) {
    const d = desiredByKey.get(key)!;
    const r = remoteById.get(id)!;
    const body: Partial<NodeBody> = {};
    if ((r.label ?? '') !== d.label) body.label = d.label;
    if (!sameData(normConfig(r.config), d.config)) body.config = d.config;
    if (d.position && (r.position_x !== d.position.x || r.position_y !== d.position.y)) {
      body.position_x = d.position.x;
      body.position_y = d.position.y;
    }
    const fields = Object.keys(body)
      .filter((k) => k !== 'position_y')
      .map((k) => (k === 'position_x' ? 'position' : k));
    if (fields.length) plan.calls.push({ kind: 'patch-node', key, id, body, fields });
  }
  for (const d of toCreate) plan.calls.push({ kind: 'create-node', key: d.key, body: nodeBody(d) });

  // Edges: what survives node deletes, compared per node with the file's order. The kept edges
  // must be a prefix of the file's list that is a subsequence of the remote list (creation only
  // appends); everything else of that node is deleted and the rest of the list created.
  const refOf = (key: string) => plan.idByKey.get(key) ?? NEW + key;
  const nameOf = (id: string) => {
    for (const [k, v] of plan.idByKey) if (v === id) return k;
    const r = remoteById.get(id);
    return trackedKeyById.get(id) ?? (r?.label ? `"${r.label}"` : id);
  };
  const remoteOut = new Map<string, { id: string; to: string; label?: string }[]>();
  for (const e of remote.edges) {
    if (toDelete.has(e.from_node_id) || toDelete.has(e.to_node_id)) continue; // gone with the node
    if (!remoteById.has(e.from_node_id)) continue;
    const list = remoteOut.get(e.from_node_id) ?? [];
    list.push({ id: e.id, to: e.to_node_id, label: normLabel(e.label) });
    remoteOut.set(e.from_node_id, list);
  }
  const edgeDeletes: Call[] = [];
  const edgeCreates: Call[] = [];
  for (const d of desired.nodes) {
    const from = refOf(d.key);
    const have = from.startsWith(NEW) ? [] : (remoteOut.get(from) ?? []);
    remoteOut.delete(from);
    const kept = new Set<number>();
    let j = 0;
    let k = 0;
    for (; k < d.next.length; k++) {
      const want = d.next[k];
      const to = refOf(want.to);
      let found = -1;
      for (let i = j; i < have.length; i++)
        if (have[i].to === to && have[i].label === want.label) {
          found = i;
          break;
        }
      if (found < 0) break;
      kept.add(found);
      j = found + 1;
    }
    have.forEach((h, i) => {
      if (kept.has(i)) return;
      const still = d.next.some((w) => refOf(w.to) === h.to && w.label === h.label);
      edgeDeletes.push({
        kind: 'delete-edge',
        id: h.id,
        from: d.key,
        to: nameOf(h.to),
        label: h.label,
        why: still ? 'its place in the routing order changes' : 'no longer in the file',
      });
    });
    for (; k < d.next.length; k++)
      edgeCreates.push({ kind: 'create-edge', from: d.key, to: d.next[k].to, label: d.next[k].label, index: k });
  }
  // Edges of remote nodes that stay but are not file nodes cannot exist (such nodes are deleted).
  plan.calls.push(...edgeDeletes, ...edgeCreates);
  for (const [id, why] of toDelete) {
    const r = remoteById.get(id)!;
    plan.calls.push({
      kind: 'delete-node',
      id,
      name: trackedKeyById.get(id) ?? (r.label ? `"${r.label}"` : id),
      type: r.node_type,
      why,
    });
  }
  return plan;
}

export function isEmptyPlan(p: Plan): boolean {
  return p.calls.length === 0;
}

/** Whether applying would change the state file without any API call (renames, adoptions, drops). */
export function changesStateOnly(p: Plan): boolean {
  return p.calls.length === 0 && p.renames.length + p.adoptions.length + p.dropped.length > 0;
}

export const callKind = (c: Call): 'create' | 'update' | 'delete' =>
  c.kind.startsWith('create') ? 'create' : c.kind.startsWith('patch') ? 'update' : 'delete';

export { canonicalJson };
