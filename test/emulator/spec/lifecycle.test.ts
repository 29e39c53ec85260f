// platform-api.md § Lifecycle: the verbs row by row, DELETE, PATCH with status, edits to an active workflow.
// The real emulator process over real HTTP. States no verb reaches (legacy `running`, `completed`) are
// written into the emulator's own SQLite file through a second connection, as the platform would have them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../../emulator/sqlite';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from '../harness';
import { assertError, query, setStatus } from '../spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

const statusOf = async (id: string) => (await emu.api('GET', `/workflows/${id}`)).body.status;
const fresh = async () => (await buildWorkflow(emu, VALID_GRAPH)).id;
const post = (id: string, verb: string) => emu.api('POST', `/workflows/${id}/${verb}`);

/** A workflow in `status`: through the verbs where they reach it, else written as the platform would. */
async function inState(status: string): Promise<string> {
  const w = await buildWorkflow(emu, VALID_GRAPH);
  if (status === 'active' || status === 'paused' || status === 'cancelled')
    assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
  if (status === 'paused') assert.equal((await emu.api('POST', `/workflows/${w.id}/pause`)).status, 200);
  if (status === 'cancelled') assert.equal((await emu.api('POST', `/workflows/${w.id}/cancel`)).status, 200);
  if (status === 'running' || status === 'completed') setStatus(db, 'workflows', w.id, status);
  assert.equal(await statusOf(w.id), status);
  return w.id;
}

