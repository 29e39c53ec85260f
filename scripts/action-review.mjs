// The action's review step (action.yml). On a pull request: validate the changed workflow files
// (annotations on stdout, a SARIF file), build the comment (semantic diff of every changed workflow
// against the base, validation summary, and the plan when a target and key are given), and post or
// update the one sticky comment. On a push to the default branch with `activate: 'true'`: activate
// the changed workflows. Nothing is ever pushed or activated from a pull request.
// Everything runs through the CLI (`callflow diff|validate|plan|activate`) as child processes with
// argument arrays; inputs come from the environment (INPUT_*), never from shell text.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { githubComments, MARKER, recordingComments, upsertComment } from './action-github.mjs';

const env = process.env;
const actionPath = env.CALLFLOW_ACTION_PATH || path.dirname(path.dirname(new URL(import.meta.url).pathname));
const cli = env.CALLFLOW_CLI || path.join(actionPath, 'dist/cli.js');
const workspace = env.GITHUB_WORKSPACE || process.cwd();
const input = (name, def = '') => (env[`INPUT_${name}`] ?? def).trim();
const key = input('KEY');
const target = input('TARGET');
const paths = input('PATHS').split(/\s+/).filter(Boolean);
const yes = (v) => v.toLowerCase() === 'true';

if (key) console.log(`::add-mask::${key}`);
// Child processes never see the key or the token unless a step needs it (the plan, activate).
const childEnv = { ...env };
for (const k of ['INPUT_KEY', 'INPUT_GITHUB_TOKEN', 'GITHUB_TOKEN']) delete childEnv[k];
childEnv.NO_COLOR = '1';

