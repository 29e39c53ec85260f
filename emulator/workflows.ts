// /workflows: CRUD, the lifecycle verbs, duplicate, and the newer `PATCH /workflows/{id}/status` surface.
import { badRequest, conflict, HttpError, parseJsonObject, route, type Reply, type Request, type Route } from './http';
import { newId } from './ids';
import { preflight } from './preflight';
import { Scheduler } from './scheduler';
import {
  entryNodeId,
  getWorkflow,
  listEdges,
  listNodes,
  timestamp,
  workflowJson,
  type Ctx,
  type WorkflowRow,
} from './store';
import { checkBody, pageMeta, parsePaging, type FieldSpec } from './validation';

const TITLE: FieldSpec = { type: 'string', minLength: 1, maxLength: 200 };
const DESCRIPTION: FieldSpec = { type: 'string', nullable: true };
// Extension (docs/decisions.md): the file's settings.max_concurrent_calls, checked by activate's check 4.
const MAX_CONCURRENT: FieldSpec = { type: 'integer', nullable: true, min: 1 };

const FINAL = new Set(['cancelled', 'completed']);

function create(ctx: Ctx, req: Request): Reply {
  const body = parseJsonObject(req.body);
  // The reference's sample sends "status":"draft"; a new workflow is always a draft.
  const extra =
    body.status !== undefined && body.status !== 'draft'
      ? ['status must be draft (status moves only through the lifecycle verbs)']
      : [];
  const { status: _ignored, ...rest } = body;
  checkBody(
    rest,
    { title: { ...TITLE, required: true }, description: DESCRIPTION, max_concurrent_calls: MAX_CONCURRENT },
    extra,
  );
  const now = timestamp();
  const row: WorkflowRow = {
    seq: 0,
    id: newId('wfl'),
    organization_id: ctx.ws.id,
    title: rest.title as string,
    description: (rest.description as string | null | undefined) ?? null,
    status: 'draft',
    max_concurrent_calls: (rest.max_concurrent_calls as number | null | undefined) ?? null,
    created_at: now,
    updated_at: now,
  };
  insertWorkflow(ctx, row);
  return { status: 201, body: workflowJson(row) };
}