describe('the lifecycle verbs', () => {
  // spec: the lifecycle table ("`POST /workflows/{id}/activate` | `draft` | `active` | … **409** not in `draft`",
  // "pause | `active`/`running` | `paused` | 404; 409 not active", "resume | `paused` | `active` | 404; 409 not
  // paused", "cancel | `draft`/`active`/`paused` | `cancelled` | 404; 409 already final"), "`completed` is final",
  // "Legacy records may say `running`, which means `active`", and "The lifecycle verbs … answer
  // `200 {"id": ..., "status": ...}`". [verb, from, expected status code, resulting status]
  const TABLE: [string, string, number, string][] = [
    ['activate', 'draft', 200, 'active'],
    ['activate', 'active', 409, 'active'],
    ['activate', 'running', 409, 'running'],
    ['activate', 'paused', 409, 'paused'],
    ['activate', 'cancelled', 409, 'cancelled'],
    ['activate', 'completed', 409, 'completed'],
    ['pause', 'active', 200, 'paused'],
    ['pause', 'running', 200, 'paused'],
    ['pause', 'draft', 409, 'draft'],
    ['pause', 'paused', 409, 'paused'],
    ['pause', 'cancelled', 409, 'cancelled'],
    ['pause', 'completed', 409, 'completed'],
    ['resume', 'paused', 200, 'active'],
    ['resume', 'active', 409, 'active'],
    ['resume', 'running', 409, 'running'],
    ['resume', 'draft', 409, 'draft'],
    ['resume', 'cancelled', 409, 'cancelled'],
    ['resume', 'completed', 409, 'completed'],
    ['cancel', 'draft', 200, 'cancelled'],
    ['cancel', 'active', 200, 'cancelled'],
    ['cancel', 'paused', 200, 'cancelled'],
    ['cancel', 'running', 200, 'cancelled'],
    ['cancel', 'cancelled', 409, 'cancelled'],
    ['cancel', 'completed', 409, 'completed'],
  ];
  for (const [verb, from, code, to] of TABLE) {
    it(`${verb} on ${from} → ${code}${code === 200 ? ` ${to}` : ''}`, async () => {
      const id = await inState(from);
      const r = await emu.api('POST', `/workflows/${id}/${verb}`);
      if (code === 200) assert.deepEqual([r.status, r.body], [200, { id, status: to }]);
      else assertError(r, code);
      assert.equal(await statusOf(id), to);
    });
  }

  // spec: "`draft` → `active` (activate) → `paused` (pause) → `active` (resume); `cancel` from any of `draft`, `active`, `paused` → `cancelled`"
  it('draft → active → paused → active → cancelled on one workflow; each verb answers 200 exactly {id, status}', async () => {
    const id = await fresh();
    for (const [verb, to] of [
      ['activate', 'active'],
      ['pause', 'paused'],
      ['resume', 'active'],
      ['cancel', 'cancelled'],
    ]) {
      const r = await post(id, verb);
      assert.equal(r.status, 200, `${verb}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, { id, status: to });
      assert.equal((await emu.api('GET', `/workflows/${id}`)).body.status, to);
    }
  });

  // spec: "The lifecycle verbs take no body and answer `200 {"id": ..., "status": ...}`."
  it('the verbs take no body: none, an empty object and an unexpected body all work', async () => {
    // the verbs take no body: no body at all, and an empty JSON object, both work
    {
      const id = await fresh();
      const r = await fetch(`${emu.url}/workflows/${id}/activate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.key}` },
      });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { id, status: 'active' });
      const p = await emu.api('POST', `/workflows/${id}/pause`, { body: {} });
      assert.deepEqual(p.body, { id, status: 'paused' });
    }
    // ignores a body sent to a verb
    {
      const id = await inState('draft');
      assert.equal((await emu.api('POST', `/workflows/${id}/cancel`, { body: { reason: 'x' } })).status, 200);
    }
  });

  // spec: "404 unknown id" (each row of the lifecycle table)
  it('every verb (and duplicate) answers 404 with the error body for an unknown id', async () => {
    // every verb answers 404 for an unknown id
    {
      for (const verb of ['activate', 'pause', 'resume', 'cancel'])
        assertError(await post('wfl_000000000000', verb), 404);
    }
    // answers 404 to every verb on an unknown id
    {
      for (const verb of ['activate', 'pause', 'resume', 'cancel', 'duplicate']) {
        const r = await emu.api('POST', `/workflows/wfl_000000000000/${verb}`);
        assert.deepEqual(
          [r.status, r.body],
          [404, { statusCode: 404, message: 'Workflow not found', error: 'Not Found' }],
        );
      }
    }
  });

  // spec: "**409** not in `draft` (a paused workflow must be resumed instead)"
  it('activate on a paused workflow says to resume', async () => {
    const r = await emu.api('POST', `/workflows/${await inState('paused')}/activate`);
    assert.equal(r.status, 409);
    assert.match(r.body.message, /paused.*resume/);
  });

  // spec: "`PATCH /workflows/{id}` with `status` | — | — | 409: status moves only through the verbs"
  it('PATCH /workflows/{id} with status is 409: status moves only through the verbs', async () => {
    const id = await fresh();
    assertError(await emu.api('PATCH', `/workflows/${id}`, { body: { status: 'active' } }), 409);
    assertError(await emu.api('PATCH', `/workflows/${id}`, { body: { status: 'active', title: 'x' } }), 409);
    assert.equal((await emu.api('GET', `/workflows/${id}`)).body.status, 'draft');
  });

  // spec: "Edits to an `active` workflow are allowed by the API and take effect at the next scheduling tick"
  it('edits to an active workflow are allowed (nodes and edges)', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await post(w.id, 'activate');
    const n = await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { node_type: 'DROPPED', label: 'Late' } });
    assert.equal(n.status, 201);
    assert.equal(
      (await emu.api('PATCH', `/workflows/${w.id}/nodes/${n.body.id}`, { body: { label: 'Later' } })).status,
      200,
    );
    assert.equal((await emu.api('DELETE', `/workflows/${w.id}/edges/${w.edgeIds[1]}`)).status, 200);
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).body.status, 'active');
  });

  // spec: "`cancelled` (final, irreversible)"
  it('uploads to a cancelled workflow are refused with 409', async () => {
    const id = await inState('cancelled');
    assert.equal(
      (await emu.api('POST', `/workflows/${id}/leads`, multipartCsv('phone_number\n+14155550101\n'))).status,
      409,
    );
  });
});

describe('DELETE /workflows/{id}', () => {
  // spec: "`DELETE /workflows/{id}` | not active, no lead in transit | gone (nodes, edges, leads) | 404; 409" and "DELETE | `/workflows/{id}` | 200 `{message}`"
  it('200 {message}; the workflow is gone with its nodes, edges, leads and variable keys; 404 after', async () => {
    // DELETE /workflows/{id}: 200 {message}; gone with nodes, edges, leads; 404 after; 409 while active or a lead is in transit
    {
      const w = await buildWorkflow(emu, VALID_GRAPH);
      await post(w.id, 'activate');
      assertError(await emu.api('DELETE', `/workflows/${w.id}`), 409);
      await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550100\n'));
      await post(w.id, 'pause');
      // Paused, but its lead is mid-workflow (in_progress): still in transit.
      assertError(await emu.api('DELETE', `/workflows/${w.id}`), 409);
      await post(w.id, 'cancel');
      const d = await emu.api('DELETE', `/workflows/${w.id}`);
      assert.equal(d.status, 200);
      assert.deepEqual(Object.keys(d.body), ['message']);
      assert.equal(typeof d.body.message, 'string');
      for (const p of ['', '/nodes', '/edges', '/leads'])
        assertError(await emu.api('GET', `/workflows/${w.id}${p}`), 404);
      assertError(await emu.api('DELETE', `/workflows/${w.id}`), 404);
      const conn = new Database(db);
      try {
        for (const t of ['nodes', 'edges', 'leads'])
          assert.equal(
            (conn.prepare(`SELECT count(*) AS n FROM ${t} WHERE workflow_id = ?`).get(w.id) as { n: number }).n,
            0,
            t,
          );
      } finally {
        conn.close();
      }
      const draft = await fresh();
      assert.equal((await emu.api('DELETE', `/workflows/${draft}`)).status, 200);
    }
    // deletes a draft with its nodes, edges and leads
    {
      const w = await buildWorkflow(emu, VALID_GRAPH);
      await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,city\n+14155550101,Pune\n'));
      const r = await emu.api('DELETE', `/workflows/${w.id}`);
      assert.deepEqual([r.status, r.body], [200, { message: 'Workflow deleted.' }]);
      assert.equal((await emu.api('GET', `/workflows/${w.id}`)).status, 404);
      assert.equal((await emu.api('DELETE', `/workflows/${w.id}`)).status, 404);
      for (const t of ['nodes', 'edges', 'leads', 'variable_keys']) {
        assert.equal(
          (query(db, `SELECT count(*) AS n FROM ${t} WHERE workflow_id = ?`, w.id) as { n: number }).n,
          0,
          t,
        );
      }
    }
  });

  // spec: "`DELETE /workflows/{id}` | not active, no lead in transit | … | 404; 409"
  it('409 while active (or legacy running); 409 while paused with a lead in transit, 200 once it is removed or the workflow cancelled', async () => {
    // refuses an active (or legacy running) workflow with 409
    {
      for (const s of ['active', 'running']) {
        const id = await inState(s);
        const r = await emu.api('DELETE', `/workflows/${id}`);
        assert.equal(r.status, 409, s);
        assert.equal(r.body.error, 'Conflict');
        assert.equal(await statusOf(id), s);
      }
    }
    // refuses a paused workflow with a lead in transit, allows it without, and allows a cancelled one
    {
      const w = await buildWorkflow(emu, VALID_GRAPH);
      await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550101\n'));
      await emu.api('POST', `/workflows/${w.id}/activate`);
      await emu.api('POST', `/workflows/${w.id}/pause`);
      const r = await emu.api('DELETE', `/workflows/${w.id}`);
      assert.equal(r.status, 409);
      assert.match(r.body.message, /in transit/);
      const lead = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data[0];
      assert.equal(lead.status, 'in_progress');
      assert.equal((await emu.api('DELETE', `/workflows/${w.id}/leads/${lead.id}`)).status, 200);
      assert.equal((await emu.api('DELETE', `/workflows/${w.id}`)).status, 200, 'no lead in transit any more');

      const c = await buildWorkflow(emu, VALID_GRAPH);
      await emu.api('POST', `/workflows/${c.id}/leads`, multipartCsv('phone_number\n+14155550101\n'));
      await emu.api('POST', `/workflows/${c.id}/activate`);
      await emu.api('POST', `/workflows/${c.id}/cancel`);
      assert.equal((await emu.api('DELETE', `/workflows/${c.id}`)).status, 200, 'cancel first, then delete');
    }
  });
});
