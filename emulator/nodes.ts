// /workflows/{id}/nodes. PATCH replaces `config` whole; `node_type` never changes (400).
import { NODE_TYPES } from '../core/model';
import { parseJsonObject, route, type Reply, type Request, type Route } from './http';
import { newId } from './ids';
import { getNode, getWorkflow, listNodes, nodeJson, timestamp, touchWorkflow, type Ctx, type NodeRow } from './store';
import { checkBody, type FieldSpec } from './validation';

const SPEC: Record<string, FieldSpec> = {
  node_type: { type: 'string', enum: NODE_TYPES },
  label: { type: 'string', maxLength: 200 },
  position_x: { type: 'number' },
  position_y: { type: 'number' },
  config: { type: 'object' },
};

function list(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  return { status: 200, body: { data: listNodes(ctx.db, w.id).map(nodeJson) } };
}

function create(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const body = parseJsonObject(req.body);
  checkBody(body, { ...SPEC, node_type: { ...SPEC.node_type, required: true } });
  const now = timestamp();
  const row: Omit<NodeRow, 'seq'> = {
    id: newId('node'),
    workflow_id: w.id,
    node_type: body.node_type as string,
    label: (body.label as string | undefined) ?? '',
    position_x: (body.position_x as number | undefined) ?? 0,
    position_y: (body.position_y as number | undefined) ?? 0,
    config: JSON.stringify(body.config ?? {}),
    created_at: now,
    updated_at: now,
  };
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `INSERT INTO nodes (id, workflow_id, node_type, label, position_x, position_y, config, created_at, updated_at)
      VALUES (@id, @workflow_id, @node_type, @label, @position_x, @position_y, @config, @created_at, @updated_at)`,
      )
      .run(row);
    touchWorkflow(ctx.db, w);
  })();
  return { status: 201, body: nodeJson({ ...row, seq: 0 }) };
}

function update(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const n = getNode(ctx, w.id, req.params.nodeId);
  const body = parseJsonObject(req.body);
  const extra: string[] = [];
  // Sending the node's own type is harmless; a different one is the documented 400.
  if (body.node_type !== undefined && body.node_type !== n.node_type)
    extra.push('node_type cannot be changed: delete the node and create a new one');
  const { node_type: _t, ...rest } = body;
  checkBody(
    rest,
    { label: SPEC.label, position_x: SPEC.position_x, position_y: SPEC.position_y, config: SPEC.config },
    extra,
  );
  const next: NodeRow = {
    ...n,
    label: (rest.label as string | undefined) ?? n.label,
    position_x: (rest.position_x as number | undefined) ?? n.position_x,
    position_y: (rest.position_y as number | undefined) ?? n.position_y,
    config: rest.config !== undefined ? JSON.stringify(rest.config) : n.config,
    updated_at: timestamp(n.updated_at),
  };
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE nodes SET label = ?, position_x = ?, position_y = ?, config = ?, updated_at = ? WHERE id = ?')
      .run(next.label, next.position_x, next.position_y, next.config, next.updated_at, n.id);
    touchWorkflow(ctx.db, w);
  })();
  return { status: 200, body: nodeJson(next) };
}

function remove(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const n = getNode(ctx, w.id, req.params.nodeId);
  ctx.db.transaction(() => {
    // Explicit, although ON DELETE CASCADE would do it: the node and its edges go in one transaction.
    ctx.db.prepare('DELETE FROM edges WHERE from_node_id = ? OR to_node_id = ?').run(n.id, n.id);
    ctx.db.prepare('DELETE FROM nodes WHERE id = ?').run(n.id);
    touchWorkflow(ctx.db, w);
  })();
  return { status: 200, body: { message: 'Node deleted.' } };
}

export const nodeRoutes: Route<Ctx>[] = [
  route('GET', '/workflows/:id/nodes', list),
  route('POST', '/workflows/:id/nodes', create),
  route('PATCH', '/workflows/:id/nodes/:nodeId', update),
  route('DELETE', '/workflows/:id/nodes/:nodeId', remove),
];
