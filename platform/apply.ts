// Executes a plan. Calls run in dependency phases (workflow; node creates and updates; edge
// deletes; edge creates, each node's edges one after another in routing order; node deletes
// last, so the graph is never left without an entry), independent calls concurrently within the
// client's bound. Before the first call the state file lists every planned call as pending; each
// successful call then appends one line to the state's journal (state.ts), and the last step
// writes the final state: so a push killed at any point is recognised as such (not as drift) and
// the next push reconciles and finishes it. Every step is O(1) in the size of the graph (maps,
// not scans), so a push is linear in its calls. A create whose answer was lost and that looking did
// not find may still land late: apply-late.ts looks again before the final write and removes this
// push's late copies.
import {
  createEdge,
  createNode,
  createWorkflow,
  edgePath,
  listEdges,
  listNodes,
  listWorkflows,
  nodePath,
  patchNode,
  patchWorkflow,
} from './api';
import type { RemoteEdge, RemoteNode } from '../core/remote';
import { LateCreates, type LateLookOptions, type LateReport } from './apply-late';
import type { ApiClient } from './client';
import { ApiError } from './errors';
import { bodyHash, type Call, type Plan } from './plan';
import { findOrphanWorkflow } from './remote-read';
import {
  fingerprint,
  nodeHash,
  nodeHashAuto,
  nodeHashFor,
  normLabel,
  workflowHash,
  type RemoteWorkflow,
  type Snapshot,
} from './snapshot';
import {
  appendJournal,
  deriveTarget,
  emptyTarget,
  saveState,
  stateFileFor,
  type JournalEntry,
  type PendingOp,
  type StateFile,
} from './state';

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
  /** Looking again for creates processed late (apply-late.ts); tests inject the wait. */
  late?: LateLookOptions;
}

export interface ApplyResult {
  snapshot: Snapshot;
  done: number;
  stateWrites: number;
  /** Present when a create's answer was lost and looking did not find it at once. */
  late?: LateReport;
}

