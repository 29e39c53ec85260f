// Executes a plan. Calls run in dependency phases (workflow; node creates and updates; edge
// deletes; edge creates, each node's edges one after another in routing order; node deletes
// last, so the graph is never left without an entry), independent calls concurrently within the
// client's bound. The state file is rewritten after every successful call; before the first call
// it lists every planned call as pending, so a push killed at any point is recognised as such
// (not as drift) and the next push reconciles and finishes it.
import type { RemoteEdge, RemoteNode } from '../core/remote';
import type { ApiClient } from './client';
import { ApiError } from './errors';
import { bodyHash, type Call, type Plan } from './plan';
import { findOrphanWorkflow } from './remote-read';
import { nodeHash, nodeHashAuto, normLabel, workflowHash, type RemoteWorkflow, type Snapshot } from './snapshot';
import { deriveTarget, emptyTarget, serializeState, writeStateFile, type PendingOp, type StateFile } from './state';

export interface ApplyOptions {
  client: ApiClient;
  targetName: string;
  workflowFile: string;
  stateFile: string;
  /** The whole state file as read (other targets are kept as they are). */
  state: StateFile;
  onProgress?: (done: number, total: number, call: Call) => void;
  /** desired.ts autoPositionKeys: their hashes leave the position out. */
  autoPositionKeys?: ReadonlySet<string>;
}

export interface ApplyResult {
  snapshot: Snapshot;
  done: number;
  stateWrites: number;
}

const enc = encodeURIComponent;

export function pendingOf(c: Call, snapshot: Snapshot | undefined, auto: ReadonlySet<string> = new Set()): PendingOp {
  const hashOf = (key: string, n: RemoteNode) => (auto.has(key) ? nodeHashAuto(n) : nodeHash(n));
  switch (c.kind) {
    case 'create-workflow':
      return { op: 'create-workflow', title: c.body.title };
    case 'patch-workflow':
      return {
        op: 'patch-workflow',
        hash: workflowHash({ ...snapshot!.workflow, ...(c.body as Partial<RemoteWorkflow>) }),
      };
    case 'create-node':
      return { op: 'create-node', key: c.key, hash: hashOf(c.key, { id: '', ...c.body }) };
    case 'patch-node': {
      const r = snapshot!.nodes.find((n) => n.id === c.id)!;
      return { op: 'patch-node', key: c.key, id: c.id, hash: hashOf(c.key, { ...r, ...c.body } as RemoteNode) };
    }
    case 'delete-node':
      return { op: 'delete-node', id: c.id };
    case 'create-edge':
      return { op: 'create-edge', from: c.from, to: c.to, ...(c.label !== undefined ? { label: c.label } : {}) };
    case 'delete-edge':
      return { op: 'delete-edge', id: c.id };
  }
}

