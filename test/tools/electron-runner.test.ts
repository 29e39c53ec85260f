// `npm run test:electron` (test/vscode/electron.mjs) where it cannot run: one line saying why on
// stderr, exit 1, no stack trace. (Where VS Code cannot be downloaded the line names the network
// error; that case needs an offline machine, so the test uses a missing VSCODE_EXECUTABLE_PATH.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');

test('test:electron with a VS Code that is not there fails with one line', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'test/vscode/electron.mjs')], {
    cwd: root,
    env: { ...process.env, VSCODE_EXECUTABLE_PATH: path.join(root, 'no-such-vscode') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^test:electron: VSCODE_EXECUTABLE_PATH is .*no-such-vscode, which does not exist$/);
  assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at /);
});
