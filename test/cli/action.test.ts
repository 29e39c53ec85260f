// The GitHub Action, offline: scripts/action-local.mjs runs action.yml's own steps against a
// repository with two commits built here; the GitHub API is the recording seam
// (CALLFLOW_ACTION_RECORD), so what is checked is the comment body (a golden file) and the
// sticky-comment decision (create, then update in place).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectGolden } from '../support/golden';
import { CLI, ROOT, ensureBuilt } from '../support/run-cli';

const DIFF = path.join(ROOT, 'test/fixtures/diff');
const GOLDEN = path.join(ROOT, 'test/fixtures/action');
const fixture = (c: string, f: string) => readFileSync(path.join(DIFF, c, f), 'utf8');

interface Fixture {
  dir: string;
  base: string;
  head: string;
  run(opts: {
    event?: string;
    payload?: unknown;
    inputs?: Record<string, string>;
    existing?: unknown[];
    env?: Record<string, string>;
  }): {
    code: number;
    stdout: string;
    stderr: string;
    steps: Record<string, Record<string, string>>;
    record?: { action: string; id?: number; body: string };
  };
}

/** Two commits with fixed dates and names, so their hashes (and the golden) never change. */
function fixtureRepo(t: { after: (fn: () => void) => void }): Fixture {
  ensureBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-action-repo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Reviewer',
    GIT_AUTHOR_EMAIL: 'r@example.com',
    GIT_COMMITTER_NAME: 'Reviewer',
    GIT_COMMITTER_EMAIL: 'r@example.com',
    GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
    GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
  };
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env, encoding: 'utf8' }).trim();
  const write = (f: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  };
  git('init', '-q', '-b', 'main');
  write('flows/nurture.workflow.yaml', fixture('rename-change', 'old.yaml'));
  write('flows/calls.workflow.yaml', fixture('agent-swap', 'old.yaml'));
  write('flows/legacy.workflow.yaml', fixture('file-deleted', 'old.yaml'));
  write('flows/routing.workflow.yaml', fixture('reorder-routing', 'old.yaml'));
  write('flows/leads.sample.csv', 'phone_number,customer_name,loan_amount,city\n+910000000001,A,600000,Pune\n');
  write(
    'callflow.config.yaml',
    'targets:\n  staging:\n    url: https://api.example.test/v1\n    key_env: CALLFLOW_STAGING_KEY\n',
  );
  git('add', '.');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD');
  write('flows/nurture.workflow.yaml', fixture('rename-change', 'new.yaml'));
  write('flows/calls.workflow.yaml', fixture('agent-swap', 'new.yaml'));
  rmSync(path.join(dir, 'flows/legacy.workflow.yaml'));
  write('flows/routing.workflow.yaml', fixture('reorder-routing', 'new.yaml'));
  write(
    'flows/reminder.workflow.yaml',
    readFileSync(path.join(ROOT, 'examples/appointment-reminder.workflow.yaml'), 'utf8'),
  );
  write('README.md', 'not a workflow\n');
  git('add', '-A');
  git('commit', '-qm', 'head');
  const head = git('rev-parse', 'HEAD');
  return {
    dir,
    base,
    head,
    run({ event = 'pull_request', payload, inputs = {}, existing, env: extra = {} }) {
      const eventFile = path.join(dir, '..', `${path.basename(dir)}.event.json`);
      writeFileSync(
        eventFile,
        JSON.stringify(payload ?? { pull_request: { number: 7, base: { sha: base }, head: { sha: head } } }),
      );
      const record = path.join(dir, '..', `${path.basename(dir)}.record.json`);
      const existingFile = path.join(dir, '..', `${path.basename(dir)}.existing.json`);
      rmSync(record, { force: true });
      if (existing) writeFileSync(existingFile, JSON.stringify(existing));
      t.after(() => [eventFile, record, existingFile].forEach((f) => rmSync(f, { force: true })));
      const r = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'scripts/action-local.mjs'),
          '--event',
          event,
          '--event-path',
          eventFile,
          ...Object.entries(inputs).flatMap(([k, v]) => ['--input', `${k}=${v}`]),
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...env,
            CALLFLOW_CLI: CLI,
            CALLFLOW_ACTION_RECORD: record,
            ...(existing ? { CALLFLOW_ACTION_EXISTING: existingFile } : {}),
            GITHUB_REPOSITORY: 'acme/flows',
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_TOKEN: 'ghs_test_token',
            ...extra,
          },
          timeout: 120_000,
        },
      );
      const last = r.stdout.trim().split('\n').pop() ?? '{}';
      return {
        code: r.status ?? -1,
        stdout: r.stdout,
        stderr: r.stderr,
        steps: JSON.parse(last.startsWith('{') ? last : '{}'),
        record: existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : undefined,
      };
    },
  };
}

