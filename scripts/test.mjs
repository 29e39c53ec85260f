// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx),
// then the in-editor suite when its harness is present. Usage: node scripts/test.mjs [filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skipEditor = process.argv.includes('--no-editor') || filters.length > 0;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'vscode') continue;
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const files = walk(path.join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Lint, format and per-layer type checks first: cheap, and a layer violation fails CI like a test.
if (filters.length === 0 && !process.env.CALLFLOW_SKIP_LINT) {
  for (const script of ['typecheck', 'lint']) {
    const s = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
    if (s.status !== 0) {
      console.error(`npm test: ${script} failed`);
      process.exit(1);
    }
  }
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
});
let code = r.status ?? 1;
const editorRunner = path.join(root, 'test/vscode/run.mjs');
if (!skipEditor && existsSync(editorRunner) && !process.env.CALLFLOW_SKIP_EDITOR_TESTS) {
  const e = spawnSync(process.execPath, [editorRunner], { cwd: root, stdio: 'inherit' });
  if ((e.status ?? 1) !== 0) code = code || e.status || 1;
  // What users install: the packaged .vsix, every example activated on local.
  const p = spawnSync(process.execPath, [editorRunner, '--packaged'], { cwd: root, stdio: 'inherit' });
  if ((p.status ?? 1) !== 0) code = code || p.status || 1;
}
process.exit(code);
