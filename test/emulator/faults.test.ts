// Fault injection, request statistics and rate limiting, as the platform client's tests rely on them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmu, type Emu } from './harness';

const control = (emu: Emu, method: string, p: string, body?: unknown) => emu.control(method, p, body);

async function workflowCount(emu: Emu): Promise<number> {
  return (await emu.api('GET', '/workflows')).body.meta.total;
}

describe('faults', () => {
  let emu: Emu;
  before(async () => {
    emu = await startEmu(['--faults']);
  });
  after(async () => {
    await emu.stop();
  });

  it('injects a status on the nth matching request, `times` times, before the handler runs', async () => {
    const set = await control(emu, 'POST', 'faults', {
      rules: [{ method: 'POST', path: '^/v1/workflows$', nth: 2, times: 2, status: 503, retryAfter: 3 }],
    });
    assert.deepEqual([set.status, set.body], [200, { rules: 1 }]);
    const n0 = await workflowCount(emu);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await emu.api('POST', '/workflows', { body: { title: `f${i}` } });
      codes.push(r.status);
      if (r.status === 503) {
        assert.deepEqual(r.body, { statusCode: 503, message: 'Injected fault', error: 'Service Unavailable' });
        assert.equal(r.headers.get('retry-after'), '3');
        assert.ok(r.headers.get('x-ratelimit-limit'));
      }
    }
    assert.deepEqual(codes, [201, 503, 503, 201]);
    assert.equal(await workflowCount(emu), n0 + 2, 'failed requests changed nothing');
    // GETs did not match the rule's method.
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
  });

  it('injects 429 with Retry-After, and latency', async () => {
    await control(emu, 'POST', 'faults', {
      rules: [
        { path: '/agents2', status: 429, retryAfter: 2 },
        { path: '/organization-phone-numbers', latencyMs: 300 },
      ],
    });
    const r = await emu.api('GET', '/agents2');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '2');
    assert.equal(r.body.error, 'Too Many Requests');
    assert.equal((await emu.api('GET', '/agents2')).status, 200, 'times defaults to 1');
    const t0 = Date.now();
    assert.equal((await emu.api('GET', '/organization-phone-numbers')).status, 200);
    assert.ok(Date.now() - t0 >= 280, 'delayed');
  });

  it('injects a 404 that reads like a missing route, for testing the fallback to PATCH /status', async () => {
    const w = (await emu.api('POST', '/workflows', { body: { title: 'fallback' } })).body;
    await control(emu, 'POST', 'faults', {
      rules: [{ method: 'POST', path: '/(activate|pause|resume)$', status: 404, times: 100 }],
    });
    const r = await emu.api('POST', `/workflows/${w.id}/pause`);
    assert.deepEqual(r.body, {
      statusCode: 404,
      message: `Cannot POST /v1/workflows/${w.id}/pause`,
      error: 'Not Found',
    });
    const s = await emu.api('PATCH', `/workflows/${w.id}/status`, { body: { action: 'pause' } });
    assert.equal(s.status, 400, 'the status endpoint is untouched: a draft cannot be paused');
    await control(emu, 'DELETE', 'faults');
  });

  it('resets the connection without running the handler', async () => {
    await control(emu, 'POST', 'faults', { rules: [{ method: 'POST', path: '/workflows$', reset: true }] });
    const n0 = await workflowCount(emu);
    await assert.rejects(emu.api('POST', '/workflows', { body: { title: 'lost' } }));
    assert.equal(await workflowCount(emu), n0);
  });

  it('with `after`, runs the handler then resets: the change exists although no response came', async () => {
    await control(emu, 'POST', 'faults', { rules: [{ method: 'POST', path: '/workflows$', after: true }] });
    const n0 = await workflowCount(emu);
    await assert.rejects(emu.api('POST', '/workflows', { body: { title: 'committed but unanswered' } }));
    assert.equal(await workflowCount(emu), n0 + 1);
    const list = (await emu.api('GET', '/workflows?limit=100')).body.data;
    assert.ok(list.some((w: any) => w.title === 'committed but unanswered'));
  });

  it('lists, validates and clears rules', async () => {
    const bad = await control(emu, 'POST', 'faults', {
      rules: [{ path: '(', status: 200, colour: 1 }, { nth: 0, status: 500 }, {}],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message.length, 5, JSON.stringify(bad.body.message));
    await control(emu, 'POST', 'faults', { rules: [{ status: 500, times: 5 }] });
    assert.equal((await control(emu, 'GET', 'faults')).body.rules.length, 1);
    assert.equal((await emu.api('GET', '/workflows')).status, 500);
    assert.equal((await control(emu, 'DELETE', 'faults')).status, 200);
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
    assert.deepEqual((await control(emu, 'GET', 'faults')).body, {
      rules: [],
      late: { queued: 0, held: 0, processed: 0 },
    });
  });

  it('a held late request runs only when released: the create appears then, in arrival order', async () => {
    const total = async () => (await emu.api('GET', '/workflows?limit=1')).body.meta.total as number;
    const before = await total();
    await control(emu, 'POST', 'faults', {
      rules: [{ method: 'POST', path: '^/v1/workflows$', late: true, hold: true, times: 2 }],
    });
    await assert.rejects(emu.api('POST', '/workflows', { body: { title: 'held 1' } }));
    await assert.rejects(emu.api('POST', '/workflows', { body: { title: 'held 2' } }));
    // Held requests wait for the release, whatever the time: the counters say they are there.
    for (;;) {
      const late = (await control(emu, 'GET', 'faults')).body.late;
      if (late.held === 2) break;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(await total(), before);
    const r = await control(emu, 'POST', 'faults/release');
    assert.equal(r.status, 200);
    assert.equal(r.body.released, 2);
    assert.deepEqual(r.body.late, { queued: 0, held: 0, processed: 2 });
    assert.equal(await total(), before + 2);
    const nth = async (i: number) => (await emu.api('GET', `/workflows?limit=1&page=${i}`)).body.data[0].title;
    assert.deepEqual([await nth(before + 1), await nth(before + 2)], ['held 1', 'held 2']);
    assert.equal((await control(emu, 'POST', 'faults/release')).body.released, 0);
    await control(emu, 'DELETE', 'faults');
  });

  it('hold needs late and excludes lateMs', async () => {
    const r = await control(emu, 'POST', 'faults', { rules: [{ hold: true }, { late: true, hold: true, lateMs: 5 }] });
    assert.equal(r.status, 400);
    assert.ok(r.body.message.includes('rules[0].hold needs late: true'), JSON.stringify(r.body));
    assert.ok(r.body.message.includes('rules[1]: give hold or lateMs, not both'), JSON.stringify(r.body));
  });

  it('counts reads and writes overall, per route and per workspace; DELETE resets', async () => {
    await control(emu, 'DELETE', 'stats');
    const w = (await emu.api('POST', '/workflows', { body: { title: 's' } })).body;
    await emu.api('GET', `/workflows/${w.id}`);
    await emu.api('PATCH', `/workflows/${w.id}`, { body: { title: 't' } });
    await emu.api('GET', '/workflows', { key: 'cf_local_second' });
    await emu.api('DELETE', `/workflows/${w.id}`);
    const s = (await control(emu, 'GET', 'stats')).body;
    assert.equal(s.reads, 2);
    assert.equal(s.writes, 3);
    assert.deepEqual(s.byRoute, {
      'POST /workflows': 1,
      'GET /workflows/:id': 1,
      'PATCH /workflows/:id': 1,
      'GET /workflows': 1,
      'DELETE /workflows/:id': 1,
    });
    assert.deepEqual(s.byWorkspace, { org_local: { reads: 1, writes: 3 }, org_second: { reads: 1, writes: 0 } });
    const mine = (await control(emu, 'GET', 'stats?workspace=org_second')).body;
    assert.deepEqual(mine, { reads: 1, writes: 0, byRoute: { 'GET /workflows': 1 } });
    await control(emu, 'DELETE', 'stats');
    assert.deepEqual((await control(emu, 'GET', 'stats')).body, { reads: 0, writes: 0, byRoute: {}, byWorkspace: {} });
  });
});

