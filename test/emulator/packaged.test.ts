// The emulator as it ships: a production build of dist/ (what the .vsix holds: emulator.js beside
// node-sqlite3-wasm.wasm), copied alone to a temporary directory with no node_modules anywhere above
// it, starts, serves and writes its SQLite file. This is the check that no native or unbundled module
// is needed (issue 10: the extension's `local` target failed on `Cannot find module 'better-sqlite3'`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../emulator/db';

const ROOT = path.resolve(__dirname, '../..');
let built: string;
let unpacked: string;

before(() => {
  built = mkdtempSync(path.join(tmpdir(), 'cf-dist-build-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--production', '--only=emulator,cli'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CALLFLOW_QUIET_BUILD: '1', CALLFLOW_DIST: path.join(built, 'dist') },
  });
  assert.equal(r.status, 0, r.stderr);
  // Only dist/, as the .vsix unpacks it: nothing else beside it.
  unpacked = mkdtempSync(path.join(tmpdir(), 'cf-unpacked-'));
  cpSync(path.join(built, 'dist'), path.join(unpacked, 'dist'), { recursive: true });
});
after(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(unpacked, { recursive: true, force: true });
});

function noNodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'node_modules'))) return false;
    if (path.dirname(d) === d) return true;
  }
}

async function serve(script: string[], db: string) {
  const { spawn } = await import('node:child_process');
  const proc = spawn(process.execPath, [...script, '--port', '0', '--db', db, '--quiet'], {
    cwd: unpacked,
    // No NODE_PATH: a module found outside dist/ would be a packaging bug.
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', () => {
      const m = /listening on (\S+)\nAPI key: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const key = /API key: (\S+)/.exec(out)![1];
  return {
    url,
    key,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the packaged dist/ alone', () => {
  it('holds the bundles and the SQLite wasm file, and no node_modules is reachable from it', () => {
    assert.deepEqual(
      readdirSync(path.join(unpacked, 'dist'))
        .filter((f) => /\.(js|wasm)$/.test(f))
        .sort(),
      ['cli.js', 'emulator.js', 'node-sqlite3-wasm.wasm'],
    );
    assert.ok(noNodeModulesAbove(unpacked), `a node_modules folder is above ${unpacked}`);
  });

  for (const [name, script] of [
    ['dist/emulator.js', ['dist/emulator.js']],
    ['dist/cli.js api serve', ['dist/cli.js', 'api', 'serve']],
  ] as const) {
    it(`${name} starts, serves the API and writes its SQLite file`, async () => {
      const db = path.join(unpacked, `proj-${name.length}`, '.callflow', 'emulator.sqlite');
      const emu = await serve([...script], db);
      const headers = { authorization: `Bearer ${emu.key}`, 'content-type': 'application/json' };
      const created = await fetch(`${emu.url}/workflows`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: 'from the package' }),
      });
      assert.equal(created.status, 201);
      const id = ((await created.json()) as { id: string }).id;
      assert.equal(await emu.stop(), 0);
      const conn = openDatabase(db);
      try {
        assert.equal(
          (conn.prepare('SELECT title FROM workflows WHERE id = ?').get(id) as { title: string }).title,
          'from the package',
        );
      } finally {
        conn.close();
      }
    });
  }
});
