// Issue 9's emulator findings as regression tests: client errors are 4xx, never 500 (deep config, huge
// page numbers, two emulator processes on one file); own-property body checks; a `__proto__` lead
// column; keys from the environment or a file, never echoed; the control endpoints need a key; a
// warning when listening beyond loopback with the bundled seed's public keys; the `late` fault.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildWorkflow, multipartCsv, startEmu, tempDb, VALID_GRAPH, type Emu } from './harness';

let emu: Emu;
before(async () => {
  emu = await startEmu(['--faults']);
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

/** JSON text of an object `depth` levels deep (built as text: JSON.stringify itself recurses). */
const nestedJson = (depth: number) => '{"a":'.repeat(depth - 1) + '{"leaf":true}' + '}'.repeat(depth - 1);
const json = { 'content-type': 'application/json' };

describe('client errors are 4xx, never 500', () => {
  it('a node config nested 5,000 deep is a 400 on create and on PATCH; 64 deep is stored', async () => {
    const w = await buildWorkflow(emu, { nodes: { t: { node_type: 'TIME' } }, edges: [] });
    const deep = await emu.api('POST', `/workflows/${w.id}/nodes`, {
      raw: `{"node_type":"TIME","config":${nestedJson(5000)}}`,
      headers: json,
    });
    assert.equal(deep.status, 400);
    assert.ok(deep.body.message.some((m: string) => /config must not be nested more than 64 levels/.test(m)));
    const patch = await emu.api('PATCH', `/workflows/${w.id}/nodes/${w.ids.t}`, {
      raw: `{"config":${nestedJson(5000)}}`,
      headers: json,
    });
    assert.equal(patch.status, 400);
    const ok = await emu.api('POST', `/workflows/${w.id}/nodes`, {
      raw: `{"node_type":"TIME","config":${nestedJson(64)}}`,
      headers: json,
    });
    assert.equal(ok.status, 201);
    // Activation renders every config: still an answer, not a crash.
    assert.equal((await emu.api('POST', `/workflows/${w.id}/activate`)).status, 400);
  });

  it('deep JSON in any other body field is a 400 naming the field, on the API and the control endpoints', async () => {
    const w = await buildWorkflow(emu, { nodes: { t: { node_type: 'TIME' } }, edges: [] });
    const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const cases: [string, string, string, string | RegExp][] = [
      ['POST', '/workflows', `{"title":${nestedJson(5000)}}`, 'title must be a string'],
      ['POST', '/workflows', `{"title":"x","description":${deepArray(100_000)}}`, 'description must be a string'],
      ['POST', '/workflows', deepArray(200_000), 'request body must be a JSON object'],
      ['PATCH', `/workflows/${w.id}`, `{"title":${nestedJson(5000)}}`, 'title must be a string'],
      ['PATCH', `/workflows/${w.id}/status`, `{"action":${nestedJson(5000)}}`, /^Invalid action/],
      [
        'POST',
        `/workflows/${w.id}/edges`,
        `{"from_node_id":${nestedJson(5000)},"to_node_id":"x"}`,
        'from_node_id must be a string',
      ],
      [
        'POST',
        `/workflows/${w.id}/nodes`,
        `{"node_type":"TIME","config":{"x":${deepArray(5000)}}}`,
        /nested more than 64/,
      ],
    ];
    for (const [m, p, raw, msg] of cases) {
      const r = await emu.api(m, p, { raw, headers: json });
      assert.equal(r.status, 400, `${m} ${p}`);
      const messages = [r.body.message].flat();
      assert.ok(
        messages.some((x: string) => (typeof msg === 'string' ? x === msg : msg.test(x))),
        `${m} ${p}: ${JSON.stringify(r.body)}`,
      );
    }
    assert.equal((await emu.control('POST', 'advance', JSON.parse(`{"hours":${nestedJson(50)}}`))).status, 400);
    assert.equal((await emu.control('POST', 'faults', { rules: [JSON.parse(nestedJson(50))] })).status, 400);
    // Still serving.
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).status, 200);
  });

  it('a huge page number is a 400 on every paged list', async () => {
    const w = await buildWorkflow(emu, { nodes: {}, edges: [] });
    for (const p of ['/workflows', `/workflows/${w.id}/leads`, '/agents2', '/organization-phone-numbers']) {
      const r = await emu.api('GET', `${p}?page=461168601842738790`);
      assert.equal(r.status, 400, p);
      assert.deepEqual(r.body.message, ['page must not be greater than 2147483647'], p);
      assert.equal((await emu.api('GET', `${p}?page=2147483647`)).status, 200, p);
    }
  });

  it('two emulator processes on one database: edges racing node deletes get 201/404/409, never 500', async () => {
    const db = tempDb();
    const a = await startEmu(['--quiet'], { db });
    const b = await startEmu(['--quiet'], { db });
    try {
      const statuses = new Map<number, number>();
      const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
      for (let round = 0; round < 6; round++) {
        const w = await buildWorkflow(a, {
          nodes: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`n${i}`, { node_type: 'TIME' }])),
          edges: [],
        });
        const ids = Object.values(w.ids);
        await Promise.all([
          ...ids
            .slice(1)
            .map((to) =>
              a
                .api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: ids[0], to_node_id: to } })
                .then((r) => count(r.status)),
            ),
          ...ids.slice(1).map((id) => b.api('DELETE', `/workflows/${w.id}/nodes/${id}`).then((r) => count(r.status))),
          b.api('DELETE', `/workflows/${w.id}`).then((r) => count(r.status)),
        ]);
        // Whatever the interleaving, no edge is left pointing at a deleted node.
        const edges = await a.api('GET', `/workflows/${w.id}/edges`);
        if (edges.status === 200) {
          const nodes = new Set((await a.api('GET', `/workflows/${w.id}/nodes`)).body.data.map((n: any) => n.id));
          for (const e of edges.body.data) assert.ok(nodes.has(e.from_node_id) && nodes.has(e.to_node_id));
        }
      }
      for (const s of statuses.keys()) assert.ok([200, 201, 404, 409, 503].includes(s), `status ${s}`);
      assert.ok(!statuses.has(500));
    } finally {
      assert.equal(await a.stop(), 0);
      assert.equal(await b.stop(), 0);
    }
  });
});

