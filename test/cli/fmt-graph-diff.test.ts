import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../support/run-cli';

const FMT = path.join(ROOT, 'test/fixtures/fmt');
const GRAPH = path.join(ROOT, 'test/fixtures/graph');
const DIFF = path.join(ROOT, 'test/fixtures/diff');
const EXAMPLE = path.join(ROOT, 'examples/lead-nurture.workflow.yaml');

function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('fmt --check lists files that differ (exit 1), fmt rewrites them, then --check passes (exit 0)', (t) => {
  const dir = tempDir(t, 'callflow-fmt-');
  mkdirSync(path.join(dir, 'flows'));
  for (const n of ['shuffled-keys', 'comments-everywhere', 'quoting-crlf'])
    copyFileSync(path.join(FMT, `${n}.input.yaml`), path.join(dir, 'flows', `${n}.workflow.yaml`));
  copyFileSync(path.join(FMT, 'x-keys.canonical.yaml'), path.join(dir, 'flows', 'already.workflow.yaml'));
  chmodSync(path.join(dir, 'flows/shuffled-keys.workflow.yaml'), 0o640);

  const check = runCli(['fmt', '--check', 'flows'], { cwd: dir });
  assert.equal(check.code, 1);
  assert.equal(
    check.stdout,
    'flows/comments-everywhere.workflow.yaml\nflows/quoting-crlf.workflow.yaml\nflows/shuffled-keys.workflow.yaml\n',
  );
  assert.match(check.stderr, /3 of 4 files are not in canonical form/);
  assert.equal(
    readFileSync(path.join(dir, 'flows/shuffled-keys.workflow.yaml'), 'utf8'),
    readFileSync(path.join(FMT, 'shuffled-keys.input.yaml'), 'utf8'),
    '--check writes nothing',
  );

  const write = runCli(['fmt', 'flows'], { cwd: dir });
  assert.equal(write.code, 0, write.stderr);
  assert.equal(write.stdout, check.stdout, 'the rewritten files are listed');
  for (const n of ['shuffled-keys', 'comments-everywhere', 'quoting-crlf']) {
    assert.equal(
      readFileSync(path.join(dir, 'flows', `${n}.workflow.yaml`), 'utf8'),
      readFileSync(path.join(FMT, `${n}.canonical.yaml`), 'utf8'),
      n,
    );
  }
  assert.ok(readFileSync(path.join(dir, 'flows/quoting-crlf.workflow.yaml'), 'utf8').includes('\r\n'), 'CRLF kept');
  assert.equal(statSync(path.join(dir, 'flows/shuffled-keys.workflow.yaml')).mode & 0o777, 0o640, 'file mode kept');
  const again = runCli(['fmt', '--check'], { cwd: dir });
  assert.deepEqual([again.code, again.stdout], [0, '']);
});

