// Push against the real emulator process: create, every kind of edit with its exact number of
// writes (counted by the emulator), rename without any write, idempotence, pull, drift.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validate } from '../../core/validate';
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

describe('push: create, edits, rename, idempotence', () => {
  let emu: Emu;
  let dir: string;
  let text = BASE;
  const outputs: string[] = [];

  before(async () => {
    emu = await startEmu();
    dir = makeProject(emu, { [FILE]: BASE });
  });
  after(async () => {
    // The key never appears in any output of this suite.
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), 'the API key leaked into CLI output');
    await emu.kill();
  });

  /** Writes the file, pushes, checks exit 0, the write count, and that the remote equals the file. */
  async function step(newText: string, expectWrites: number, extra: string[] = []) {
    text = newText;
    writeFileSync(path.join(dir, FILE), text);
    await emu.resetStats();
    const r = await cli(['push', FILE, '--yes', ...extra], { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, `push failed: ${r.stdout}\n${r.stderr}`);
    const s = await emu.stats();
    assert.equal(s.writes, expectWrites, `writes: ${JSON.stringify(s.byRoute)}\n${r.stdout}`);
    await assertRemoteEqualsFile();
    // And a second push of the same file changes nothing, in at most 3 reads.
    await emu.resetStats();
    const again = await cli(['push', FILE, '--yes'], { cwd: dir });
    outputs.push(again.stdout, again.stderr);
    assert.equal(again.code, 0, again.stderr);
    const s2 = await emu.stats();
    assert.equal(s2.writes, 0, `re-push wrote: ${JSON.stringify(s2.byRoute)}`);
    assert.ok(s2.reads <= 3, `re-push read ${s2.reads} times`);
    return r;
  }

  async function assertRemoteEqualsFile() {
    const id = workflowIdOf(dir, FILE)!;
    const g = await remoteGraph(emu, id);
    const want = expectedSummary(text);
    const got = graphSummary(g);
    assert.deepEqual(got.nodes, want.nodes);
    assert.deepEqual(byNode(got.edges), byNode(want.edges));
    assert.equal(g.edges.length, want.edges.length);
  }

  it('creates the workflow: 1 + nodes + edges writes, one read (the workflows that exist before the create: never adopted), and a sorted state file', async () => {
    await emu.resetStats();
    const r = await cli(['push', FILE, '--yes'], { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const s = await emu.stats();
    assert.equal(s.writes, 1 + 6 + 8);
    assert.equal(s.reads, 1);
    await assertRemoteEqualsFile();
    const state = readFileSync(path.join(dir, 'flow.workflow.state.yaml'), 'utf8');
    const nodeLines = state
      .split('\n')
      .filter((l) => /^ {6}[a-z_]+: \{id: node_/.test(l))
      .map((l) => l.trim().split(':')[0]);
    assert.deepEqual(nodeLines, [...nodeLines].sort());
    assert.equal(nodeLines.length, 6);
    assert.match(state, /workflow: wfl_[a-z0-9]{12}/);
    assert.doesNotMatch(state, /pending/);
  });

  it('re-push of an unchanged file: 0 writes, at most 3 reads; plan says no changes', async () => {
    await emu.resetStats();
    const r = await cli(['push', FILE, '--yes'], { cwd: dir });
    assert.equal(r.code, 0);
    const s = await emu.stats();
    assert.equal(s.writes, 0);
    assert.ok(s.reads <= 3);
    const p = await cli(['plan', FILE], { cwd: dir });
    assert.equal(p.code, 0);
    assert.match(p.stdout, /No changes/);
    assert.match(p.stdout, /drift: none/);
  });

  it('title change: one PATCH of the workflow', async () => {
    const r = await step(text.replace('title: Test flow', 'title: Test flow v2'), 1);
    assert.match(r.stdout, /PATCH +\/workflows\/wfl_\w+ +workflow: title/);
  });

  it('config change: one PATCH of the node, config replaced whole', async () => {
    await step(text.replace('config: { delay_hours: 24 }', 'config: { delay_hours: 48 }'), 1);
  });

  it('label change and position change: one PATCH each', async () => {
    await step(text.replace('label: Wait a day', 'label: Wait two days'), 1);
    await step(text.replace('position: { x: 300, y: 0 }', 'position: { x: 320, y: 40 }'), 1);
  });

  it('edge label change: the edge and those after it in its node are re-created', async () => {
    // call: [COMPLETED→check, DNP→wait, →lost] → [COMPLETED→check, FAILED→wait, →lost]: 2 deletes + 2 creates.
    const r = await step(text.replace('- on: DNP\n        to: wait', '- on: FAILED\n        to: wait'), 4);
    assert.match(r.stdout, /delete \(2\)/);
  });

  it('edge target change and order change', async () => {
    // recall: [COMPLETED→check, →lost] → [COMPLETED→won, →lost]: 2 deletes + 2 creates.
    await step(
      text.replace(
        '- on: COMPLETED\n        to: check\n      - to: lost\n  check:',
        '- on: COMPLETED\n        to: won\n      - to: lost\n  check:',
      ),
      4,
    );
    // check: [true→won, false→lost] → [false→lost, true→won]: keep false→lost, re-create true→won.
    const swapped = text.replace(
      '      - on: "true"\n        to: won\n      - on: "false"\n        to: lost\n',
      '      - on: "false"\n        to: lost\n      - on: "true"\n        to: won\n',
    );
    assert.notEqual(swapped, text);
    await step(swapped, 2);
  });

  it('type change: delete + create of the node, and edges into it re-created in order', async () => {
    // won CONVERTED → DROPPED. check: [false→lost, true→won]: true→won goes with the old node → +1 create;
    // recall: [COMPLETED→won, →lost]: its first edge goes with the node → delete →lost, create both.
    const r = await step(
      text.replace('type: CONVERTED\n    label: Won', 'type: DROPPED\n    label: Won'),
      1 + 1 + 1 + 1 + 2,
    );
    assert.match(r.stdout, /type changes from CONVERTED to DROPPED/);
  });

  it('add a node with its edges', async () => {
    const added = text
      .replace(
        '  won:\n',
        `  bonus:
    type: APPLICATION
    label: Send offer
    position: { x: 450, y: 300 }
    config: { provider_key: resend, adapter_key: email, action_key: send_email }
    next:
      - on: success
        to: won
      - on: failure
        to: lost
  won:
`,
      )
      .replace('      - on: "true"\n        to: won\n', '      - on: "true"\n        to: bonus\n');
    // +1 node, +2 edges of bonus, check's true→won becomes true→bonus (it is last: 1 delete + 1 create).
    await step(added, 1 + 2 + 2);
  });

  it('rename a node key (same type, config, label): no API write, only the state changes', async () => {
    const before = readFileSync(path.join(dir, 'flow.workflow.state.yaml'), 'utf8');
    const id = /\n {6}check: \{id: (node_\w+)/.exec(before)![1];
    const renamed = text.replace(/\bcheck\b/g, 'qualify');
    const r = await step(renamed, 0);
    assert.match(r.stdout, /rename node check → qualify/);
    const after = readFileSync(path.join(dir, 'flow.workflow.state.yaml'), 'utf8');
    assert.match(after, new RegExp(`\\n {6}qualify: \\{id: ${id},`));
    assert.doesNotMatch(after, /\n {6}check:/);
  });

  it('remove nodes: their edges go with them, no separate edge delete', async () => {
    // Remove wait and recall and the FAILED edge into wait: 2 node deletes only.
    const removed = text
      .replace(/ {2}wait:\n[\s\S]*?(?=\n {2}qualify:)/, '')
      .replace('      - on: FAILED\n        to: wait\n', '');
    assert.doesNotMatch(removed, /recall|\bwait\b/);
    assert.deepEqual(
      validate(removed).filter((d) => d.severity === 'error'),
      [],
    );
    await step(removed, 2);
  });

  it('pull writes a file that validates clean and a push right after makes no write', async () => {
    const id = workflowIdOf(dir, FILE)!;
    const r = await cli(['pull', id, '-o', 'pulled.workflow.yaml'], { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const pulled = readFileSync(path.join(dir, 'pulled.workflow.yaml'), 'utf8');
    assert.deepEqual(
      validate(pulled).filter((d) => d.severity === 'error'),
      [],
    );
    await emu.resetStats();
    const p = await cli(['push', 'pulled.workflow.yaml', '--yes'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.equal((await emu.stats()).writes, 0);
    const again = await cli(['pull', id, '-o', 'pulled.workflow.yaml'], { cwd: dir });
    assert.equal(again.code, 2, 'an existing file is not overwritten without --force');
  });

  it('drift: a dashboard edit is reported and refused without --force, overwritten with it', async () => {
    const id = workflowIdOf(dir, FILE)!;
    const c = emu.client();
    const nodes = await c.list<{ id: string; label: string }>(`/workflows/${id}/nodes`);
    const won = nodes.find((n) => n.label === 'Won')!;
    await c.patch(`/workflows/${id}/nodes/${won.id}`, { label: 'Won (edited in the dashboard)' });
    const p = await cli(['plan', FILE], { cwd: dir });
    assert.equal(p.code, 0);
    assert.match(p.stdout, /drift \(WF204\): .*node won \(node_\w+\) was edited/);
    // The file also changes, so the push has something to do and must refuse.
    writeFileSync(path.join(dir, FILE), text.replace('title: Test flow v2', 'title: Test flow v3'));
    await emu.resetStats();
    const r = await cli(['push', FILE, '--yes'], { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refusing to push: the remote workflow wfl_\w+ changed since the last push/);
    assert.equal((await emu.stats()).writes, 0);
    text = text.replace('title: Test flow v2', 'title: Test flow v3');
    await step(text, 2, ['--force']);
  });
});
