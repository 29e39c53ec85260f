// A push interrupted in every way we can make happen (the CLI killed after k writes, responses
// lost after the server acted, injected 500/503/429/resets at each request position, the
// emulator killed and restarted) ends, after at most one more push, with the remote equal to the
// file and no duplicated node or edge.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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
/** Every project gets its own title, so "no other workflow with this title" means no orphan. */
const unique = (text: string) => text.replace(/^title: (.*)$/m, (_m, t) => `title: ${t} ${process.pid}-${++serial}`);

/** A chain of TIME nodes ending in CONVERTED: n nodes, n - 1 edges. */
function chain(n: number): string {
  const lines = ['version: 1', 'title: Chain', 'nodes:'];
  for (let i = 0; i < n - 1; i++)
    lines.push(
      `  step_${i}:`,
      '    type: TIME',
      `    label: Step ${i}`,
      `    config: { delay_hours: ${i + 1} }`,
      '    next:',
      `      - to: ${i + 1 < n - 1 ? `step_${i + 1}` : 'done'}`,
    );
  lines.push('  done:', '    type: CONVERTED', '    label: Done');
  return lines.join('\n') + '\n';
}

async function assertConverged(emu: Emu, dir: string, text: string) {
  const id = workflowIdOf(dir, FILE);
  assert.ok(id, 'the state records the workflow');
  const g = await remoteGraph(emu, id!);
  const want = expectedSummary(text);
  const got = graphSummary(g);
  assert.deepEqual(got.nodes, want.nodes, 'remote nodes equal the file (no duplicate)');
  assert.deepEqual(byNode(got.edges), byNode(want.edges), 'remote edges equal the file, in order');
  assert.equal(g.edges.length, want.edges.length);
  // A lost answer looking never found stays pending as a create (it may still land late).
  const first = readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!;
  assert.deepEqual(
    first.pending.filter((p) => p.op !== 'create-node' && p.op !== 'create-workflow'),
    [],
  );
  assert.equal(first.nodes.size, want.nodes.length);
  // And nothing is left to do.
  await emu.resetStats();
  const r = await cli(['push', FILE, '--yes'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await emu.stats()).writes, 0);
  assert.equal(readState(path.join(dir, 'flow.workflow.state.yaml')).targets.get('emu')!.pending.length, 0);
  // No other workflow was created on the side (a duplicated POST /workflows).
  const all = await emu.client().list<{ id: string; title: string }>('/workflows', { limit: 100 });
  const title = /title: (.*)/.exec(text)![1];
  assert.equal(all.filter((w) => w.title === title && w.id !== id).length, 0, 'no orphan workflow with the same title');
}