describe('without --faults', () => {
  let emu: Emu;
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    await emu.stop();
  });

  it('has no fault endpoint, but stats are on', async () => {
    assert.equal((await control(emu, 'POST', 'faults', { rules: [{ status: 500 }] })).status, 404);
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
    assert.equal((await control(emu, 'GET', 'stats')).status, 200);
  });
});

describe('rate limiting', () => {
  let emu: Emu;
  before(async () => {
    emu = await startEmu(['--seed', path.join(__dirname, '../fixtures/emulator/tight-rate.seed.json')]);
  });
  after(async () => {
    await emu.stop();
  });

  it('answers 429 with Retry-After once a key exceeds its workspace rate, per key, and recovers after the window', async () => {
    assert.equal(emu.key, 'cf_tight');
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await emu.api('GET', '/workflows');
      codes.push(last.status);
    }
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429, 429]);
    assert.deepEqual(last!.body, {
      statusCode: 429,
      message: 'Too many requests. Please slow down and retry after a moment.',
      error: 'Too Many Requests',
    });
    const retry = Number(last!.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 2, `Retry-After ${retry}`);
    assert.equal(last!.headers.get('x-ratelimit-limit'), '5');
    assert.equal(last!.headers.get('x-ratelimit-remaining'), '0');
    // Another key has its own bucket.
    assert.equal((await emu.api('GET', '/workflows', { key: 'cf_roomy' })).status, 200);
    await new Promise((r) => setTimeout(r, retry * 1000 + 100));
    assert.equal((await emu.api('GET', '/workflows')).status, 200);
  });
});
