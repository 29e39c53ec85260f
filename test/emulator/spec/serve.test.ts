// docs/spec/cli.md, `callflow api serve`: it prints a base URL ending in /v1 and a usable key, SIGINT and
// SIGTERM stop it with exit 0, --key and a seed without a key, bad arguments and a busy port (exit 2).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundle, startEmu, tempDb, type Emu } from '../harness';

let emu: Emu;
let db: string;
before(async () => {
  db = tempDb();
  emu = await startEmu(['--quiet'], { db });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

describe('callflow api serve (cli.md)', () => {
  async function serve(args: string[]) {
    const script = await bundle('cli/main.ts');
    const proc = spawn(process.execPath, [script, 'api', 'serve', '--port', '0', '--db', tempDb(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (c) => {
      out += c;
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 45000);
      proc.stdout!.on('data', () => {
        if (/API key: [^\n]*\n/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    return { proc, out: () => out, exited };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints a base URL ending in /v1 and a usable key; ${signal} shuts it down with exit 0`, async () => {
      const s = await serve([]);
      const url = /(http:\/\/\S+)/.exec(s.out())![1];
      assert.match(url, /^http:\/\/[^/]+\/v1$/);
      const key = /API key: (\S+)/.exec(s.out())![1];
      const r = await fetch(`${url}/workflows`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 200);
      s.proc.kill(signal);
      assert.equal(await s.exited, 0);
    });
  }

  it('a seed without a key for its default workspace: a key is generated, printed and accepted', async () => {
    const seed = path.join(path.dirname(tempDb()), 'nokey.json');
    writeFileSync(
      seed,
      JSON.stringify({
        workspaces: [{ id: 'org_x', default: true, keys: [], plan: 'Starter', agents: [], phone_numbers: [] }],
      }),
    );
    const s = await serve(['--seed', seed]);
    try {
      const url = /(http:\/\/\S+\/v1)/.exec(s.out())![1];
      const key = /API key: (\S+)/.exec(s.out())![1];
      assert.equal((await fetch(`${url}/workflows`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('--key sets the accepted key (and is not printed)', async () => {
    const s = await serve(['--key', 'my_secret_key_123']);
    try {
      const url = /(http:\/\/\S+\/v1)/.exec(s.out())![1];
      assert.ok(!s.out().includes('my_secret_key_123'));
      assert.equal(
        (await fetch(`${url}/workflows`, { headers: { authorization: 'Bearer my_secret_key_123' } })).status,
        200,
      );
      assert.equal(
        (await fetch(`${url}/workflows`, { headers: { authorization: 'Bearer cf_local_dev' } })).status,
        401,
      );
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('bad arguments and a busy port: exit 2, message on stderr, nothing on stdout', async () => {
    const script = await bundle('cli/main.ts');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [script, 'api', 'serve', '--db', tempDb(), ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout!.on('data', (c) => {
          out += c;
        });
        p.stderr!.on('data', (c) => {
          err += c;
        });
        p.on('exit', (code) => resolve({ code, out, err }));
      });
    for (const args of [['--port', 'abc'], ['--bogus'], ['--port', String(new URL(emu.url).port)]]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '');
      assert.ok(r.err.trim().length > 0);
    }
  });
});