describe('push resilience', () => {
  let emu: Emu;
  const outputs: string[] = [];
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), 'the API key leaked into CLI output');
    await emu.kill();
  });

  for (const k of [1, 2, 9, 31, 58]) {
    it(`the CLI killed (SIGKILL) after ${k} writes: the next push finishes without duplicates`, async () => {
      const text = unique(chain(30)); // 1 + 30 + 29 = 60 writes
      const dir = makeProject(emu, { [FILE]: text });
      await emu.resetStats();
      await emu.faults([{ method: 'POST', latencyMs: 25, times: 1_000_000 }]);
      let killed = false;
      const first = await cli(['push', FILE, '--yes'], {
        cwd: dir,
        onSpawn: (p) => {
          const poll = setInterval(async () => {
            const s = await emu.stats().catch(() => undefined);
            if (s && s.writes >= k && !killed) {
              killed = true;
              p.kill('SIGKILL');
              clearInterval(poll);
            }
          }, 2);
          p.on('close', () => clearInterval(poll));
        },
      });
      await emu.clearFaults();
      outputs.push(first.stdout, first.stderr);
      assert.ok(killed && first.signal === 'SIGKILL', `the push was killed (${first.code} ${first.signal})`);
      const second = await cli(['push', FILE, '--yes'], { cwd: dir });
      outputs.push(second.stdout, second.stderr);
      assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
      assert.doesNotMatch(second.stdout + second.stderr, /drift \(WF204\)/, 'an interrupted push is not drift');
      await assertConverged(emu, dir, text);
    });
  }

  for (const pathRe of ['/v1/workflows$', '/nodes$', '/edges$']) {
    for (const nth of [1, 3]) {
      if (pathRe === '/v1/workflows$' && nth > 1) continue;
      it(`a lost response (POST ${pathRe} #${nth} done, connection reset) is recovered in the same push`, async () => {
        const text = unique(BASE);
        const dir = makeProject(emu, { [FILE]: text });
        await emu.faults([{ method: 'POST', path: pathRe, nth, after: true }]);
        const r = await cli(['push', FILE, '--yes'], { cwd: dir });
        await emu.clearFaults();
        outputs.push(r.stdout, r.stderr);
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        await assertConverged(emu, dir, text);
      });
    }
  }

  // Faults at each request position of a fresh push (15 writes).
  const kinds: { name: string; rule: Record<string, unknown>; positions: number[] }[] = [
    // 1: the list of workflows that exist before the create (never adopted), 2: the workflow create,
    // 3–8: node creates, 9–16: edge creates.
    { name: '500', rule: { status: 500 }, positions: [1, 2, 3, 5, 8, 9, 11, 14, 16] },
    { name: 'connection reset', rule: { reset: true }, positions: Array.from({ length: 16 }, (_, i) => i + 1) },
    { name: '503', rule: { status: 503, times: 2 }, positions: [1, 2, 3, 6, 9, 12, 16] },
    { name: '429 with Retry-After', rule: { status: 429, retryAfter: 1 }, positions: [1, 2, 10, 16] },
  ];
  for (const kind of kinds) {
    it(`${kind.name} at each request position: the push converges, or stops with exit 2 and a consistent state`, async () => {
      for (const nth of kind.positions) {
        const text = unique(BASE);
        const dir = makeProject(emu, { [FILE]: text });
        await emu.faults([{ ...kind.rule, nth }]);
        const r = await cli(['push', FILE, '--yes'], { cwd: dir });
        await emu.clearFaults();
        outputs.push(r.stdout, r.stderr);
        if (kind.name === '500') {
          assert.equal(r.code, 2, `position ${nth}: ${r.stderr}`);
          assert.match(r.stderr, /push stopped: (POST|GET) \/workflows\S* failed with 500: Injected fault/);
          assert.match(r.stderr, /run `callflow push flow.workflow.yaml` again to finish/);
          readState(path.join(dir, 'flow.workflow.state.yaml')); // parses
          const again = await cli(['push', FILE, '--yes'], { cwd: dir });
          outputs.push(again.stdout, again.stderr);
          assert.equal(again.code, 0, `position ${nth}, second push: ${again.stdout}\n${again.stderr}`);
        } else {
          assert.equal(r.code, 0, `position ${nth}: ${r.stdout}\n${r.stderr}`);
        }
        await assertConverged(emu, dir, text);
      }
    });
  }

  it('the emulator killed (SIGKILL) mid-push and restarted: a re-push converges', async () => {
    const text = unique(chain(30));
    const dir = makeProject(emu, { [FILE]: text });
    await emu.resetStats();
    await emu.faults([{ method: 'POST', latencyMs: 25, times: 1_000_000 }]);
    const run = cli(['push', FILE, '--yes'], { cwd: dir });
    for (;;) {
      const s = await emu.stats();
      if (s.writes >= 20) break;
      await new Promise((r) => setTimeout(r, 3));
    }
    await emu.kill('SIGKILL');
    const first = await run;
    outputs.push(first.stdout, first.stderr);
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stderr, /no answer from http:\/\/127\.0\.0\.1:\d+\/v1/);
    await emu.restart();
    const second = await cli(['push', FILE, '--yes'], { cwd: dir });
    outputs.push(second.stdout, second.stderr);
    assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
    await assertConverged(emu, dir, text);
  });
});
