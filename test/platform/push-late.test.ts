// Creates the platform processes late (issue 9 item 10): the emulator's `late` fault with `hold` drops
// the connection and runs the create only when the test releases it, so each test decides exactly
// when the copy the client gave up on lands: before the client's retry, after it (during the push),
// or after the push. The push's own late copies are removed (in the push, or by the next push without
// drift); activation succeeds; nothing that is not provably the push's is touched. Real HTTP against
// the real emulator; the push runs in-process (the same prepare/apply the CLI calls) so the test can
// inject the wait before looking again, and the CLI as a process checks the result.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildModel } from '../../core/model';
import { parseText } from '../../core/parse';
import { createWorkflow, listNodes, listWorkflows } from '../../platform/api';
import type { LateLookOptions } from '../../platform/apply-late';
import { lateDelaysFromEnv } from '../../platform/apply-late';
import { ApiClient } from '../../platform/client';
import { desiredFromModel } from '../../platform/desired';
import { applyPrepared, preparePush, type Applied } from '../../platform/prepare';
import { readState } from '../../platform/state';
import {
  BASE,
  byNode,
  cli,
  expectedSummary,
  graphSummary,
  makeProject,
  remoteGraph,
  SECRET_KEY,
  startEmu,
  workflowIdOf,
  type Emu,
} from './helpers';

const FILE = 'flow.workflow.yaml';
let serial = 0;
const unique = (text: string) =>
  text.replace(/^title: (.*)$/m, (_m, t) => `title: ${t} ${process.pid}-late${++serial}`);
const titleOf = (text: string) => /^title: (.*)$/m.exec(text)![1];

