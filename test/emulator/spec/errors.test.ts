// platform-api.md § Errors, paging, limits (and the opening paragraph: the key decides the workspace): the
// error body, 401, 404 for another workspace's ids, 400 bodies, rate-limit headers, 429, even a 500. The real
// emulator process over real HTTP.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../../emulator/sqlite';
import { buildWorkflow, startEmu, tempDb, VALID_GRAPH, type ApiResponse, type Emu } from '../harness';
import { assertError, assertRateHeaders } from '../spec-helpers';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

describe('auth and workspaces', () => {
  // spec: "Every request carries `Authorization: Bearer <API key>`; the key decides the workspace" (emulator.md: the bundled seed)
  it('the bundled seed: the default key is printed and accepted', async () => {
    assert.equal(emu.key, 'cf_local_dev');
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
  });

  // spec: "401 missing/invalid key (`{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}`)"
  it('401 with the exact body for a missing, malformed, unknown or invalid key, on every route, with rate-limit headers', async () => {
    // 401 with the exact body for a missing or invalid key, on every route, with rate-limit headers
    {
      for (const key of [null, 'wrong-key']) {
        for (const [m, p] of [
          ['GET', '/workflows'],
          ['POST', '/workflows'],
          ['GET', '/agents2'],
          ['GET', '/nowhere'],
        ]) {
          const r = await emu.api(m, p, { key, body: m === 'POST' ? { title: 'x' } : undefined });
          assert.equal(r.status, 401);
          assert.deepEqual(r.body, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
          assertRateHeaders(r);
        }
      }
    }
    // answers 401 with the exact body for a missing, malformed or unknown key
    {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: 'cf_local_dev' },
        { authorization: 'Bearer nope' },
        { authorization: 'Basic abc' },
      ]) {
        const r = await emu.api('GET', '/workflows', { key: null, headers });
        assert.equal(r.status, 401);
        assert.deepEqual(r.body, { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' });
      }
    }
  });

  // spec: "404 missing or another workspace's" and "the key decides the workspace (organization)"
  it("two keys, two workspaces: another workspace's ids answer 404 everywhere; its own agents only", async () => {
    // two keys, two workspaces: another workspace's ids answer 404 everywhere
    {
      const mine = await buildWorkflow(emu, VALID_GRAPH);
      const second = 'cf_local_second';
      assert.equal((await emu.api('GET', '/workflows', { key: second })).status, 200);
      assert.ok(
        !(await emu.api('GET', '/workflows?limit=100', { key: second })).body.data.some((w: any) => w.id === mine.id),
      );
      const theirs = await emu.api('POST', '/workflows', { key: second, body: { title: 'Theirs' } });
      assert.notEqual(
        theirs.body.organization_id,
        (await emu.api('GET', `/workflows/${mine.id}`)).body.organization_id,
      );
      const probes: [string, string, unknown?][] = [
        ['GET', `/workflows/${mine.id}`],
        ['PATCH', `/workflows/${mine.id}`, { title: 'x' }],
        ['DELETE', `/workflows/${mine.id}`],
        ['POST', `/workflows/${mine.id}/activate`],
        ['POST', `/workflows/${mine.id}/cancel`],
        ['POST', `/workflows/${mine.id}/duplicate`],
        ['GET', `/workflows/${mine.id}/nodes`],
        ['GET', `/workflows/${mine.id}/edges`],
        ['GET', `/workflows/${mine.id}/leads`],
        ['GET', `/workflows/${mine.id}/leads/variable-keys`],
        ['DELETE', `/workflows/${mine.id}/nodes/${mine.ids.first_call}`],
        ['PATCH', `/workflows/${mine.id}/status`, { action: 'activate' }],
      ];
      for (const [m, p, body] of probes) assertError(await emu.api(m, p, { key: second, body }), 404);
      // Nor can a workflow of the second workspace link to my nodes.
      const tn = await emu.api('POST', `/workflows/${theirs.body.id}/nodes`, {
        key: second,
        body: { node_type: 'DROPPED', label: 'x' },
      });
      assertError(
        await emu.api('POST', `/workflows/${theirs.body.id}/edges`, {
          key: second,
          body: { from_node_id: tn.body.id, to_node_id: mine.ids.converted },
        }),
        404,
      );
      assert.equal((await emu.api('GET', `/workflows/${mine.id}`)).body.status, 'draft');
    }
    // keeps two workspaces apart: another workspace's ids answer 404
    {
      const mine = await buildWorkflow(emu, { nodes: { a: { node_type: 'DROPPED' } }, edges: [] });
      const other = 'cf_local_second';
      const list = await emu.api('GET', '/workflows', { key: other });
      assert.equal(list.status, 200);
      assert.ok(!list.body.data.some((w: any) => w.id === mine.id));
      for (const [m, p] of [
        ['GET', `/workflows/${mine.id}`],
        ['PATCH', `/workflows/${mine.id}`],
        ['DELETE', `/workflows/${mine.id}`],
        ['GET', `/workflows/${mine.id}/nodes`],
        ['POST', `/workflows/${mine.id}/activate`],
        ['POST', `/workflows/${mine.id}/duplicate`],
        ['DELETE', `/workflows/${mine.id}/nodes/${mine.ids.a}`],
        ['GET', `/workflows/${mine.id}/leads/variable-keys`],
      ] as const) {
        const r = await emu.api(m, p, { key: other, body: m === 'PATCH' ? { title: 'x' } : undefined });
        assert.equal(r.status, 404, `${m} ${p}`);
        assert.deepEqual(r.body, { statusCode: 404, message: 'Workflow not found', error: 'Not Found' });
      }
      const theirs = await emu.api('POST', '/workflows', { key: other, body: { title: 'Theirs' } });
      assert.equal(theirs.body.organization_id, 'org_second');
      assert.equal((await emu.api('GET', `/workflows/${theirs.body.id}`)).status, 404);
      // The workspace's own agents and numbers only.
      assert.deepEqual(
        (await emu.api('GET', '/agents2', { key: other })).body.data.map((a: any) => a.id),
        ['agt_second01'],
      );
      assert.equal((await emu.api('GET', '/agents2/agt_abc123', { key: other })).status, 404);
    }
  });
});

