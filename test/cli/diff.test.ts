// `callflow diff` as a process: two files, REV:PATH, /dev/null, BASE..HEAD ranges, and git's own
// commands (git diff, git log -p, git show, git difftool) calling it as an external diff driver in a
// real temporary repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT, ensureBuilt, runCli } from '../support/run-cli';

const DIFF = path.join(ROOT, 'test/fixtures/diff');
const EXAMPLE = path.join(ROOT, 'examples/lead-nurture.workflow.yaml');
const fixture = (c: string, f: string) => readFileSync(path.join(DIFF, c, f), 'utf8');
const RENAME_LINE = '  ~ wait_two_days → wait_three_days (renamed) · delay_hours 48 → 72\n';

function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A repository with user config of its own (no global config leaks in). */
function repo(t: { after: (fn: () => void) => void }) {
  const dir = tempDir(t, 'callflow-diff-git-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: dir,
    GIT_PAGER: 'cat',
    NO_COLOR: '1',
  };
  delete env.GIT_EXTERNAL_DIFF;
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], {
      cwd: dir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  return { dir, git, write: (f: string, text: string) => writeFileSync(path.join(dir, f), text) };
}

test('diff of two files: text, json and markdown match the corpus goldens; --exit-code', () => {
  for (const c of ['rename', 'rename-change', 'field-changes', 'edges', 'reorder-routing']) {
    const args = [path.join(DIFF, c, 'old.yaml'), path.join(DIFF, c, 'new.yaml')];
    const text = runCli(['diff', ...args]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, fixture(c, 'expected.txt'));
    assert.equal(runCli(['diff', '--format', 'json', ...args]).stdout, fixture(c, 'expected.json'));
    assert.equal(runCli(['diff', '--exit-code', ...args]).code, 1);
  }
  const md = runCli([
    'diff',
    '--format',
    'markdown',
    path.join(DIFF, 'rename-change/old.yaml'),
    path.join(DIFF, 'rename-change/new.yaml'),
  ]);
  assert.match(md.stdout, /#### ✏️ `wait_three_days` renamed from `wait_two_days` \(TIME\)/);
  assert.match(md.stdout, /\| `delay_hours` \| `48` \| `72` \|/);
  const same = runCli(['diff', '--exit-code', EXAMPLE, EXAMPLE]);
  assert.deepEqual([same.code, same.stdout], [0, 'no semantic changes\n']);
});

test('diff with /dev/null on one side: a file added or deleted', () => {
  const added = runCli(['diff', '/dev/null', path.join(DIFF, 'file-added/new.yaml')]);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, fixture('file-added', 'expected.txt'));
  const deleted = runCli(['diff', path.join(DIFF, 'file-deleted/old.yaml'), '/dev/null']);
  assert.equal(deleted.stdout, fixture('file-deleted', 'expected.txt'));
  assert.equal(runCli(['diff', '/dev/null', '/dev/null']).code, 2);
});

test('state files beside the workflow decide renames by platform id', () => {
  const r = runCli([
    'diff',
    '--format',
    'json',
    path.join(DIFF, 'state-rename/old.yaml'),
    path.join(DIFF, 'state-rename/new.yaml'),
  ]);
  // The state files are named after the workflow files: old.state.yaml beside old.yaml.
  const d = JSON.parse(r.stdout);
  assert.deepEqual(d.nodes[0].renamedBy, { stateId: 'staging/node_2' });
});

