// /workflows/{id}/leads: CSV upload (multipart field `file`), paged list, removal, variable keys.
import { parseCsv } from '../core/csv';
import { badRequest, conflict, notFound, route, type Reply, type Request, type Route } from './http';
import { newId } from './ids';
import { boundaryOf, parseMultipart } from './multipart';
import { entryNodeId, getWorkflow, leadJson, timestamp, variableKeys, type Ctx, type LeadRow } from './store';
import { pageMeta, parsePaging } from './validation';

export const LEAD_STATUSES = ['pending', 'in_progress', 'completed', 'removed', 'failed'] as const;
const FILE_TYPES = 'File must be a CSV or Excel file (.csv, .xlsx, .xls)';

/** Digits with an optional leading +, after dropping the separators people type. */
function normalisePhone(raw: string): string | undefined {
  const s = raw.trim().replace(/[\s\-().]/g, '');
  return /^\+?\d{7,15}$/.test(s) ? s : undefined;
}

function upload(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  if (w.status === 'cancelled' || w.status === 'completed')
    throw conflict(`Workflow is ${w.status}: leads can no longer be enrolled`);
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw badRequest('the body must be multipart/form-data with the lead file in the field "file"');
  const file = parseMultipart(req.body, boundary).find((p) => p.name === 'file');
  if (!file)
    throw badRequest(['file should not be empty', 'file must be a CSV file sent in the multipart field "file"']);
  const ext = file.filename ? /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() : 'csv';
  if (ext === 'xlsx' || ext === 'xls')
    throw badRequest('the emulator reads CSV lead files only: export the sheet as .csv');
  if (ext !== 'csv') throw badRequest(FILE_TYPES);

  const rows = parseCsv(file.data.toString('utf8'));
  if (rows.length === 0) throw badRequest('the lead file is empty: it needs a header row with a phone_number column');
  const header = rows[0].map((h) => h.trim());
  const problems: string[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') problems.push(`column ${i + 1} has an empty header`);
    else if (seen.has(h)) problems.push(`column "${h}" appears twice in the header`);
    seen.add(h);
  });
  const phoneCol = header.indexOf('phone_number');
  if (phoneCol < 0) problems.push('the lead file must have a phone_number column');
  if (problems.length) throw badRequest(problems);

  const leads: { phone: string; metadata: Record<string, string> }[] = [];
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    if (r.length > header.length) {
      problems.push(`row ${line}: ${r.length} fields but the header has ${header.length}`);
      return;
    }
    const phone = normalisePhone(r[phoneCol] ?? '');
    if (!phone) {
      problems.push(`row ${line}: Invalid phone number ${JSON.stringify(r[phoneCol] ?? '')}`);
      return;
    }
    // Null prototype: a column named `__proto__` is a variable like any other (a plain object would swallow it).
    const metadata: Record<string, string> = Object.create(null);
    header.forEach((h, c) => {
      if (c !== phoneCol) metadata[h] = r[c] ?? '';
    });
    leads.push({ phone, metadata });
  });
  if (problems.length) throw badRequest(problems);

  const live = w.status === 'active' || w.status === 'running';
  const entry = live ? entryNodeId(ctx.db, w.id) : null;
  ctx.db.transaction(() => {
    const insert = ctx.db.prepare(
      'INSERT INTO leads (id, workflow_id, phone_number, metadata, current_node_id, status, enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const now = timestamp();
    for (const l of leads)
      insert.run(
        newId('wlead'),
        w.id,
        l.phone,
        JSON.stringify(l.metadata),
        entry,
        live ? 'in_progress' : 'pending',
        now,
      );
    const addKey = ctx.db.prepare(`INSERT OR IGNORE INTO variable_keys (workflow_id, key, seq)
      VALUES (?, ?, (SELECT ifnull(max(seq), 0) + 1 FROM variable_keys WHERE workflow_id = ?))`);
    for (const h of header) if (h !== 'phone_number') addKey.run(w.id, h, w.id);
  })();
  return {
    status: 201,
    body: {
      workflow_id: w.id,
      leads_enrolled: leads.length,
      message: `${leads.length} leads enrolled in the workflow.`,
    },
  };
}

function list(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const p = parsePaging(req.query);
  const status = req.query.get('status');
  if (status !== null && !(LEAD_STATUSES as readonly string[]).includes(status)) {
    throw badRequest([`status must be one of the following values: ${LEAD_STATUSES.join(', ')}`]);
  }
  const where = status ? 'workflow_id = ? AND status = ?' : 'workflow_id = ?';
  const args = status ? [w.id, status] : [w.id];
  const total = (ctx.db.prepare(`SELECT count(*) AS n FROM leads WHERE ${where}`).get(...args) as { n: number }).n;
  const rows = ctx.db
    .prepare(`SELECT * FROM leads WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`)
    .all(...args, p.limit, p.offset) as LeadRow[];
  return { status: 200, body: { data: rows.map(leadJson), meta: pageMeta(p, total) } };
}

function remove(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  const l = ctx.db.prepare('SELECT * FROM leads WHERE id = ? AND workflow_id = ?').get(req.params.leadId, w.id) as
    | LeadRow
    | undefined;
  if (!l) throw notFound('Lead not found');
  if (l.status === 'completed' || l.status === 'removed') throw conflict(`Lead is already ${l.status}`);
  ctx.db.prepare("UPDATE leads SET status = 'removed' WHERE id = ?").run(l.id);
  return { status: 200, body: { message: 'Lead removed from workflow.' } };
}

function keys(ctx: Ctx, req: Request): Reply {
  const w = getWorkflow(ctx, req.params.id);
  return { status: 200, body: { keys: variableKeys(ctx.db, w.id) } };
}

export const leadRoutes: Route<Ctx>[] = [
  route('POST', '/workflows/:id/leads', upload),
  route('GET', '/workflows/:id/leads', list),
  route('GET', '/workflows/:id/leads/variable-keys', keys),
  route('DELETE', '/workflows/:id/leads/:leadId', remove),
];