describe('error bodies', () => {
  // spec: "Error body: `{"statusCode": 409, "message": "…" or ["…", …], "error": "Conflict"}`."
  // spec: "400 validation" with the error body above
  it('400 bodies carry the reason phrase and a message: malformed JSON, a non-object body, an unknown node_type', async () => {
    // 400 bodies carry the reason phrase and a message
    {
      assertError(
        await emu.api('POST', '/workflows', { raw: '{not json', headers: { 'content-type': 'application/json' } }),
        400,
      );
      const { body: w } = await emu.api('POST', '/workflows', { body: { title: 'n' } });
      assertError(await emu.api('POST', `/workflows/${w.id}/nodes`, { body: { node_type: 'TELEPORT' } }), 400);
    }
    // answers 400 to a malformed JSON body and to a non-object body
    {
      for (const raw of ['{"title": ', '[1,2]', 'null']) {
        const r = await emu.api('POST', '/workflows', { raw, headers: { 'content-type': 'application/json' } });
        assert.equal(r.status, 400, raw);
        assert.equal(r.body.error, 'Bad Request');
      }
    }
  });

  // spec: "404 missing" with the error body above
  it('unknown routes answer 404 JSON (Cannot METHOD path), inside and outside /v1', async () => {
    const r = await emu.api('GET', '/nothing/here');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { statusCode: 404, message: 'Cannot GET /v1/nothing/here', error: 'Not Found' });
    assert.equal((await emu.api('PUT', '/workflows')).status, 404);
    const outside = await fetch(`${emu.origin}/elsewhere`, { headers: { authorization: `Bearer ${emu.key}` } });
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).error, 'Not Found');
  });

  // spec: "5xx server" and "every response carries `X-RateLimit-Limit`, …"
  it('even a 500 (a record the emulator cannot read) carries the error body and the rate-limit headers', async () => {
    const w = await buildWorkflow(emu, VALID_GRAPH);
    const conn = new Database(db);
    try {
      conn.prepare('UPDATE nodes SET config = ? WHERE id = ?').run('{not json', w.ids.converted);
    } finally {
      conn.close();
    }
    const r = await emu.api('GET', `/workflows/${w.id}/nodes`);
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
    assertRateHeaders(r);
    // The emulator is still serving.
    assert.equal((await emu.api('GET', `/workflows/${w.id}`)).status, 200);
  });
});

