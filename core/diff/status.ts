// The diff as a status per node and edge, for the editor's "changes" graph mode.
import type { EdgeRef, WorkflowDiff } from './types';

export type ChangeStatus = 'added' | 'removed' | 'renamed' | 'changed' | 'moved';

export interface ChangeStatusMap {
  /** New-file node key → its status; nodes not listed are unchanged. */
  nodes: Record<string, Exclude<ChangeStatus, 'moved'>>;
  /** Old keys of removed nodes (not in the new graph: a front end may draw them as ghosts). */
  removedNodes: string[];
  /** New key → old key of each renamed node (so a drawing can say what it was called). */
  renamedFrom?: Record<string, string>;
  /** `edgeKey(from, edge)` of the new file's edges → added, or moved (its routing position changed). */
  edges: Record<string, 'added' | 'moved'>;
  /** Edges of the old file that are gone, with their (new) source key. */
  removedEdges: { from: string; edge: EdgeRef }[];
}

/** The id a front end uses for an edge: source key, label and target. */
export function edgeKey(from: string, e: EdgeRef): string {
  return `${from}|${e.on ?? ''}|${e.to}`;
}

const edgeId = (e: EdgeRef): string => `${e.on ?? ''}\u0000${e.to}`;

export function changeStatus(diff: WorkflowDiff): ChangeStatusMap {
  const map: ChangeStatusMap = { nodes: {}, removedNodes: [], edges: {}, removedEdges: [] };
  for (const n of diff.nodes) {
    if (n.status === 'removed') {
      map.removedNodes.push(n.key);
      continue;
    }
    map.nodes[n.key] = n.status;
    if (n.status === 'renamed' && n.from !== undefined) (map.renamedFrom ??= {})[n.key] = n.from;
    for (const e of n.edges) {
      if (e.kind === 'added') map.edges[edgeKey(n.key, e.edge)] = 'added';
      else map.removedEdges.push({ from: n.key, edge: e.edge });
    }
    if (n.reordered)
      n.reordered.new.forEach((e, i) => {
        if (edgeId(e) !== edgeId(n.reordered!.old[i])) map.edges[edgeKey(n.key, e)] ??= 'moved';
      });
  }
  return map;
}
