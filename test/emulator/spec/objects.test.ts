// platform-api.md § Objects: each object's documented fields and id form, over real HTTP against the real
// emulator process (a fresh SQLite file per file). Each test cites the spec line it checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from '../harness';
import { assertError, assertPaged, ID, ISO } from '../spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

describe('objects', () => {
  // platform-api.md § Objects
  // spec: "workflow | `id`, `organization_id`, `title`, `description`, `status`, `created_at`, `updated_at`; Get also returns `node_count`, `edge_count`, `enrolled_leads` | `wfl_` + 12"
  it('workflow: the documented fields, wfl_ + 12 lowercase alphanumerics; created as a draft; Get adds node_count, edge_count, enrolled_leads (no graph)', async () => {
    // workflow: the documented fields, wfl_ + 12 lowercase alphanumerics; Get adds node_count, edge_count, enrolled_leads
    {
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
    }
    // creates a draft with the documented fields
    {
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
    }
    // gets one workflow with node_count, edge_count and enrolled_leads
    {
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
    }
  });

  // spec: "node | `id`, `workflow_id`, `node_type`, `label`, `position_x`, `position_y`, `config`" · "edge | …" · "lead (enrolment) | …"
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

  // spec: "agent | `id`, `current_version_number`, `current_version{number, title, is_published, prompts{prompt_text, welcome_message, default_dynamic_variables}, telephony{outbound}}`"
  it('agent: id, current_version_number, current_version{number, title, is_published, prompts{...}, telephony{outbound}}; list and get', async () => {
    // agent: id, current_version_number, current_version{number, title, is_published, prompts{...}, telephony{outbound}}
    {
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
    }
    // lists and gets agents in the documented shape
    {
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
    }
  });

  // spec: "phone number | `id`, `phone_number` (E.164), `status` (`active`, `pending`, `unavailable`), `outbound_agent_id`"
  it('phone number: id phn_, E.164 phone_number, status active|pending|unavailable, outbound_agent_id; paged {data, meta}', async () => {
    // phone number: id phn_, E.164 phone_number, status active|pending|unavailable, outbound_agent_id; paged {data, meta}
    {
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
    }
    // pages phone numbers with their status and outbound agent
    {
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
    }
  });
});