describe('rate limits', () => {
  // spec: "Rate limits are per key; every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix seconds); a 429 adds `Retry-After` (seconds)."
  // spec: "every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix seconds)"
  it('X-RateLimit-Limit/Remaining/Reset (Unix seconds) on every response: 200, 201, 400, 401, 404, 409; Remaining counts down by one', async () => {
    // X-RateLimit-Limit/Remaining/Reset (Unix seconds) on every response: 200, 201, 400, 404, 409
    {
      const w = await buildWorkflow(emu, VALID_GRAPH);
      const responses = [
        await emu.api('GET', '/workflows'),
        await emu.api('POST', '/workflows', { body: { title: 'h' } }),
        await emu.api('POST', '/workflows', { body: {} }),
        await emu.api('GET', '/workflows/wfl_000000000000'),
        await emu.api('POST', `/workflows/${w.id}/resume`),
        await emu.api('GET', '/no/such/route'),
      ];
      assert.deepEqual(
        responses.map((r) => r.status),
        [200, 201, 400, 404, 409, 404],
      );
      for (const r of responses) assertRateHeaders(r);
      const a = Number(responses[0].headers.get('x-ratelimit-remaining'));
      const b = Number(responses[1].headers.get('x-ratelimit-remaining'));
      assert.ok(b < a, 'Remaining counts down');
    }
    // carries X-RateLimit-* on every response, successes and errors alike
    {
      for (const r of [
        await emu.api('GET', '/workflows'),
        await emu.api('GET', '/workflows', { key: null }),
        await emu.api('GET', '/nowhere'),
        await emu.api('POST', '/workflows', { body: {} }),
      ]) {
        assert.equal(r.headers.get('x-ratelimit-limit'), '6000');
        assert.match(r.headers.get('x-ratelimit-remaining')!, /^\d+$/);
        const reset = Number(r.headers.get('x-ratelimit-reset'));
        assert.ok(reset > Date.now() / 1000 - 1 && reset < Date.now() / 1000 + 120, `reset ${reset} is Unix seconds`);
      }
      const a = Number((await emu.api('GET', '/workflows')).headers.get('x-ratelimit-remaining'));
      const b = Number((await emu.api('GET', '/workflows')).headers.get('x-ratelimit-remaining'));
      assert.equal(b, a - 1);
    }
  });

  // spec: "Rate limits are per key" and "a 429 adds `Retry-After` (seconds)"
  it('429 past the per-key limit, with Retry-After (seconds), the error body and the headers; per key', async () => {
    const dir = path.dirname(tempDb());
    const seed = path.join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({
        workspaces: [
          {
            id: 'org_a',
            default: true,
            keys: ['key_a'],
            plan: 'Starter',
            rate_limit: { requests: 3, window_seconds: 60 },
            agents: [],
            phone_numbers: [],
          },
          {
            id: 'org_b',
            keys: ['key_b'],
            plan: 'Starter',
            rate_limit: { requests: 3, window_seconds: 60 },
            agents: [],
            phone_numbers: [],
          },
        ],
      }),
    );
    const small = await startEmu(['--quiet', '--seed', seed]);
    try {
      const rs: ApiResponse[] = [];
      for (let i = 0; i < 4; i++) rs.push(await small.api('GET', '/workflows', { key: 'key_a' }));
      assert.deepEqual(
        rs.map((r) => r.status),
        [200, 200, 200, 429],
      );
      assert.deepEqual(
        rs.map((r) => r.headers.get('x-ratelimit-limit')),
        ['3', '3', '3', '3'],
      );
      assert.deepEqual(
        rs.map((r) => r.headers.get('x-ratelimit-remaining')),
        ['2', '1', '0', '0'],
      );
      const limited = rs[3];
      assertError(limited, 429);
      assertRateHeaders(limited);
      const retry = Number(limited.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      // Another key has its own budget.
      assert.equal((await small.api('GET', '/workflows', { key: 'key_b' })).status, 200);
    } finally {
      await small.stop();
    }
  });
});
