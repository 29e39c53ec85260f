// platform-api.md § Endpoints: every endpoint's success and its documented errors (workflows, nodes, edges,
// leads, variable keys), over real HTTP against the real emulator process. Each test cites its row.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from '../harness';
import { assertError, assertPaged, ID, ISO, setStatus } from '../spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

describe('workflows', () => {
  // spec: "POST | `/workflows` body `{title, description}` → a new `draft` | 201 workflow"
  it('POST /workflows → 201 draft; bad bodies are 400 with one message per problem', async () => {
    // POST /workflows → 201 draft; a missing title is 400
    {
      const r = await emu.api('POST', '/workflows', { body: { title: 'T', description: 'D' } });
      assert.equal(r.status, 201);
      assert.equal(r.body.title, 'T');
      assert.equal(r.body.description, 'D');
      assertError(await emu.api('POST', '/workflows', { body: { description: 'no title' } }), 400);
    }
    // refuses bad bodies with 400 and one message per problem
    {
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
      assert.equal(
        (await emu.api('POST', '/workflows', { body: { title: 'x', max_concurrent_calls: 0 } })).status,
        400,
      );
      assert.equal(
        (await emu.api('POST', '/workflows', { body: { title: 'x', max_concurrent_calls: 2.5 } })).status,
        400,
      );
    }
  });

  // spec: "GET | `/workflows?page&limit` | 200 `{data, meta{page, limit, total, totalPages}}`" and "Paging: `page` from 1, `limit` default 20, max 100"
  it('GET /workflows: {data, meta{page, limit, total, totalPages}}, page from 1, limit default 20, max 100, bad values 400, creation order', async () => {
    // GET /workflows: {data, meta{page, limit, total, totalPages}}, limit default 20, max 100, page from 1
    {
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
    }
    // pages the list: page from 1, limit default 20, limit above 100 clamped, bad values 400
    {
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
    }
  });

  // spec: "PATCH | `/workflows/{id}` body `{title?, description?}` | 200 workflow"
  it('PATCH /workflows/{id} {title?, description?, max_concurrent_calls?} → 200 workflow; status 409; empty or bad patch 400; 404 unknown', async () => {
    // PATCH /workflows/{id} {title?, description?} → 200 workflow; 404 unknown
    {
      const { body: w } = await emu.api('POST', '/workflows', { body: { title: 'Before', description: 'keep' } });
      const r = await emu.api('PATCH', `/workflows/${w.id}`, { body: { title: 'After' } });
      assert.equal(r.status, 200);
      assert.equal(r.body.title, 'After');
      assert.equal(r.body.description, 'keep');
      assert.equal(r.body.id, w.id);
      assertError(await emu.api('PATCH', '/workflows/wfl_000000000000', { body: { title: 'x' } }), 404);
    }
    // patches title, description and max_concurrent_calls; status is 409; an empty patch is 400
    {
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
    }
  });

  // spec: "POST | `/workflows/{id}/duplicate` → a `draft` copy titled "… (Copy)" with every node and edge, no leads | 201 workflow"
  it('POST duplicate → 201 draft titled "… (Copy)" with every node and edge remapped, no leads; 404 unknown', async () => {
    // POST duplicate → 201 draft titled "… (Copy)" with every node and edge, no leads
    {
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
    }
    // duplicates into a draft "(Copy)" with every node and edge remapped and no leads
    {
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
    }
  });
});

