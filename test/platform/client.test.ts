// The API client over real HTTP against the emulator process: retries only where the spec allows,
// Retry-After honoured, envelopes unwrapped, paging, the lifecycle fallback to PATCH …/status
// when the verb's route is unknown (a small proxy hides it), rate-limit pacing, redaction.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ApiClient, isRouteNotFound, unwrap } from '../../platform/client';
import { ApiError } from '../../platform/errors';
import { redact } from '../../platform/redact';
import { ROOT, SECRET_KEY, startEmu, type Emu } from './helpers';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Forwards to the emulator; answers the router's own 404 for the lifecycle verb paths. */
async function verbHidingProxy(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    if (/\/(activate|pause|resume)$/.test(req.url ?? '')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 404, message: `Cannot ${req.method} ${req.url}`, error: 'Not Found' }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r = await fetch(target + req.url, {
      method: req.method,
      headers: { authorization: String(req.headers.authorization ?? ''), 'content-type': 'application/json' },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = await r.text();
    // The newer surface wraps answers as {statusCode, message, data}.
    const wrapped =
      r.ok && body && !body.includes('"meta"')
        ? JSON.stringify({ statusCode: r.status, message: 'ok', data: JSON.parse(body) })
        : body;
    res.writeHead(r.status, { 'Content-Type': 'application/json' });
    res.end(wrapped);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, server };
}

describe('ApiClient', () => {
  let emu: Emu;
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    await emu.kill();
  });

  it('unwraps {data} envelopes but keeps a page as {data, meta}', () => {
    assert.deepEqual(unwrap({ statusCode: 200, message: 'ok', data: { id: 'wfl_1' } }), { id: 'wfl_1' });
    assert.deepEqual(unwrap({ data: [1, 2] }), [1, 2]);
    assert.deepEqual(unwrap({ statusCode: 200, data: [1], meta: { page: 1 } }), { data: [1], meta: { page: 1 } });
    assert.deepEqual(
      unwrap({ id: 'x', data: 1 }),
      { id: 'x', data: 1 },
      'an object with other fields is not an envelope',
    );
  });

  it('tells a router 404 from a resource 404', () => {
    assert.ok(isRouteNotFound(new ApiError(404, ['Cannot POST /v1/workflows/x/activate'], 'POST', '/x')));
    assert.ok(!isRouteNotFound(new ApiError(404, ['Workflow not found'], 'POST', '/x')));
    assert.ok(!isRouteNotFound(new ApiError(409, ['Cannot POST'], 'POST', '/x')));
  });

  it('retries 503 and 502 and succeeds; never retries 400 or 404; does not retry 500', async () => {
    const c = emu.client();
    await emu.resetStats();
    await emu.faults([{ method: 'GET', path: '/v1/workflows$', status: 503, times: 2 }]);
    await c.list('/workflows');
    assert.equal((await emu.stats()).reads, 3);
    await emu.faults([{ method: 'POST', status: 500 }]);
    await emu.resetStats();
    await assert.rejects(
      c.post('/workflows', { title: 't' }),
      (e: unknown) => e instanceof ApiError && e.status === 500,
    );
    assert.equal((await emu.stats()).writes, 1);
    await emu.clearFaults();
    await emu.resetStats();
    await assert.rejects(
      c.post('/workflows', { title: 5 }),
      (e: unknown) => e instanceof ApiError && e.status === 400 && e.messages.length > 0,
    );
    await assert.rejects(
      c.get('/workflows/wfl_doesnotexist'),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    const s = await emu.stats();
    assert.equal(s.writes + s.reads, 2, 'one attempt each');
  });

  it('waits the Retry-After of a 429 before retrying', async () => {
    const c = emu.client();
    await emu.faults([{ method: 'GET', status: 429, retryAfter: 1 }]);
    const t0 = Date.now();
    await c.get('/agents2');
    assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
    await emu.clearFaults();
  });

  it('falls back to PATCH /workflows/{id}/status when the verb route does not exist, and unwraps the envelope', async () => {
    const proxy = await verbHidingProxy(emu.url.replace(/\/v1$/, ''));
    try {
      const c = new ApiClient({ baseUrl: proxy.url, key: SECRET_KEY, target: 'proxy' });
      const w = await c.post<{ id: string; status: string }>('/workflows', { title: 'Fallback', description: '' });
      assert.match(w.id, /^wfl_/, 'the {statusCode, data} envelope was removed');
      const nodes = await c.list<unknown>(`/workflows/${w.id}/nodes`);
      assert.deepEqual(nodes, []);
      await emu.resetStats();
      assert.equal((await c.lifecycle(w.id, 'activate')).status, 'active');
      assert.equal((await c.lifecycle(w.id, 'pause')).status, 'paused');
      assert.equal((await c.lifecycle(w.id, 'resume')).status, 'active');
      assert.equal(
        (await emu.stats()).byRoute['PATCH /workflows/:id/status'],
        3,
        'each verb went through the status endpoint',
      );
      // The newer surface answers a wrong state with 400 (not 409).
      await assert.rejects(
        c.lifecycle(w.id, 'resume'),
        (e: unknown) => e instanceof ApiError && e.status === 400 && e.path.endsWith('/status'),
      );
      const cancelled = await c.lifecycle(w.id, 'cancel');
      assert.equal(cancelled.status, 'cancelled');
      // A resource 404 is not a route 404: no fallback.
      const direct = emu.client();
      await assert.rejects(
        direct.lifecycle('wfl_doesnotexist', 'pause'),
        (e: unknown) => e instanceof ApiError && e.status === 404 && e.path.endsWith('/pause'),
      );
    } finally {
      proxy.server.close();
    }
  });

  it('pages through lists while page < totalPages', async () => {
    const c = emu.client();
    for (let i = 0; i < 5; i++) await c.post('/workflows', { title: `Paging ${i}`, description: '' });
    await emu.resetStats();
    const all = await c.list<{ id: string }>('/workflows', { limit: 2 });
    const total = (await c.get<{ meta: { total: number } }>('/workflows', { limit: 1 })).meta.total;
    assert.equal(all.length, total);
    assert.equal((await emu.stats()).reads, Math.ceil(total / 2) + 1);
  });

  it('an error message never holds the key', async () => {
    const c = new ApiClient({ baseUrl: emu.url, key: `${SECRET_KEY}_bad`, target: 'staging' });
    await assert.rejects(c.get('/workflows'), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 401);
      assert.match(e.message, /the API key for target staging was rejected/);
      assert.ok(!e.message.includes(SECRET_KEY));
      return true;
    });
    assert.equal(
      redact(`Authorization: Bearer ${SECRET_KEY}_bad and ${SECRET_KEY}`),
      'Authorization: Bearer *** and ***',
    );
  });

  it('paces requests by X-RateLimit-Remaining/Reset instead of running into 429s', async () => {
    const seed = JSON.parse(readFileSync(path.join(ROOT, 'emulator/default-seed.json'), 'utf8'));
    seed.workspaces[0].rate_limit = { requests: 4, window_seconds: 1 };
    const dir = mkdtempSync(path.join(tmpdir(), 'cf-rl-'));
    writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(seed));
    const slow = await startEmu(dir, path.join(dir, 'seed.json'));
    try {
      const c = slow.client(1);
      for (let i = 0; i < 10; i++) await c.get('/agents2');
      const s = await slow.stats();
      assert.equal(s.reads, 10, `no request was refused and retried (${s.reads} reads)`);
      assert.equal(c.stats.retries, 0);
    } finally {
      await slow.kill();
    }
  });

  it('bounded concurrency: never more requests in flight than the limit', async () => {
    const c = emu.client(2);
    await emu.faults([{ method: 'GET', latencyMs: 100, times: 100 }]);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => c.get('/agents2')));
    const took = Date.now() - t0;
    await emu.clearFaults();
    assert.ok(took >= 280, `6 requests of 100 ms, 2 at a time, took ${took} ms`);
  });
});