function insertWorkflow(ctx: Ctx, w: WorkflowRow): void {
  ctx.db
    .prepare(
      `INSERT INTO workflows (id, organization_id, title, description, status, max_concurrent_calls, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(w.id, w.organization_id, w.title, w.description, w.status, w.max_concurrent_calls, w.created_at, w.updated_at);
}

function list(ctx: Ctx, req: Request): Reply {
  const p = parsePaging(req.query);
  const total = (
    ctx.db.prepare('SELECT count(*) AS n FROM workflows WHERE organization_id = ?').get(ctx.ws.id) as { n: number }
  ).n;
  const rows = ctx.db
    .prepare('SELECT * FROM workflows WHERE organization_id = ? ORDER BY seq LIMIT ? OFFSET ?')
    .all(ctx.ws.id, p.limit, p.offset) as WorkflowRow[];
  return { status: 200, body: { data: rows.map(workflowJson), meta: pageMeta(p, total) } };
}

function get(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const count = (sql: string) => (ctx.db.prepare(sql).get(w.id) as { n: number }).n;
  return {
    status: 200,
    body: {
      ...workflowJson(w),
      node_count: count('SELECT count(*) AS n FROM nodes WHERE workflow_id = ?'),
      edge_count: count('SELECT count(*) AS n FROM edges WHERE workflow_id = ?'),
      // Enrolled = every lead not removed from the workflow.
      enrolled_leads: count("SELECT count(*) AS n FROM leads WHERE workflow_id = ? AND status <> 'removed'"),
    },
  };
}

function update(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const body = parseJsonObject(req.body);
  if ('status' in body)
    throw conflict('status cannot be changed with PATCH; use the lifecycle verbs (activate, pause, resume, cancel)');
  checkBody(body, { title: TITLE, description: DESCRIPTION, max_concurrent_calls: MAX_CONCURRENT });
  const fields = (['title', 'description', 'max_concurrent_calls'] as const).filter((k) => body[k] !== undefined);
  if (fields.length === 0)
    throw badRequest(['the body must contain at least one of title, description, max_concurrent_calls']);
  const next = { ...w };
  for (const k of fields) (next as Record<string, unknown>)[k] = body[k];
  next.updated_at = timestamp(w.updated_at);
  ctx.db
    .prepare(
      'UPDATE workflows SET title = @title, description = @description, max_concurrent_calls = @max_concurrent_calls, updated_at = @updated_at WHERE id = @id',
    )
    .run(next);
  return { status: 200, body: workflowJson(next) };
}

function inTransit(ctx: Ctx, w: WorkflowRow): number {
  if (FINAL.has(w.status)) return 0;
  return (
    ctx.db.prepare("SELECT count(*) AS n FROM leads WHERE workflow_id = ? AND status = 'in_progress'").get(w.id) as {
      n: number;
    }
  ).n;
}

function remove(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  if (w.status === 'active' || w.status === 'running')
    throw conflict('Workflow is active: cancel it (or pause it and wait for its leads) before deleting it');
  const moving = inTransit(ctx, w);
  if (moving > 0) throw conflict(`Workflow has ${moving} lead(s) in transit: cancel it before deleting it`);
  // ON DELETE CASCADE removes nodes, edges, leads and variable keys in the same statement.
  ctx.db.prepare('DELETE FROM workflows WHERE id = ?').run(w.id);
  return { status: 200, body: { message: 'Workflow deleted.' } };
}

/** Leads waiting to start begin moving at the entry node; the scheduler (emulator/scheduler.ts) moves them on each tick. */
function startPendingLeads(ctx: Ctx, w: WorkflowRow): void {
  const entry = entryNodeId(ctx.db, w.id);
  ctx.db
    .prepare(
      "UPDATE leads SET status = 'in_progress', current_node_id = ? WHERE workflow_id = ? AND status = 'pending'",
    )
    .run(entry, w.id);
}

type Verb = 'activate' | 'pause' | 'resume' | 'cancel';

/** The lifecycle table: returns the new status, or throws (`wrongState` chooses 409 or the newer surface's 400). */
function transition(ctx: Ctx, w: WorkflowRow, verb: Verb, wrongState: 409 | 400): WorkflowRow {
  const fail = (m: string) => {
    throw new HttpError(wrongState, m);
  };
  let to: string;
  switch (verb) {
    case 'activate':
      if (w.status === 'paused')
        fail(`Workflow is paused: use resume to make it active again (activate only starts a draft)`);
      if (w.status !== 'draft') fail(`Workflow is ${w.status}: only a draft workflow can be activated`);
      to = 'active';
      break;
    case 'pause':
      if (w.status !== 'active' && w.status !== 'running')
        fail(`Workflow is ${w.status}: only an active workflow can be paused`);
      to = 'paused';
      break;
    case 'resume':
      if (w.status !== 'paused') fail(`Workflow is ${w.status}: only a paused workflow can be resumed`);
      to = 'active';
      break;
    case 'cancel':
      if (!['draft', 'active', 'running', 'paused'].includes(w.status))
        fail(`Workflow is already ${w.status}: it cannot be cancelled`);
      to = 'cancelled';
      break;
  }
  if (verb === 'activate') {
    const problems = preflight(ctx.db, ctx.ws, w);
    if (problems.length) throw badRequest(problems);
  }
  const next = { ...w, status: to!, updated_at: timestamp(w.updated_at) };
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE workflows SET status = ?, updated_at = ? WHERE id = ?')
      .run(next.status, next.updated_at, w.id);
    if (to === 'active') startPendingLeads(ctx, next);
    if (to === 'cancelled') Scheduler.endLeadsOf(ctx.db, next);
  })();
  return next;
}

const verb =
  (v: Verb) =>
  (ctx: Ctx, req: Request): Reply => {
    const next = transition(ctx, getWorkflow(ctx, req.params.id), v, 409);
    return { status: 200, body: { id: next.id, status: next.status } };
  };

const STATUS_ACTIONS: Record<string, { verb: Verb; done: string }> = {
  activate: { verb: 'activate', done: 'activated' },
  deactivate: { verb: 'pause', done: 'deactivated' },
  pause: { verb: 'pause', done: 'paused' },
  resume: { verb: 'resume', done: 'resumed' },
};

/** The published OpenAPI's surface: wrong state is 400, and success is wrapped `{statusCode, message, data}`. */
function statusAction(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const body = parseJsonObject(req.body);
  const a = typeof body.action === 'string' ? STATUS_ACTIONS[body.action] : undefined;
  if (!a) throw badRequest('Invalid action. Must be one of: activate, deactivate, pause, resume');
  const next = transition(ctx, w, a.verb, 400);
  return {
    status: 200,
    body: {
      statusCode: 200,
      message: `Workflow ${a.done} successfully`,
      data: {
        id: next.id,
        title: next.title,
        status: next.status,
        description: next.description,
        createdAt: next.created_at,
        updatedAt: next.updated_at,
      },
    },
  };
}

function duplicate(ctx: Ctx, req: Request): Reply {
  const src = getWorkflow(ctx, req.params.id);
  const now = timestamp();
  const copy: WorkflowRow = {
    ...src,
    id: newId('wfl'),
    title: `${src.title} (Copy)`,
    status: 'draft',
    created_at: now,
    updated_at: now,
  };
  ctx.db.transaction(() => {
    insertWorkflow(ctx, copy);
    const idMap = new Map<string, string>();
    const insertNode = ctx.db
      .prepare(`INSERT INTO nodes (id, workflow_id, node_type, label, position_x, position_y, config, created_at, updated_at)
      VALUES (@id, @workflow_id, @node_type, @label, @position_x, @position_y, @config, @created_at, @updated_at)`);
    for (const n of listNodes(ctx.db, src.id)) {
      const id = newId('node');
      idMap.set(n.id, id);
      insertNode.run({
        id,
        workflow_id: copy.id,
        node_type: n.node_type,
        label: n.label,
        position_x: n.position_x,
        position_y: n.position_y,
        config: n.config,
        created_at: now,
        updated_at: now,
      });
    }
    const insertEdge = ctx.db.prepare(
      'INSERT INTO edges (id, workflow_id, from_node_id, to_node_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const e of listEdges(ctx.db, src.id))
      insertEdge.run(newId('edge'), copy.id, idMap.get(e.from_node_id), idMap.get(e.to_node_id), e.label, now);
  })();
  return { status: 201, body: workflowJson(copy) };
}

export const workflowRoutes: Route<Ctx>[] = [
  route('GET', '/workflows', list),
  route('POST', '/workflows', create),
  route('GET', '/workflows/:id', get),
  route('PATCH', '/workflows/:id', update),
  route('DELETE', '/workflows/:id', remove),
  route('POST', '/workflows/:id/activate', verb('activate')),
  route('POST', '/workflows/:id/pause', verb('pause')),
  route('POST', '/workflows/:id/resume', verb('resume')),
  route('POST', '/workflows/:id/cancel', verb('cancel')),
  route('POST', '/workflows/:id/duplicate', duplicate),
  route('PATCH', '/workflows/:id/status', statusAction),
];