export function pendingOf(
  c: Call,
  snapshot: Snapshot | undefined,
  auto: ReadonlySet<string> = new Set(),
  nodeById?: ReadonlyMap<string, RemoteNode>,
): PendingOp {
  const hashOf = (key: string, n: RemoteNode) => (auto.has(key) ? nodeHashAuto(n) : nodeHash(n));
  switch (c.kind) {
    case 'create-workflow':
      return { op: 'create-workflow', title: c.body.title, at: new Date().toISOString() };
    case 'patch-workflow':
      return {
        op: 'patch-workflow',
        hash: workflowHash({ ...snapshot!.workflow, ...(c.body as Partial<RemoteWorkflow>) }),
      };
    case 'create-node':
      return { op: 'create-node', key: c.key, hash: hashOf(c.key, { id: '', ...c.body }) };
    case 'patch-node': {
      const r = nodeById?.get(c.id) ?? snapshot!.nodes.find((n) => n.id === c.id)!;
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
  // The remote as it changes: maps by id (insertion order = creation order for edges).
  let workflow: RemoteWorkflow | undefined = remote && { ...remote.workflow };
  const nodes = new Map<string, RemoteNode>((remote?.nodes ?? []).map((n) => [n.id, n]));
  const edges = new Map<string, RemoteEdge>((remote?.edges ?? []).map((e) => [e.id, e]));
  const edgesOfNode = new Map<string, Set<string>>();
  const linkEdge = (e: RemoteEdge) => {
    for (const id of [e.from_node_id, e.to_node_id]) {
      const set = edgesOfNode.get(id) ?? new Set<string>();
      set.add(e.id);
      edgesOfNode.set(id, set);
    }
  };
  for (const e of edges.values()) linkEdge(e);
  const snapshotNow = (): Snapshot | undefined =>
    workflow && { workflow, nodes: [...nodes.values()], edges: [...edges.values()] };

  const idByKey = new Map(plan.idByKey);
  const keyById = new Map([...idByKey].map(([k, id]) => [id, k]));
  const auto = o.autoPositionKeys ?? new Set<string>();
  const startSnapshot = snapshotNow();
  const ops = plan.calls.map((c) => pendingOf(c, startSnapshot, auto, nodes));
  const indexOf = new Map<Call, number>(plan.calls.map((c, i) => [c, i]));
  let stateWrites = 0;
  let done = 0;
  const total = plan.calls.length;
  const file = stateFileFor(o.stateFile, o.targetName);

  // Before the first call: the whole state with every planned call pending (one write).
  const before = startSnapshot ? deriveTarget(startSnapshot, idByKey, ops, auto) : { ...emptyTarget(), pending: ops };
  o.state.targets.set(o.targetName, before);
  stateWrites += saveState(o.stateFile, o.state, o.workflowFile);

  const finished = (c: Call, change: Omit<JournalEntry, 't' | 'p'>) => {
    appendJournal(file, { t: o.targetName, p: indexOf.get(c)!, ...change } as JournalEntry);
    stateWrites++;
    done++;
    o.onProgress?.(done, total, c);
  };

  const knownNode = (id: string) => nodes.has(id);
  const knownEdge = (id: string) => edges.has(id);
  const edgeIds = (c: Extract<Call, { kind: 'create-edge' }>) => {
    const from = idByKey.get(c.from);
    const to = idByKey.get(c.to);
    if (!from || !to) throw new Error(`internal: edge ${c.from} → ${c.to} has an endpoint that was not created`);
    return { from, to };
  };
  const findEdge = async (from: string, to: string, label: string | undefined): Promise<RemoteEdge | undefined> => {
    const list = await listEdges(client, workflow!.id);
    return list.find(
      (e) => !knownEdge(e.id) && e.from_node_id === from && e.to_node_id === to && normLabel(e.label) === label,
    );
  };
  const nodeEntry = (key: string, n: RemoteNode) => ({
    n: { key, id: n.id, hash: nodeHashFor(n, auto.has(key)), ...(auto.has(key) ? { auto: true } : {}) },
  });
  const dropEdge = (id: string) => {
    const e = edges.get(id);
    if (!e) return;
    edges.delete(id);
    edgesOfNode.get(e.from_node_id)?.delete(id);
    edgesOfNode.get(e.to_node_id)?.delete(id);
  };

  const late = new LateCreates();
  let workflowWindow: { exclude: ReadonlySet<string>; since: number } | undefined;
  const startNodeIds = new Set(nodes.keys());
  const stateNodeIds = new Set([...o.state.targets.values()].flatMap((t) => [...t.nodes.values()].map((n) => n.id)));

  const run = async (c: Call): Promise<void> => {
    switch (c.kind) {
      case 'create-workflow': {
        // What exists before the create is never this push's: if the answer is lost, only a
        // workflow that appeared since (and is still an empty draft) can be adopted.
        const startedAt = Date.now();
        const before = new Set((await listWorkflows(client)).map((w) => w.id));
        const exclude = new Set([...before, ...knownWorkflowIds(o.state)]);
        workflowWindow = { exclude, since: startedAt };
        const w = await createWorkflow(
          client,
          c.body,
          late.counted(c, ops[indexOf.get(c)!], () =>
            findOrphanWorkflow(client, c.body.title, c.body.description, { since: startedAt, exclude }),
          ),
        );
        if (!w || typeof w.id !== 'string') throw new Error('the API answered a workflow create without an id');
        workflow = w;
        const fp = fingerprint({ workflow: w, nodes: [], edges: [] });
        finished(c, { w: { id: w.id, hash: workflowHash(w), fp } });
        return;
      }
      case 'patch-workflow': {
        const w = await patchWorkflow(client, workflow!.id, c.body);
        workflow = { ...workflow!, ...c.body, ...w };
        finished(c, { w: { id: workflow.id, hash: workflowHash(workflow) } });
        return;
      }
      case 'create-node': {
        const want = bodyHash(c.body);
        const n = await createNode(
          client,
          workflow!.id,
          { ...c.body },
          late.counted(c, ops[indexOf.get(c)!], async () => {
            const list = await listNodes(client, workflow!.id);
            return list.find((x) => !knownNode(x.id) && !keyById.has(x.id) && nodeHash(x) === want);
          }),
        );
        if (!n || typeof n.id !== 'string') throw new Error('the API answered a node create without an id');
        nodes.set(n.id, n);
        idByKey.set(c.key, n.id);
        keyById.set(n.id, c.key);
        finished(c, nodeEntry(c.key, n));
        return;
      }
      case 'patch-node': {
        const n = await patchNode(client, workflow!.id, c.id, c.body);
        const merged = { ...nodes.get(c.id)!, ...c.body, ...n } as RemoteNode;
        nodes.set(c.id, merged);
        finished(c, nodeEntry(c.key, merged));
        return;
      }
      case 'delete-edge': {
        await deleteTolerant(client, edgePath(workflow!.id, c.id));
        dropEdge(c.id);
        finished(c, { de: [c.id] });
        return;
      }
      case 'create-edge': {
        const { from, to } = edgeIds(c);
        const body: Record<string, string> = { from_node_id: from, to_node_id: to };
        if (c.label !== undefined) body.label = c.label;
        let e: RemoteEdge | undefined;
        try {
          e = await createEdge(client, workflow!.id, body, () => findEdge(from, to, c.label));
        } catch (err) {
          // 409: this very edge exists (an earlier create whose answer was lost): adopt it.
          if (!(err instanceof ApiError && err.status === 409)) throw err;
          e = await findEdge(from, to, c.label);
          if (!e) throw err;
        }
        if (!e || typeof e.id !== 'string') throw new Error('the API answered an edge create without an id');
        edges.set(e.id, e);
        linkEdge(e);
        const label = normLabel(e.label);
        finished(c, { e: { from: c.from, to: c.to, id: e.id, ...(label !== undefined ? { label } : {}) } });
        return;
      }
      case 'delete-node': {
        await deleteTolerant(client, nodePath(workflow!.id, c.id));
        nodes.delete(c.id);
        const gone = [...(edgesOfNode.get(c.id) ?? [])];
        for (const id of gone) dropEdge(id);
        edgesOfNode.delete(c.id);
        finished(c, { dn: c.id, de: gone });
        return;
      }
    }
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
  const snapshot = snapshotNow();
  if (!snapshot) throw new Error('internal: nothing was pushed');
  // Lost answers that looking did not find: look again for late copies before the final write.
  const lateReport =
    late.count > 0
      ? await late.settle({
          client,
          workflowId: snapshot.workflow.id,
          knownNodes: (id) => nodes.has(id) || startNodeIds.has(id) || stateNodeIds.has(id),
          workflows: workflowWindow,
          options: o.late,
        })
      : undefined;
  // The final state (one write; the journal is folded in and removed). Doubts still open stay
  // pending: a copy landing after this push is then the next push's to remove, not drift.
  o.state.targets.set(o.targetName, deriveTarget(snapshot, idByKey, lateReport?.unresolved ?? [], auto));
  stateWrites += saveState(o.stateFile, o.state, o.workflowFile);
  return { snapshot, done, stateWrites, ...(lateReport ? { late: lateReport } : {}) };
}

/** Every workflow id any target of this state knows (never adopted as an orphan). */
export function knownWorkflowIds(state: StateFile): Set<string> {
  return new Set([...state.targets.values()].flatMap((t) => (t.workflowId ? [t.workflowId] : [])));
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
