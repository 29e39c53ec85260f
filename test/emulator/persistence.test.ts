// The SQLite file across restarts and across a SIGKILL in the middle of a burst of writes; the CLI
// entry (`callflow api serve`) and clean shutdown.
import assert from 'node:assert/strict';
import { openDatabase } from '../../emulator/db';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bundle, buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH } from './harness';

/** Opened as an emulator restart opens it: a lock the killed process held is cleared, its hot journal rolled back. */
function consistency(file: string) {
  const db = openDatabase(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const fk = db.pragma('foreign_key_check') as unknown[];
    const crossWorkflowEdges = (
      db
        .prepare(
          `SELECT count(*) AS n FROM edges e JOIN nodes f ON f.id = e.from_node_id JOIN nodes t ON t.id = e.to_node_id
      WHERE f.workflow_id <> e.workflow_id OR t.workflow_id <> e.workflow_id`,
        )
        .get() as { n: number }
    ).n;
    const dangling = (
      db
        .prepare(
          `SELECT count(*) AS n FROM edges e WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.from_node_id)
      OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.to_node_id)`,
        )
        .get() as { n: number }
    ).n;
    const orphans = ['nodes', 'edges', 'leads', 'variable_keys'].map(
      (t) =>
        (
          db
            .prepare(
              `SELECT count(*) AS n FROM ${t} x WHERE NOT EXISTS (SELECT 1 FROM workflows w WHERE w.id = x.workflow_id)`,
            )
            .get() as { n: number }
        ).n,
    );
    const counts = Object.fromEntries(
      ['workflows', 'nodes', 'edges', 'leads'].map((t) => [
        t,
        (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    );
    return { integrity, fk, crossWorkflowEdges, dangling, orphans, counts };
  } finally {
    db.close();
  }
}

describe('persistence', () => {
  it('keeps everything across a restart on the same file', async () => {
    const db = tempDb();
    const a = await startEmu([], { db });
    const w = await buildWorkflow(a, VALID_GRAPH);
    await a.api('POST', `/workflows/${w.id}/leads`, multipartCsv('phone_number,city\n+14155550101,Pune\n'));
    await a.api('POST', `/workflows/${w.id}/activate`);
    const before = await Promise.all(
      ['', '/nodes', '/edges', '/leads', '/leads/variable-keys'].map((p) => a.api('GET', `/workflows/${w.id}${p}`)),
    );
    assert.equal(await a.stop(), 0);
    const b = await startEmu([], { db });
    const afterRestart = await Promise.all(
      ['', '/nodes', '/edges', '/leads', '/leads/variable-keys'].map((p) => b.api('GET', `/workflows/${w.id}${p}`)),
    );
    assert.deepEqual(
      afterRestart.map((r) => r.body),
      before.map((r) => r.body),
    );
    assert.equal(afterRestart[0].body.status, 'active');
    assert.equal(await b.stop(), 0);
  });

  it('stays consistent when the process is killed with SIGKILL during a burst of writes', async () => {
    const db = tempDb();
    const emu = await startEmu(['--quiet'], { db });
    const base = await buildWorkflow(emu, VALID_GRAPH);
    let stop = false;
    let done = 0;
    // Several clients at once: node+edge creation, node deletion (cascading edges), duplicates, lead uploads.
    const worker = async (n: number) => {
      while (!stop) {
        try {
          const w = await buildWorkflow(emu, {
            title: 'burst',
            nodes: {
              a: { node_type: 'TIME', config: { delay_hours: 1 } },
              b: { node_type: 'TIME' },
              c: { node_type: 'DROPPED' },
            },
            edges: [
              ['a', 'b'],
              ['b', 'c'],
              ['a', 'c', 'x'],
            ],
          });
          await emu.api(
            'POST',
            `/workflows/${w.id}/leads`,
            multipartCsv(`phone_number,k${n}\n+14155550101,1\n+14155550102,2\n`),
          );
          await emu.api('POST', `/workflows/${w.id}/duplicate`);
          await emu.api('DELETE', `/workflows/${w.id}/nodes/${w.ids.b}`);
          await emu.api('POST', `/workflows/${base.id}/duplicate`);
          await emu.api('DELETE', `/workflows/${w.id}`);
          done++;
        } catch (e) {
          if (!stop && process.env.DEBUG_EMU) console.error(e);
          return; /* the server died under us */
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, i) => worker(i));
    // Let a few rounds complete (the machine may be loaded), then kill at an arbitrary moment mid-burst.
    for (let t = 0; done < 3 && t < 300; t++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 30 + Math.random() * 100));
    await emu.kill9();
    stop = true;
    await Promise.all(workers);
    assert.ok(done > 0, 'the burst made progress before the kill');

    const c = consistency(db);
    assert.equal(c.integrity, 'ok');
    assert.deepEqual(c.fk, []);
    assert.equal(c.dangling, 0, 'no edge points at a missing node');
    assert.equal(c.crossWorkflowEdges, 0);
    assert.deepEqual(c.orphans, [0, 0, 0, 0]);
    assert.ok(c.counts.workflows > 1);

    // Every duplicate is whole: a copy of `base` has its three nodes and two edges.
    const again = await startEmu([], { db });
    const list = (await again.api('GET', '/workflows?limit=100')).body;
    const copies: [string, number][] = [];
    for (let p = 1; p <= list.meta.totalPages; p++) {
      for (const w of (await again.api('GET', `/workflows?limit=100&page=${p}`)).body.data) {
        if (w.title === 'Test workflow (Copy)') copies.push([w.id, 2]);
        if (w.title === 'burst (Copy)') copies.push([w.id, 3]);
      }
    }
    assert.ok(copies.length > 0);
    for (const [id, edges] of copies) {
      const g = (await again.api('GET', `/workflows/${id}`)).body;
      assert.deepEqual([g.node_count, g.edge_count, g.enrolled_leads], [3, edges, 0], String(id));
    }
    assert.equal(await again.stop(), 0);
  });
});

describe('callflow api serve', () => {
  it('serves through the CLI, prints URL and key, accepts --key, exits 0 on SIGINT and SIGTERM', async () => {
    const db = tempDb();
    const emu = await startEmu(['--key', 'my-test-key'], { entry: 'cli/main.ts', db });
    assert.match(
      emu.stdout(),
      /^Callflow emulator listening on http:\/\/127\.0\.0\.1:\d+\/v1\nAPI key: as given with --key \(not printed\)\n$/,
    );
    assert.ok(
      !emu.stdout().includes('my-test-key') && !emu.stderr().includes('my-test-key'),
      'a given key is never echoed',
    );
    assert.equal((await emu.api('GET', '/workflows', { key: 'my-test-key' })).status, 200);
    assert.equal(
      (await emu.api('GET', '/workflows', { key: 'cf_local_dev' })).status,
      401,
      '--key replaces the seed key',
    );
    const exited = new Promise((r) => emu.proc.on('exit', (code) => r(code)));
    emu.proc.kill('SIGINT');
    assert.equal(await exited, 0);
    const again = await startEmu([], { entry: 'cli/main.ts', db });
    assert.equal(again.key, 'cf_local_dev', "no --key: the seed's key (the CLI local target's fixed key)");
    assert.equal(await again.stop(), 0);
  });

  it('makes up a key when neither --key nor the seed gives one', async () => {
    const emu = await startEmu(['--seed', path.join(__dirname, '../fixtures/emulator/keyless.seed.json')]);
    assert.match(emu.key, /^cf_dev_[0-9a-f]{24}$/);
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
    assert.equal(await emu.stop(), 0);
  });

  it('creates its default database under .callflow/ in the working directory', async () => {
    const cli = await bundle('cli/main.ts');
    const cwd = mkdtempSync(path.join(tmpdir(), 'callflow-serve-'));
    const { spawn } = await import('node:child_process');
    const p = spawn(process.execPath, [cli, 'api', 'serve', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) =>
      p.stdout.on('data', (c) => {
        out += c;
        if (out.includes('API key:')) resolve();
      }),
    );
    assert.ok(existsSync(path.join(cwd, '.callflow/emulator.sqlite')));
    p.kill('SIGTERM');
    assert.equal(await new Promise((r) => p.on('exit', r)), 0);
  });

  it('exits 2 on bad arguments, an unreadable seed or a taken port', async () => {
    const cli = await bundle('cli/main.ts');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'api', ...args], { encoding: 'utf8', cwd: tmpdir() });
    for (const args of [
      ['serve', '--port', 'x'],
      ['serve', '--bogus'],
      ['serve', '--db'],
      ['frobnicate'],
      [],
      ['serve', '--seed', '/nonexistent/seed.json', '--db', tempDb()],
    ]) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0);
    }
    // A seed that is not a seed, and a database file that is not SQLite: a clear message, exit 2.
    const dir = mkdtempSync(path.join(tmpdir(), 'callflow-bad-'));
    writeFileSync(path.join(dir, 'seed.json'), '{"workspaces": []}');
    writeFileSync(path.join(dir, 'garbage.sqlite'), 'this is not a database, just text '.repeat(200));
    const badSeed = run('serve', '--port', '0', '--seed', path.join(dir, 'seed.json'), '--db', tempDb());
    assert.equal(badSeed.status, 2);
    assert.match(badSeed.stderr, /non-empty "workspaces"/);
    const badDb = run('serve', '--port', '0', '--db', path.join(dir, 'garbage.sqlite'));
    assert.equal(badDb.status, 2);
    assert.match(badDb.stderr, /not a database/);
    assert.doesNotMatch(badDb.stderr, /\n\s+at /, 'no stack trace');
    const help = run('serve', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--port N/);
    const busy = await startEmu();
    const r = run('serve', '--port', String(new URL(busy.url).port), '--db', tempDb());
    assert.equal(r.status, 2);
    assert.match(r.stderr, /already in use/);
    await busy.stop();
  });
});
