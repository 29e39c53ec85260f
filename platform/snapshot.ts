// The remote workflow as read from the API (workflow, nodes, edges), with the content hashes the
// state file records and the fingerprint drift detection compares.
import { createHash } from 'node:crypto';
import type { RemoteEdge, RemoteNode } from '../core/remote';

export interface RemoteWorkflow {
  id: string;
  title?: string | null;
  description?: string | null;
  status?: string;
  max_concurrent_calls?: number | null;
  node_count?: number;
  edge_count?: number;
  enrolled_leads?: number;
  created_at?: string;
}

export interface Snapshot {
  workflow: RemoteWorkflow;
  nodes: RemoteNode[];
  /** In creation order: each node's routing order. */
  edges: RemoteEdge[];
}

/** JSON with object keys sorted, so equal data always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export const sameData = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

function sha(text: string, len: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, len);
}

export const normLabel = (l: string | null | undefined): string | undefined =>
  l === null || l === undefined || l === '' ? undefined : l;
export const normConfig = (c: unknown): Record<string, unknown> =>
  c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};

export interface NodeContent {
  type: string;
  label: string;
  config: Record<string, unknown>;
  x: number | null;
  y: number | null;
}

export function nodeContent(n: RemoteNode): NodeContent {
  return {
    type: n.node_type,
    label: n.label ?? '',
    config: normConfig(n.config),
    x: n.position_x ?? null,
    y: n.position_y ?? null,
  };
}

export function contentHash(c: NodeContent): string {
  return sha(canonicalJson(c), 12);
}
// Node objects are replaced, never mutated, when they change: the hash can be kept per object
// (a push rewrites the state after every call, and rehashing every node each time is quadratic).
const hashCache = new WeakMap<RemoteNode, string>();
export function nodeHash(n: RemoteNode): string {
  let h = hashCache.get(n);
  if (h === undefined) {
    h = contentHash(nodeContent(n));
    hashCache.set(n, h);
  }
  return h;
}

const autoHashCache = new WeakMap<RemoteNode, string>();
/** For a node whose position the file leaves to the dashboard: its position is not part of it. */
export function nodeHashAuto(n: RemoteNode): string {
  let h = autoHashCache.get(n);
  if (h === undefined) {
    h = contentHash({ ...nodeContent(n), x: null, y: null });
    autoHashCache.set(n, h);
  }
  return h;
}

export const nodeHashFor = (n: RemoteNode, autoPosition: boolean): string =>
  autoPosition ? nodeHashAuto(n) : nodeHash(n);

export function workflowHash(w: Pick<RemoteWorkflow, 'title' | 'description' | 'max_concurrent_calls'>): string {
  return sha(canonicalJson({ t: w.title ?? '', d: w.description ?? '', m: w.max_concurrent_calls ?? null }), 12);
}

/**
 * One hash for the whole remote graph: nodes as a set, each node's edges in their routing order.
 * Edges of different nodes are unordered: they are created concurrently, so the order the answers
 * arrive in need not be the platform's creation order.
 */
export function fingerprint(s: Snapshot, autoPositionIds: ReadonlySet<string> = new Set()): string {
  const lines = [`W ${s.workflow.id} ${workflowHash(s.workflow)}`];
  for (const n of [...s.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)))
    lines.push(`N ${n.id} ${autoPositionIds.has(n.id) ? nodeHashAuto(n) : nodeHash(n)}`);
  const edges = [...s.edges].sort((x, y) =>
    x.from_node_id < y.from_node_id ? -1 : x.from_node_id > y.from_node_id ? 1 : 0,
  ); // stable
  for (const e of edges) lines.push(`E ${e.id} ${e.from_node_id} ${e.to_node_id} ${normLabel(e.label) ?? ''}`);
  return sha(lines.join('\n'), 16);
}