export async function applyPlan(plan: Plan, remote: Snapshot | undefined, o: ApplyOptions): Promise<ApplyResult> {
  const { client } = o;
  let snapshot: Snapshot | undefined = remote && {
    workflow: { ...remote.workflow },
    nodes: [...remote.nodes],
    edges: [...remote.edges],
  };
  const idByKey = new Map(plan.idByKey);
  const auto = o.autoPositionKeys ?? new Set<string>();
  const pending = new Map<Call, PendingOp>(plan.calls.map((c) => [c, pendingOf(c, snapshot, auto)]));
  let stateWrites = 0;
  let done = 0;
  const total = plan.calls.length;

  const save = () => {
    const ops = [...pending.values()];
    const target = snapshot ? deriveTarget(snapshot, idByKey, ops, auto) : { ...emptyTarget(), pending: ops };
    o.state.targets.set(o.targetName, target);
    if (writeStateFile(o.stateFile, serializeState(o.state, o.workflowFile))) stateWrites++;
  };
  const finished = (c: Call) => {
    pending.delete(c);
    done++;
    save();
    o.onProgress?.(done, total, c);
  };
  save();

  const wfPath = () => `/workflows/${enc(snapshot!.workflow.id)}`;
  const knownNode = (id: string) => snapshot!.nodes.some((n) => n.id === id);
  const knownEdge = (id: string) => snapshot!.edges.some((e) => e.id === id);
  const edgeIds = (c: Extract<Call, { kind: 'create-edge' }>) => {
    const from = idByKey.get(c.from);
    const to = idByKey.get(c.to);
    if (!from || !to) throw new Error(`internal: edge ${c.from} → ${c.to} has an endpoint that was not created`);
    return { from, to };
  };
  const findEdge = async (from: string, to: string, label: string | undefined): Promise<RemoteEdge | undefined> => {
    const edges = await client.list<RemoteEdge>(`${wfPath()}/edges`);
    return edges.find(
      (e) => !knownEdge(e.id) && e.from_node_id === from && e.to_node_id === to && normLabel(e.label) === label,
    );
  };

  const run = async (c: Call): Promise<void> => {
    switch (c.kind) {
      case 'create-workflow': {
        const w = await client.post<RemoteWorkflow>('/workflows', c.body, () =>
          findOrphanWorkflow(client, c.body.title, c.body.description),
        );
        if (!w || typeof w.id !== 'string') throw new Error('the API answered a workflow create without an id');
        snapshot = { workflow: w, nodes: [], edges: [] };
        break;
      }
      case 'patch-workflow': {
        const w = await client.patch<RemoteWorkflow>(wfPath(), c.body);
        snapshot!.workflow = { ...snapshot!.workflow, ...c.body, ...w };
        break;
      }
      case 'create-node': {
        const want = bodyHash(c.body);
        const n = await client.post<RemoteNode>(`${wfPath()}/nodes`, c.body, async () => {
          const nodes = await client.list<RemoteNode>(`${wfPath()}/nodes`);
          const claimed = new Set(idByKey.values());
          return nodes.find((x) => !knownNode(x.id) && !claimed.has(x.id) && nodeHash(x) === want);
        });
        if (!n || typeof n.id !== 'string') throw new Error('the API answered a node create without an id');
        snapshot!.nodes.push(n);
        idByKey.set(c.key, n.id);
        break;
      }
      case 'patch-node': {
        const n = await client.patch<RemoteNode>(`${wfPath()}/nodes/${enc(c.id)}`, c.body);
        const i = snapshot!.nodes.findIndex((x) => x.id === c.id);
        snapshot!.nodes[i] = { ...snapshot!.nodes[i], ...c.body, ...n };
        break;
      }
      case 'delete-edge': {
        await deleteTolerant(client, `${wfPath()}/edges/${enc(c.id)}`);
        snapshot!.edges = snapshot!.edges.filter((e) => e.id !== c.id);
        break;
      }
      case 'create-edge': {
        const { from, to } = edgeIds(c);
        const body: Record<string, string> = { from_node_id: from, to_node_id: to };
        if (c.label !== undefined) body.label = c.label;
        let e: RemoteEdge | undefined;
        try {
          e = await client.post<RemoteEdge>(`${wfPath()}/edges`, body, () => findEdge(from, to, c.label));
        } catch (err) {
          // 409: this very edge exists (an earlier create whose answer was lost): adopt it.
          if (!(err instanceof ApiError && err.status === 409)) throw err;
          e = await findEdge(from, to, c.label);
          if (!e) throw err;
        }
        if (!e || typeof e.id !== 'string') throw new Error('the API answered an edge create without an id');
        snapshot!.edges.push(e);
        break;
      }
      case 'delete-node': {
        await deleteTolerant(client, `${wfPath()}/nodes/${enc(c.id)}`);
        snapshot!.nodes = snapshot!.nodes.filter((n) => n.id !== c.id);
        snapshot!.edges = snapshot!.edges.filter((e) => e.from_node_id !== c.id && e.to_node_id !== c.id);
        break;
      }
    }
    finished(c);
  };

  const of = <K extends Call['kind']>(...kinds: K[]) =>
    plan.calls.filter((c): c is Extract<Call, { kind: K }> => (kinds as string[]).includes(c.kind));
  for (const c of of('create-workflow')) await run(c);
  await pool(
    client.concurrency,
    of('patch-workflow', 'create-node', 'patch-node').map((c) => () => run(c)),
  );
  await pool(
    client.concurrency,
    of('delete-edge').map((c) => () => run(c)),
  );
  const chains = new Map<string, Call[]>();
  for (const c of of('create-edge')) chains.set(c.from, [...(chains.get(c.from) ?? []), c]);
  await pool(
    client.concurrency,
    [...chains.values()].map((chain) => async () => {
      for (const c of chain) await run(c);
    }),
  );
  await pool(
    client.concurrency,
    of('delete-node').map((c) => () => run(c)),
  );
  if (!snapshot) throw new Error('internal: nothing was pushed');
  save();
  return { snapshot, done, stateWrites };
}

/** A delete that finds the object already gone has reached its goal. */
async function deleteTolerant(client: ApiClient, path: string): Promise<void> {
  try {
    await client.delete(path);
  } catch (e) {
    if (
      e instanceof ApiError &&
      e.status === 404 &&
      !/^Cannot /.test(e.messages[0] ?? '') &&
      !/workflow not found/i.test(e.messages.join(' '))
    )
      return;
    throw e;
  }
}

/**
 * Runs tasks with at most `n` at once. The first failure stops new tasks from starting; those
 * already running finish (their results are recorded), then the failure is thrown.
 */
export async function pool(n: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < tasks.length) {
      const t = tasks[next++];
      try {
        await t();
      } catch (e) {
        if (failure === undefined) failure = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
  if (failure !== undefined) throw failure;
}