test('fmt leaves a file with a syntax error untouched and exits 2, still formatting the others', (t) => {
  const dir = tempDir(t, 'callflow-fmt-bad-');
  const broken = readFileSync(path.join(FMT, 'syntax-error.input.yaml'), 'utf8');
  writeFileSync(path.join(dir, 'broken.workflow.yaml'), broken);
  copyFileSync(path.join(FMT, 'shuffled-keys.input.yaml'), path.join(dir, 'ok.workflow.yaml'));
  const r = runCli(['fmt', '.'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.workflow\.yaml: not formatted: \d+:\d+ WF001 YAML syntax error.*left as it is/);
  assert.equal(readFileSync(path.join(dir, 'broken.workflow.yaml'), 'utf8'), broken);
  assert.equal(
    readFileSync(path.join(dir, 'ok.workflow.yaml'), 'utf8'),
    readFileSync(path.join(FMT, 'shuffled-keys.canonical.yaml'), 'utf8'),
  );
  assert.equal(runCli(['fmt', '--check', 'broken.workflow.yaml'], { cwd: dir }).code, 2);
  assert.equal(runCli(['fmt', '--chek'], { cwd: dir }).code, 2);
});

test('graph prints mermaid, dot and svg identical to the golden files', () => {
  for (const [fmt, ext] of [
    ['mermaid', 'mmd'],
    ['dot', 'dot'],
    ['svg', 'svg'],
  ]) {
    const r = runCli(['graph', EXAMPLE, '--format', fmt]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(path.join(GRAPH, `lead-nurture.${ext}`), 'utf8'), fmt);
  }
  assert.equal(
    runCli(['graph', EXAMPLE]).stdout,
    readFileSync(path.join(GRAPH, 'lead-nurture.mmd'), 'utf8'),
    'mermaid is the default',
  );
});

test('graph: usage errors and unparsable files exit 2 with a message', (t) => {
  const none = runCli(['graph']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /graph: missing FILE/);
  assert.equal(runCli(['graph', EXAMPLE, 'extra']).code, 2);
  assert.match(runCli(['graph', EXAMPLE, '--format', 'png']).stderr, /--format must be one of mermaid, dot, svg/);
  const dir = tempDir(t, 'callflow-graph-');
  writeFileSync(path.join(dir, 'b.workflow.yaml'), readFileSync(path.join(FMT, 'syntax-error.input.yaml')));
  const bad = runCli(['graph', 'b.workflow.yaml'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /b\.workflow\.yaml:\d+:\d+: cannot draw the graph: YAML syntax error/);
  assert.equal(bad.stdout, '');
  assert.match(
    runCli(['graph', 'nope.workflow.yaml'], { cwd: dir }).stderr,
    /cannot read nope\.workflow\.yaml: no such file/,
  );
});

test('diff of two files: text and json match the golden files; --exit-code', () => {
  for (const c of ['rename', 'field-changes', 'edges']) {
    const args = [path.join(DIFF, c, 'old.yaml'), path.join(DIFF, c, 'new.yaml')];
    const text = runCli(['diff', ...args]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, readFileSync(path.join(DIFF, c, 'expected.txt'), 'utf8'));
    const json = runCli(['diff', '--format', 'json', ...args]);
    assert.equal(json.stdout, readFileSync(path.join(DIFF, c, 'expected.json'), 'utf8'));
    assert.equal(runCli(['diff', '--exit-code', ...args]).code, 1);
  }
  const same = runCli(['diff', '--exit-code', EXAMPLE, EXAMPLE]);
  assert.deepEqual([same.code, same.stdout], [0, 'no semantic changes\n']);
});

test('diff reads REV:PATH from git, relative to the current folder', (t) => {
  const repo = tempDir(t, 'callflow-git-');
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  mkdirSync(path.join(repo, 'flows'));
  const file = path.join(repo, 'flows/nurture.workflow.yaml');
  const old = readFileSync(path.join(DIFF, 'rename/old.yaml'), 'utf8');
  writeFileSync(file, old);
  git('add', '.');
  git('commit', '-qm', 'v1');
  writeFileSync(file, readFileSync(path.join(DIFF, 'rename/new.yaml'), 'utf8'));

  const r = runCli(['diff', 'HEAD:flows/nurture.workflow.yaml', 'flows/nurture.workflow.yaml'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(path.join(DIFF, 'rename/expected.txt'), 'utf8'));
  const inSub = runCli(['diff', 'HEAD:nurture.workflow.yaml', 'nurture.workflow.yaml'], {
    cwd: path.join(repo, 'flows'),
  });
  assert.equal(inSub.stdout, r.stdout, 'paths are relative to the current folder, not the repository root');
  // A file deleted from the work tree can still be read from a revision.
  rmSync(file);
  writeFileSync(path.join(repo, 'other.workflow.yaml'), old);
  assert.equal(
    runCli(['diff', 'HEAD:flows/nurture.workflow.yaml', 'other.workflow.yaml'], { cwd: repo }).stdout,
    'no semantic changes\n',
  );

  const bad = runCli(['diff', 'nosuchrev:flows/nurture.workflow.yaml', 'other.workflow.yaml'], { cwd: repo });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot read nosuchrev:flows\/nurture\.workflow\.yaml from git: /);
  const one = runCli(['diff', 'other.workflow.yaml'], { cwd: repo });
  assert.equal(one.code, 2);
  assert.match(one.stderr, /diff: missing OLD NEW/);
});
