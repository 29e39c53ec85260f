import { test } from 'node:test';
import assert from 'node:assert/strict';
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
