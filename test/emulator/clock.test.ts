// The emulator runs activated workflows (issue 14 §3), over real HTTP with its real SQLite file: the
// virtual clock, POST /__emulator/advance, the journal checked against core's interpreter, pause,
// resume, cancel, the concurrency limit, and a kill in the middle of an advance.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { programFromRemote, run } from '../../core/interpret';
import { outcomesFrom, parseOutcomes } from '../../emulator/outcomes';
import { buildWorkflow, multipartCsv, startEmu, tempDb, type Emu } from './harness';

// The weighted draws hash the lead's and the node's ids, which the emulator makes up at random: which
// lead gets which outcome differs from run to run, so no assertion may rest on a particular draw. A node
// labelled SCRIPTED_CALL answers COMPLETED on every visit, for the parts that need one fixed path.
const SCRIPTED_CALL = 'scripted_call';
const OUTCOMES = {
  seed: 3,
  default: { COMPLETED: 0.5, DNP: 0.4, FAILED: 0.1 },
  nodes: { [SCRIPTED_CALL]: ['COMPLETED'] },
};
const LIMIT = 3;

function outcomesFile(): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'cf-outcomes-')), 'outcomes.json');
  writeFileSync(f, JSON.stringify(OUTCOMES));
  return f;
}

const CALL = { agent_id: 'agt_support01', from_phone_number: '+14155550100' };
const GRAPH = {
  max_concurrent_calls: LIMIT,
  nodes: {
    call: { node_type: 'VOICE_CALL', config: CALL },
    check: {
      node_type: 'CONDITIONAL',
      config: { logic: 'AND', conditions: [{ field: 'city', operator: 'equals', value: 'Pune' }] },
    },
    notify: {
      node_type: 'APPLICATION',
      config: {
        provider_key: 'gmail',
        adapter_key: 'gmail',
        action_key: 'send_email',
        action_config: { subject: 'Lead {{city}}' },
      },
    },
    wait: { node_type: 'TIME', config: { delay_hours: 48 } },
    call2: { node_type: 'VOICE_CALL', config: CALL },
    converted: { node_type: 'CONVERTED' },
    dropped: { node_type: 'DROPPED' },
  },
  edges: [
    ['call', 'check', 'COMPLETED'],
    ['call', 'wait', 'DNP'],
    ['call', 'dropped'],
    ['check', 'converted', 'true'],
    ['check', 'notify', 'false'],
    ['notify', 'dropped'],
    ['wait', 'call2'],
    ['call2', 'converted', 'COMPLETED'],
    ['call2', 'dropped'],
  ] as [string, string, string?][],
};

function csv(n: number): string {
  const rows = ['phone_number,city'];
  for (let i = 0; i < n; i++)
    rows.push(`+1415555${String(1000 + i).padStart(4, '0')},${i % 3 === 0 ? 'Pune' : 'Austin'}`);
  return rows.join('\n') + '\n';
}

/** GRAPH whose first call answers COMPLETED for every lead: each lead ends right after that call. */
const SCRIPTED_GRAPH = { ...GRAPH, nodes: { ...GRAPH.nodes, call: { ...GRAPH.nodes.call, label: SCRIPTED_CALL } } };

async function activated(emu: Emu, leads: number, graph: typeof GRAPH = GRAPH) {
  const w = await buildWorkflow(emu, graph);
  assert.equal((await emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv(csv(leads)))).status, 201);
  assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 200);
  return w;
}

async function allLeads(emu: Emu, id: string): Promise<any[]> {
  const out: any[] = [];
  for (let p = 1; ; p++) {
    const r = (await emu.api('GET', `/workflows/${id}/leads?limit=100&page=${p}`)).body;
    out.push(...r.data);
    if (p >= r.meta.totalPages) return out;
  }
}

const journal = async (emu: Emu, id: string) =>
  (await emu.control('GET', `events?workflow_id=${id}`)).body.data as any[];