describe('creates the platform processes late', () => {
  let emu: Emu;
  const outputs: string[] = [];
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), 'the API key leaked');
    await emu.kill();
  });
  const run = async (args: string[], dir: string, env?: Record<string, string>) => {
    const r = await cli(args, { cwd: dir, env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  /** The wait before looking again: the held create lands now (the emulator's counters say when). */
  const landThenLook: LateLookOptions = {
    delaysMs: [1000, 3000],
    wait: async () => {
      await emu.releaseLate();
    },
  };

  /** preparePush + applyPrepared, as `callflow push --yes` does, with an injectable client and wait. */
  async function pushInProcess(dir: string, text: string, o: { client?: ApiClient; late?: LateLookOptions } = {}) {
    const model = buildModel(parseText(text).doc!, text);
    const desired = desiredFromModel(model);
    const client = o.client ?? emu.client();
    const file = path.join(dir, FILE);
    const prepared = await preparePush(client, file, 'emu', desired);
    assert.equal(prepared.drift, undefined);
    const applied: Applied = await applyPrepared(client, 'emu', file, desired, prepared, undefined, o.late);
    return { applied, client };
  }

  /** The remote equals the file, no copy anywhere; the next push sees no drift and writes nothing; activate works. */
  async function assertClean(dir: string, text: string) {
    const id = workflowIdOf(dir, FILE)!;
    const g = await remoteGraph(emu, id);
    const want = expectedSummary(text);
    const got = graphSummary(g);
    assert.deepEqual(got.nodes, want.nodes, 'remote nodes equal the file (no late copy)');
    assert.deepEqual(byNode(got.edges), byNode(want.edges));
    const others = (await listWorkflows(emu.client())).filter((w) => w.title === titleOf(text) && w.id !== id);
    assert.deepEqual(others, [], 'no late copy of the workflow');
    await emu.resetStats();
    const again = await run(['push', FILE, '--yes'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout + again.stderr, /drift \(WF204\)|refusing/);
    assert.equal((await emu.stats()).writes, 0, 'the next push has nothing to do');
    const act = await run(['activate', FILE, '--yes'], dir);
    assert.equal(act.code, 0, `${act.stdout}\n${act.stderr}`);
    assert.match(act.stdout, /status active/);
  }

  for (const nth of [1, 3, 6]) {
    it(`node create #${nth} lands after the retry: the push removes its late copy`, async () => {
      const text = unique(BASE);
      const dir = makeProject(emu, { [FILE]: text });
      await emu.faults([{ method: 'POST', path: '/nodes$', nth, late: true, hold: true }]);
      const { applied } = await pushInProcess(dir, text, { late: landThenLook });
      await emu.clearFaults();
      const late = applied.applied!.late!;
      assert.equal(late.doubts, 1);
      assert.equal(late.looks, 1, 'stops looking once every doubt is settled');
      assert.equal(late.removed.nodes.length, 1);
      assert.deepEqual(late.unresolved, []);
      assert.equal((await emu.late()).processed >= 1, true);
      const state = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!;
      assert.equal(state.pending.length, 0);
      await assertClean(dir, text);
    });
  }

  it('a node create that lands between the client’s look and its retry: the retry’s twin is removed', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    await emu.faults([{ method: 'POST', path: '/nodes$', nth: 2, late: true, hold: true }]);
    let released = 0;
    const client = new ApiClient({
      baseUrl: emu.url,
      key: SECRET_KEY,
      target: 'emu',
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
    });
    // The client's look after the lost answer is a GET of the nodes: it finds nothing, then the held
    // create lands, then the client retries (its internal loop), making a twin.
    const orig = client.request.bind(client);
    client.request = (async (method: string, p: string, ro?: Parameters<ApiClient['request']>[2]) => {
      const result = await orig(method, p, ro);
      if (method === 'GET' && /\/nodes$/.test(p) && (await emu.late()).held === 1) released += await emu.releaseLate();
      return result;
    }) as ApiClient['request'];
    const { applied } = await pushInProcess(dir, text, { client, late: { delaysMs: [0], wait: async () => {} } });
    await emu.clearFaults();
    assert.equal(released, 1);
    assert.deepEqual(applied.applied!.late!.removed.nodes.length, 1);
    await assertClean(dir, text);
  });

  it('the workflow create lands after the retry: the empty late draft is deleted, nodes are in the other', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    await emu.faults([{ method: 'POST', path: '/v1/workflows$', late: true, hold: true }]);
    const { applied } = await pushInProcess(dir, text, { late: landThenLook });
    await emu.clearFaults();
    const late = applied.applied!.late!;
    assert.equal(late.removed.workflows.length, 1);
    assert.notEqual(late.removed.workflows[0], applied.workflowId);
    await assertClean(dir, text);
  });

  for (const nth of [1, 4, 8]) {
    it(`edge create #${nth} lands after the retry: refused as a duplicate (409), nothing to remove`, async () => {
      const text = unique(BASE);
      const dir = makeProject(emu, { [FILE]: text });
      await emu.faults([{ method: 'POST', path: '/edges$', nth, late: true, hold: true }]);
      const before = await emu.late();
      const { applied } = await pushInProcess(dir, text, { late: landThenLook });
      // No doubt was counted for the edge: land it now, after the push.
      assert.equal(applied.applied!.late, undefined);
      assert.equal(await emu.releaseLate(), 1);
      await emu.clearFaults();
      assert.equal((await emu.late()).processed, before.processed + 1);
      await assertClean(dir, text);
    });
  }

  it('a node create that lands after the push: kept pending, so the next push removes it without drift', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    await emu.faults([{ method: 'POST', path: '/nodes$', nth: 4, late: true, hold: true }]);
    const first = await run(['push', FILE, '--yes'], dir); // CALLFLOW_LATE_LOOK_MS=0: one look, at once
    assert.equal(first.code, 0, first.stderr);
    const state = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!;
    assert.deepEqual(
      state.pending.map((p) => p.op),
      ['create-node'],
      'the doubt is recorded',
    );
    assert.equal(await emu.releaseLate(), 1);
    await emu.clearFaults();
    const id = workflowIdOf(dir, FILE)!;
    assert.equal((await listNodes(emu.client(), id)).length, 7, 'the late copy landed');
    const plan = await run(['plan', FILE], dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /drift: none/);
    assert.match(plan.stdout, /delete \(1\)\n.*node "[^"]+" \(\w+\)/);
    const second = await run(['push', FILE, '--yes'], dir);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stdout + second.stderr, /drift \(WF204\)|refusing/);
    await assertClean(dir, text);
  });

  it('a workflow create that lands after the push: the next push deletes the empty late draft, no drift', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    await emu.faults([{ method: 'POST', path: '/v1/workflows$', late: true, hold: true }]);
    const first = await run(['push', FILE, '--yes'], dir);
    assert.equal(first.code, 0, first.stderr);
    const state = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!;
    assert.deepEqual(
      state.pending.map((p) => p.op),
      ['create-workflow'],
    );
    assert.equal(await emu.releaseLate(), 1);
    await emu.clearFaults();
    const id = workflowIdOf(dir, FILE)!;
    const drafts = (await listWorkflows(emu.client())).filter((w) => w.title === titleOf(text) && w.id !== id);
    assert.equal(drafts.length, 1, 'the late draft landed');
    const plan = await run(['plan', FILE], dir);
    assert.match(plan.stdout, new RegExp(`deleting empty draft ${drafts[0].id}: a late copy`));
    assert.match(plan.stdout, /No changes|drift: none/);
    const second = await run(['push', FILE, '--yes'], dir);
    assert.equal(second.code, 0, second.stderr);
    await assertClean(dir, text);
  });

  it('only provable copies go: a node someone else adds, or a draft that is no longer empty, stays', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    const title = titleOf(text);
    await emu.faults([
      { method: 'POST', path: '/v1/workflows$', late: true, hold: true },
      { method: 'POST', path: '/nodes$', nth: 2, late: true, hold: true },
    ]);
    const other = emu.client();
    let theirs: string | undefined;
    const { applied } = await pushInProcess(dir, text, {
      late: {
        delaysMs: [0, 0],
        wait: async (_ms, look) => {
          await emu.releaseLate();
          if (look !== 1) return;
          // Before the first look: someone fills the late draft and adds a node to the pushed workflow.
          const all = await listWorkflows(other);
          // The state's journal already names the push's workflow.
          const mine = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!.workflowId;
          const late = all.find((w) => w.title === title && w.id !== mine);
          assert.ok(late, 'the late draft landed');
          await other.post(`/workflows/${late!.id}/nodes`, {
            node_type: 'DROPPED',
            label: 'theirs',
            position_x: 0,
            position_y: 0,
            config: {},
          });
          const n = await other.post<{ id: string }>(`/workflows/${mine}/nodes`, {
            node_type: 'DROPPED',
            label: 'Lost',
            position_x: 600,
            position_y: 401,
            config: {},
          });
          theirs = n.id;
        },
      },
    });
    await emu.clearFaults();
    const late = applied.applied!.late!;
    assert.deepEqual(late.removed.workflows, [], 'a draft with a node is not this push’s to delete');
    assert.equal(late.removed.nodes.length, 1, 'the late copy of the node is removed');
    assert.ok(!late.removed.nodes.includes(theirs!), 'a node that differs from every create stays');
    assert.deepEqual(
      late.unresolved.map((p) => p.op),
      ['create-workflow'],
    );
    const ids = (await listNodes(emu.client(), applied.workflowId!)).map((n) => n.id);
    assert.ok(ids.includes(theirs!));
    const drafts = (await listWorkflows(emu.client())).filter((w) => w.title === title);
    assert.equal(drafts.length, 2, 'the filled draft is kept');
  });

  it('the default looks again after 1 s and 3 s; CALLFLOW_LATE_LOOK_MS overrides, bad values fall back', () => {
    assert.deepEqual(lateDelaysFromEnv({}), [1000, 3000]);
    assert.deepEqual(lateDelaysFromEnv({ CALLFLOW_LATE_LOOK_MS: '0' }), [0]);
    assert.deepEqual(lateDelaysFromEnv({ CALLFLOW_LATE_LOOK_MS: '250, 500' }), [250, 500]);
    assert.deepEqual(lateDelaysFromEnv({ CALLFLOW_LATE_LOOK_MS: '-1' }), [1000, 3000]);
    assert.deepEqual(lateDelaysFromEnv({ CALLFLOW_LATE_LOOK_MS: 'soon' }), [1000, 3000]);
  });
});

