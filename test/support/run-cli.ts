// Runs the built CLI (dist/cli.js) as a child process. The bundle is rebuilt first when any
// source is newer than it, so the tests never pass against a stale build.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

export const ROOT = path.join(__dirname, '../..');
const BUILT = path.join(ROOT, 'dist/cli.js');
/**
 * The tests run a private copy of dist/cli.js (beside it, so its node_modules resolve): other work
 * may rebuild dist/ while tests run, and a half-written bundle must not fail a test.
 */
export const CLI = path.join(ROOT, `dist/.cli-test-${process.pid}.js`);

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function compiles(code: string): boolean {
  try {
    new Script(code.replace(/^#!.*/, ''));
    return true;
  } catch {
    return false;
  }
}

let built = false;
export function ensureBuilt(): void {
  if (built) return;
  const stale =
    !existsSync(BUILT) ||
    ['cli', 'core', 'platform'].some(
      (d) => existsSync(path.join(ROOT, d)) && newestSource(path.join(ROOT, d)) > statSync(BUILT).mtimeMs,
    );
  if (stale) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
    });
    if (r.status !== 0) throw new Error('build failed');
  }
  // A half-written bundle does not compile; wait out a rebuild in progress.
  for (let i = 0; ; i++) {
    copyFileSync(BUILT, CLI);
    if (compiles(readFileSync(CLI, 'utf8')) || i >= 20) break;
    spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 500)']);
  }
  process.on('exit', () => rmSync(CLI, { force: true }));
  built = true;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): RunResult {
  ensureBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
  delete env.FORCE_COLOR;
  const o: SpawnSyncOptions = { cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 };
  const r = spawnSync(process.execPath, [CLI, ...args], o);
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