const advance = async (emu: Emu, hours: number) => {
  const r = await emu.control('POST', 'advance', { hours });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

/** Each lead's journal against core's interpreter run with the same outcomes: same path, same outcomes, same end. */
async function assertJournalMatchesInterpreter(emu: Emu, id: string) {
  const nodes = (await emu.api('GET', `/workflows/${id}/nodes`)).body.data;
  const edges = (await emu.api('GET', `/workflows/${id}/edges`)).body.data;
  const program = programFromRemote(nodes, edges);
  const outcomes = outcomesFrom(parseOutcomes(OUTCOMES));
  const events = await journal(emu, id);
  for (const lead of await allLeads(emu, id)) {
    const mine = events.filter((e) => e.lead_id === lead.id);
    const provider = ({ node, visit }: any) =>
      outcomes({
        workflowId: id,
        leadId: lead.id,
        nodeId: node.key,
        label: '',
        agentId: node.config.agent_id,
        type: node.type,
        visit,
      });
    const expected = run(program, lead.metadata, provider);
    assert.ok(!('error' in expected));
    const moved = mine.filter((e) => e.kind === 'moved');
    const ended = mine.filter((e) => e.kind === 'ended');
    assert.equal(ended.length, 1, `lead ${lead.id} ended once`);
    assert.deepEqual([...moved.map((e) => e.node_id), ended[0].node_id], expected.path, lead.id);
    // Every outcome the interpreter met (calls, conditions, applications; a TIME node has none), in order.
    assert.deepEqual(
      moved.filter((e) => e.outcome !== null).map((e) => [e.node_id, e.outcome]),
      expected.outcomes
        .filter((o) => o.outcome !== undefined && o.node !== ended[0].node_id)
        .map((o) => [o.node, o.outcome]),
      lead.id,
    );
    assert.equal(ended[0].outcome, expected.end);
    assert.equal(lead.status, expected.end === 'CONVERTED' || expected.end === 'DROPPED' ? 'completed' : 'failed');
    assert.equal(lead.current_node_id, ended[0].node_id);
    // Virtual time: at least the interpreter's waits passed between the first and the last entry.
    const span = Date.parse(ended[0].at) - Date.parse(mine[0].at);
    assert.ok(span >= expected.elapsedHours * 3_600_000, `${lead.id}: ${span} ms for ${expected.elapsedHours} h`);
  }
}

function maxOverlap(events: any[]): number {
  const points: [number, number][] = [];
  for (const e of events.filter((x) => x.kind === 'call')) {
    points.push([Date.parse(e.at), 1], [Date.parse(e.ends_at), -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (cur += d));
  return max;
}

describe('the emulator runs activated workflows', () => {
  it('advance 200 hours: every lead completed or failed, the journal matches the interpreter, calls within the limit', async () => {
    const emu = await startEmu(['--outcomes', outcomesFile()]);
    try {
      const clock0 = (await emu.control('GET', 'clock')).body;
      assert.equal(clock0.mode, 'virtual');
      const w = await activated(emu, 24);
      const r = await advance(emu, 200);
      assert.equal(Date.parse(r.now) - Date.parse(clock0.now), 200 * 3_600_000);
      assert.deepEqual((await emu.control('GET', 'clock')).body.now, r.now);
      const leads = await allLeads(emu, w.id);
      assert.equal(leads.length, 24);
      for (const l of leads) assert.ok(['completed', 'failed'].includes(l.status), l.status);
      await assertJournalMatchesInterpreter(emu, w.id);
      const events = await journal(emu, w.id);
      assert.equal(maxOverlap(events), LIMIT, 'calls queue for a slot and never exceed max_concurrent_calls');
      assert.ok(events.some((e) => e.outcome === 'DNP') && events.some((e) => e.node_id === w.ids.wait));
    } finally {
      await emu.stop();
    }
  });

  it('pause stops movement; resume continues; cancel ends the leads', async () => {
    const emu = await startEmu(['--outcomes', outcomesFile()]);
    try {
      const w = await activated(emu, 9);
      await advance(emu, 0.1);
      assert.equal((await emu.api('POST', `/workflows/${w.id}/pause`)).status, 200);
      const before = [await journal(emu, w.id), await allLeads(emu, w.id)];
      await advance(emu, 100);
      assert.deepEqual([await journal(emu, w.id), await allLeads(emu, w.id)], before, 'nothing moved while paused');
      assert.equal((await emu.api('POST', `/workflows/${w.id}/resume`)).status, 200);
      await advance(emu, 200);
      for (const l of await allLeads(emu, w.id)) assert.ok(['completed', 'failed'].includes(l.status));
      await assertJournalMatchesInterpreter(emu, w.id);

      // 5 leads, 3 call slots, every first call COMPLETED: at +3 min the first 3 leads have ended and the
      // last 2 are in their call, whatever ids the emulator drew (with the seeded mix and +6 min, all 5
      // could end before the cancel: 0.6^5 ≈ 8% of runs had nothing left to cancel).
      const c = await activated(emu, 5, SCRIPTED_GRAPH);
      await advance(emu, 0.05);
      const open = (await allLeads(emu, c.id)).filter((l) => l.status === 'in_progress').map((l) => l.id);
      assert.equal(open.length, 2);
      assert.equal((await emu.api('POST', `/workflows/${c.id}/cancel`)).status, 200);
      // Leads that had already ended keep their end; every other one ends now, failed, journalled CANCELLED.
      const ended = (await journal(emu, c.id)).filter((e) => e.kind === 'ended');
      assert.equal(ended.length, 5);
      const cancelled = ended.filter((e) => e.outcome === 'CANCELLED').map((e) => e.lead_id);
      assert.deepEqual(cancelled.sort(), open.sort());
      for (const l of await allLeads(emu, c.id))
        assert.equal(l.status, open.includes(l.id) ? 'failed' : 'completed', l.id);
      const frozen = await journal(emu, c.id);
      await advance(emu, 100);
      assert.deepEqual(await journal(emu, c.id), frozen);
    } finally {
      await emu.stop();
    }
  });

  it('the control endpoints validate: advance needs hours in range; events needs a workflow of this workspace', async () => {
    const emu = await startEmu([]);
    try {
      for (const body of [{}, { hours: -1 }, { hours: 'x' }, { hours: 1e9 }, { hours: 1, extra: 1 }])
        assert.equal((await emu.control('POST', 'advance', body)).status, 400, JSON.stringify(body));
      assert.equal((await emu.control('GET', 'events')).status, 400);
      const w = await buildWorkflow(emu, { nodes: {}, edges: [] });
      assert.equal((await emu.control('GET', `events?workflow_id=${w.id}`, undefined, 'cf_local_second')).status, 404);
      assert.deepEqual((await emu.control('GET', `events?workflow_id=${w.id}`)).body, { data: [] });
    } finally {
      await emu.stop();
    }
  });

  it('an emulator killed in the middle of an advance restarts consistent and finishes the run', async () => {
    const db = tempDb();
    const file = outcomesFile();
    const a = await startEmu(['--quiet', '--outcomes', file], { db });
    const w = await activated(a, 150);
    // Wherever the kill lands (before, during or after the advance), what follows must hold.
    const pending = a.control('POST', 'advance', { hours: 200 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150));
    await a.kill9();
    await pending;
    const b = await startEmu(['--quiet', '--outcomes', file], { db });
    try {
      const events = await journal(b, w.id);
      for (const l of await allLeads(b, w.id)) {
        const ended = events.filter((e) => e.lead_id === l.id && e.kind === 'ended');
        assert.equal(ended.length, l.status === 'in_progress' ? 0 : 1, `${l.id} ${l.status}`);
      }
      await advance(b, 400);
      for (const l of await allLeads(b, w.id)) assert.ok(['completed', 'failed'].includes(l.status));
      await assertJournalMatchesInterpreter(b, w.id);
    } finally {
      await b.stop();
    }
  });
});
