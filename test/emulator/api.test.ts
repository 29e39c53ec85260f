// Every endpoint of platform-api.md over real HTTP against the real emulator process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, VALID_GRAPH, type Emu } from './harness';
import { ID, ISO } from './spec-helpers';

let emu: Emu;
before(async () => {
  emu = await startEmu();
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

describe('auth and workspaces', () => {
  it('prints the default key of the bundled seed and accepts it', async () => {
    assert.equal(emu.key, 'cf_local_dev');
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
  });

  it('answers 401 with the exact body for a missing, malformed or unknown key', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'cf_local_dev' },
      { authorization: 'Bearer nope' },
      { authorization: 'Basic abc' },
    ]) {
      const r = await emu.api('GET', '/workflows', { key: null, headers });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
    }
  });

  it("keeps two workspaces apart: another workspace's ids answer 404", async () => {
    const mine = await buildWorkflow(emu, { nodes: { a: { node_type: 'DROPPED' } }, edges: [] });
    const other = 'cf_local_second';
    const list = await emu.api('GET', '/workflows', { key: other });
    assert.equal(list.status, 200);
    assert.ok(!list.body.data.some((w: any) => w.id === mine.id));
    for (const [m, p] of [
      ['GET', `/workflows/${mine.id}`],
      ['PATCH', `/workflows/${mine.id}`],
      ['DELETE', `/workflows/${mine.id}`],
      ['GET', `/workflows/${mine.id}/nodes`],
      ['POST', `/workflows/${mine.id}/activate`],
      ['POST', `/workflows/${mine.id}/duplicate`],
      ['DELETE', `/workflows/${mine.id}/nodes/${mine.ids.a}`],
      ['GET', `/workflows/${mine.id}/leads/variable-keys`],
    ] as const) {
      const r = await emu.api(m, p, { key: other, body: m === 'PATCH' ? { title: 'x' } : undefined });
      assert.equal(r.status, 404, `${m} ${p}`);
      assert.deepEqual(r.body, { statusCode: 404, message: 'Workflow not found', error: 'Not Found' });
    }
    const theirs = await emu.api('POST', '/workflows', { key: other, body: { title: 'Theirs' } });
    assert.equal(theirs.body.organization_id, 'org_second');
    assert.equal((await emu.api('GET', `/workflows/${theirs.body.id}`)).status, 404);
    // The workspace's own agents and numbers only.
    assert.deepEqual(
      (await emu.api('GET', '/agents2', { key: other })).body.data.map((a: any) => a.id),
      ['agt_second01'],
    );
    assert.equal((await emu.api('GET', '/agents2/agt_abc123', { key: other })).status, 404);
  });
});

describe('rate-limit headers', () => {
  it('carries X-RateLimit-* on every response, successes and errors alike', async () => {
    for (const r of [
      await emu.api('GET', '/workflows'),
      await emu.api('GET', '/workflows', { key: null }),
      await emu.api('GET', '/nowhere'),
      await emu.api('POST', '/workflows', { body: {} }),
    ]) {
      assert.equal(r.headers.get('x-ratelimit-limit'), '6000');
      assert.match(r.headers.get('x-ratelimit-remaining')!, /^\d+$/);
      const reset = Number(r.headers.get('x-ratelimit-reset'));
      assert.ok(reset > Date.now() / 1000 - 1 && reset < Date.now() / 1000 + 120, `reset ${reset} is Unix seconds`);
    }
    const a = Number((await emu.api('GET', '/workflows')).headers.get('x-ratelimit-remaining'));
    const b = Number((await emu.api('GET', '/workflows')).headers.get('x-ratelimit-remaining'));
    assert.equal(b, a - 1);
  });
});

