// The lifecycle table of platform-api.md row by row, the newer status surface, and activate's
// pre-activation validation (400 with one message per failed check, each naming its node id).
import assert from 'node:assert/strict';
import { Database } from '../../emulator/sqlite';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from './harness';

let emu: Emu;
let dbFile: string;
let db: Database;
before(async () => {
  dbFile = tempDb();
  emu = await startEmu([], { db: dbFile });
  // A second connection to the emulator's own file, for states no verb reaches (legacy `running`, `completed`).
  db = new Database(dbFile);
});
after(async () => {
  db.close();
  assert.equal(await emu.stop(), 0);
});

const setStatus = (id: string, status: string) =>
  db.prepare('UPDATE workflows SET status = ? WHERE id = ?').run(status, id);
const statusOf = async (id: string) => (await emu.api('GET', `/workflows/${id}`)).body.status;

async function inState(status: string): Promise<string> {
  const w = await buildWorkflow(emu, VALID_GRAPH);
  if (status === 'active' || status === 'paused' || status === 'cancelled')
    assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
  if (status === 'paused') assert.equal((await emu.api('POST', `/workflows/${w.id}/pause`)).status, 200);
  if (status === 'cancelled') assert.equal((await emu.api('POST', `/workflows/${w.id}/cancel`)).status, 200);
  if (status === 'running' || status === 'completed') setStatus(w.id, status);
  assert.equal(await statusOf(w.id), status);
  return w.id;
}

// [verb, from, expected status code, resulting status]
const TABLE: [string, string, number, string][] = [
  ['activate', 'draft', 200, 'active'],
  ['activate', 'active', 409, 'active'],
  ['activate', 'paused', 409, 'paused'],
  ['activate', 'cancelled', 409, 'cancelled'],
  ['activate', 'completed', 409, 'completed'],
  ['pause', 'active', 200, 'paused'],
  ['pause', 'running', 200, 'paused'],
  ['pause', 'draft', 409, 'draft'],
  ['pause', 'paused', 409, 'paused'],
  ['pause', 'cancelled', 409, 'cancelled'],
  ['resume', 'paused', 200, 'active'],
  ['resume', 'active', 409, 'active'],
  ['resume', 'draft', 409, 'draft'],
  ['resume', 'cancelled', 409, 'cancelled'],
  ['cancel', 'draft', 200, 'cancelled'],
  ['cancel', 'active', 200, 'cancelled'],
  ['cancel', 'paused', 200, 'cancelled'],
  ['cancel', 'running', 200, 'cancelled'],
  ['cancel', 'cancelled', 409, 'cancelled'],
  ['cancel', 'completed', 409, 'completed'],
];

describe('lifecycle verbs', () => {
  for (const [verb, from, code, to] of TABLE) {
    it(`${verb} on ${from} → ${code}${code === 200 ? ` ${to}` : ''}`, async () => {
      const id = await inState(from);
      const r = await emu.api('POST', `/workflows/${id}/${verb}`);
      assert.equal(r.status, code, JSON.stringify(r.body));
      if (code === 200) assert.deepEqual(r.body, { id, status: to });
      else {
        assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode']);
        assert.equal(r.body.error, 'Conflict');
      }
      assert.equal(await statusOf(id), to);
    });
  }

  it('says to resume when activate meets a paused workflow', async () => {
    const r = await emu.api('POST', `/workflows/${await inState('paused')}/activate`);
    assert.equal(r.status, 409);
    assert.match(r.body.message, /paused.*resume/);
  });

  it('answers 404 to every verb on an unknown id', async () => {
    for (const verb of ['activate', 'pause', 'resume', 'cancel', 'duplicate']) {
      const r = await emu.api('POST', `/workflows/wfl_000000000000/${verb}`);
      assert.deepEqual(
        [r.status, r.body],
        [404, { statusCode: 404, message: 'Workflow not found', error: 'Not Found' }],
      );
    }
  });

  it('ignores a body sent to a verb', async () => {
    const id = await inState('draft');
    assert.equal((await emu.api('POST', `/workflows/${id}/cancel`, { body: { reason: 'x' } })).status, 200);
  });
});

