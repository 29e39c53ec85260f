// Push and state integrity (issue 9 items 9, 11-13, 15, 17; issue 10 item 6), over real HTTP
// against the real emulator and the CLI as a process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWorkflow, listNodes, uploadLeads } from '../../platform/api';
import { readLeadsFile } from '../../platform/leads';
import { readState } from '../../platform/state';
import { analyze } from '../../core/validate';
import { BASE, CLI, cli, makeProject, SECRET_KEY, startEmu, workflowIdOf, type Emu } from './helpers';

const FILE = 'flow.workflow.yaml';
let serial = 0;
const unique = (text: string) => text.replace(/^title: (.*)$/m, (_m, t) => `title: ${t} ${process.pid}-i${++serial}`);

describe('push and state integrity', () => {
  let emu: Emu;
  const outputs: string[] = [];
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), 'the API key leaked');
    await emu.kill();
  });
  const run = async (args: string[], dir: string) => {
    const r = await cli(args, { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  it('a lost POST /workflows never adopts an older draft with the same title and description', async () => {
    const text = unique(BASE);
    const dir = makeProject(emu, { [FILE]: text });
    const title = /^title: (.*)$/m.exec(text)![1];
    // Checkout A's workflow: same title and description, created before this push, with a node.
    const c = emu.client();
    const other = await createWorkflow(c, { title, description: 'For the platform tests.' });
    await c.post(`/workflows/${other.id}/nodes`, {
      node_type: 'DROPPED',
      label: 'A',
      position_x: 0,
      position_y: 0,
      config: {},
    });
    const emptyOther = await createWorkflow(c, { title, description: 'For the platform tests.' });
    await emu.faults([{ method: 'POST', path: '/v1/workflows$', nth: 1, after: true }]);
    const r = await run(['push', FILE, '--yes'], dir);
    await emu.clearFaults();
    assert.equal(r.code, 0, r.stderr);
    const id = workflowIdOf(dir, FILE)!;
    assert.notEqual(id, other.id, "another checkout's workflow was adopted");
    assert.notEqual(id, emptyOther.id, 'a draft older than the push was adopted');
    assert.equal((await listNodes(c, other.id)).length, 1, "the other workflow's nodes are untouched");
  });

  it('a state naming another workflow without a fingerprint is drift: the plan says so, push needs --force', async () => {
    const c = emu.client();
    const victim = await createWorkflow(c, { title: 'Victim', description: '' });
    await c.post(`/workflows/${victim.id}/nodes`, {
      node_type: 'DROPPED',
      label: 'V',
      position_x: 0,
      position_y: 0,
      config: {},
    });
    const dir = makeProject(emu, { [FILE]: unique(BASE) });
    writeFileSync(
      path.join(dir, 'flow.workflow.state.yaml'),
      `version: 1\ntargets:\n  emu:\n    workflow: ${victim.id}\n`,
    );
    const plan = await run(['plan', FILE], dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /drift \(WF204\): the state names workflow \S+ without a fingerprint/);
    const push = await run(['push', FILE, '--yes'], dir);
    assert.equal(push.code, 1);
    assert.match(push.stderr, /refusing to push/);
    assert.equal((await listNodes(c, victim.id)).length, 1, 'the victim is untouched');
  });

  it('__proto__ and constructor keys in a config are pushed like any other key', async () => {
    const text = unique(`version: 1
title: Proto
nodes:
  app:
    type: APPLICATION
    position: { x: 0, y: 0 }
    config:
      provider_key: p
      adapter_key: a
      action_key: k
      action_config: { __proto__: { polluted: 1 }, constructor: x }
    next:
      - { on: success, to: done }
      - { on: failure, to: done }
  done: { type: CONVERTED, position: { x: 0, y: 200 } }
`);
    const dir = makeProject(emu, { [FILE]: text });
    const r = await run(['push', FILE, '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    const nodes = await listNodes(emu.client(), workflowIdOf(dir, FILE)!);
    const app = nodes.find((n) => n.node_type === 'APPLICATION')!;
    const ac = (app.config as Record<string, unknown>).action_config as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(ac, '__proto__'), JSON.stringify(app.config));
    assert.deepEqual(ac.__proto__, { polluted: 1 });
    assert.equal(ac.constructor, 'x');
    const again = await run(['plan', FILE], dir);
    assert.match(again.stdout, /No changes/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a push writes the state file twice and journals each call; the journal is gone after', async () => {
    const dir = makeProject(emu, { [FILE]: unique(BASE) });
    const r = await run(['push', FILE, '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(path.join(dir, 'flow.workflow.state.yaml.journal')));
    const t = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!;
    assert.equal(t.pending.length, 0);
    assert.ok(t.fingerprint);
  });

  it('pull writes a file that validates when lead columns are not variable names, and says what it left out', async () => {
    const dir = makeProject(emu, { [FILE]: unique(BASE) });
    assert.equal((await run(['push', FILE, '--yes'], dir)).code, 0);
    const id = workflowIdOf(dir, FILE)!;
    const csv = path.join(dir, 'dashboard.csv');
    writeFileSync(csv, 'phone_number,first name,e-mail,9lives,Ünï,city\n+14155550111,A,a@x,1,u,Pune\n');
    await uploadLeads(emu.client(), id, readLeadsFile(csv));
    const r = await run(['pull', id, '-o', 'pulled.workflow.yaml'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /left out: 4 lead columns that are not variable names \("first name", "e-mail", "9lives", "Ünï"\)/,
    );
    const text = readFileSync(path.join(dir, 'pulled.workflow.yaml'), 'utf8');
    assert.deepEqual(
      analyze(text).diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.match(text, /variables: \[city\]/);
  });

  it('pull keeps the node keys the state file records instead of re-deriving them from labels', async () => {
    const dir = makeProject(emu, { [FILE]: unique(BASE) });
    assert.equal((await run(['push', FILE, '--yes'], dir)).code, 0);
    const id = workflowIdOf(dir, FILE)!;
    const r = await run(['pull', id, '-o', FILE, '--force'], dir);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(dir, FILE), 'utf8');
    for (const key of ['call', 'wait', 'recall']) assert.match(text, new RegExp(`^  ${key}:`, 'm'));
    assert.doesNotMatch(text, /^ {2}first_call:/m);
    const again = await run(['plan', FILE], dir);
    assert.match(again.stdout, /No changes/);
  });

  it('validate | head: no EPIPE stack trace', () => {
    const dir = makeProject(emu, {});
    for (let i = 0; i < 60; i++)
      writeFileSync(
        path.join(dir, `f${i}.workflow.yaml`),
        'version: 1\ntitle: x\nnodes:\n  a: { type: TIME }\n  b: { type: TIME }\n',
      );
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" validate . | head -1`], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    assert.doesNotMatch(r.stderr, /EPIPE|internal error|at /);
  });
});

describe('the local target keeps its ids out of the committed state file', () => {
  it('push on local: state under .callflow/state, git-ignored; the committed file has no local ids', async () => {
    const dir = makeProject({ url: 'http://127.0.0.1:9/v1' } as Emu, {
      [FILE]: unique(BASE).replace(/agt_support01/g, 'agt_support01'),
    });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'callflow.config.yaml'), 'targets: {}\n');
    const r = await cli(['push', FILE, '--yes', '--target', 'local'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const committed = path.join(dir, 'flow.workflow.state.yaml');
    assert.doesNotMatch(existsSync(committed) ? readFileSync(committed, 'utf8') : '', /local/);
    const local = path.join(dir, '.callflow/state/flow.workflow.state.yaml');
    assert.match(readFileSync(local, 'utf8'), /local:\n {4}workflow: wfl_/);
    assert.match(readFileSync(path.join(dir, '.callflow/.gitignore'), 'utf8'), /^\*$/m);
    assert.ok(readState(committed).targets.get('local')?.workflowId, 'readState merges the local state back');
    const again = await cli(['plan', FILE, '--target', 'local'], { cwd: dir });
    assert.match(again.stdout, /No changes/);
  });
});