describe('orphan adoption (issue 9 item 9) with the late fault', () => {
  it('a late workflow create that lands before the retry is adopted, being an empty draft of this push', async () => {
    const emu = await startEmu();
    try {
      const text = unique(BASE);
      const dir = makeProject(emu, { [FILE]: text });
      // An older empty draft with the same title: never adopted (created before the push).
      const older = await createWorkflow(emu.client(), {
        title: titleOf(text),
        description: 'For the platform tests.',
      });
      await emu.faults([{ method: 'POST', path: '/v1/workflows$', late: true, hold: true }]);
      const client = new ApiClient({
        baseUrl: emu.url,
        key: SECRET_KEY,
        target: 'emu',
        retry: { baseDelayMs: 0, maxDelayMs: 0 },
      });
      // Land the held create before the client looks (its first list after the drop).
      const orig = client.request.bind(client);
      let landed = false;
      client.request = (async (method: string, p: string, ro?: Parameters<ApiClient['request']>[2]) => {
        if (method === 'GET' && p === '/workflows' && !landed && (await emu.late()).held === 1) {
          landed = true;
          await emu.releaseLate();
        }
        return orig(method, p, ro);
      }) as ApiClient['request'];
      const model = buildModel(parseText(text).doc!, text);
      const desired = desiredFromModel(model);
      const file = path.join(dir, FILE);
      const prepared = await preparePush(client, file, 'emu', desired);
      const applied = await applyPrepared(client, 'emu', file, desired, prepared, undefined, {
        delaysMs: [0],
        wait: async () => {},
      });
      await emu.clearFaults();
      assert.ok(landed);
      assert.equal(client.stats.recovered, 1, 'the lost create was found by looking');
      assert.equal(applied.applied!.late, undefined, 'no doubt: nothing to look for again');
      assert.notEqual(applied.workflowId, older.id);
      const drafts = (await listWorkflows(emu.client())).filter((w) => w.title === titleOf(text));
      assert.deepEqual(drafts.map((w) => w.id).sort(), [older.id, applied.workflowId].sort());
    } finally {
      await emu.kill();
    }
  });
});