test('diff reads REV:PATH from git, relative to the current folder', (t) => {
  const { dir, git, write } = repo(t);
  mkdirSync(path.join(dir, 'flows'));
  write('flows/nurture.workflow.yaml', fixture('rename', 'old.yaml'));
  git('add', '.');
  git('commit', '-qm', 'v1');
  write('flows/nurture.workflow.yaml', fixture('rename', 'new.yaml'));

  const r = runCli(['diff', 'HEAD:flows/nurture.workflow.yaml', 'flows/nurture.workflow.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, fixture('rename', 'expected.txt'));
  const inSub = runCli(['diff', 'HEAD:nurture.workflow.yaml', 'nurture.workflow.yaml'], {
    cwd: path.join(dir, 'flows'),
  });
  assert.equal(inSub.stdout, r.stdout, 'paths are relative to the current folder, not the repository root');
  // A file deleted from the work tree can still be read from a revision.
  rmSync(path.join(dir, 'flows/nurture.workflow.yaml'));
  write('other.workflow.yaml', fixture('rename', 'old.yaml'));
  assert.equal(
    runCli(['diff', 'HEAD:flows/nurture.workflow.yaml', 'other.workflow.yaml'], { cwd: dir }).stdout,
    'no semantic changes\n',
  );

  const bad = runCli(['diff', 'nosuchrev:flows/nurture.workflow.yaml', 'other.workflow.yaml'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /cannot read nosuchrev:flows\/nurture\.workflow\.yaml from git: unknown revision "nosuchrev"/,
  );
  const missing = runCli(['diff', 'HEAD:flows/none.workflow.yaml', 'other.workflow.yaml'], { cwd: dir });
  assert.match(missing.stderr, /flows\/none\.workflow\.yaml is not in HEAD/);
  const outside = runCli(['diff', 'HEAD:../x.workflow.yaml', 'other.workflow.yaml'], { cwd: dir });
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /not inside the repository/);
  const option = runCli(['diff', '--', '-x:flows/a.workflow.yaml', 'other.workflow.yaml'], { cwd: dir });
  assert.equal(option.code, 2);
  assert.match(option.stderr, /bad revision "-x"/);
  const one = runCli(['diff', 'other.workflow.yaml'], { cwd: dir });
  assert.equal(one.code, 2);
  assert.match(one.stderr, /diff: missing OLD NEW/);
});

/** Two commits: a.workflow.yaml edited (rename + change), b deleted, c added, d moved to e, a README changed. */
function twoCommits(t: { after: (fn: () => void) => void }) {
  const r = repo(t);
  mkdirSync(path.join(r.dir, 'flows'));
  r.write('flows/a.workflow.yaml', fixture('rename-change', 'old.yaml'));
  r.write('flows/b.workflow.yaml', fixture('file-deleted', 'old.yaml'));
  r.write('flows/d.workflow.yaml', fixture('edges', 'old.yaml'));
  r.write('README.md', 'one\n');
  r.git('add', '.');
  r.git('commit', '-qm', 'base');
  r.write('flows/a.workflow.yaml', fixture('rename-change', 'new.yaml'));
  rmSync(path.join(r.dir, 'flows/b.workflow.yaml'));
  r.write('flows/c.workflow.yaml', fixture('file-added', 'new.yaml'));
  r.git('mv', 'flows/d.workflow.yaml', 'flows/e.workflow.yaml');
  r.write('README.md', 'two\n');
  r.git('add', '-A');
  r.git('commit', '-qm', 'head');
  return r;
}

test('diff BASE..HEAD diffs every changed workflow file, added and deleted ones included', (t) => {
  const { dir } = twoCommits(t);
  const r = runCli(['diff', 'HEAD~1..HEAD'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const sections = r.stdout.split(/^=== /m).filter(Boolean);
  assert.deepEqual(
    sections.map((s) => s.split('\n')[0]),
    [
      'flows/a.workflow.yaml (modified)',
      'flows/b.workflow.yaml (deleted)',
      'flows/c.workflow.yaml (added)',
      'flows/d.workflow.yaml → flows/e.workflow.yaml (renamed)',
    ],
  );
  assert.ok(sections[0].includes(RENAME_LINE));
  assert.equal(sections[3].split('\n')[1], 'no semantic changes');
  assert.ok(sections[1].endsWith(fixture('file-deleted', 'expected.txt') + '\n'));
  assert.ok(sections[2].endsWith(fixture('file-added', 'expected.txt') + '\n'));

  const one = runCli(['diff', 'HEAD~1..', 'flows/a.workflow.yaml'], { cwd: dir });
  assert.equal(one.stdout, `=== flows/a.workflow.yaml (modified)\n${fixture('rename-change', 'expected.txt')}`);
  const inSub = runCli(['diff', 'HEAD~1...HEAD', 'a.workflow.yaml'], { cwd: path.join(dir, 'flows') });
  assert.equal(inSub.stdout, one.stdout, 'paths relative to the current folder; A...B diffs from the merge base');
  assert.equal(runCli(['diff', '--exit-code', 'HEAD~1..HEAD'], { cwd: dir }).code, 1);
  const none = runCli(['diff', '--exit-code', 'HEAD..HEAD'], { cwd: dir });
  assert.deepEqual([none.code, none.stdout], [0, 'no workflow files changed\n']);

  const json = JSON.parse(runCli(['diff', '--format', 'json', 'HEAD~1..HEAD'], { cwd: dir }).stdout);
  assert.deepEqual(
    json.map((f: { path: string; change: string }) => `${f.change} ${f.path}`),
    [
      'modified flows/a.workflow.yaml',
      'deleted flows/b.workflow.yaml',
      'added flows/c.workflow.yaml',
      'renamed flows/e.workflow.yaml',
    ],
  );
  const md = runCli(['diff', '--format', 'markdown', '--link-base', 'https://example.test/blob/abc/', 'HEAD~1..HEAD'], {
    cwd: dir,
  });
  assert.match(md.stdout, /^\*\*3 workflow files changed\*\*/);
  assert.match(md.stdout, /^### `flows\/d\.workflow\.yaml` → `flows\/e\.workflow\.yaml` \(renamed\)$/m);
  assert.match(md.stdout, /\(\[line 27\]\(https:\/\/example\.test\/blob\/abc\/flows\/a\.workflow\.yaml#L27\)\)/);
  const bad = runCli(['diff', 'nope..HEAD'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /diff nope\.\.HEAD: unknown revision "nope"/);
});

test('git diff, git log -p, git show and git difftool print the semantic diff through the driver', (t) => {
  ensureBuilt();
  const { dir, git, write } = twoCommits(t);
  const driver = `"${process.execPath}" "${CLI}" diff`;
  // difftool: the two-file form with LOCAL and REMOTE (before the attributes route it to the driver).
  const tool = git('difftool', '-y', '-x', driver, 'HEAD~1', 'HEAD', '--', 'flows/a.workflow.yaml');
  assert.equal(tool, fixture('rename-change', 'expected.txt'));

  write('.gitattributes', '*.workflow.yaml diff=callflow\n');
  git('config', 'diff.callflow.command', driver);

  const d = git('diff', 'HEAD~1', 'HEAD');
  assert.ok(
    d.includes(
      'diff --callflow a/flows/a.workflow.yaml b/flows/a.workflow.yaml\n' + fixture('rename-change', 'expected.txt'),
    ),
    d,
  );
  assert.ok(
    d.includes(
      'diff --callflow a/flows/b.workflow.yaml b/flows/b.workflow.yaml\n' + fixture('file-deleted', 'expected.txt'),
    ),
  );
  assert.ok(
    d.includes(
      'diff --callflow a/flows/c.workflow.yaml b/flows/c.workflow.yaml\n' + fixture('file-added', 'expected.txt'),
    ),
  );
  assert.match(d, /^diff --git a\/README\.md b\/README\.md\n[\s\S]*^-one\n\+two$/m, 'other files keep the line diff');

  // log and show run external drivers only with --ext-diff (git's rule for drivers set by attributes).
  for (const args of [
    ['log', '-p', '--ext-diff', '-1'],
    ['show', '--ext-diff', 'HEAD'],
  ]) {
    const out = git(...args);
    assert.ok(out.includes(RENAME_LINE), `${args.join(' ')}:\n${out}`);
  }
  assert.ok(!git('log', '-p', '-1').includes(RENAME_LINE), 'without --ext-diff git log shows lines');

  // A work-tree edit that does not parse: a note and git's line diff instead, and git carries on.
  write('flows/a.workflow.yaml', 'nodes: [\n');
  const broken = git('diff');
  assert.match(broken, /\(new version: cannot read the workflow \(2:1 WF001[^\n]*; line diff follows\)\n/);
  assert.match(broken, /^\+nodes: \[$/m);
  git('checkout', '--', 'flows/a.workflow.yaml');

  // GIT_EXTERNAL_DIFF (every file): workflow files semantic, the rest as git's line diff.
  const env = { ...process.env, GIT_EXTERNAL_DIFF: driver, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_PAGER: 'cat' };
  const ext = execFileSync('git', ['diff', 'HEAD~1', 'HEAD'], { cwd: dir, env, encoding: 'utf8' });
  assert.ok(ext.includes(RENAME_LINE));
  assert.match(ext, /^\+two$/m);
});

test('the pre-commit hook in docs/reviewing.md refuses unformatted or invalid workflow files', (t) => {
  ensureBuilt();
  const docs = readFileSync(path.join(ROOT, 'docs/reviewing.md'), 'utf8');
  const hook = /```sh\n(#!\/bin\/sh\n[\s\S]*?)```/
    .exec(docs)![1]
    .replaceAll('npx callflow', `"${process.execPath}" "${CLI}"`);
  const { dir, git, write } = repo(t);
  writeFileSync(path.join(dir, '.git/hooks/pre-commit'), hook, { mode: 0o755 });
  const commit = () => {
    try {
      git('commit', '-qm', 'c');
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  write('README.md', 'no workflow\n');
  git('add', '.');
  assert.equal(commit(), 0, 'nothing to check');
  write('a.workflow.yaml', fixture('rename-change', 'new.yaml'));
  git('add', '.');
  assert.notEqual(commit(), 0, 'not in canonical form');
  execFileSync(process.execPath, [CLI, 'fmt', 'a.workflow.yaml'], { cwd: dir });
  write(
    'a.workflow.yaml',
    readFileSync(path.join(dir, 'a.workflow.yaml'), 'utf8').replace('to: second_call', 'to: secnd_call'),
  );
  git('add', '.');
  assert.notEqual(commit(), 0, 'a validation error');
  write(
    'a.workflow.yaml',
    readFileSync(path.join(dir, 'a.workflow.yaml'), 'utf8').replace('to: secnd_call', 'to: second_call'),
  );
  git('add', '.');
  assert.equal(commit(), 0, 'formatted and valid');
});