function callflow(args, extraEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: workspace,
    env: { ...childEnv, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return { code: r.status ?? 2, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

function git(args) {
  const r = spawnSync('git', args, { cwd: workspace, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '' };
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${String(value).replace(/\r?\n/g, ' ')}\n`);
}

const fail = (message) => {
  console.log(`::error title=Callflow review::${message}`);
  process.exit(2);
};

const eventName = env.GITHUB_EVENT_NAME || '';
const event =
  env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)
    ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
    : {};
const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
const short = (sha) => String(sha).slice(0, 7);

let base, head, range;
if (isPullRequest) {
  base = event.pull_request?.base?.sha;
  head = event.pull_request?.head?.sha;
  // Like the pull request's "Files changed": what the head adds since it forked from the base.
  range = `${base}...${head}`;
} else if (eventName === 'push') {
  base = event.before;
  head = event.after;
  range = `${base}..${head}`;
} else {
  console.log(`callflow action: nothing to do for the ${eventName || 'unknown'} event (pull_request or push)`);
  process.exit(0);
}
if (!base || !head || /^0+$/.test(base)) {
  console.log('callflow action: no base commit to compare with (a new branch?): nothing to review');
  process.exit(0);
}
if (git(['cat-file', '-e', `${base}^{commit}`]).code !== 0)
  fail(`the base commit ${short(base)} is not in the checkout: use actions/checkout with fetch-depth: 0`);

// ---- what changed ----
const listed = callflow(['diff', '--format', 'json', range, ...paths]);
let files;
try {
  files = JSON.parse(listed.stdout);
} catch {
  fail(`callflow diff failed: ${listed.stderr.trim()}`);
}
const present = files.filter((f) => f.change !== 'deleted').map((f) => f.path);
output('changed-files', files.length);
console.log(`callflow action: ${files.length} workflow file(s) changed in ${range}`);

// ---- push: activate on the default branch, when asked ----
if (eventName === 'push') {
  const defaultRef = `refs/heads/${event.repository?.default_branch ?? ''}`;
  if (!yes(input('ACTIVATE', 'false'))) process.exit(0);
  if (env.GITHUB_REF !== defaultRef) {
    console.log(`callflow action: activate runs only on ${defaultRef}, not ${env.GITHUB_REF}`);
    process.exit(0);
  }
  if (!target || !key) fail('activate needs the target and key inputs');
  let failed = 0;
  for (const f of present) {
    const r = callflow(['activate', f, '--target', target, '--yes'], keyEnv(f));
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    if (r.code !== 0) failed++;
  }
  process.exit(failed ? 1 : 0);
}
if (yes(input('ACTIVATE', 'false')))
  console.log(
    '::notice title=Callflow review::activate is ignored on pull requests (it runs after the merge, on the default branch)',
  );

// ---- validation ----
const outDir = path.join(env.RUNNER_TEMP || workspace, 'callflow-review');
mkdirSync(outDir, { recursive: true });
let errors = 0,
  warnings = 0;
let sarifFile = '';
if (present.length) {
  const annotations = callflow(['validate', '--format', 'github', ...present]);
  process.stdout.write(annotations.stdout);
  const sarif = callflow(['validate', '--format', 'sarif', ...present]);
  sarifFile = path.join(outDir, 'callflow.sarif');
  writeFileSync(sarifFile, sarif.stdout);
  const json = callflow(['validate', '--format', 'json', ...present]);
  try {
    for (const f of JSON.parse(json.stdout))
      for (const d of f.diagnostics) {
        if (d.severity === 'error') errors++;
        if (d.severity === 'warning') warnings++;
      }
  } catch {
    fail(`callflow validate failed: ${json.stderr.trim()}`);
  }
}
output('sarif-file', sarifFile);
output('errors', errors);

// ---- the comment ----
const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
const repo = env.GITHUB_REPOSITORY || '';
const linkBase = repo ? `${server}/${repo}/blob/${head}/` : '';
const md = callflow(['diff', '--format', 'markdown', ...(linkBase ? ['--link-base', linkBase] : []), range, ...paths]);
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;
const body = [MARKER, '## Callflow review', ''];
if (!files.length) body.push('No workflow files changed.');
else {
  body.push(md.stdout.trim(), '', '#### Validation', '');
  body.push(
    errors + warnings === 0
      ? `✅ No problems in the ${plural(present.length, 'changed workflow file')}.`
      : `${errors ? '❌' : '⚠️'} ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in the changed workflow files (annotated on the diff; details in code scanning).`,
  );
  body.push(...planSection());
}
body.push('', `<sub>Callflow · ${short(base)}…${short(head)} · updated on every push to this pull request</sub>`);
const text = fitComment(body.join('\n') + '\n');
const commentFile = path.join(outDir, 'comment.md');
writeFileSync(commentFile, text);
output('comment-file', commentFile);

if (yes(input('COMMENT', 'true')) && isPullRequest) {
  const api = env.CALLFLOW_ACTION_RECORD
    ? recordingComments(env.CALLFLOW_ACTION_RECORD, env.CALLFLOW_ACTION_EXISTING)
    : githubComments({
        token: input('GITHUB_TOKEN'),
        repository: repo,
        number: event.pull_request.number,
        apiUrl: env.GITHUB_API_URL,
      });
  try {
    const d = await upsertComment(api, text, { createIfMissing: files.length > 0 });
    console.log(`callflow action: comment ${d.action}${d.id ? ` (#${d.id})` : ''}`);
  } catch (e) {
    // A fork's pull request gets a read-only token: say so, keep the review's other results.
    console.log(`::warning title=Callflow review::could not post the comment: ${e.message}`);
  }
}
if (errors && yes(input('FAIL_ON_ERROR', 'true'))) {
  console.log(`::error title=Callflow review::${plural(errors, 'validation error')} in the changed workflow files`);
  process.exit(1);
}

/**
 * GitHub refuses comments over 65,536 characters: graphs go first, then the tail is cut with a
 * pointer to the full diff.
 */
function fitComment(full) {
  const LIMIT = 60_000;
  if (full.length <= LIMIT) return full;
  const noGraphs = full.replace(
    /<details><summary>Graph of the new version[^]*?<\/details>/g,
    '_Graph left out: the comment would be too long._',
  );
  if (noGraphs.length <= LIMIT) return noGraphs;
  return `${noGraphs.slice(0, LIMIT)}\n\n… cut: the review is longer than a comment may be. Run \`npx callflow diff ${range}\` for all of it.\n`;
}

/** The plan against the target, when a target and key are given and the pull request leaves the targets alone. */
function planSection() {
  if (!target || !key || !present.length) return [];
  const out = ['', `#### Plan against \`${target}\``, ''];
  // The key goes only where the base branch says: a pull request that edits a callflow.config.yaml
  // could point the target at another host.
  const configChanged =
    git(['diff', '--quiet', '--no-ext-diff', range, '--', ':(glob)**/callflow.config.yaml']).code !== 0;
  if (configChanged)
    return [
      ...out,
      'Skipped: this pull request changes a `callflow.config.yaml`, so the key is not sent (a maintainer can run `callflow plan` locally).',
    ];
  for (const f of present) {
    const r = callflow(['plan', f, '--target', target], keyEnv(f));
    const shown = (r.code === 0 ? r.stdout : r.stderr || r.stdout).split(key).join('***').trimEnd();
    out.push(
      `<details><summary><code>${f}</code>${r.code === 0 ? '' : ' (plan failed)'}</summary>`,
      '',
      '```text',
      shown,
      '```',
      '',
      '</details>',
    );
  }
  return out;
}

/** The key under every environment variable name the target uses in the repository's config files. */
function keyEnv() {
  const out = {};
  const require = createRequire(path.join(actionPath, 'package.json'));
  const { parse } = require('yaml');
  const listed = git(['ls-files', '-z', '--', ':(glob)**/callflow.config.yaml']).stdout.split('\0').filter(Boolean);
  for (const f of listed) {
    try {
      const name = parse(readFileSync(path.join(workspace, f), 'utf8'))?.targets?.[target]?.key_env;
      if (typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) out[name] = key;
    } catch {
      // A config that does not parse: the CLI reports it when it reads it.
    }
  }
  return out;
}
