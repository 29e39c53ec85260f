// platform-api.md § Lifecycle, "Pre-activation validation": activate's four checks and the 400 that reports
// them (one message per failed check, each naming its node id). The real emulator process over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from '../harness';
import { assertError, exec, setStatus } from '../spec-helpers';

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
const post = (id: string, verb: string) => emu.api('POST', `/workflows/${id}/${verb}`);

/** Activate must answer 400, an array of messages, and change nothing. */
async function activate400(w: { id: string }): Promise<string[]> {
  const r = await emu.api('POST', `/workflows/${w.id}/activate`);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error, 'Bad Request');
  assert.ok(Array.isArray(r.body.message));
  assert.equal(await statusOf(w.id), 'draft', 'a refused activation changes nothing');
  return r.body.message;
}

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

describe('pre-activation validation', () => {
  // spec: "**Pre-activation validation** (what activate checks, answered with 400 when it fails)"
  // spec: "**Decision:** the 400 body's `message` is an array, one entry per failed check, each naming the node (`node_...`) it concerns"
  it('the 400: message an array, one entry per failed check, each naming its node; every check at once; state unchanged; the newer surface answers the same', async () => {
    // activate 400: the pre-activation checks, message an array naming node ids, state unchanged
    {
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
    }
    // reports every failed check at once, and the newer surface answers the same 400
    {
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
    }
  });

  // spec: "1. every non-terminal node has at least one outgoing edge"
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

  // spec: "2. every `VOICE_CALL` node has an agent and an outbound phone number — the agent exists and has a published version, the number is `active` in the workspace"
  it('check 2: no agent, no number, an unknown agent, an agent without a published version, a number pending or unavailable', async () => {
    // activate 400: check 2, an agent without a published version, a number pending or unavailable, no agent, no number
    {
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
    }
    // check 2: a VOICE_CALL without agent or number, with an unpublished agent, or an inactive number
    {
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
    }
  });

  // spec: "3. each agent's prompt (and welcome message) references only keys returned by Get Variable Keys, built-ins, or the agent's default dynamic variables"
  it('check 3: prompt variables must be variable keys, built-ins or agent defaults; a lead file that supplies them clears it', async () => {
    // activate 400: check 3 (prompt variables not in Get Variable Keys) clears once a lead file supplies them
    {
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
    }
    // check 3: prompt variables must be variable keys, built-ins or agent defaults
    {
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
      await emu.api(
        'POST',
        `/workflows/${w.id}/leads`,
        multipartCsv('phone_number,loan_amount\n+919876543210,750000\n'),
      );
      const r = await emu.api('POST', `/workflows/${w.id}/activate`);
      assert.deepEqual([r.status, r.body], [200, { id: w.id, status: 'active' }]);
    }
  });

  // spec: "4. concurrency settings are within the workspace's limit" and "Concurrency is per workspace: 5, 25 or 100 simultaneous calls by plan"
  it('check 4: max_concurrent_calls above the workspace limit (25 in the default seed), fixed by a PATCH', async () => {
    // activate 400: check 4, max_concurrent_calls above the workspace limit
    {
      const w = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 1000 });
      const r = await post(w.id, 'activate');
      assertError(r, 400);
      assert.ok(Array.isArray(r.body.message) && r.body.message.length === 1, JSON.stringify(r.body.message));
      const ok = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 5 });
      assert.equal((await post(ok.id, 'activate')).status, 200);
    }
    // check 4: max_concurrent_calls above the workspace limit (25 in the default seed)
    {
      const w = await buildWorkflow(emu, { ...VALID_GRAPH, max_concurrent_calls: 30 });
      const msgs = await activate400(w);
      assert.equal(msgs.length, 1);
      assert.match(msgs[0], new RegExp(`workflow ${w.id}.*25.*WF105`));
      await emu.api('PATCH', `/workflows/${w.id}`, { body: { max_concurrent_calls: 25 } });
      assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
    }
  });

  // spec: "Concurrency is per workspace: 5, 25 or 100 simultaneous calls by plan (Starter, Growth, Scale)"
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

  // spec: "**400** the graph fails pre-activation validation" (judged on the graph as it is now)
  it('the verdict follows every edit: 400, then the graph is fixed edge by edge and config by config, then 200', async () => {
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

  // spec: "**409** not in `draft` … **400** the graph fails pre-activation validation"
  it('the 409 for a wrong state comes before validation', async () => {
    const id = await inState('active');
    exec(db, 'DELETE FROM edges WHERE workflow_id = ?', id);
    assert.equal((await emu.api('POST', `/workflows/${id}/activate`)).status, 409);
  });
});