describe('workflows', () => {
  it('creates a draft with the documented fields', async () => {
    const r = await emu.api('POST', '/workflows', { body: { title: 'Lead nurture', description: 'Calls leads' } });
    assert.equal(r.status, 201);
    assert.match(r.body.id, ID('wfl'));
    assert.equal(r.body.status, 'draft');
    assert.equal(r.body.organization_id, 'org_local');
    assert.equal(r.body.title, 'Lead nurture');
    assert.equal(r.body.description, 'Calls leads');
    assert.equal(r.body.max_concurrent_calls, null);
    assert.match(r.body.created_at, ISO);
    assert.equal(r.body.created_at, r.body.updated_at);
    // The reference's sample sends "status": "draft"; it is accepted.
    assert.equal((await emu.api('POST', '/workflows', { body: { title: 'x', status: 'draft' } })).status, 201);
  });

  it('refuses bad bodies with 400 and one message per problem', async () => {
    const r = await emu.api('POST', '/workflows', { body: { description: 5, colour: 'red' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'Bad Request');
    assert.equal(r.body.statusCode, 400);
    assert.ok(Array.isArray(r.body.message));
    assert.ok(r.body.message.includes('property colour should not exist'));
    assert.ok(r.body.message.includes('title should not be empty'));
    assert.ok(r.body.message.includes('description must be a string'));
    assert.equal((await emu.api('POST', '/workflows', { body: { title: '' } })).status, 400);
    assert.equal((await emu.api('POST', '/workflows', { body: { title: 'x'.repeat(201) } })).status, 400);
    assert.equal((await emu.api('POST', '/workflows', { body: { title: 'x', status: 'active' } })).status, 400);
    assert.equal((await emu.api('POST', '/workflows', { body: { title: 'x', max_concurrent_calls: 0 } })).status, 400);
    assert.equal(
      (await emu.api('POST', '/workflows', { body: { title: 'x', max_concurrent_calls: 2.5 } })).status,
      400,
    );
  });

  it('answers 400 to a malformed JSON body and to a non-object body', async () => {
    for (const raw of ['{"title": ', '[1,2]', 'null']) {
      const r = await emu.api('POST', '/workflows', { raw, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400, raw);
      assert.equal(r.body.error, 'Bad Request');
    }
  });

  it('gets one workflow with node_count, edge_count and enrolled_leads', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('phone_number,name\n+14155550101,Ann\n+14155550102,Bob\n'),
    );
    const r = await emu.api('GET', `/workflows/${w.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.node_count, 3);
    assert.equal(r.body.edge_count, 2);
    assert.equal(r.body.enrolled_leads, 2);
    assert.equal((await emu.api('GET', '/workflows/wfl_aaaaaaaaaaaa')).status, 404);
  });

  it('patches title, description and max_concurrent_calls; status is 409; an empty patch is 400', async () => {
    const w = (await emu.api('POST', '/workflows', { body: { title: 'Before' } })).body;
    const r = await emu.api('PATCH', `/workflows/${w.id}`, { body: { title: 'After', max_concurrent_calls: 7 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.title, 'After');
    assert.equal(r.body.description, null);
    assert.equal(r.body.max_concurrent_calls, 7);
    assert.ok(r.body.updated_at > w.updated_at);
    assert.equal(
      (await emu.api('PATCH', `/workflows/${w.id}`, { body: { max_concurrent_calls: null } })).body
        .max_concurrent_calls,
      null,
    );
    const s = await emu.api('PATCH', `/workflows/${w.id}`, { body: { status: 'active' } });
    assert.equal(s.status, 409);
    assert.equal(s.body.error, 'Conflict');
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).body.status, 'draft');
    assert.equal((await emu.api('PATCH', `/workflows/${w.id}`, { body: {} })).status, 400);
    assert.equal((await emu.api('PATCH', `/workflows/${w.id}`, { body: { title: 3 } })).status, 400);
  });

  it('pages the list: page from 1, limit default 20, limit above 100 clamped, bad values 400', async () => {
    const key = 'cf_local_second';
    const before = (await emu.api('GET', '/workflows', { key })).body.meta.total;
    for (let i = 0; i < 23; i++) await emu.api('POST', '/workflows', { key, body: { title: `P${i}` } });
    const total = before + 23;
    const p1 = await emu.api('GET', '/workflows', { key });
    assert.deepEqual(p1.body.meta, { page: 1, limit: 20, total, totalPages: Math.ceil(total / 20) });
    assert.equal(p1.body.data.length, 20);
    const p2 = await emu.api('GET', '/workflows?page=2&limit=20', { key });
    assert.equal(p2.body.data.length, total - 20);
    const ids = new Set([...p1.body.data, ...p2.body.data].map((w: any) => w.id));
    assert.equal(ids.size, total, 'pages do not overlap');
    const small = await emu.api('GET', '/workflows?page=3&limit=5', { key });
    assert.deepEqual(small.body.meta, { page: 3, limit: 5, total, totalPages: Math.ceil(total / 5) });
    assert.equal(small.body.data[0].id, p1.body.data[10].id, 'creation order');
    assert.equal((await emu.api('GET', '/workflows?limit=1000', { key })).body.meta.limit, 100);
    assert.equal((await emu.api('GET', '/workflows?page=99', { key })).body.data.length, 0);
    for (const q of ['page=0', 'page=-1', 'limit=0', 'page=abc', 'limit=1.5']) {
      const r = await emu.api('GET', `/workflows?${q}`, { key });
      assert.equal(r.status, 400, q);
      assert.ok(Array.isArray(r.body.message));
    }
  });

  it('duplicates into a draft "(Copy)" with every node and edge remapped and no leads', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,city\n+14155550101,Pune\n'));
    await emu.api('POST', `/workflows/${w.id}/activate`);
    const r = await emu.api('POST', `/workflows/${w.id}/duplicate`);
    assert.equal(r.status, 201);
    assert.equal(r.body.title, 'Test workflow (Copy)');
    assert.equal(r.body.status, 'draft');
    assert.notEqual(r.body.id, w.id);
    const srcNodes = (await emu.api('GET', `/workflows/${w.id}/nodes`)).body.data;
    const nodes = (await emu.api('GET', `/workflows/${r.body.id}/nodes`)).body.data;
    assert.deepEqual(
      nodes.map((n: any) => [n.node_type, n.label, n.config, n.workflow_id]),
      srcNodes.map((n: any) => [n.node_type, n.label, n.config, r.body.id]),
    );
    const newIds = new Set(nodes.map((n: any) => n.id));
    assert.ok(srcNodes.every((n: any) => !newIds.has(n.id)));
    const byOld = new Map(srcNodes.map((n: any, i: number) => [n.id, nodes[i].id]));
    const srcEdges = (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data;
    const edges = (await emu.api('GET', `/workflows/${r.body.id}/edges`)).body.data;
    assert.deepEqual(
      edges.map((e: any) => [e.from_node_id, e.to_node_id, e.label]),
      srcEdges.map((e: any) => [byOld.get(e.from_node_id), byOld.get(e.to_node_id), e.label]),
    );
    assert.equal((await emu.api('GET', `/workflows/${r.body.id}/leads`)).body.meta.total, 0);
    assert.equal((await emu.api('GET', `/workflows/${r.body.id}`)).body.enrolled_leads, 0);
    assert.equal((await emu.api('POST', '/workflows/wfl_000000000000/duplicate')).status, 404);
  });

  it('answers 404 JSON for unknown routes', async () => {
    const r = await emu.api('GET', '/nothing/here');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { statusCode: 404, message: 'Cannot GET /v1/nothing/here', error: 'Not Found' });
    assert.equal((await emu.api('PUT', '/workflows')).status, 404);
    const outside = await fetch(`${emu.origin}/elsewhere`, { headers: { authorization: `Bearer ${emu.key}` } });
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).error, 'Not Found');
  });
});

describe('nodes', () => {
  it('creates, lists in creation order, patches (config replaced whole) and deletes with its edges', async () => {
    const w = await buildWorkflow(emu, { nodes: {}, edges: [] });
    const a = await emu.api('POST', `/workflows/${w.id}/nodes`, {
      body: {
        node_type: 'VOICE_CALL',
        label: 'Call',
        position_x: 100,
        position_y: 200,
        config: { agent_id: 'agt_abc123', from_phone_number: '+912234567890' },
      },
    });
    assert.equal(a.status, 201);
    assert.match(a.body.id, ID('node'));
    assert.deepEqual(a.body, {
      id: a.body.id,
      workflow_id: w.id,
      node_type: 'VOICE_CALL',
      label: 'Call',
      position_x: 100,
      position_y: 200,
      config: { agent_id: 'agt_abc123', from_phone_number: '+912234567890' },
    });
    const b = (
      await emu.api('POST', `/workflows/${w.id}/nodes`, {
        body: { node_type: 'TIME', label: 'Wait', config: { delay_hours: 48 } },
      })
    ).body;
    assert.equal(b.position_x, 0);
    const c = (await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { node_type: 'DROPPED' } })).body;
    assert.deepEqual(c.config, {});
    const list = await emu.api('GET', `/workflows/${w.id}/nodes`);
    assert.deepEqual(
      list.body.data.map((n: any) => n.id),
      [a.body.id, b.id, c.id],
    );
    assert.equal(list.body.meta, undefined);

    const p = await emu.api('PATCH', `/workflows/${w.id}/nodes/${a.body.id}`, {
      body: { config: { agent_id: 'agt_support01' }, position_x: 5 },
    });
    assert.equal(p.status, 200);
    assert.deepEqual(p.body.config, { agent_id: 'agt_support01' }, 'config replaced, not merged');
    assert.equal(p.body.position_x, 5);
    assert.equal(p.body.position_y, 200);
    assert.equal(p.body.label, 'Call');
    assert.equal(
      (
        await emu.api('PATCH', `/workflows/${w.id}/nodes/${a.body.id}`, {
          body: { node_type: 'VOICE_CALL', label: 'Same type is fine' },
        })
      ).status,
      200,
    );
    const t = await emu.api('PATCH', `/workflows/${w.id}/nodes/${a.body.id}`, { body: { node_type: 'TIME' } });
    assert.equal(t.status, 400);
    assert.ok(t.body.message.some((m: string) => m.includes('node_type')));
    assert.equal(
      (await emu.api('PATCH', `/workflows/${w.id}/nodes/node_000000000000`, { body: { label: 'x' } })).status,
      404,
    );

    await emu.api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: a.body.id, to_node_id: b.id } });
    await emu.api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: b.id, to_node_id: c.id } });
    await emu.api('POST', `/workflows/${w.id}/edges`, {
      body: { from_node_id: a.body.id, to_node_id: c.id, label: 'FAILED' },
    });
    const d = await emu.api('DELETE', `/workflows/${w.id}/nodes/${b.id}`);
    assert.equal(d.status, 200);
    assert.deepEqual(d.body, { message: 'Node deleted.' });
    const edges = (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data;
    assert.deepEqual(
      edges.map((e: any) => [e.from_node_id, e.to_node_id, e.label]),
      [[a.body.id, c.id, 'FAILED']],
    );
    assert.equal((await emu.api('DELETE', `/workflows/${w.id}/nodes/${b.id}`)).status, 404);
  });

  it('validates node bodies: node_type enum, types, unknown fields', async () => {
    const w = await buildWorkflow(emu, { nodes: {}, edges: [] });
    const r = await emu.api('POST', `/workflows/${w.id}/nodes`, {
      body: { node_type: 'SMS', position_x: 'left', config: [] },
    });
    assert.equal(r.status, 400);
    assert.ok(
      r.body.message.includes(
        'node_type must be one of the following values: VOICE_CALL, TIME, CONDITIONAL, APPLICATION, CONVERTED, DROPPED',
      ),
    );
    assert.ok(r.body.message.includes('position_x must be a number'));
    assert.ok(r.body.message.includes('config must be an object'));
    const m = await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { label: 'no type' } });
    assert.equal(m.status, 400);
    assert.ok(m.body.message.includes('node_type should not be empty'));
    assert.equal(
      (await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { node_type: 'TIME', nodeType: 'x' } })).status,
      400,
    );
    assert.equal(
      (await emu.api('POST', '/workflows/wfl_000000000000/nodes', { body: { node_type: 'TIME' } })).status,
      404,
    );
  });
});

describe('edges', () => {
  it('creates edges, keeps creation order, 409 on a duplicate (from, to, label), 404 for foreign nodes', async () => {
    const w = await buildWorkflow(emu, {
      nodes: { call: { node_type: 'VOICE_CALL' }, yes: { node_type: 'CONVERTED' }, no: { node_type: 'DROPPED' } },
      edges: [],
    });
    const mk = (from: string, to: string, label?: string | null) =>
      emu.api('POST', `/workflows/${w.id}/edges`, {
        body: { from_node_id: w.ids[from], to_node_id: w.ids[to], ...(label !== undefined ? { label } : {}) },
      });
    const e1 = await mk('call', 'yes', 'COMPLETED');
    assert.equal(e1.status, 201);
    assert.match(e1.body.id, ID('edge'));
    assert.deepEqual(e1.body, {
      id: e1.body.id,
      workflow_id: w.id,
      from_node_id: w.ids.call,
      to_node_id: w.ids.yes,
      label: 'COMPLETED',
    });
    const e2 = await mk('call', 'no');
    assert.equal(e2.body.label, null);
    const e3 = await mk('call', 'no', 'FAILED');
    assert.equal(e3.status, 201, 'same nodes, other label');
    const dup = await mk('call', 'yes', 'COMPLETED');
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error, 'Conflict');
    assert.equal((await mk('call', 'no')).status, 409, 'two unlabelled edges between the same nodes');
    assert.equal((await mk('call', 'no', null)).status, 409, 'null label = no label');
    const list = (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data;
    assert.deepEqual(
      list.map((e: any) => e.id),
      [e1.body.id, e2.body.id, e3.body.id],
    );

    const other = await buildWorkflow(emu, { nodes: { x: { node_type: 'DROPPED' } }, edges: [] });
    const foreign = await emu.api('POST', `/workflows/${w.id}/edges`, {
      body: { from_node_id: w.ids.call, to_node_id: other.ids.x },
    });
    assert.equal(foreign.status, 404);
    assert.ok(foreign.body.message.includes(other.ids.x));
    assert.equal(
      (
        await emu.api('POST', `/workflows/${w.id}/edges`, {
          body: { from_node_id: 'node_000000000000', to_node_id: w.ids.yes },
        })
      ).status,
      404,
    );
    const bad = await emu.api('POST', `/workflows/${w.id}/edges`, { body: { label: 5 } });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.message.includes('from_node_id should not be empty'));
    assert.ok(bad.body.message.includes('label must be a string'));

    // No edge update; delete, then re-create goes last.
    assert.equal(
      (await emu.api('PATCH', `/workflows/${w.id}/edges/${e1.body.id}`, { body: { label: 'FAILED' } })).status,
      404,
    );
    const del = await emu.api('DELETE', `/workflows/${w.id}/edges/${e1.body.id}`);
    assert.deepEqual([del.status, del.body], [200, { message: 'Edge deleted.' }]);
    assert.equal((await emu.api('DELETE', `/workflows/${w.id}/edges/${e1.body.id}`)).status, 404);
    const again = await mk('call', 'yes', 'COMPLETED');
    const after = (await emu.api('GET', `/workflows/${w.id}/edges`)).body.data;
    assert.deepEqual(
      after.map((e: any) => e.id),
      [e2.body.id, e3.body.id, again.body.id],
    );
    assert.equal((await emu.api('GET', `/workflows/${w.id}/nodes`)).body.data.length, 3, 'both nodes stay');
  });

  it("moves the workflow's updated_at on every graph change", async () => {
    const w = await buildWorkflow(emu, { nodes: { a: { node_type: 'TIME' }, b: { node_type: 'DROPPED' } }, edges: [] });
    const stamps = [(await emu.api('GET', `/workflows/${w.id}`)).body.updated_at];
    await emu.api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: w.ids.a, to_node_id: w.ids.b } });
    stamps.push((await emu.api('GET', `/workflows/${w.id}`)).body.updated_at);
    await emu.api('PATCH', `/workflows/${w.id}/nodes/${w.ids.a}`, { body: { config: { delay_hours: 2 } } });
    stamps.push((await emu.api('GET', `/workflows/${w.id}`)).body.updated_at);
    await emu.api('DELETE', `/workflows/${w.id}/nodes/${w.ids.b}`);
    stamps.push((await emu.api('GET', `/workflows/${w.id}`)).body.updated_at);
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] > stamps[i - 1], `${stamps[i]} > ${stamps[i - 1]}`);
  });
});

describe('leads', () => {
  it('uploads a CSV: each row a lead, each other column a variable; keys are the union of headers', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const up = await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv(
        'phone_number,customer_name,city\n+919876543210,"Sharma, Priya",Mumbai\r\n+91 98123 45678,Arjun,Pune\n\n',
      ),
    );
    assert.equal(up.status, 201);
    assert.deepEqual(up.body, { workflow_id: w.id, leads_enrolled: 2, message: '2 leads enrolled in the workflow.' });
    const list = await emu.api('GET', `/workflows/${w.id}/leads`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.meta, { page: 1, limit: 20, total: 2, totalPages: 1 });
    const [l1, l2] = list.body.data;
    assert.match(l1.id, ID('wlead'));
    assert.deepEqual(
      { ...l1, id: '', enrolled_at: '' },
      {
        id: '',
        workflow_id: w.id,
        phone_number: '+919876543210',
        metadata: { customer_name: 'Sharma, Priya', city: 'Mumbai' },
        current_node_id: null,
        status: 'pending',
        enrolled_at: '',
      },
    );
    assert.match(l1.enrolled_at, ISO);
    assert.equal(l2.phone_number, '+919812345678');
    await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('loan_amount,phone_number,city\n500000,+14155550101,Austin\n'),
    );
    const keys = await emu.api('GET', `/workflows/${w.id}/leads/variable-keys`);
    assert.deepEqual(keys.body, { keys: ['customer_name', 'city', 'loan_amount'] });
    // A header-only file enrols nobody but still adds its columns.
    const none = await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,tier\n'));
    assert.deepEqual([none.status, none.body.leads_enrolled], [201, 0]);
    assert.deepEqual((await emu.api('GET', `/workflows/${w.id}/leads/variable-keys`)).body.keys, [
      'customer_name',
      'city',
      'loan_amount',
      'tier',
    ]);
  });

  it('refuses files without phone_number, bad phone numbers, wrong types and missing file field with 400, enrolling nobody', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const cases: [ReturnType<typeof multipartCsv>, RegExp][] = [
      [multipartCsv('name,city\nAnn,Pune\n'), /phone_number column/],
      [
        multipartCsv('phone_number,name\n+14155550101,Ann\nnot-a-phone,Bob\n,Cy\n'),
        /row 3: Invalid phone number "not-a-phone"/,
      ],
      [multipartCsv('phone_number,name\n+14155550101,Ann\n', 'leads.txt'), /File must be a CSV or Excel file/],
      [multipartCsv('phone_number,name\n+14155550101,Ann\n', 'leads.csv', 'upload'), /file/],
      [multipartCsv('phone_number,name,name\n+14155550101,Ann,Ann\n'), /appears twice/],
    ];
    for (const [req, re] of cases) {
      const r = await emu.api('POST', `/workflows/${w.id}/leads`, req);
      assert.equal(r.status, 400, String(re));
      assert.equal(r.body.error, 'Bad Request');
      const msgs = Array.isArray(r.body.message) ? r.body.message : [r.body.message];
      assert.ok(
        msgs.some((m: string) => re.test(m)),
        `${re} in ${JSON.stringify(msgs)}`,
      );
    }
    const bad = await emu.api('POST', `/workflows/${w.id}/leads`, cases[1][0]);
    assert.equal(bad.body.message.length, 2, 'one entry per bad row');
    assert.equal((await emu.api('GET', `/workflows/${w.id}/leads`)).body.meta.total, 0, 'all or nothing');
    assert.deepEqual((await emu.api('GET', `/workflows/${w.id}/leads/variable-keys`)).body.keys, []);
    const json = await emu.api('POST', `/workflows/${w.id}/leads`, { body: { file: 'x' } });
    assert.equal(json.status, 400);
    assert.equal(
      (await emu.api('POST', '/workflows/wfl_000000000000/leads', multipartCsv('phone_number\n+14155550101\n'))).status,
      404,
    );
  });

  it('lists by status with paging, removes a lead (409 when completed or removed)', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const rows = Array.from({ length: 25 }, (_, i) => `+1415555${String(1000 + i)},n${i}`).join('\n');
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv(`phone_number,name\n${rows}\n`));
    const p2 = await emu.api('GET', `/workflows/${w.id}/leads?page=2&limit=10`);
    assert.deepEqual(p2.body.meta, { page: 2, limit: 10, total: 25, totalPages: 3 });
    assert.equal(p2.body.data[0].metadata.name, 'n10');
    const lead = p2.body.data[0];
    const del = await emu.api('DELETE', `/workflows/${w.id}/leads/${lead.id}`);
    assert.deepEqual([del.status, del.body], [200, { message: 'Lead removed from workflow.' }]);
    const again = await emu.api('DELETE', `/workflows/${w.id}/leads/${lead.id}`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'Conflict');
    const removed = await emu.api('GET', `/workflows/${w.id}/leads?status=removed`);
    assert.deepEqual(
      removed.body.data.map((l: any) => l.id),
      [lead.id],
    );
    assert.equal((await emu.api('GET', `/workflows/${w.id}/leads?status=pending`)).body.meta.total, 24);
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).body.enrolled_leads, 24);
    assert.equal((await emu.api('GET', `/workflows/${w.id}/leads?status=bogus`)).status, 400);
    assert.equal((await emu.api('DELETE', `/workflows/${w.id}/leads/wlead_000000000000`)).status, 404);
  });

  it('starts leads at the entry node when the workflow is active', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550101\n'));
    assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
    await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550102\n'));
    const leads = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data;
    assert.deepEqual(
      leads.map((l: any) => [l.status, l.current_node_id]),
      [
        ['in_progress', w.ids.first_call],
        ['in_progress', w.ids.first_call],
      ],
    );
  });
});

describe('agents and phone numbers', () => {
  it('lists and gets agents in the documented shape', async () => {
    const r = await emu.api('GET', '/agents2');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.meta, { page: 1, limit: 20, total: 5, totalPages: 1 });
    const a = r.body.data.find((x: any) => x.id === 'agt_abc123');
    assert.equal(a.current_version_number, 2);
    assert.equal(a.current_version.number, 2);
    assert.equal(a.current_version.is_published, true);
    assert.equal(typeof a.current_version.prompts.prompt_text, 'string');
    assert.ok('welcome_message' in a.current_version.prompts);
    assert.ok('default_dynamic_variables' in a.current_version.prompts);
    assert.ok('outbound' in a.current_version.telephony);
    const one = await emu.api('GET', '/agents2/agt_draft01');
    assert.equal(one.body.current_version.is_published, false);
    const missing = await emu.api('GET', '/agents2/agt_nope');
    assert.deepEqual(missing.body, { statusCode: 404, message: 'Agent not found', error: 'Not Found' });
  });

  it('pages phone numbers with their status and outbound agent', async () => {
    const r = await emu.api('GET', '/organization-phone-numbers?limit=2');
    assert.deepEqual(r.body.meta, { page: 1, limit: 2, total: 6, totalPages: 3 });
    const all = (await emu.api('GET', '/organization-phone-numbers')).body.data;
    assert.deepEqual(
      all.map((p: any) => [p.phone_number, p.status]),
      [
        ['+912234567890', 'active'],
        ['+14155550100', 'active'],
        ['+14155550123', 'active'],
        ['+442071838750', 'active'],
        ['+14155550199', 'pending'],
        ['+14155550142', 'unavailable'],
      ],
    );
    for (const p of all) {
      assert.match(p.id, /^phn_/);
      assert.ok('outbound_agent_id' in p);
    }
  });
});
