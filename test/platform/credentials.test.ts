// Keys go only where the user said (issue 9 items 2 and 4): platform/credentials.ts decides which
// key may go to which host, platform/redact.ts keeps keys and URL credentials out of messages.
// The CLI cases run the built CLI against a real HTTP server that records what reached it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkTargetUrl,
  defaultCredentialsPath,
  hostTokenVariable,
  readUserCredentials,
  resolveKey,
} from '../../platform/credentials';
import { ApiClient } from '../../platform/client';
import { redact, registerSecret } from '../../platform/redact';
import { TargetError } from '../../platform/targets';
import { cli } from './helpers';

function tmp(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'cf-cred-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const NONE = { credentialsPath: null };

describe('credentials: which key may go where', () => {
  test('URLs: https except loopback, never userinfo (and never printed)', () => {
    assert.equal(checkTargetUrl('t', 'https://api.dialnexa.com/v1').origin, 'https://api.dialnexa.com');
    assert.equal(checkTargetUrl('t', 'http://127.0.0.1:4010/v1').loopback, true);
    assert.equal(checkTargetUrl('t', 'http://localhost:4010/v1').loopback, true);
    assert.equal(checkTargetUrl('t', 'http://[::1]:4010/v1').loopback, true);
    assert.throws(() => checkTargetUrl('t', 'http://evil.example/v1'), /must use https/);
    assert.throws(() => checkTargetUrl('t', 'http://127.0.0.1.evil.example/v1'), /must use https/);
    assert.throws(() => checkTargetUrl('t', 'ftp://x/'), /https/);
    assert.throws(
      () => checkTargetUrl('t', 'https://user:hunter2pw@api.dialnexa.com/v1'),
      (e: unknown) =>
        e instanceof TargetError && /user name or password/.test(e.message) && !e.message.includes('hunter2pw'),
    );
  });

  test('host variables are named like TF_TOKEN_', () => {
    assert.equal(hostTokenVariable('https://api.dialnexa.com/v1'), 'CALLFLOW_TOKEN_api_dialnexa_com');
    assert.equal(hostTokenVariable('https://my-api.example.org:8443/v1'), 'CALLFLOW_TOKEN_my__api_example_org___8443');
    assert.equal(hostTokenVariable('http://127.0.0.1:4010/v1'), 'CALLFLOW_TOKEN_127_0_0_1___4010');
  });

  test('a per-host variable goes to its host only', () => {
    const env = { CALLFLOW_TOKEN_api_dialnexa_com: 'k-host' };
    const d = resolveKey({ name: 'prod', url: 'https://api.dialnexa.com/v1' }, { env, ...NONE });
    assert.deepEqual(d, {
      key: 'k-host',
      origin: 'https://api.dialnexa.com',
      source: 'host-variable',
      variable: 'CALLFLOW_TOKEN_api_dialnexa_com',
    });
    assert.throws(() => resolveKey({ name: 'prod', url: 'https://evil.example/v1' }, { env, ...NONE }), /no API key/);
  });

  test('key_env: GITHUB_TOKEN in a repository config sends nothing, loopback included', () => {
    const env = { GITHUB_TOKEN: 'ghp_x' };
    for (const url of ['https://api.dialnexa.com/v1', 'http://127.0.0.1:4010/v1'])
      assert.throws(
        () => resolveKey({ name: 'p', url, keyEnv: 'GITHUB_TOKEN' }, { env, ...NONE }),
        (e: unknown) => e instanceof TargetError && /key_env GITHUB_TOKEN is not allowed/.test(e.message),
      );
  });

  test('key_env CALLFLOW_*: loopback without approval; another host only when approved outside the repository', () => {
    const env = { CALLFLOW_PROD_KEY: 'k-prod' };
    assert.equal(
      resolveKey({ name: 'emu', url: 'http://127.0.0.1:9/v1', keyEnv: 'CALLFLOW_PROD_KEY' }, { env, ...NONE }).key,
      'k-prod',
    );
    assert.throws(
      () => resolveKey({ name: 'p', url: 'https://evil.example/v1', keyEnv: 'CALLFLOW_PROD_KEY' }, { env, ...NONE }),
      /not approved outside the repository/,
    );
    const approved = { name: 'p', url: 'https://api.dialnexa.com/v1', keyEnv: 'CALLFLOW_PROD_KEY' };
    assert.equal(resolveKey(approved, { env, ...NONE, approvedOrigins: ['https://api.dialnexa.com'] }).key, 'k-prod');
    assert.equal(
      resolveKey(approved, {
        env: { ...env, CALLFLOW_APPROVED_ORIGINS: 'https://x.org, https://api.dialnexa.com/' },
        ...NONE,
      }).key,
      'k-prod',
    );
  });

  test('a stored key (the extension) follows the same approval', () => {
    const t = { name: 'p', url: 'https://api.dialnexa.com/v1' };
    assert.throws(() => resolveKey(t, { env: {}, ...NONE, storedKey: 's' }), /not approved/);
    assert.equal(
      resolveKey(t, { env: {}, ...NONE, storedKey: 's', approvedOrigins: ['https://api.dialnexa.com'] }).source,
      'stored-key',
    );
  });

  test('the user credentials file: 0600 or refused; tokens per host; allow-lists', (t) => {
    const d = tmp(t);
    const f = path.join(d, 'credentials.yaml');
    writeFileSync(
      f,
      'credentials:\n  api.dialnexa.com: { token: k-file }\napproved_origins: [https://staging.example.com]\nallowed_key_env: [DIALNEXA_KEY]\n',
    );
    chmodSync(f, 0o644);
    assert.throws(
      () => readUserCredentials(f),
      (e: unknown) => /chmod 600/.test((e as Error).message) && !(e as Error).message.includes('k-file'),
    );
    chmodSync(f, 0o600);
    const s = { env: { DIALNEXA_KEY: 'k-env' }, credentialsPath: f };
    assert.equal(resolveKey({ name: 'p', url: 'https://api.dialnexa.com/v1' }, s).key, 'k-file');
    assert.equal(
      resolveKey({ name: 's', url: 'https://staging.example.com/v1', keyEnv: 'DIALNEXA_KEY' }, s).key,
      'k-env',
      'allowed by the user file, to an origin the user file approves',
    );
    assert.throws(
      () => resolveKey({ name: 's', url: 'https://other.example.com/v1', keyEnv: 'DIALNEXA_KEY' }, s),
      /not approved/,
    );
    assert.equal(readUserCredentials(path.join(d, 'absent.yaml')), undefined);
    assert.equal(defaultCredentialsPath({ XDG_CONFIG_HOME: '/x' }), '/x/callflow/credentials.yaml');
    assert.equal(defaultCredentialsPath({ CALLFLOW_CREDENTIALS_FILE: '/y/c.yaml' }), '/y/c.yaml');
  });
});

describe('redaction: one path', () => {
  test('keys with spaces or quotes are replaced whole; short keys too; URL credentials never shown', () => {
    registerSecret('live_with space_123456');
    registerSecret('q"uo\'te_key_99');
    registerSecret('k9x');
    assert.equal(redact('Authorization: Bearer live_with space_123456 sent'), 'Authorization: Bearer *** sent');
    assert.equal(redact('got q"uo\'te_key_99!'), 'got ***!');
    assert.equal(redact('key k9x rejected; k9xyz stays'), 'key *** rejected; k9xyz stays');
    assert.equal(redact('Bearer unregistered-token-1'), 'Bearer ***');
    assert.equal(redact('GET http://user:pw@127.0.0.1:4010/v1 failed'), 'GET http://***@127.0.0.1:4010/v1 failed');
    assert.equal(redact('https://tok@host.example/x'), 'https://***@host.example/x');
  });

  test('an API URL with credentials is refused at once: no retries, nothing printed', () => {
    assert.throws(
      () => new ApiClient({ baseUrl: 'http://user:pw-secret@127.0.0.1:1/v1', key: 'kkkkkk', target: 't' }),
      (e: unknown) => e instanceof TargetError && !e.message.includes('pw-secret'),
    );
  });
});

/** A real HTTP server that records every request (and answers like an empty platform). */
async function recorder(t: { after: (fn: () => void) => void }) {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const srv = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"statusCode":404,"message":"not found"}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`, seen };
}

describe('the CLI over real HTTP', () => {
  const wf = 'version: 1\ntitle: t\nnodes:\n  d: { type: DROPPED }\n';
  const base = (d: string) => ({
    CALLFLOW_CREDENTIALS_FILE: path.join(d, 'none.yaml'),
    CALLFLOW_API_TIMEOUT_MS: '3000',
  });

  test('a repository config naming GITHUB_TOKEN: nothing is sent (exit 2, the reason said)', async (t) => {
    const rec = await recorder(t);
    const d = tmp(t);
    mkdirSync(path.join(d, '.git'));
    writeFileSync(
      path.join(d, 'callflow.config.yaml'),
      `targets:\n  p:\n    url: ${rec.url}\n    key_env: GITHUB_TOKEN\ndefault_target: p\n`,
    );
    writeFileSync(path.join(d, 'a.workflow.yaml'), wf);
    const r = await cli(['plan', 'a.workflow.yaml'], {
      cwd: d,
      env: { ...base(d), GITHUB_TOKEN: 'ghp_SECRET_VALUE_1' },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /key_env GITHUB_TOKEN is not allowed/);
    assert.equal(rec.seen.length, 0);
    assert.ok(!(r.stdout + r.stderr).includes('ghp_SECRET_VALUE_1'));
  });

  test('URL credentials in the config: refused, never printed, no request', async (t) => {
    const rec = await recorder(t);
    const d = tmp(t);
    writeFileSync(
      path.join(d, 'callflow.config.yaml'),
      `targets:\n  p:\n    url: ${rec.url.replace('http://', 'http://me:pw_SECRET_2@')}\n    key_env: CALLFLOW_K\ndefault_target: p\n`,
    );
    writeFileSync(path.join(d, 'a.workflow.yaml'), wf);
    const r = await cli(['plan', 'a.workflow.yaml'], { cwd: d, env: { ...base(d), CALLFLOW_K: 'kkkkkkkk' } });
    assert.equal(r.code, 2);
    assert.ok(!(r.stdout + r.stderr).includes('pw_SECRET_2'), r.stderr);
    assert.equal(rec.seen.length, 0);
  });

  test('plain http to another host is refused; a CALLFLOW_TOKEN_<host> key reaches its loopback host', async (t) => {
    const rec = await recorder(t);
    const d = tmp(t);
    writeFileSync(path.join(d, 'a.workflow.yaml'), wf);
    writeFileSync(
      path.join(d, 'callflow.config.yaml'),
      'targets:\n  p:\n    url: http://example.com/v1\ndefault_target: p\n',
    );
    let r = await cli(['plan', 'a.workflow.yaml'], { cwd: d, env: base(d) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /must use https/);
    writeFileSync(path.join(d, 'callflow.config.yaml'), `targets:\n  p:\n    url: ${rec.url}\ndefault_target: p\n`);
    const v = hostTokenVariable(rec.url);
    r = await cli(['status', 'a.workflow.yaml'], { cwd: d, env: { ...base(d), [v]: 'host-bound-key-3' } });
    assert.equal(r.code, 1, r.stderr); // not pushed yet: no request needed
    writeFileSync(
      path.join(d, 'a.workflow.state.yaml'),
      'version: 1\ntargets:\n  p:\n    workflow: wfl_abcdefabcdef\n',
    );
    r = await cli(['status', 'a.workflow.yaml'], { cwd: d, env: { ...base(d), [v]: 'host-bound-key-3' } });
    assert.equal(rec.seen.length, 1);
    assert.equal(rec.seen[0].headers.authorization, 'Bearer host-bound-key-3');
    assert.ok(!(r.stdout + r.stderr).includes('host-bound-key-3'));
  });

  test('a config above the repository root is not used', async (t) => {
    const rec = await recorder(t);
    const d = tmp(t);
    writeFileSync(
      path.join(d, 'callflow.config.yaml'),
      `targets:\n  p:\n    url: ${rec.url}\n    key_env: CALLFLOW_K\ndefault_target: p\n`,
    );
    mkdirSync(path.join(d, 'repo/.git'), { recursive: true });
    writeFileSync(path.join(d, 'repo/a.workflow.yaml'), wf);
    const r = await cli(['plan', '--target', 'p', 'a.workflow.yaml'], {
      cwd: path.join(d, 'repo'),
      env: { ...base(d), CALLFLOW_K: 'kkkkkkkk' },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown target p/);
    assert.equal(rec.seen.length, 0);
  });
});
