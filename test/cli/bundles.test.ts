// The built CLI's shape (scripts/build.mjs, cli/bundle-loader.ts): dist/cli.js is the dispatcher
// alone, each command a bundle of its own loaded when it runs, and the offline path holds none of
// the heavy modules; code caches are used only for the exact bundle they were made from. Also what
// every command gets from the factory (cli/command.ts): typo suggestions, a quiet end when the
// reader of its output stops early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, ensureBuilt, ROOT, runCli } from '../support/run-cli';

const DIST = path.join(ROOT, 'dist');
const EXAMPLE = 'examples/appointment-reminder.workflow.yaml';

function inputsOf(metaFile: string): string[] {
  const meta = JSON.parse(readFileSync(path.join(DIST, metaFile), 'utf8')) as {
    outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown> }>;
  };
  return Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
}

const HEAVY: [string, RegExp][] = [
  ['the emulator', /(^|\/)emulator\//],
  ['SQLite (WebAssembly)', /node-sqlite3-wasm/],
  ['elkjs', /elkjs/],
  ['the platform HTTP client', /platform\/(client|api|apply|prepare)\.ts$/],
  ['the semantic diff', /core\/diff\//],
  ['the interpreter', /core\/interpret\.ts$/],
];

test('validate, fmt and test load none of the heavy modules; the dispatcher holds no engine', () => {
  ensureBuilt();
  for (const cmd of ['validate', 'fmt', 'test']) {
    const inputs = inputsOf(`cli/${cmd}.meta.json`);
    assert.ok(
      inputs.some((i) => i.endsWith('cli/command.ts')),
      `${cmd}: built through the factory`,
    );
    for (const [what, re] of HEAVY) {
      if (cmd === 'test' && what === 'the interpreter') continue; // what `callflow test` runs
      assert.deepEqual(
        inputs.filter((i) => re.test(i)),
        [],
        `${cmd}'s bundle holds ${what}`,
      );
    }
  }
  const dispatcher = inputsOf('cli.meta.json');
  assert.deepEqual(
    dispatcher.filter((i) => /node_modules|core\/(validate|parse|rules)|cli\/commands\/(?!index)/.test(i)),
    [],
  );
  // The local target's emulator is a bundle of its own, loaded by the platform commands on demand.
  assert.ok(inputsOf('cli/emulator-server.meta.json').some((i) => i.endsWith('emulator/server.ts')));
  assert.ok(!inputsOf('cli/plan.meta.json').some((i) => /emulator\/|node-sqlite3-wasm/.test(i)));
});

test('a code cache is used only for the bundle it was made from; any other cache is ignored', () => {
  ensureBuilt();
  const source = readFileSync(path.join(DIST, 'cli/validate.js'));
  const cache = readFileSync(path.join(DIST, 'cli/validate.js.cache'));
  assert.deepEqual(cache.subarray(0, 32), createHash('sha256').update(source.toString('utf8')).digest());

  // A copy of the dispatcher and validate's bundle, with caches that must not be trusted.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cf-cli-cache-'));
  try {
    mkdirSync(path.join(dir, 'cli'));
    copyFileSync(path.join(DIST, 'cli.js'), path.join(dir, 'cli.js'));
    copyFileSync(path.join(DIST, 'cli/validate.js'), path.join(dir, 'cli/validate.js'));
    const run = () =>
      spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'validate', EXAMPLE], { cwd: ROOT, encoding: 'utf8' });
    const expected = runCli(['validate', EXAMPLE]);
    assert.equal(expected.code, 0, expected.stderr);
    const variants: [string, Buffer][] = [
      ['no cache', Buffer.alloc(0)],
      ['a cache of another bundle', Buffer.concat([createHash('sha256').update('other').digest(), cache.subarray(32)])],
      ['the right digest, garbage after it', Buffer.concat([cache.subarray(0, 32), Buffer.from('not a code cache')])],
      ['a truncated cache', cache.subarray(0, Math.floor(cache.length / 2))],
    ];
    for (const [what, bytes] of variants) {
      if (bytes.length) writeFileSync(path.join(dir, 'cli/validate.js.cache'), bytes);
      const r = run();
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      assert.equal(r.stdout, expected.stdout, what);
      assert.equal(r.stderr, '', what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mistyped commands, subcommands and flags suggest through core/typo.ts', () => {
  const cmd = runCli(['valdate', EXAMPLE]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /^callflow: unknown command "valdate" \(did you mean validate\?\)/);
  const flag = runCli(['push', '--yse', EXAMPLE]);
  assert.equal(flag.code, 2);
  assert.match(
    flag.stderr,
    /^callflow: push: unknown option --yse \(did you mean --yes\?\)\nRun 'callflow push --help'/,
  );
  const sub = runCli(['leads', 'uplod', EXAMPLE]);
  assert.equal(sub.code, 2);
  assert.match(sub.stderr, /^callflow: leads: unknown subcommand "uplod" \(did you mean upload\?\)/);
  const serve = runCli(['api', 'srve']);
  assert.equal(serve.code, 2);
  assert.match(
    serve.stderr,
    /^callflow: api: unknown subcommand "srve" \(did you mean serve\?\)\n\nusage: callflow api serve/,
  );
});

test('every command answers --help on stdout with exit 0, before opening anything', () => {
  for (const argv of [['validate'], ['plan'], ['pause'], ['pull'], ['leads', 'upload'], ['leads'], ['api', 'serve']]) {
    const r = runCli([...argv, '--help']);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^usage: callflow /, argv.join(' '));
    assert.equal(r.stderr, '', argv.join(' '));
  }
});

test('`callflow validate … | head -1` ends quietly when the reader stops early', () => {
  // More output than a pipe holds (64 KiB), so the CLI is still writing when `head` has gone.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cf-cli-epipe-'));
  try {
    const broken = readFileSync(path.join(ROOT, 'examples/broken/showcase.workflow.yaml'), 'utf8');
    for (let i = 0; i < 60; i++) writeFileSync(path.join(dir, `f${i}.workflow.yaml`), broken);
    ensureBuilt();
    const full = runCli(['validate', '.'], { cwd: dir });
    assert.ok(full.stdout.length > 256 * 1024, `${full.stdout.length} bytes is not enough to fill the pipe`);
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" validate . | head -1; echo "status \${PIPESTATUS[0]}" >&2`],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    // No message and no stack trace; the status is validate's own if it got that far (1: these files
    // have errors), else 0: never 2, which would say it could not run.
    assert.match(r.stderr, /^status [01]\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
