// Rows ↔ API objects, and the lookups every route needs (always scoped to the caller's workspace:
// another workspace's ids answer 404 exactly like ids that never existed).
import type { DB } from './db';
import { notFound } from './http';
import type { Workspace } from './seed';

export interface Ctx {
  db: DB;
  ws: Workspace;
}

export interface WorkflowRow {
  seq: number;
  id: string;
  organization_id: string;
  title: string;
  description: string | null;
  status: string;
  max_concurrent_calls: number | null;
  created_at: string;
  updated_at: string;
}
export interface NodeRow {
  seq: number;
  id: string;
  workflow_id: string;
  node_type: string;
  label: string;
  position_x: number;
  position_y: number;
  config: string;
  created_at: string;
  updated_at: string;
}
export interface EdgeRow {
  seq: number;
  id: string;
  workflow_id: string;
  from_node_id: string;
  to_node_id: string;
  label: string | null;
  created_at: string;
}
export interface LeadRow {
  seq: number;
  id: string;
  workflow_id: string;
  phone_number: string;
  metadata: string;
  current_node_id: string | null;
  status: string;
  enrolled_at: string;
}

export function workflowJson(w: WorkflowRow) {
  return {
    id: w.id,
    organization_id: w.organization_id,
    title: w.title,
    description: w.description,
    status: w.status,
    max_concurrent_calls: w.max_concurrent_calls,
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}

export function nodeJson(n: NodeRow) {
  return {
    id: n.id,
    workflow_id: n.workflow_id,
    node_type: n.node_type,
    label: n.label,
    position_x: n.position_x,
    position_y: n.position_y,
    config: JSON.parse(n.config) as Record<string, unknown>,
  };
}

export function edgeJson(e: EdgeRow) {
  return {
    id: e.id,
    workflow_id: e.workflow_id,
    from_node_id: e.from_node_id,
    to_node_id: e.to_node_id,
    label: e.label,
  };
}

export function leadJson(l: LeadRow) {
  return {
    id: l.id,
    workflow_id: l.workflow_id,
    phone_number: l.phone_number,
    metadata: JSON.parse(l.metadata) as Record<string, string>,
    current_node_id: l.current_node_id,
    status: l.status,
    enrolled_at: l.enrolled_at,
  };
}

export function getWorkflow(ctx: Ctx, id: string): WorkflowRow {
  const w = ctx.db.prepare('SELECT * FROM workflows WHERE id = ? AND organization_id = ?').get(id, ctx.ws.id) as
    | WorkflowRow
    | undefined;
  if (!w) throw notFound('Workflow not found');
  return w;
}

export function getNode(ctx: Ctx, workflowId: string, nodeId: string): NodeRow {
  const n = ctx.db.prepare('SELECT * FROM nodes WHERE id = ? AND workflow_id = ?').get(nodeId, workflowId) as
    | NodeRow
    | undefined;
  if (!n) throw notFound('Node not found');
  return n;
}

export function listNodes(db: DB, workflowId: string): NodeRow[] {
  return db.prepare('SELECT * FROM nodes WHERE workflow_id = ? ORDER BY seq').all(workflowId) as NodeRow[];
}

export function listEdges(db: DB, workflowId: string): EdgeRow[] {
  return db.prepare('SELECT * FROM edges WHERE workflow_id = ? ORDER BY seq').all(workflowId) as EdgeRow[];
}

export function variableKeys(db: DB, workflowId: string): string[] {
  return (
    db.prepare('SELECT key FROM variable_keys WHERE workflow_id = ? ORDER BY seq').all(workflowId) as { key: string }[]
  ).map((r) => r.key);
}

/** Now, as ISO text; strictly after `prev` so that every change moves `updated_at` (drift detection relies on it). */
export function timestamp(prev?: string): string {
  let t = Date.now();
  if (prev) {
    const p = Date.parse(prev);
    if (Number.isFinite(p) && t <= p) t = p + 1;
  }
  return new Date(t).toISOString();
}

/** Any change to a workflow, its nodes or its edges moves the workflow's `updated_at`. */
export function touchWorkflow(db: DB, w: { id: string; updated_at: string }): string {
  const at = timestamp(w.updated_at);
  db.prepare('UPDATE workflows SET updated_at = ? WHERE id = ?').run(at, w.id);
  return at;
}

/** The node leads enter at: the single node with no incoming edge (platform-api.md's entry decision). */
export function entryNodeId(db: DB, workflowId: string): string | null {
  const roots = db
    .prepare(
      `SELECT n.id FROM nodes n WHERE n.workflow_id = ?
    AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.to_node_id = n.id) ORDER BY n.seq`,
    )
    .all(workflowId) as { id: string }[];
  return roots.length === 1 ? roots[0].id : null;
}
