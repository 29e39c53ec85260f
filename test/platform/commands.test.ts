// activate, the lifecycle verbs, status, targets and credentials, and the key kept out of every
// output and file, all through the built CLI against the emulator process.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allFiles, BASE, cli, KEY_ENV, makeProject, SECRET_KEY, startEmu, workflowIdOf, type Emu } from './helpers';

const FILE = 'flow.workflow.yaml';

describe('platform commands', () => {
  let emu: Emu;
  const outputs: string[] = [];
  const dirs: string[] = [];
  const run = async (args: string[], cwd: string, env?: Record<string, string | undefined>) => {
    const r = await cli(args, { cwd, env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    await emu.kill();
    // The key is in no output and in no file of any project (state files included).
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), `the API key leaked into output: ${o.slice(0, 200)}`);
    for (const d of dirs)
      for (const f of allFiles(d))
        assert.ok(!readFileSync(f).includes(SECRET_KEY), `the API key was written into ${f}`);
  });
  const project = (text = BASE) => {
    const d = makeProject(emu, { [FILE]: text });
    dirs.push(d);
    return d;
  };

  it('activate: a validation error stops it before any API call (exit 1, diagnostics at file:line:col)', async () => {
    const dir = project(BASE.replace('        to: check\n      - on: DNP', '        to: chekc\n      - on: DNP'));
    await emu.resetStats();
    const r = await run(['activate', FILE, '--yes'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /flow\.workflow\.yaml:\d+:\d+: error WF110 .*chekc/);
    const s = await emu.stats();
    assert.equal(s.reads + s.writes, 0);
  });

  it('activate: a 400 from pre-activation checks is mapped to the node key line, naming the node by its key', async () => {
    const dir = project(BASE.replace('agent_id: agt_support01', 'agent_id: agt_draft01'));
    const r = await run(['activate', FILE, '--yes'], dir);
    assert.equal(r.code, 1, r.stderr);
    const line = BASE.split('\n').findIndex((l) => l === '  call:') + 1;
    assert.match(
      r.stdout,
      new RegExp(`^flow\\.workflow\\.yaml:${line}:3: call \\(line ${line}\\): .*agt_draft01`, 'm'),
    );
    assert.doesNotMatch(r.stdout, /node_\w+/, 'no internal node id');
    assert.match(r.stderr, /activation refused by the platform's pre-activation checks/);
  });

  it('activate succeeds; pause, activate again (paused → use resume), resume, status, cancel', async () => {
    const dir = project();
    const a = await run(['activate', FILE, '--yes'], dir);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /Activated workflow wfl_\w+ on target emu: status active/);
    // Pushing to an active workflow is refused without --allow-active.
    writeFileSync(path.join(dir, FILE), BASE.replace('title: Test flow', 'title: Test flow (edited)'));
    const p = await run(['push', FILE, '--yes'], dir);
    assert.equal(p.code, 1);
    assert.match(p.stderr, /is active .*pause it first/i);
    // activate has no --allow-active: it says the workflow is already active and how to change it.
    const act = await run(['activate', FILE, '--yes'], dir);
    assert.equal(act.code, 1);
    assert.match(act.stderr, /already active.*pause it first/i);
    assert.doesNotMatch(act.stderr, /--allow-active/);
    assert.equal((await run(['pause', FILE], dir)).code, 0);
    const again = await run(['activate', FILE, '--yes'], dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the workflow is paused: use `callflow resume`/);
    const resume = await run(['resume', FILE], dir);
    assert.equal(resume.code, 0, resume.stderr);
    assert.match(resume.stdout, /status active/);
    const resumeTwice = await run(['resume', FILE], dir);
    assert.equal(resumeTwice.code, 1);
    const st = await run(['status', FILE], dir);
    assert.equal(st.code, 0);
    assert.match(st.stdout, /^title: +Test flow \(edited\)$/m, 'the edit was pushed while paused');
    assert.match(st.stdout, new RegExp(`^id: +${workflowIdOf(dir, FILE)}$`, 'm'));
    assert.match(st.stdout, /^status: +active$/m);
    assert.match(st.stdout, /^nodes: +6$/m);
    assert.match(st.stdout, /^edges: +8$/m);
    assert.match(st.stdout, /^enrolled leads: +0$/m);
    const noYes = await run(['cancel', FILE], dir);
    assert.equal(noYes.code, 2, 'cancel without a terminal and without --yes does not wait');
    assert.match(noYes.stderr, /pass --yes/);
    const cancel = await run(['cancel', FILE, '--yes'], dir);
    assert.equal(cancel.code, 0);
    assert.match(cancel.stdout, /status cancelled/);
  });

  it('push without a terminal and without --yes exits 2 when there is something to do', async () => {
    const dir = project();
    const r = await run(['push', FILE], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /confirmation needed .*pass --yes/);
    assert.ok(!existsSync(path.join(dir, 'flow.workflow.state.yaml')), 'nothing was pushed');
  });

  it('status before any push: exit 1 with advice', async () => {
    const r = await run(['status', FILE], project());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has not been pushed to target emu/);
  });

  it('credentials: a missing variable names it (exit 2); a rejected key says so without showing it', async () => {
    const dir = project();
    const missing = await run(['plan', FILE], dir, { [KEY_ENV]: undefined });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, new RegExp(`environment variable ${KEY_ENV} is not set`));
    const wrong = `${SECRET_KEY}_wrong`;
    const rejected = await run(['push', FILE, '--yes'], dir, { [KEY_ENV]: wrong });
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /the API key for target emu was rejected/);
    assert.ok(!rejected.stderr.includes(wrong) && !rejected.stdout.includes(wrong));
    const unknown = await run(['plan', FILE, '--target', 'nope'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown target nope .*defines: local, emu/);
  });

  it('debug output shows each request with Bearer *** and never the key', async () => {
    const r = await run(['push', FILE, '--yes'], project(), { CALLFLOW_DEBUG: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /debug: POST http:\/\/127\.0\.0\.1:\d+\/v1\/workflows \(Authorization: Bearer \*\*\*\)/);
  });

  it('an unreachable API is exit 2 with a clear message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cf-proj-'));
    dirs.push(dir);
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    writeFileSync(
      path.join(dir, 'callflow.config.yaml'),
      `targets:\n  gone:\n    url: http://127.0.0.1:${port}/v1\n    key_env: ${KEY_ENV}\ndefault_target: gone\n`,
    );
    writeFileSync(path.join(dir, FILE), BASE);
    // A plan of a never-pushed file needs no call; a push does.
    const r = await run(['push', FILE, '--yes'], dir);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /push stopped: GET \/workflows: no answer from http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED, after 6 attempts\)/,
    );
  });

  it("positions the file leaves out are the dashboard's: moving such a node is not drift; a recorded workflow deleted remotely is re-created", async () => {
    const text = BASE.replace(/ {4}position: \{[^}]*\}\n/g, '');
    assert.doesNotMatch(text, /position/);
    const dir = project(text);
    assert.equal((await run(['push', FILE, '--yes'], dir)).code, 0);
    assert.match(
      readFileSync(path.join(dir, 'flow.workflow.state.yaml'), 'utf8'),
      /call: \{id: node_\w+, hash: "\w+", position: auto\}/,
    );
    const id = workflowIdOf(dir, FILE)!;
    const c = emu.client();
    const nodes = await c.list<{ id: string; label: string }>(`/workflows/${id}/nodes`);
    await c.patch(`/workflows/${id}/nodes/${nodes[0].id}`, { position_x: 999, position_y: 999 });
    writeFileSync(path.join(dir, FILE), text.replace('title: Test flow', 'title: Test flow 2'));
    const moved = await run(['push', FILE, '--yes'], dir);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /drift: none/);
    assert.equal(
      (
        await c
          .get<{ position_x: number }>(`/workflows/${id}/nodes/${nodes[0].id}`)
          .catch(
            async () =>
              (await c.list<{ id: string; position_x: number }>(`/workflows/${id}/nodes`)).find(
                (n) => n.id === nodes[0].id,
              )!,
          )
      ).position_x,
      999,
      'the dashboard position is kept',
    );
    // A label edit is drift.
    await c.patch(`/workflows/${id}/nodes/${nodes[0].id}`, { label: 'Renamed in the dashboard' });
    writeFileSync(path.join(dir, FILE), text.replace('title: Test flow', 'title: Test flow 3'));
    const drift = await run(['push', FILE, '--yes'], dir);
    assert.equal(drift.code, 1);
    assert.match(drift.stdout, /drift \(WF204\): .*node call \(node_\w+\) was edited/);
    // The workflow deleted on the platform: the next push says so and creates a new one.
    await c.post(`/workflows/${id}/cancel`);
    await c.delete(`/workflows/${id}`);
    const again = await run(['push', FILE, '--yes'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`note: the workflow ${id} recorded in the state no longer exists`));
    assert.notEqual(workflowIdOf(dir, FILE), id);
  });

  it('the implicit local target runs the embedded emulator with its database under .callflow/', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cf-local-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, FILE), BASE);
    const r = await run(['push', FILE, '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /on target local/);
    assert.ok(existsSync(path.join(dir, '.callflow', 'emulator.sqlite')));
    const again = await run(['push', FILE, '--yes'], dir);
    assert.match(again.stdout, /already matches .*\(API: 3 reads, 0 writes\)/);
    const st = await run(['status', FILE], dir);
    assert.match(st.stdout, /^status: +draft$/m);
  });
});
