// What every runner of the in-editor suite does first (run.mjs: code-server; electron.mjs:
// desktop VS Code; packaged.mjs: the installed .vsix): build the bundles when a source is newer,
// and make a scratch git repository holding a fixture folder (the suite edits, pulls and commits
// files in it; "compare with HEAD" needs a HEAD).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestSource(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'workspace') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : /\.(ts|css|json)$/.test(e.name) ? statSync(p).mtimeMs : 0);
  }
  return t;
}

/** Builds the extension, the server, the emulator and the suite unless the bundles are newer than every source. */
export function ensureBuilt({ force = false, production = false } = {}) {
  const bundles = [
    'dist/extension.js',
    'dist/server.js',
    'dist/emulator.js',
    'dist/webview.js',
    'dist/test/vscode/index.js',
    'dist/test/vscode/suite.js',
  ].map((f) => path.join(root, f));
  const fresh =
    bundles.every(existsSync) &&
    Math.min(...bundles.map((f) => statSync(f).mtimeMs)) >
      Math.max(
        ...['client', 'server', 'core', 'platform', 'protocol', 'emulator', 'test/vscode']
          .filter((d) => existsSync(path.join(root, d)))
          .map((d) => newestSource(path.join(root, d))),
      );
  if (fresh && !force && !production) return false;
  const b = spawnSync(
    process.execPath,
    [path.join(root, 'scripts/build.mjs'), ...(production ? ['--production'] : [])],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
    },
  );
  if (b.status !== 0) throw new Error('build failed');
  return true;
}

/** A temporary folder with `from` copied in as `workspace/`, committed to a new git repository. */
export function scratchWorkspace(from, prefix = 'callflow-vscode-') {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ws = path.join(tmp, 'workspace');
  mkdirSync(ws, { recursive: true });
  for (const [src, dest] of Array.isArray(from) ? from : [[from, '.']])
    cpSync(src, path.join(ws, dest), { recursive: true });
  const git = (...a) =>
    spawnSync('git', ['-c', 'user.name=Callflow Test', '-c', 'user.email=test@callflow.invalid', ...a], {
      cwd: ws,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'fixture');
  return { tmp, ws };
}