test('pull request: annotations, SARIF, one sticky comment created then updated in place', (t) => {
  const f = fixtureRepo(t);
  const first = f.run({ inputs: { 'fail-on-error': 'false' } });
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.equal(first.record?.action, 'create');
  expectGolden(path.join(GOLDEN, 'comment.md'), first.record!.body);
  assert.equal(first.steps.review.comment, first.record!.body, 'the comment-file output holds the same body');
  assert.equal(first.steps.review['changed-files'], '5');
  assert.match(first.record!.body, /### `flows\/legacy\.workflow\.yaml` \(deleted\)/);
  assert.match(first.record!.body, /### `flows\/reminder\.workflow\.yaml` \(added\)/);
  // Validation of the changed files: GitHub annotations in the log, and a SARIF file.
  assert.match(first.stdout, /^::warning file=flows\/routing\.workflow\.yaml,line=24,[^\n]*WF118/m);
  const sarif = JSON.parse(first.steps.review.sarif);
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'WF118'));

  // The second run finds its own comment by the marker and edits it; other comments are left alone.
  const second = f.run({
    inputs: { 'fail-on-error': 'false' },
    existing: [
      { id: 1, body: 'LGTM' },
      { id: 42, body: '<!-- callflow-review -->\n## Callflow review\n\nold text\n' },
    ],
  });
  assert.deepEqual([second.record?.action, second.record?.id, second.record?.body], ['update', 42, first.record!.body]);
});

test('pull request: validation errors fail the job after the comment is written; activate never runs', (t) => {
  const f = fixtureRepo(t);
  const broken = fixture('rename-change', 'new.yaml').replace('to: wait_three_days', 'to: wait_three_dayz');
  writeFileSync(path.join(f.dir, 'flows/nurture.workflow.yaml'), broken);
  execFileSync('git', ['-c', 'user.email=r@example.com', '-c', 'user.name=R', 'commit', '-qam', 'typo'], {
    cwd: f.dir,
    env: { ...process.env, HOME: f.dir },
  });
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: f.dir, encoding: 'utf8' }).trim();
  const r = f.run({
    payload: { pull_request: { number: 7, base: { sha: f.base }, head: { sha: head } } },
    inputs: { activate: 'true', target: 'staging', key: 'sk_live_secret' },
  });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /::error file=flows\/nurture\.workflow\.yaml,line=\d+,[^\n]*WF110/);
  assert.match(r.stdout, /::notice title=Callflow review::activate is ignored on pull requests/);
  assert.equal(r.record?.action, 'create');
  assert.match(r.record!.body, /❌ 1 error/);
  // A plan was asked for (target and key), and the config is unchanged: it ran against staging,
  // which is unreachable here, so the section says the plan failed without leaking the key.
  assert.match(r.record!.body, /#### Plan against `staging`/);
  // The one place the key appears is GitHub's own masking command, which the runner swallows.
  const logged = r.stdout.replace(/^::add-mask::.*\n/m, '') + r.stderr;
  assert.ok(!r.record!.body.includes('sk_live_secret') && !logged.includes('sk_live_secret'));
});

test('pull request that edits callflow.config.yaml: the key is not used for the plan', (t) => {
  const f = fixtureRepo(t);
  writeFileSync(
    path.join(f.dir, 'callflow.config.yaml'),
    'targets:\n  staging:\n    url: https://attacker.example/v1\n    key_env: CALLFLOW_STAGING_KEY\n',
  );
  execFileSync('git', ['-c', 'user.email=r@example.com', '-c', 'user.name=R', 'commit', '-qam', 'retarget'], {
    cwd: f.dir,
    env: { ...process.env, HOME: f.dir },
  });
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: f.dir, encoding: 'utf8' }).trim();
  const r = f.run({
    payload: { pull_request: { number: 7, base: { sha: f.base }, head: { sha: head } } },
    inputs: { target: 'staging', key: 'sk_live_secret', 'fail-on-error': 'false' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.record!.body, /Skipped: this pull request changes a `callflow\.config\.yaml`, so the key is not sent/);
});

test('push: activate only on the default branch and only when asked', (t) => {
  const f = fixtureRepo(t);
  const push = { before: f.base, after: f.head, repository: { default_branch: 'main' } };
  const off = f.run({ event: 'push', payload: push, env: { GITHUB_REF: 'refs/heads/main' } });
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.record, undefined, 'no comment on a push');
  assert.doesNotMatch(off.stdout + off.stderr, /activat/i);
  const branch = f.run({
    event: 'push',
    payload: push,
    inputs: { activate: 'true', target: 'staging', key: 'k' },
    env: { GITHUB_REF: 'refs/heads/feature' },
  });
  assert.equal(branch.code, 0);
  assert.match(branch.stdout, /activate runs only on refs\/heads\/main, not refs\/heads\/feature/);
  const main = f.run({
    event: 'push',
    payload: push,
    inputs: { activate: 'true', target: 'staging', key: 'k' },
    env: { GITHUB_REF: 'refs/heads/main' },
  });
  // The staging URL does not resolve here: activate was attempted for each present workflow and failed.
  assert.equal(main.code, 1);
  assert.match(main.stderr, /callflow: /);
});