describe('own properties only', () => {
  it('__proto__, constructor and toString are unknown properties (400), not fields', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const raw = `{"title":"t","${k}":{"x":1}}`;
      const r = await emu.api('POST', '/workflows', { raw, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400, k);
      assert.ok(r.body.message.includes(`property ${k} should not exist`), `${k}: ${JSON.stringify(r.body)}`);
      const n = await emu.api('POST', `/workflows/${w.id}/nodes`, {
        raw: `{"node_type":"TIME","${k}":1}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(n.status, 400, k);
    }
  });

  it('a lead column named __proto__ is kept in each lead’s metadata, as variable-keys lists it', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const up = await emu.api(
      'POST',
      `/workflows/${w.id}/leads`,
      multipartCsv('phone_number,__proto__,constructor,city\n+14155550101,evil,ctor,Pune\n'),
    );
    assert.equal(up.status, 201);
    const keys = (await emu.api('GET', `/workflows/${w.id}/leads/variable-keys`)).body.keys;
    assert.deepEqual(keys, ['__proto__', 'constructor', 'city']);
    const text = await (
      await fetch(`${emu.url}/workflows/${w.id}/leads`, { headers: { authorization: `Bearer ${emu.key}` } })
    ).text();
    const lead = JSON.parse(text).data[0];
    assert.deepEqual(Object.keys(lead.metadata), keys);
    assert.equal(lead.metadata.__proto__, 'evil');
  });
});

describe('the control endpoints', () => {
  it('need a workspace key: 401 without one or with a wrong one', async () => {
    for (const p of ['stats', 'faults', 'workspaces', 'clock', 'events?workflow_id=wfl_x']) {
      assert.equal((await emu.control('GET', p, undefined, null)).status, 401, p);
      assert.equal((await emu.control('GET', p, undefined, 'wrong')).status, 401, p);
    }
    assert.equal((await emu.control('GET', 'stats')).status, 200);
    assert.equal((await emu.control('GET', 'stats', undefined, 'cf_local_second')).status, 200);
  });
});

describe('the late fault (a queueing gateway)', () => {
  it('drops the connection at once, then processes the create: the workflow the client gave up on appears', async () => {
    const before = (await emu.api('GET', '/workflows?limit=1')).body.meta.total;
    const set = await emu.control('POST', 'faults', {
      rules: [{ method: 'POST', path: '^/v1/workflows$', late: true, lateMs: 50 }],
    });
    assert.equal(set.status, 200);
    await assert.rejects(emu.api('POST', '/workflows', { body: { title: 'late create' } }));
    // Observable state, not a sleep: wait until the emulator says the late request was processed.
    for (;;) {
      const f = (await emu.control('GET', 'faults')).body;
      if (f.late.queued === 0 && f.late.processed >= 1) break;
      await new Promise((r) => setImmediate(r));
    }
    const list = (await emu.api('GET', `/workflows?limit=1&page=${before + 1}`)).body;
    assert.equal(list.meta.total, before + 1);
    assert.equal(list.data[0].title, 'late create');
    await emu.control('DELETE', 'faults');
  });

  it('lateMs needs late, and the rule is validated', async () => {
    const r = await emu.control('POST', 'faults', { rules: [{ lateMs: 5 }] });
    assert.equal(r.status, 400);
    assert.ok(r.body.message.includes('rules[0].lateMs needs late: true'));
  });
});

describe('keys for api serve', () => {
  it(`reads the key from CALLFLOW_EMULATOR_KEY or --key-file and never prints it`, async () => {
    const secret = 'cfk_env_SECRET_5b6c7d';
    const a = await startEmu([], { env: { ...process.env, CALLFLOW_EMULATOR_KEY: secret } });
    try {
      assert.match(a.stdout(), /API key: as given with CALLFLOW_EMULATOR_KEY \(not printed\)/);
      assert.doesNotMatch(a.stdout() + a.stderr(), new RegExp(secret));
      assert.equal((await a.api('GET', '/workflows', { key: secret })).status, 200);
      assert.equal((await a.api('GET', '/workflows', { key: 'cf_local_dev' })).status, 401);
    } finally {
      await a.stop();
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cf-key-')), 'key');
    writeFileSync(file, 'cfk_file_SECRET_9a8b\n', { mode: 0o600 });
    const b = await startEmu(['--key-file', file]);
    try {
      assert.match(b.stdout(), /API key: as given with --key-file \(not printed\)/);
      assert.doesNotMatch(b.stdout() + b.stderr(), /cfk_file_SECRET/);
      assert.equal((await b.api('GET', '/workflows', { key: 'cfk_file_SECRET_9a8b' })).status, 200);
    } finally {
      await b.stop();
    }
  });

  it('--help says where a key may come from', async () => {
    const { spawnSync } = await import('node:child_process');
    const { bundle } = await import('./harness');
    const r = spawnSync(process.execPath, [await bundle('cli/main.ts'), 'api', 'serve', '--help'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--key-file FILE/);
    assert.match(r.stdout, /CALLFLOW_EMULATOR_KEY/);
    assert.match(r.stdout, /late/);
  });

  it('warns when listening beyond loopback with the bundled seed’s public keys, not on 127.0.0.1 or with own keys', async () => {
    const open = await startEmu(['--host', '0.0.0.0']);
    await open.stop(); // all output read once it has exited
    assert.match(open.stderr(), /warning: listening on 0\.0\.0\.0.*public.*cf_local_dev/);
    assert.doesNotMatch(emu.stderr(), /warning: listening/);
    const dir = mkdtempSync(path.join(tmpdir(), 'cf-seed-'));
    const seed = path.join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify({ workspaces: [{ id: 'org_mine', keys: ['cfk_mine_123456'] }] }));
    const own = await startEmu(['--host', '0.0.0.0', '--seed', seed]);
    await own.stop();
    assert.doesNotMatch(own.stderr(), /warning: listening/);
  });
});