describe('DELETE /workflows/{id}', () => {
  it('deletes a draft with its nodes, edges and leads', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,city\n+14155550101,Pune\n'));
    const r = await emu.api('DELETE', `/workflows/${w.id}`);
    assert.deepEqual([r.status, r.body], [200, { message: 'Workflow deleted.' }]);
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).status, 404);
    assert.equal((await emu.api('DELETE', `/workflows/${w.id}`)).status, 404);
    for (const t of ['nodes', 'edges', 'leads', 'variable_keys']) {
      assert.equal(
        (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE workflow_id = ?`).get(w.id) as { n: number }).n,
        0,
        t,
      );
    }
  });

  it('refuses an active (or legacy running) workflow with 409', async () => {
    for (const s of ['active', 'running']) {
      const id = await inState(s);
      const r = await emu.api('DELETE', `/workflows/${id}`);
      assert.equal(r.status, 409, s);
      assert.equal(r.body.error, 'Conflict');
      assert.equal(await statusOf(id), s);
    }
  });

  it('refuses a paused workflow with a lead in transit, allows it without, and allows a cancelled one', async () => {
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
  });

  it('answers 409 when removing a completed lead', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550101\n'));
    const lead = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data[0];
    db.prepare("UPDATE leads SET status = 'completed' WHERE id = ?").run(lead.id);
    const r = await emu.api('DELETE', `/workflows/${w.id}/leads/${lead.id}`);
    assert.equal(r.status, 409);
    assert.match(r.body.message, /completed/);
  });

  it('refuses uploads to a cancelled workflow with 409', async () => {
    const id = await inState('cancelled');
    assert.equal(
      (await emu.api('POST', `/workflows/${id}/leads`, multipartCsv('phone_number\n+14155550101\n'))).status,
      409,
    );
  });
});

describe('PATCH /workflows/{id}/status (the newer surface)', () => {
  it('moves the workflow and answers in the {statusCode, message, data} envelope', async () => {
    const id = await inState('draft');
    const a = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'activate' } });
    assert.equal(a.status, 200);
    assert.equal(a.body.statusCode, 200);
    assert.equal(a.body.message, 'Workflow activated successfully');
    assert.deepEqual(Object.keys(a.body.data).sort(), [
      'createdAt',
      'description',
      'id',
      'status',
      'title',
      'updatedAt',
    ]);
    assert.equal(a.body.data.status, 'active');
    assert.equal(
      (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'deactivate' } })).body.data.status,
      'paused',
    );
    assert.equal(
      (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'resume' } })).body.data.status,
      'active',
    );
    assert.equal(
      (await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'pause' } })).body.data.status,
      'paused',
    );
  });

  it('answers 400 (not 409) for a wrong state, and 400 for a bad action', async () => {
    const id = await inState('draft');
    for (const action of ['pause', 'deactivate', 'resume']) {
      const r = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action } });
      assert.equal(r.status, 400, action);
      assert.equal(r.body.error, 'Bad Request');
    }
    const bad = await emu.api('PATCH', `/workflows/${id}/status`, { body: { action: 'cancel' } });
    assert.deepEqual(bad.body, {
      statusCode: 400,
      message: 'Invalid action. Must be one of: activate, deactivate, pause, resume',
      error: 'Bad Request',
    });
    assert.equal((await emu.api('PATCH', `/workflows/${id}/status`, { body: {} })).status, 400);
    assert.equal(
      (await emu.api('PATCH', '/workflows/wfl_000000000000/status', { body: { action: 'pause' } })).status,
      404,
    );
    assert.equal(await statusOf(id), 'draft');
  });
});

describe('pre-activation validation', () => {
  async function activate400(w: { id: string }): Promise<string[]> {
    const r = await emu.api('POST', `/workflows/${w.id}/activate`);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error, 'Bad Request');
    assert.ok(Array.isArray(r.body.message));
    assert.equal(await statusOf(w.id), 'draft', 'a refused activation changes nothing');
    return r.body.message;
  }

  it('check 1: a non-terminal node without an outgoing edge is named by id', async () => {
    const w = await buildWorkflow(emu, {
      nodes: {
        call: VALID_GRAPH.nodes.first_call,
        wait: { node_type: 'TIME', config: { delay_hours: 2 } },
        done: { node_type: 'CONVERTED' },
      },
      edges: [
        ['call', 'wait'],
        ['call', 'done', 'COMPLETED'],
      ],
    });
    const msgs = await activate400(w);
    assert.equal(msgs.length, 1, JSON.stringify(msgs));
    assert.ok(msgs[0].includes(w.ids.wait), msgs[0]);
    assert.match(msgs[0], /WF101/);
  });

  it('check 2: a VOICE_CALL without agent or number, with an unpublished agent, or an inactive number', async () => {
    const w = await buildWorkflow(emu, {
      nodes: {
        no_agent: { node_type: 'VOICE_CALL', config: { from_phone_number: '+14155550100' } },
        draft_agent: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_draft01', from_phone_number: '+14155550100' },
        },
        pending_number: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_support01', from_phone_number: '+14155550199' },
        },
        unknown_agent: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_nobody', from_phone_number: '+14155550100' },
        },
        end: { node_type: 'DROPPED' },
      },
      edges: [
        ['no_agent', 'draft_agent'],
        ['draft_agent', 'pending_number'],
        ['pending_number', 'unknown_agent'],
        ['unknown_agent', 'end'],
      ],
    });
    const msgs = await activate400(w);
    const about = (name: string, code: string) => msgs.filter((m) => m.includes(w.ids[name]) && m.includes(code));
    assert.equal(about('no_agent', 'WF102').length, 1, JSON.stringify(msgs));
    assert.equal(about('draft_agent', 'WF201').length, 1, JSON.stringify(msgs));
    assert.equal(about('pending_number', 'WF202').length, 1, JSON.stringify(msgs));
    assert.equal(about('unknown_agent', 'WF201').length, 1, JSON.stringify(msgs));
    assert.ok(
      msgs.every((m) => /node node_[a-z0-9]{12}/.test(m)),
      'every entry names a node id',
    );
  });

  it('check 3: prompt variables must be variable keys, built-ins or agent defaults', async () => {
    // agt_abc123's prompt uses customer_name (a default), loan_amount, caller_number and agent_name (built-ins).
    const w = await buildWorkflow(emu, {
      nodes: {
        call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_abc123', from_phone_number: '+912234567890' } },
        done: { node_type: 'CONVERTED' },
      },
      edges: [['call', 'done']],
    });
    const msgs = await activate400(w);
    assert.equal(msgs.length, 1, JSON.stringify(msgs));
    assert.ok(msgs[0].includes(w.ids.call) && msgs[0].includes('loan_amount') && msgs[0].includes('WF203'), msgs[0]);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,loan_amount\n+919876543210,750000\n'));
    const r = await emu.api('POST', `/workflows/${w.id}/activate`);
    assert.deepEqual([r.status, r.body], [200, { id: w.id, status: 'active' }]);
  });

  it('check 4: max_concurrent_calls above the workspace limit (25 in the default seed)', async () => {
    const w = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 30 });
    const msgs = await activate400(w);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], new RegExp(`workflow ${w.id}.*25.*WF105`));
    await emu.api('PATCH', `/workflows/${w.id}`, { body: { max_concurrent_calls: 25 } });
    assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
  });

  it('reports every failed check at once, and the newer surface answers the same 400', async () => {
    const w = await buildWorkflow(emu, {
      max_concurrent_calls: 99,
      nodes: { call: { node_type: 'VOICE_CALL' }, end: { node_type: 'DROPPED' } },
      edges: [],
    });
    const msgs = await activate400(w);
    for (const code of ['WF101', 'WF102', 'WF103', 'WF105'])
      assert.ok(
        msgs.some((m) => m.includes(code)),
        `${code} in ${JSON.stringify(msgs)}`,
      );
    const s = await emu.api('PATCH', `/workflows/${w.id}/status`, { body: { action: 'activate' } });
    assert.equal(s.status, 400);
    assert.deepEqual(s.body.message, msgs);
  });

  it('the 409 for a wrong state comes before validation', async () => {
    const id = await inState('active');
    db.prepare('DELETE FROM edges WHERE workflow_id = ?').run(id);
    assert.equal((await emu.api('POST', `/workflows/${id}/activate`)).status, 409);
  });
});