describe('nodes', () => {
  // spec: "POST | `/workflows/{id}/nodes` … | 201 node", "PATCH | … changing `node_type` is 400. **Decision:** `config` is replaced whole", "DELETE | `/workflows/{id}/nodes/{nodeId}` (also deletes its edges) | 200 `{message}`"
  it('POST 201 node; GET {data: [node]} in creation order; PATCH replaces config whole; node_type change 400; DELETE {message} with its edges', async () => {
    // nodes: POST 201 node; GET {data: [node]}; PATCH replaces config whole; node_type change 400; DELETE {message} and its edges
    {
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
    }
    // creates, lists in creation order, patches (config replaced whole) and deletes with its edges
    {
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
    }
  });

  // spec: "POST | `/workflows/{id}/nodes` body `{node_type, label, position_x, position_y, config}`" and "400 validation"
  it('node bodies are validated: node_type enum, types, unknown fields; 404 for an unknown workflow', async () => {
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
  // spec: "POST | `/workflows/{id}/edges` body `{from_node_id, to_node_id, label?}`; 404 if a node is not in this workflow; **409** if the same (from, to, label) exists | 201 edge" and "GET | `/workflows/{id}/edges` | 200 `{data: [edge]}` in creation order"
  it('POST 201; GET {data} in creation order; 404 for a node not in this workflow; 409 duplicate (from, to, label); DELETE {message}', async () => {
    // edges: POST 201; GET {data} in creation order; 404 foreign node; 409 duplicate (from, to, label); DELETE {message}
    {
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
    }
    // creates edges, keeps creation order, 409 on a duplicate (from, to, label), 404 for foreign nodes
    {
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
    }
  });

  // spec: "DELETE | `/workflows/{id}/edges/{edgeId}` — there is no edge update | 200 `{message}`"
  it('there is no edge update: PATCH and PUT on an edge are 404 (no such route) and change nothing', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const edge = w.edgeIds[0];
    for (const method of ['PATCH', 'PUT'])
      assertError(await emu.api(method, `/workflows/${w.id}/edges/${edge}`, { body: { label: 'FAILED' } }), 404);
    assert.equal((await emu.api('GET', `/workflows/${w.id}/edges`)).body.data[0].label, 'COMPLETED');
  });

  // spec: "workflow | … `updated_at`"
  it("every graph change moves the workflow's updated_at", async () => {
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
  // spec: "POST | `/workflows/{id}/leads` multipart field `file` (CSV; a `phone_number` column is required, every other column becomes a variable) | 201 `{workflow_id, leads_enrolled}`"
  it('POST multipart field file: each row a lead, each other column a variable; 201 {workflow_id, leads_enrolled}; 404 unknown workflow', async () => {
    // leads: multipart field file; phone_number required (400 otherwise, nobody enrolled); 201 {workflow_id, leads_enrolled}
    {
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
    }
    // uploads a CSV: each row a lead, each other column a variable; keys are the union of headers
    {
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
    }
  });

  // spec: "a `phone_number` column is required" and "400 validation"
  it('no phone_number column, bad phone numbers, wrong types, a missing file field: 400, nobody enrolled', async () => {
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

  // spec: "`GET /workflows/{id}/leads/variable-keys` returns `{"keys": [...]}`: the union of the column headers of every lead file ever uploaded to the workflow, minus `phone_number`"
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

  // spec: "GET | `/workflows/{id}/leads?page&limit&status` | 200 `{data, meta}`" and "DELETE | `/workflows/{id}/leads/{leadId}` | 200; 409 if already completed or removed"
  it('list {data, meta} with paging and status filter; DELETE 200, 409 when completed or removed, 404 unknown', async () => {
    // leads list: {data, meta}, paging and status filter; DELETE 200, 409 when completed or removed
    {
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
    }
    // lists by status with paging, removes a lead (409 when completed or removed)
    {
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
    }
    // answers 409 when removing a completed lead
    {
      const w = await buildWorkflow(emu, VALID_GRAPH);
      await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number\n+14155550101\n'));
      const lead = (await emu.api('GET', `/workflows/${w.id}/leads`)).body.data[0];
      setStatus(db, 'leads', lead.id, 'completed');
      const r = await emu.api('DELETE', `/workflows/${w.id}/leads/${lead.id}`);
      assert.equal(r.status, 409);
      assert.match(r.body.message, /completed/);
    }
  });

  // spec: "lead (enrolment) | … `current_node_id`, `status`"
  it('leads start at the entry node when the workflow is active', async () => {
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
