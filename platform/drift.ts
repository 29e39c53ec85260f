// Drift: the remote workflow changed since the last push from this file (someone edited it in the
// dashboard). The state's fingerprint is compared first; when it differs, each recorded object is
// compared to find what changed, and differences that an unfinished push explains (its pending
// calls, each of which may or may not have happened) are not drift.
import { normLabel, nodeHash, nodeHashAuto, nodeHashFor, fingerprint, workflowHash, type Snapshot } from './snapshot';
import type { TargetState } from './state';

export interface Drift {
  changes: string[];
  message: string;
}

export function detectDrift(state: TargetState, remote: Snapshot | undefined): Drift | undefined {
  if (!state.workflowId || !remote) return undefined;
  if (!state.fingerprint) {
    // Nothing shows this id was ever pushed from this file: a hand-edited (or hostile) state could
    // name any workflow, and pushing would replace it. Treat it as drift: --force is needed.
    const message = `the state names workflow ${remote.workflow.id} without a fingerprint, so nothing shows it was pushed from this file; a push would replace its ${remote.nodes.length} node(s) and ${remote.edges.length} edge(s)`;
    return { changes: [message], message };
  }
  const autoIds = new Set([...state.nodes.values()].filter((n) => n.auto).map((n) => n.id));
  if (fingerprint(remote, autoIds) === state.fingerprint) return undefined;
  const pending = state.pending;
  const changes: string[] = [];
  const idToKey = new Map([...state.nodes].map(([k, v]) => [v.id, k]));
  const keyToId = new Map([...state.nodes].map(([k, v]) => [k, v.id]));
  const pendingDeleted = new Set(pending.flatMap((p) => (p.op === 'delete-node' ? [p.id] : [])));

  const wh = workflowHash(remote.workflow);
  if (
    state.workflowHash &&
    wh !== state.workflowHash &&
    !pending.some((p) => p.op === 'patch-workflow' && p.hash === wh)
  ) {
    changes.push('the title, description or max_concurrent_calls changed');
  }
  const remoteNodes = new Map(remote.nodes.map((n) => [n.id, n]));
  for (const [key, { id, hash, auto }] of state.nodes) {
    const r = remoteNodes.get(id);
    if (!r) {
      if (!pendingDeleted.has(id)) changes.push(`node ${key} (${id}) was deleted`);
      continue;
    }
    const h = nodeHashFor(r, !!auto);
    if (h !== hash && !pending.some((p) => p.op === 'patch-node' && p.id === id && p.hash === h))
      changes.push(`node ${key} (${id}) was edited`);
  }
  const createHashes = pending.flatMap((p) => (p.op === 'create-node' ? [p.hash] : []));
  for (const r of remote.nodes) {
    if (idToKey.has(r.id) || pendingDeleted.has(r.id)) continue;
    let i = createHashes.indexOf(nodeHash(r));
    if (i < 0) i = createHashes.indexOf(nodeHashAuto(r));
    if (i >= 0) {
      createHashes.splice(i, 1);
      continue;
    }
    changes.push(`node ${r.label ? `"${r.label}"` : r.id} (${r.id}, ${r.node_type}) was added`);
  }
  const remoteEdges = new Map(remote.edges.map((e) => [e.id, e]));
  const pendingEdgeDeletes = new Set(pending.flatMap((p) => (p.op === 'delete-edge' ? [p.id] : [])));
  for (const e of state.edges) {
    if (remoteEdges.has(e.id) || pendingEdgeDeletes.has(e.id)) continue;
    if (pendingDeleted.has(keyToId.get(e.from) ?? '') || pendingDeleted.has(keyToId.get(e.to) ?? '')) continue;
    changes.push(`edge ${e.from} → ${e.to}${e.label !== undefined ? ` [${e.label}]` : ''} (${e.id}) was deleted`);
  }
  const known = new Set(state.edges.map((e) => e.id));
  const createEdges = pending.flatMap((p) => (p.op === 'create-edge' ? [p] : []));
  for (const e of remote.edges) {
    if (known.has(e.id) || pendingDeleted.has(e.from_node_id) || pendingDeleted.has(e.to_node_id)) continue;
    const from = idToKey.get(e.from_node_id);
    const to = idToKey.get(e.to_node_id);
    const label = normLabel(e.label);
    const i = createEdges.findIndex((p) => p.from === from && p.to === to && p.label === label);
    if (i >= 0 && from && to) {
      createEdges.splice(i, 1);
      continue;
    }
    // An edge from or to a node created by the unfinished push, not yet in the state.
    if ((!from || !to) && createEdges.length && pending.some((p) => p.op === 'create-node')) continue;
    changes.push(
      `edge ${from ?? e.from_node_id} → ${to ?? e.to_node_id}${label !== undefined ? ` [${label}]` : ''} (${e.id}) was added`,
    );
  }
  // Same objects with the same content: a node's edge order cannot change without new edge ids,
  // so there is nothing more to find (an older fingerprint formula is not drift either).
  if (changes.length === 0) return undefined;
  return {
    changes,
    message: `the remote workflow ${remote.workflow.id} changed since the last push from this file: ${changes.join('; ')}`,
  };
}
