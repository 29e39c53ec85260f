// /workflows/{id}/edges: created and deleted, never updated; listed in creation order (= routing order).
import { conflict, notFound, parseJsonObject, route, type Reply, type Request, type Route } from './http';
import { newId } from './ids';
import { edgeJson, getWorkflow, listEdges, timestamp, touchWorkflow, type Ctx, type EdgeRow } from './store';
import { checkBody } from './validation';

function list(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  return { status: 200, body: { data: listEdges(ctx.db, w.id).map(edgeJson) } };
}

function create(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const body = parseJsonObject(req.body);
  checkBody(body, {
    from_node_id: { type: 'string', required: true, minLength: 1 },
    to_node_id: { type: 'string', required: true, minLength: 1 },
    label: { type: 'string', nullable: true, minLength: 1 },
  });
  const from = body.from_node_id as string;
  const to = body.to_node_id as string;
  const label = (body.label as string | null | undefined) ?? null;
  const inWorkflow = ctx.db.prepare('SELECT 1 FROM nodes WHERE id = ? AND workflow_id = ?');
  for (const id of new Set([from, to]))
    if (!inWorkflow.get(id, w.id)) throw notFound(`Node ${id} not found in workflow ${w.id}`);
  const dup = ctx.db
    .prepare('SELECT id FROM edges WHERE workflow_id = ? AND from_node_id = ? AND to_node_id = ? AND label IS ?')
    .get(w.id, from, to, label) as { id: string } | undefined;
  if (dup)
    throw conflict(
      `An edge from ${from} to ${to} with ${label === null ? 'no label' : `label "${label}"`} already exists (${dup.id})`,
    );
  const row: EdgeRow = {
    seq: 0,
    id: newId('edge'),
    workflow_id: w.id,
    from_node_id: from,
    to_node_id: to,
    label,
    created_at: timestamp(),
  };
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        'INSERT INTO edges (id, workflow_id, from_node_id, to_node_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(row.id, row.workflow_id, row.from_node_id, row.to_node_id, row.label, row.created_at);
    touchWorkflow(ctx.db, w);
  })();
  return { status: 201, body: edgeJson(row) };
}

function remove(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const e = ctx.db.prepare('SELECT id FROM edges WHERE id = ? AND workflow_id = ?').get(req.params.edgeId, w.id);
  if (!e) throw notFound('Edge not found');
  ctx.db.transaction(() => {
    ctx.db.prepare('DELETE FROM edges WHERE id = ?').run(req.params.edgeId);
    touchWorkflow(ctx.db, w);
  })();
  return { status: 200, body: { message: 'Edge deleted.' } };
}

export const edgeRoutes: Route<Ctx>[] = [
  route('GET', '/workflows/:id/edges', list),
  route('POST', '/workflows/:id/edges', create),
  route('DELETE', '/workflows/:id/edges/:edgeId', remove),
];
