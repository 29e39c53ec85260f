// Conformance of the emulator to /work/shared/spec/platform-api.md and cli.md, read statement by
// statement (each `it` names the statement it checks). The real emulator process over real HTTP,
// a fresh temporary SQLite file per suite. States the API cannot reach by itself (legacy `running`,
// a `completed` lead or workflow) are written into that same SQLite file, as the platform would
// have them, through a second connection (the busy timeout lets it wait for the emulator's lock).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../emulator/sqlite';
import {
  bundle,
  buildWorkflow,
  multipartCsv,
  startEmu,
  tempDb,
  VALID_GRAPH,
  type ApiResponse,
  type Emu,
} from './harness';
import { assertError, assertPaged, assertRateHeaders, ID, ISO, setStatus } from './spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  await emu.stop();
});

describe('objects and id forms', () => {
  it('workflow: the documented fields, wfl_ + 12 lowercase alphanumerics; Get adds node_count, edge_count, enrolled_leads', async () => {
    const c = await emu.api('POST', '/workflows', { body: { title: 'Objects', description: 'd' } });
    assert.equal(c.status, 201);
    for (const f of ['id', 'organization_id', 'title', 'description', 'status', 'created_at', 'updated_at'])
      assert.ok(f in c.body, f);
    assert.match(c.body.id, ID('wfl'));
    assert.equal(c.body.status, 'draft');
    assert.match(c.body.created_at, ISO);
    const g = await emu.api('GET', `/workflows/${c.body.id}`);
    assert.equal(g.status, 200);
    assert.deepEqual([g.body.node_count, g.body.edge_count, g.body.enrolled_leads], [0, 0, 0]);
    // "(no graph)": Get returns no nodes or edges.
    assert.ok(!('nodes' in g.body) && !('edges' in g.body));
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('phone_number,name\n+14155550111,A\n+14155550112,B\n'),
    );
    const g2 = await emu.api('GET', `/workflows/${w.id}`);
    assert.deepEqual([g2.body.node_count, g2.body.edge_count, g2.body.enrolled_leads], [3, 2, 2]);
  });

  it('node, edge and lead: documented fields and node_/edge_/wlead_ + 12 ids', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const nodes = (await emu.api('GET', `/workflows/${w.id}/nodes`)).body.data;
    for (const n of nodes) {
      assert.deepEqual(Object.keys(n).sort(), [
        'config',
        'id',
        'label',
        'node_type',
        'position_x',
        'position_y',
        'workflow_id',
      ]);
      assert.match(n.id, ID('node'));
      assert.equal(n.workflow_id, w.id);
      assert.equal(typeof n.config, 'object');
    }
    const edges = (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data;
    for (const e of edges) {
      for (const f of ['id', 'workflow_id', 'from_node_id', 'to_node_id']) assert.ok(f in e, f);
      assert.match(e.id, ID('edge'));
    }
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,customer_name\n+14155550123,Ann\n'));
    const lead = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data[0];
    assert.deepEqual(Object.keys(lead).sort(), [
      'current_node_id',
      'enrolled_at',
      'id',
      'metadata',
      'phone_number',
      'status',
      'workflow_id',
    ]);
    assert.match(lead.id, ID('wlead'));
    assert.deepEqual(lead.metadata, { customer_name: 'Ann' });
    assert.ok(['pending', 'in_progress', 'completed', 'removed', 'failed'].includes(lead.status));
  });

  it('agent: id, current_version_number, current_version{number, title, is_published, prompts{...}, telephony{outbound}}', async () => {
    const list = await emu.api('GET', '/agents2');
    assert.equal(list.status, 200);
    const agents = list.body.data;
    assert.ok(agents.length > 0);
    for (const a of agents) {
      assert.match(a.id, /^agt_/);
      assert.equal(typeof a.current_version_number, 'number');
      const v = a.current_version;
      assert.equal(typeof v.number, 'number');
      assert.equal(typeof v.title, 'string');
      assert.equal(typeof v.is_published, 'boolean');
      for (const f of ['prompt_text', 'welcome_message', 'default_dynamic_variables']) assert.ok(f in v.prompts, f);
      assert.ok('outbound' in v.telephony);
    }
    const one = await emu.api('GET', `/agents2/${agents[0].id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, agents[0]);
    assertError(await emu.api('GET', '/agents2/agt_nope'), 404);
  });

  it('phone number: id phn_, E.164 phone_number, status active|pending|unavailable, outbound_agent_id; paged {data, meta}', async () => {
    const r = await emu.api('GET', '/organization-phone-numbers');
    assert.equal(r.status, 200);
    assertPaged(r, 1, 20, r.body.meta.total);
    for (const p of r.body.data) {
      assert.match(p.id, /^phn_/);
      assert.match(p.phone_number, /^\+[1-9]\d{1,14}$/);
      assert.ok(['active', 'pending', 'unavailable'].includes(p.status));
      assert.ok('outbound_agent_id' in p);
    }
    const p2 = await emu.api('GET', '/organization-phone-numbers?page=1&limit=1');
    assertPaged(p2, 1, 1, r.body.meta.total);
  });
});

describe('lifecycle', () => {
  const fresh = async () => (await buildWorkflow(emu, VALID_GRAPH)).id;
  const post = (id: string, verb: string) => emu.api('POST', `/workflows/${id}/${verb}`);

  it('draft → active → paused → active → cancelled; each verb answers 200 exactly {id, status}', async () => {
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

  it('the verbs take no body: no body at all, and an empty JSON object, both work', async () => {
    const id = await fresh();
    const r = await fetch(`${emu.url}/workflows/${id}/activate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.key}` },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { id, status: 'active' });
    const p = await emu.api('POST', `/workflows/${id}/pause`, { body: {} });
    assert.deepEqual(p.body, { id, status: 'paused' });
  });

  it('every verb answers 404 for an unknown id', async () => {
    for (const verb of ['activate', 'pause', 'resume', 'cancel'])
      assertError(await post('wfl_000000000000', verb), 404);
  });

  it('activate: 409 unless draft (a paused workflow must be resumed); wrong state is judged before the graph', async () => {
    const id = await fresh();
    await post(id, 'activate');
    assertError(await post(id, 'activate'), 409);
    await post(id, 'pause');
    assertError(await post(id, 'activate'), 409);
    await post(id, 'cancel');
    assertError(await post(id, 'activate'), 409);
  });

  it('pause: 409 unless active; resume: 409 unless paused; cancel: 409 once final', async () => {
    const id = await fresh();
    assertError(await post(id, 'pause'), 409);
    assertError(await post(id, 'resume'), 409);
    await post(id, 'activate');
    assertError(await post(id, 'resume'), 409);
    await post(id, 'cancel');
    for (const verb of ['pause', 'resume', 'cancel']) assertError(await post(id, verb), 409);
  });

  it('cancel from draft, from active and from paused', async () => {
    const a = await fresh();
    assert.deepEqual((await post(a, 'cancel')).body, { id: a, status: 'cancelled' });
    const b = await fresh();
    await post(b, 'activate');
    assert.deepEqual((await post(b, 'cancel')).body, { id: b, status: 'cancelled' });
    const c = await fresh();
    await post(c, 'activate');
    await post(c, 'pause');
    assert.deepEqual((await post(c, 'cancel')).body, { id: c, status: 'cancelled' });
  });

  it('completed is final: no verb moves it (409)', async () => {
    const id = await fresh();
    setStatus(db, 'workflows', id, 'completed');
    for (const verb of ['activate', 'pause', 'resume', 'cancel']) assertError(await post(id, verb), 409);
  });

  it('legacy running means active: pause and cancel accept it, activate and resume refuse it, DELETE refuses it', async () => {
    const id = await fresh();
    setStatus(db, 'workflows', id, 'running');
    assertError(await post(id, 'activate'), 409);
    assertError(await post(id, 'resume'), 409);
    assertError(await emu.api('DELETE', `/workflows/${id}`), 409);
    assert.deepEqual((await post(id, 'pause')).body, { id, status: 'paused' });
    const id2 = await fresh();
    setStatus(db, 'workflows', id2, 'running');
    assert.deepEqual((await post(id2, 'cancel')).body, { id: id2, status: 'cancelled' });
  });

  it('activate 400: the pre-activation checks, message an array naming node ids, state unchanged', async () => {
    // Check 1: a non-terminal node without outgoing edge. Check 2: unknown agent, inactive number.
    const w = await buildWorkflow(emu, {
      nodes: {
        call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_missing', from_phone_number: '+19999999999' } },
        wait: { node_type: 'TIME', config: { delay_hours: 2 } },
      },
      edges: [['call', 'wait']],
    });
    const r = await post(w.id, 'activate');
    assertError(r, 400);
    assert.ok(Array.isArray(r.body.message));
    assert.ok(r.body.message.length >= 3, JSON.stringify(r.body.message));
    for (const m of r.body.message) assert.match(m, /node_[a-z0-9]{12}/);
    assert.ok(
      r.body.message.some((m: string) => m.includes(w.ids.wait)),
      'check 1 names the TIME node',
    );
    assert.ok(
      r.body.message.some((m: string) => m.includes(w.ids.call) && /agt_missing/.test(m)),
      'check 2 agent',
    );
    assert.ok(
      r.body.message.some((m: string) => m.includes(w.ids.call) && /\+19999999999/.test(m)),
      'check 2 number',
    );
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).body.status, 'draft');
  });

  it('activate 400: check 3 (prompt variables not in Get Variable Keys) clears once a lead file supplies them', async () => {
    const w = await buildWorkflow(emu, {
      nodes: {
        call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_abc123', from_phone_number: '+912234567890' } },
        done: { node_type: 'CONVERTED' },
      },
      edges: [['call', 'done']],
    });
    const r = await post(w.id, 'activate');
    assertError(r, 400);
    assert.ok(
      r.body.message.some((m: string) => m.includes(w.ids.call) && m.includes('loan_amount')),
      JSON.stringify(r.body.message),
    );
    // customer_name is a default dynamic variable of the agent; caller_number and agent_name are built-ins.
    assert.ok(
      !r.body.message.some((m: string) => /customer_name|caller_number|agent_name/.test(m)),
      JSON.stringify(r.body.message),
    );
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,loan_amount\n+14155550100,5000\n'));
    assert.deepEqual((await post(w.id, 'activate')).body, { id: w.id, status: 'active' });
  });

  it('activate 400: check 2, an agent without a published version, a number pending or unavailable, no agent, no number', async () => {
    const w = await buildWorkflow(emu, {
      nodes: {
        draft_agent: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_draft01', from_phone_number: '+14155550100' },
        },
        pending_number: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_support01', from_phone_number: '+14155550199' },
        },
        unavailable_number: {
          node_type: 'VOICE_CALL',
          config: { agent_id: 'agt_support01', from_phone_number: '+14155550142' },
        },
        no_agent: { node_type: 'VOICE_CALL', config: { from_phone_number: '+14155550100' } },
        no_number: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_support01' } },
        done: { node_type: 'CONVERTED' },
      },
      edges: [
        ['draft_agent', 'pending_number'],
        ['pending_number', 'unavailable_number'],
        ['unavailable_number', 'no_agent'],
        ['no_agent', 'no_number'],
        ['no_number', 'done'],
      ],
    });
    const r = await post(w.id, 'activate');
    assertError(r, 400);
    for (const name of ['draft_agent', 'pending_number', 'unavailable_number', 'no_agent', 'no_number']) {
      assert.ok(
        r.body.message.some((m: string) => m.includes(w.ids[name])),
        `${name}: ${JSON.stringify(r.body.message)}`,
      );
    }
    assert.ok(!r.body.message.some((m: string) => m.includes(w.ids.done)));
  });

  it("check 4 uses the plan's limit: Starter 5 (the second workspace)", async () => {
    const over = await buildWorkflow(
      emu,
      {
        max_concurrent_calls: 6,
        nodes: {
          call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_second01', from_phone_number: '+442071234567' } },
          done: { node_type: 'CONVERTED' },
        },
        edges: [['call', 'done']],
      },
      'cf_local_second',
    );
    await emu.api('POST', `/workflows/${over.id}/leads`, {
      ...multipartCsv('phone_number,first_name\n+442071234568,Ann\n'),
      key: 'cf_local_second',
    });
    const refused = await emu.api('POST', `/workflows/${over.id}/activate`, { key: 'cf_local_second' });
    assertError(refused, 400);
    assert.deepEqual(refused.body.message.length, 1, JSON.stringify(refused.body.message));
    const ok = await buildWorkflow(
      emu,
      {
        max_concurrent_calls: 5,
        nodes: {
          call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_second01', from_phone_number: '+442071234567' } },
          done: { node_type: 'CONVERTED' },
        },
        edges: [['call', 'done']],
      },
      'cf_local_second',
    );
    // The agent's prompt uses {{first_name}} (check 3): a lead file supplies it.
    await emu.api('POST', `/workflows/${ok.id}/leads`, {
      ...multipartCsv('phone_number,first_name\n+442071234568,Ann\n'),
      key: 'cf_local_second',
    });
    const r = await emu.api('POST', `/workflows/${ok.id}/activate`, { key: 'cf_local_second' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  it('activate 400: check 4, max_concurrent_calls above the workspace limit', async () => {
    const w = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 1000 });
    const r = await post(w.id, 'activate');
    assertError(r, 400);
    assert.ok(Array.isArray(r.body.message) && r.body.message.length === 1, JSON.stringify(r.body.message));
    const ok = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 5 });
    assert.equal((await post(ok.id, 'activate')).status, 200);
  });

  it('the activate verdict follows every edit: 400, then the graph is fixed edge by edge and config by config, then 200', async () => {
    const w = await buildWorkflow(emu, {
      nodes: {
        call: { node_type: 'VOICE_CALL', config: { agent_id: 'agt_support01' } },
        done: { node_type: 'CONVERTED' },
      },
      edges: [],
    });
    const first = await post(w.id, 'activate');
    assertError(first, 400);
    assertError(await post(w.id, 'activate'), 400);
    await emu.api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: w.ids.call, to_node_id: w.ids.done } });
    const second = await post(w.id, 'activate');
    assertError(second, 400);
    assert.ok(second.body.message.length < first.body.message.length, 'the edge fixed check 1');
    await emu.api('PATCH', `/workflows/${w.id}/nodes/${w.ids.call}`, {
      body: { config: { agent_id: 'agt_support01', from_phone_number: '+14155550100' } },
    });
    assert.deepEqual((await post(w.id, 'activate')).body, { id: w.id, status: 'active' });
  });

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

  it('PATCH /workflows/{id} with status is 409: status moves only through the verbs', async () => {
    const id = await fresh();
    assertError(await emu.api('PATCH', `/workflows/${id}`, { body: { status: 'active' } }), 409);
    assertError(await emu.api('PATCH', `/workflows/${id}`, { body: { status: 'active', title: 'x' } }), 409);
    assert.equal((await emu.api('GET', `/workflows/${id}`)).body.status, 'draft');
  });

  it('DELETE /workflows/{id}: 200 {message}; gone with nodes, edges, leads; 404 after; 409 while active or a lead is in transit', async () => {
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
  });
});

describe('the newer surface: PATCH /workflows/{id}/status {action}', () => {
  const act = (id: string, action: unknown) => emu.api('PATCH', `/workflows/${id}/status`, { body: { action } });

  it('activate, pause, resume, deactivate move the state and answer {statusCode, message, data}', async () => {
    const { id } = await buildWorkflow(emu, VALID_GRAPH);
    for (const [action, to] of [
      ['activate', 'active'],
      ['pause', 'paused'],
      ['resume', 'active'],
      ['deactivate', 'paused'],
    ]) {
      const r = await act(id, action);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(Object.keys(r.body).sort(), ['data', 'message', 'statusCode']);
      assert.equal(r.body.statusCode, 200);
      assert.equal(typeof r.body.message, 'string');
      assert.equal(r.body.data.id, id);
      assert.equal(r.body.data.status, to);
    }
  });

  it('wrong state is 400, not 409; unknown action 400; unknown id 404', async () => {
    const { id } = await buildWorkflow(emu, VALID_GRAPH);
    assertError(await act(id, 'pause'), 400);
    assertError(await act(id, 'resume'), 400);
    await act(id, 'activate');
    assertError(await act(id, 'activate'), 400);
    assertError(await act(id, 'explode'), 400);
    assertError(await act('wfl_000000000000', 'pause'), 404);
  });
});

describe('endpoints', () => {
  it('POST /workflows → 201 draft; a missing title is 400', async () => {
    const r = await emu.api('POST', '/workflows', { body: { title: 'T', description: 'D' } });
    assert.equal(r.status, 201);
    assert.equal(r.body.title, 'T');
    assert.equal(r.body.description, 'D');
    assertError(await emu.api('POST', '/workflows', { body: { description: 'no title' } }), 400);
  });

  it('GET /workflows: {data, meta{page, limit, total, totalPages}}, limit default 20, max 100, page from 1', async () => {
    const other = await startEmu(['--quiet']);
    try {
      for (let i = 0; i < 23; i++) await other.api('POST', '/workflows', { body: { title: `W${i}` } });
      const p1 = await other.api('GET', '/workflows');
      assertPaged(p1, 1, 20, 23);
      assert.equal(p1.body.data.length, 20);
      const p2 = await other.api('GET', '/workflows?page=2');
      assertPaged(p2, 2, 20, 23);
      assert.equal(p2.body.data.length, 3);
      const seen = new Set([...p1.body.data, ...p2.body.data].map((w: { id: string }) => w.id));
      assert.equal(seen.size, 23);
      const small = await other.api('GET', '/workflows?page=3&limit=10');
      assertPaged(small, 3, 10, 23);
      assert.equal(small.body.data.length, 3);
      const big = await other.api('GET', '/workflows?limit=500');
      assert.equal(big.status, 200);
      assert.ok(big.body.meta.limit <= 100);
      assert.equal(big.body.data.length, 23);
      assertError(await other.api('GET', '/workflows?page=0'), 400);
    } finally {
      await other.stop();
    }
  });

  it('PATCH /workflows/{id} {title?, description?} → 200 workflow; 404 unknown', async () => {
    const { body: w } = await emu.api('POST', '/workflows', { body: { title: 'Before', description: 'keep' } });
    const r = await emu.api('PATCH', `/workflows/${w.id}`, { body: { title: 'After' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.title, 'After');
    assert.equal(r.body.description, 'keep');
    assert.equal(r.body.id, w.id);
    assertError(await emu.api('PATCH', '/workflows/wfl_000000000000', { body: { title: 'x' } }), 404);
  });

  it('POST duplicate → 201 draft titled "… (Copy)" with every node and edge, no leads', async () => {
    const w = await buildWorkflow(emu, { title: 'Original', ...VALID_GRAPH });
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550100\n'));
    await emu.api('POST', `/workflows/${w.id}/activate`);
    const d = await emu.api('POST', `/workflows/${w.id}/duplicate`);
    assert.equal(d.status, 201);
    assert.match(d.body.id, ID('wfl'));
    assert.notEqual(d.body.id, w.id);
    assert.equal(d.body.title, 'Original (Copy)');
    assert.equal(d.body.status, 'draft');
    const g = await emu.api('GET', `/workflows/${d.body.id}`);
    assert.deepEqual([g.body.node_count, g.body.edge_count, g.body.enrolled_leads], [3, 2, 0]);
    assert.equal((await emu.api('GET', `/workflows/${d.body.id}/leads`)).body.meta.total, 0);
    const strip = (ns: any[]) =>
      ns.map((n) => ({
        node_type: n.node_type,
        label: n.label,
        position_x: n.position_x,
        position_y: n.position_y,
        config: n.config,
      }));
    const srcNodes = (await emu.api('GET', `/workflows/${w.id}/nodes`)).body.data;
    const cpyNodes = (await emu.api('GET', `/workflows/${d.body.id}/nodes`)).body.data;
    assert.deepEqual(strip(cpyNodes), strip(srcNodes));
    const labelOf = (ns: any[]) => new Map(ns.map((n) => [n.id, n.label]));
    const edgeShape = (es: any[], ns: any[]) =>
      es.map((e) => [labelOf(ns).get(e.from_node_id), labelOf(ns).get(e.to_node_id), e.label ?? null]);
    assert.deepEqual(
      edgeShape((await emu.api('GET', `/workflows/${d.body.id}/edges`)).body.data, cpyNodes),
      edgeShape((await emu.api('GET', `/workflows/${w.id}/edges`)).body.data, srcNodes),
    );
    assertError(await emu.api('POST', '/workflows/wfl_000000000000/duplicate'), 404);
  });

  it('nodes: POST 201 node; GET {data: [node]}; PATCH replaces config whole; node_type change 400; DELETE {message} and its edges', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const created = await emu.api('POST', `/workflows/${w.id}/nodes`, {
      body: { node_type: 'TIME', label: 'Wait', position_x: 10, position_y: 20, config: { delay_hours: 1.5 } },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(
      { ...created.body, id: undefined },
      {
        id: undefined,
        workflow_id: w.id,
        node_type: 'TIME',
        label: 'Wait',
        position_x: 10,
        position_y: 20,
        config: { delay_hours: 1.5 },
      },
    );
    const list = await emu.api('GET', `/workflows/${w.id}/nodes`);
    assert.deepEqual(Object.keys(list.body), ['data']);
    assert.equal(list.body.data.length, 4);

    const call = w.ids.first_call;
    const patched = await emu.api('PATCH', `/workflows/${w.id}/nodes/${call}`, {
      body: { config: { agent_id: 'agt_abc123' } },
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(
      patched.body.config,
      { agent_id: 'agt_abc123' },
      'from_phone_number is gone: config replaced whole',
    );
    assert.equal(patched.body.label, 'First call');
    const moved = await emu.api('PATCH', `/workflows/${w.id}/nodes/${call}`, {
      body: { label: 'Renamed', position_x: 5, position_y: 6 },
    });
    assert.deepEqual(
      [moved.body.label, moved.body.position_x, moved.body.position_y, moved.body.config],
      ['Renamed', 5, 6, { agent_id: 'agt_abc123' }],
    );
    assertError(await emu.api('PATCH', `/workflows/${w.id}/nodes/${call}`, { body: { node_type: 'TIME' } }), 400);
    assert.equal(
      (await emu.api('GET', `/workflows/${w.id}/nodes`)).body.data.find((n: any) => n.id === call).node_type,
      'VOICE_CALL',
    );
    assertError(await emu.api('PATCH', `/workflows/${w.id}/nodes/node_000000000000`, { body: { label: 'x' } }), 404);

    const del = await emu.api('DELETE', `/workflows/${w.id}/nodes/${call}`);
    assert.equal(del.status, 200);
    assert.deepEqual(Object.keys(del.body), ['message']);
    assert.deepEqual(
      (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data,
      [],
      'both edges of the node are gone',
    );
    assertError(await emu.api('DELETE', `/workflows/${w.id}/nodes/${call}`), 404);
  });

  it('edges: POST 201; GET {data} in creation order; 404 foreign node; 409 duplicate (from, to, label); DELETE {message}', async () => {
    const w = await buildWorkflow(emu, {
      nodes: { a: { node_type: 'CONDITIONAL' }, b: { node_type: 'CONVERTED' }, c: { node_type: 'DROPPED' } },
      edges: [],
    });
    const mk = (from: string, to: string, label?: string) =>
      emu.api('POST', `/workflows/${w.id}/edges`, {
        body: { from_node_id: from, to_node_id: to, ...(label !== undefined ? { label } : {}) },
      });
    const order: string[] = [];
    for (const [to, label] of [
      ['c', 'false'],
      ['b', 'true'],
      ['c', undefined],
      ['b', undefined],
    ] as [string, string | undefined][]) {
      const r = await mk(w.ids.a, w.ids[to], label);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.from_node_id, w.ids.a);
      assert.equal(r.body.to_node_id, w.ids[to]);
      assert.equal(r.body.workflow_id, w.id);
      assert.equal(r.body.label ?? null, label ?? null);
      order.push(r.body.id);
    }
    const list = await emu.api('GET', `/workflows/${w.id}/edges`);
    assert.deepEqual(Object.keys(list.body), ['data']);
    assert.deepEqual(
      list.body.data.map((e: any) => e.id),
      order,
    );

    assertError(await mk(w.ids.a, w.ids.b, 'true'), 409);
    assertError(await mk(w.ids.a, w.ids.b), 409);
    // Same (from, to) with another label is not a duplicate.
    assert.equal((await mk(w.ids.a, w.ids.b, 'other')).status, 201);

    const other = await buildWorkflow(emu, { nodes: { x: { node_type: 'DROPPED' } }, edges: [] });
    assertError(await mk(w.ids.a, other.ids.x), 404);
    assertError(await mk(other.ids.x, w.ids.b), 404);
    assertError(await mk(w.ids.a, 'node_000000000000'), 404);

    const del = await emu.api('DELETE', `/workflows/${w.id}/edges/${order[0]}`);
    assert.equal(del.status, 200);
    assert.deepEqual(Object.keys(del.body), ['message']);
    assertError(await emu.api('DELETE', `/workflows/${w.id}/edges/${order[0]}`), 404);
  });

  it('there is no edge update: PATCH and PUT on an edge are 404 (no such route) and change nothing', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const edge = w.edgeIds[0];
    for (const method of ['PATCH', 'PUT'])
      assertError(await emu.api(method, `/workflows/${w.id}/edges/${edge}`, { body: { label: 'FAILED' } }), 404);
    assert.equal((await emu.api('GET', `/workflows/${w.id}/edges`)).body.data[0].label, 'COMPLETED');
  });

  it('leads: multipart field file; phone_number required (400 otherwise, nobody enrolled); 201 {workflow_id, leads_enrolled}', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const up = await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('phone_number,first_name,plan\n+14155550100,Ann,gold\n+14155550101,Bob,silver\n'),
    );
    assert.equal(up.status, 201);
    assert.equal(up.body.workflow_id, w.id);
    assert.equal(up.body.leads_enrolled, 2);
    const leads = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data;
    assert.deepEqual(
      leads.map((l: any) => [l.phone_number, l.metadata]),
      [
        ['+14155550100', { first_name: 'Ann', plan: 'gold' }],
        ['+14155550101', { first_name: 'Bob', plan: 'silver' }],
      ],
    );

    assertError(await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('name,plan\nAnn,gold\n')), 400);
    assertError(
      await emu.api(
        'POST',
        `/workflows/${w.id}/leads`,
        multipartCsv('phone_number\n+14155550100\n', 'leads.csv', 'upload'),
      ),
      400,
    );
    assertError(
      await emu.api('POST', '/workflows/wfl_000000000000/leads', multipartCsv('phone_number\n+14155550100\n')),
      404,
    );
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).body.enrolled_leads, 2);
  });

  it("variable keys: {keys}, the union of every uploaded file's headers minus phone_number", async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,first_name\n+14155550100,Ann\n'));
    await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('first_name,phone_number,city\nBob,+14155550101,Paris\n'),
    );
    const r = await emu.api('GET', `/workflows/${w.id}/leads/variable-keys`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['keys']);
    assert.deepEqual([...r.body.keys].sort(), ['city', 'first_name']);
    assertError(await emu.api('GET', '/workflows/wfl_000000000000/leads/variable-keys'), 404);
  });

  it('leads list: {data, meta}, paging and status filter; DELETE 200, 409 when completed or removed', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const csv =
      'phone_number\n' + Array.from({ length: 25 }, (_, i) => `+1415555${String(1000 + i)}`).join('\n') + '\n';
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv(csv));
    const p1 = await emu.api('GET', `/workflows/${w.id}/leads`);
    assertPaged(p1, 1, 20, 25);
    const p2 = await emu.api('GET', `/workflows/${w.id}/leads?page=2&limit=20`);
    assertPaged(p2, 2, 20, 25);
    assert.equal(p2.body.data.length, 5);
    const pending = await emu.api('GET', `/workflows/${w.id}/leads?status=pending&limit=100`);
    assertPaged(pending, 1, 100, 25);
    assertPaged(await emu.api('GET', `/workflows/${w.id}/leads?status=completed`), 1, 20, 0);

    const [a, b] = p1.body.data;
    const rm = await emu.api('DELETE', `/workflows/${w.id}/leads/${a.id}`);
    assert.equal(rm.status, 200);
    assertError(await emu.api('DELETE', `/workflows/${w.id}/leads/${a.id}`), 409);
    assert.equal((await emu.api('GET', `/workflows/${w.id}/leads?status=removed`)).body.meta.total, 1);
    setStatus(db, 'leads', b.id, 'completed');
    assertError(await emu.api('DELETE', `/workflows/${w.id}/leads/${b.id}`), 409);
    assertError(await emu.api('DELETE', `/workflows/${w.id}/leads/wlead_000000000000`), 404);
  });
});

describe('errors, auth, rate limits', () => {
  it('401 with the exact body for a missing or invalid key, on every route, with rate-limit headers', async () => {
    for (const key of [null, 'wrong-key']) {
      for (const [m, p] of [
        ['GET', '/workflows'],
        ['POST', '/workflows'],
        ['GET', '/agents2'],
        ['GET', '/nowhere'],
      ]) {
        const r = await emu.api(m, p, { key, body: m === 'POST' ? { title: 'x' } : undefined });
        assert.equal(r.status, 401);
        assert.deepEqual(r.body, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
        assertRateHeaders(r);
      }
    }
  });

  it('X-RateLimit-Limit/Remaining/Reset (Unix seconds) on every response: 200, 201, 400, 404, 409', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const responses = [
      await emu.api('GET', '/workflows'),
      await emu.api('POST', '/workflows', { body: { title: 'h' } }),
      await emu.api('POST', '/workflows', { body: {} }),
      await emu.api('GET', '/workflows/wfl_000000000000'),
      await emu.api('POST', `/workflows/${w.id}/resume`),
      await emu.api('GET', '/no/such/route'),
    ];
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 201, 400, 404, 409, 404],
    );
    for (const r of responses) assertRateHeaders(r);
    const a = Number(responses[0].headers.get('x-ratelimit-remaining'));
    const b = Number(responses[1].headers.get('x-ratelimit-remaining'));
    assert.ok(b < a, 'Remaining counts down');
  });

  it('even a 500 (a record the emulator cannot read) carries the error body and the rate-limit headers', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const conn = new Database(db);
    try {
      conn.prepare('UPDATE nodes SET config = ? WHERE id = ?').run('{not json', w.ids.converted);
    } finally {
      conn.close();
    }
    const r = await emu.api('GET', `/workflows/${w.id}/nodes`);
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
    assertRateHeaders(r);
    // The emulator is still serving.
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).status, 200);
  });

  it('429 past the per-key limit, with Retry-After (seconds), the error body and the headers; per key', async () => {
    const dir = path.dirname(tempDb());
    const seed = path.join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({
        workspaces: [
          {
            id: 'org_a',
            default: true,
            keys: ['key_a'],
            plan: 'Starter',
            rate_limit: { requests: 3, window_seconds: 60 },
            agents: [],
            phone_numbers: [],
          },
          {
            id: 'org_b',
            keys: ['key_b'],
            plan: 'Starter',
            rate_limit: { requests: 3, window_seconds: 60 },
            agents: [],
            phone_numbers: [],
          },
        ],
      }),
    );
    const small = await startEmu(['--quiet', '--seed', seed]);
    try {
      const rs: ApiResponse[] = [];
      for (let i = 0; i < 4; i++) rs.push(await small.api('GET', '/workflows', { key: 'key_a' }));
      assert.deepEqual(
        rs.map((r) => r.status),
        [200, 200, 200, 429],
      );
      assert.deepEqual(
        rs.map((r) => r.headers.get('x-ratelimit-limit')),
        ['3', '3', '3', '3'],
      );
      assert.deepEqual(
        rs.map((r) => r.headers.get('x-ratelimit-remaining')),
        ['2', '1', '0', '0'],
      );
      const limited = rs[3];
      assertError(limited, 429);
      assertRateHeaders(limited);
      const retry = Number(limited.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      // Another key has its own budget.
      assert.equal((await small.api('GET', '/workflows', { key: 'key_b' })).status, 200);
    } finally {
      await small.stop();
    }
  });

  it("two keys, two workspaces: another workspace's ids answer 404 everywhere", async () => {
    const mine = await buildWorkflow(emu, VALID_GRAPH);
    const second = 'cf_local_second';
    assert.equal((await emu.api('GET', '/workflows', { key: second })).status, 200);
    assert.ok(
      !(await emu.api('GET', '/workflows?limit=100', { key: second })).body.data.some((w: any) => w.id === mine.id),
    );
    const theirs = await emu.api('POST', '/workflows', { key: second, body: { title: 'Theirs' } });
    assert.notEqual(theirs.body.organization_id, (await emu.api('GET', `/workflows/${mine.id}`)).body.organization_id);
    const probes: [string, string, unknown?][] = [
      ['GET', `/workflows/${mine.id}`],
      ['PATCH', `/workflows/${mine.id}`, { title: 'x' }],
      ['DELETE', `/workflows/${mine.id}`],
      ['POST', `/workflows/${mine.id}/activate`],
      ['POST', `/workflows/${mine.id}/cancel`],
      ['POST', `/workflows/${mine.id}/duplicate`],
      ['GET', `/workflows/${mine.id}/nodes`],
      ['GET', `/workflows/${mine.id}/edges`],
      ['GET', `/workflows/${mine.id}/leads`],
      ['GET', `/workflows/${mine.id}/leads/variable-keys`],
      ['DELETE', `/workflows/${mine.id}/nodes/${mine.ids.first_call}`],
      ['PATCH', `/workflows/${mine.id}/status`, { action: 'activate' }],
    ];
    for (const [m, p, body] of probes) assertError(await emu.api(m, p, { key: second, body }), 404);
    // Nor can a workflow of the second workspace link to my nodes.
    const tn = await emu.api('POST', `/workflows/${theirs.body.id}/nodes`, {
      key: second,
      body: { node_type: 'DROPPED', label: 'x' },
    });
    assertError(
      await emu.api('POST', `/workflows/${theirs.body.id}/edges`, {
        key: second,
        body: { from_node_id: tn.body.id, to_node_id: mine.ids.converted },
      }),
      404,
    );
    assert.equal((await emu.api('GET', `/workflows/${mine.id}`)).body.status, 'draft');
  });

  it('400 bodies carry the reason phrase and a message', async () => {
    assertError(
      await emu.api('POST', '/workflows', { raw: '{not json', headers: { 'content-type': 'application/json' } }),
      400,
    );
    const { body: w } = await emu.api('POST', '/workflows', { body: { title: 'n' } });
    assertError(await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { node_type: 'TELEPORT' } }), 400);
  });
});

describe('callflow api serve (cli.md)', () => {
  async function serve(args: string[]) {
    const script = await bundle('cli/main.ts');
    const proc = spawn(process.execPath, [script, 'api', 'serve', '--port', '0', '--db', tempDb(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (c) => {
      out += c;
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 45000);
      proc.stdout!.on('data', () => {
        if (/API key: [^\n]*\n/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    return { proc, out: () => out, exited };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints a base URL ending in /v1 and a usable key; ${signal} shuts it down with exit 0`, async () => {
      const s = await serve([]);
      const url = /(http:\/\/\S+)/.exec(s.out())![1];
      assert.match(url, /^http:\/\/[^/]+\/v1$/);
      const key = /API key: (\S+)/.exec(s.out())![1];
      const r = await fetch(`${url}/workflows`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 200);
      s.proc.kill(signal);
      assert.equal(await s.exited, 0);
    });
  }

  it('a seed without a key for its default workspace: a key is generated, printed and accepted', async () => {
    const seed = path.join(path.dirname(tempDb()), 'nokey.json');
    writeFileSync(
      seed,
      JSON.stringify({
        workspaces: [{ id: 'org_x', default: true, keys: [], plan: 'Starter', agents: [], phone_numbers: [] }],
      }),
    );
    const s = await serve(['--seed', seed]);
    try {
      const url = /(http:\/\/\S+\/v1)/.exec(s.out())![1];
      const key = /API key: (\S+)/.exec(s.out())![1];
      assert.equal((await fetch(`${url}/workflows`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('--key sets the accepted key (and is not printed)', async () => {
    const s = await serve(['--key', 'my_secret_key_123']);
    try {
      const url = /(http:\/\/\S+\/v1)/.exec(s.out())![1];
      assert.ok(!s.out().includes('my_secret_key_123'));
      assert.equal(
        (await fetch(`${url}/workflows`, { headers: { authorization: 'Bearer my_secret_key_123' } })).status,
        200,
      );
      assert.equal(
        (await fetch(`${url}/workflows`, { headers: { authorization: 'Bearer cf_local_dev' } })).status,
        401,
      );
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('bad arguments and a busy port: exit 2, message on stderr, nothing on stdout', async () => {
    const script = await bundle('cli/main.ts');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [script, 'api', 'serve', '--db', tempDb(), ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout!.on('data', (c) => {
          out += c;
        });
        p.stderr!.on('data', (c) => {
          err += c;
        });
        p.on('exit', (code) => resolve({ code, out, err }));
      });
    for (const args of [['--port', 'abc'], ['--bogus'], ['--port', String(new URL(emu.url).port)]]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '');
      assert.ok(r.err.trim().length > 0);
    }
  });
});
