// The language server and the network (issue 9 item 3, issue 13 item 4), over stdio with a real
// client: nothing is sent before the client's settings arrive, however late they come; nothing goes
// online in a restricted workspace (not even `callflow/plan`); the key and host are the ones the
// client hands over, never the environment's or the workspace config's. Ordering is asserted on the
// client's own record of events, and a late reply waits for the test's signal: no sleeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-once';
import { ROOT, TestClient } from './lsp-client';

const EXAMPLE = readFileSync(path.join(ROOT, 'examples/lead-nurture.workflow.yaml'), 'utf8').replace(
  'leads: ./leads.sample.csv',
  '',
);
const ENV_KEY = 'env-key-that-must-never-be-sent';

/** A loopback "platform" that records every request it gets. */
interface Recorder {
  server: Server;
  base: string;
  hits: { url: string; authorization?: string }[];
}

async function recorder(): Promise<Recorder> {
  const hits: Recorder['hits'] = [];
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":[],"has_more":false}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, hits };
}

/** A workspace whose config names the recorder and an environment variable that holds a key. */
function workspace(base: string): { dir: string; uri: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-trust-'));
  writeFileSync(
    path.join(dir, 'callflow.config.yaml'),
    `targets:\n  prod:\n    url: ${base}\n    key_env: CALLFLOW_TRUST_TEST_KEY\ndefault_target: prod\n`,
  );
  writeFileSync(path.join(dir, 'a.workflow.yaml'), EXAMPLE);
  return { dir, uri: pathToFileURL(path.join(dir, 'a.workflow.yaml')).toString() };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

before(() => ensureBuilt());

describe('a restricted workspace', () => {
  let rec: Recorder;
  let ws: { dir: string; uri: string };
  let c: TestClient;
  before(async () => {
    rec = await recorder();
    ws = workspace(rec.base);
    // Online checks on in the settings, a key in the environment, and a client that would even hand
    // over a target: only the trust flag is missing.
    c = new TestClient({
      workspaceFolder: ws.dir,
      settings: { validate: { debounceMs: 0 }, online: { enabled: true } },
      initializationOptions: { trusted: false },
      env: { CALLFLOW_TRUST_TEST_KEY: ENV_KEY },
      credentials: () => ({ target: 'prod', baseUrl: rec.base, key: 'client-key', keySource: 'secretStorage' }),
    });
    await c.initialize();
    await c.serverReady();
  });
  after(async () => {
    await c.close();
    rec.server.close();
    rmSync(ws.dir, { recursive: true, force: true });
  });

  test('validates offline, asks for no key, calls nothing; callflow/plan is refused', async () => {
    c.open(ws.uri, EXAMPLE);
    await c.diagnosticsFor(ws.uri, 1);
    const plan = await c.request<{ available: boolean; reason?: string }>('callflow/plan', { uri: ws.uri });
    assert.equal(plan.available, false);
    assert.match(plan.reason ?? '', /restricted/);
    assert.deepEqual(c.credentialRequests, []);
    assert.deepEqual(rec.hits, []);
  });
});

describe('a client that answers workspace/configuration late', () => {
  let rec: Recorder;
  let ws: { dir: string; uri: string };
  let c: TestClient;
  const gate = deferred();
  before(async () => {
    rec = await recorder();
    ws = workspace(rec.base);
    c = new TestClient({
      workspaceFolder: ws.dir,
      settings: { validate: { debounceMs: 0 } },
      configurationGate: gate.promise,
      initializationOptions: { trusted: true },
      env: { CALLFLOW_TRUST_TEST_KEY: ENV_KEY },
      credentials: () => ({ target: 'prod', baseUrl: rec.base, key: 'client-key', keySource: 'secretStorage' }),
    });
    await c.initialize();
  });
  after(async () => {
    await c.close();
    rec.server.close();
    rmSync(ws.dir, { recursive: true, force: true });
  });

  test('sends nothing before the reply; online checks stay off when the reply does not turn them on', async () => {
    await c.until(() => c.events.includes('configuration:asked'), 20_000, 'the configuration request');
    // Opened while the server waits for its settings: it may not validate with defaults meanwhile.
    c.open(ws.uri, EXAMPLE);
    // A request answered meanwhile proves the server read the open notification before the reply;
    // laying out the graph takes the server through its timers, where a validation would have run.
    await c.request('callflow/graph', { uri: ws.uri, layout: true });
    assert.ok(!c.events.includes('publish'), c.events.join());
    gate.resolve();
    await c.diagnosticsFor(ws.uri, 1);
    await c.serverReady();
    const answered = c.events.indexOf('configuration:answered');
    assert.ok(answered >= 0);
    const early = c.events.slice(0, answered).filter((e) => e === 'publish' || e.startsWith('notification:'));
    assert.deepEqual(early, [], 'nothing reached the client before its settings did');
    // `online.enabled` absent from the reply means off: no key asked for, no request made.
    assert.deepEqual(c.credentialRequests, []);
    assert.deepEqual(rec.hits, []);
  });
});

describe('online checks turned on by a late reply', () => {
  let rec: Recorder;
  let ws: { dir: string; uri: string };
  let c: TestClient;
  const gate = deferred();
  before(async () => {
    rec = await recorder();
    ws = workspace(rec.base);
    c = new TestClient({
      workspaceFolder: ws.dir,
      settings: { validate: { debounceMs: 0 }, online: { enabled: true } },
      configurationGate: gate.promise,
      initializationOptions: { trusted: true },
      env: { CALLFLOW_TRUST_TEST_KEY: ENV_KEY },
      credentials: () => ({ target: 'prod', baseUrl: rec.base, key: 'client-key', keySource: 'secretStorage' }),
    });
    await c.initialize();
  });
  after(async () => {
    await c.close();
    rec.server.close();
    rmSync(ws.dir, { recursive: true, force: true });
  });

  test('asks the client for the target only after the reply, and sends only the key it handed over', async () => {
    await c.until(() => c.events.includes('configuration:asked'), 20_000, 'the configuration request');
    c.open(ws.uri, EXAMPLE);
    await c.request('callflow/graph', { uri: ws.uri, layout: true });
    assert.ok(!c.events.includes('credentials:asked'), c.events.join());
    gate.resolve();
    await c.until(() => rec.hits.length > 0, 20_000, 'a request to the approved origin');
    assert.ok(c.events.indexOf('credentials:asked') > c.events.indexOf('configuration:answered'));
    assert.ok(
      rec.hits.every((h) => h.authorization === 'Bearer client-key'),
      JSON.stringify(rec.hits),
    );
    assert.ok(rec.hits.every((h) => h.url.startsWith('/v1/')));
    await c.until(
      () =>
        c.notifications.some(
          (n) =>
            n.method === 'callflow/onlineStatus' && (n.params as { keySource?: string }).keySource === 'secretStorage',
        ),
      20_000,
      'the status naming the key in use',
    );
  });
});
