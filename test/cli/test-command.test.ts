// `callflow test` as a process: every example's test file passes; pass, fail, coverage and bad-file
// reports in each format against goldens; exit codes 0, 1, 2; the schema agrees with the checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { expectGolden } from '../support/golden';
import { ROOT, runCli } from '../support/run-cli';

const FIX = 'test/fixtures/workflow-tests';
const EXPECTED = path.join(ROOT, FIX, 'expected');

test('every example has a test file, and all of them pass with every edge and outcome covered', () => {
  const workflows = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.workflow.yaml'));
  assert.ok(workflows.length >= 3);
  for (const w of [...workflows, 'broken/showcase.workflow.yaml'])
    assert.ok(existsSync(path.join(ROOT, 'examples', w.replace(/\.workflow\.yaml$/, '.workflow.test.yaml'))), w);
  const r = runCli(['test', 'examples', '--coverage', '--format', 'json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as {
    files: { file: string; cases: { status: string }[] }[];
    coverage: { workflow: string; edges: { taken: number }[]; outcomes: { seen: number }[] }[];
    summary: { passed: number; failed: number };
  };
  assert.ok(out.files.length >= workflows.length);
  assert.equal(out.summary.failed, 0);
  assert.ok(out.summary.passed >= 20);
  // The broken showcase's test pins down its bugs; its unreachable edges stay uncovered on purpose.
  for (const c of out.coverage.filter((x) => !x.workflow.startsWith('examples/broken/'))) {
    assert.deepEqual(
      c.edges.filter((e) => e.taken === 0),
      [],
      `${c.workflow}: every edge taken`,
    );
    assert.deepEqual(
      c.outcomes.filter((o) => o.seen === 0),
      [],
      `${c.workflow}: every outcome seen`,
    );
  }
});

test('all cases pass: exit 0, skipped cases shown as skipped', () => {
  const r = runCli(['test', `${FIX}/pass`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  expectGolden(path.join(EXPECTED, 'pass.txt'), r.stdout);
});

test('a failing case: exit 1, expected and actual paths side by side, each failed expectation named', () => {
  const r = runCli(['test', `${FIX}/fail/retry.workflow.test.yaml`]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /✗ expects one retry too few/);
  assert.match(r.stdout, /2 {2}thanks {3}≠ wait/);
  assert.match(r.stdout, /1 passed, 4 failed in 1 file\n$/);
  expectGolden(path.join(EXPECTED, 'fail.txt'), r.stdout);
});

test('the failing run in json, junit and tap', () => {
  for (const [format, name] of [
    ['json', 'fail.json'],
    ['junit', 'fail.junit.xml'],
    ['tap', 'fail.tap'],
  ] as const) {
    const r = runCli(['test', `${FIX}/fail`, '--format', format]);
    assert.equal(r.code, 1, `${format}: ${r.stderr}`);
    expectGolden(path.join(EXPECTED, name), r.stdout);
  }
  const json = JSON.parse(runCli(['test', `${FIX}/fail`, '--format', 'json']).stdout) as {
    files: { cases: { name: string; status: string; failures: { field: string; range: unknown }[] }[] }[];
  };
  const c = json.files[0].cases[0];
  assert.equal(c.status, 'fail');
  assert.deepEqual(
    c.failures.map((f) => f.field),
    ['path', 'elapsed_hours', 'calls'],
  );
  // The failed `path` expectation is at its value, 0-based, as in LSP.
  assert.deepEqual(c.failures[0].range, { start: { line: 7, character: 12 }, end: { line: 7, character: 31 } });
  const tap = runCli(['test', `${FIX}/fail`, '--format', 'tap']).stdout;
  assert.match(tap, /^TAP version 13\n1\.\.5\n/);
  assert.equal(tap.match(/^(not )?ok \d+ /gm)?.length, 5);
});

test('--coverage lists the edges and outcomes no case exercises', () => {
  const r = runCli(['test', `${FIX}/coverage`, '--coverage']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /call → lost \(edge 3, any outcome\)/);
  assert.match(r.stdout, /outcomes no case sees:\n {4}call FAILED/);
  expectGolden(path.join(EXPECTED, 'coverage.txt'), r.stdout);
  const j = runCli(['test', `${FIX}/coverage`, '--coverage', '--format', 'json']);
  expectGolden(path.join(EXPECTED, 'coverage.json'), j.stdout);
});

test('bad test files: exit 2, every problem at its exact place, nothing run', () => {
  const r = runCli(['test', `${FIX}/bad`]);
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stdout, /✓|✗/);
  expectGolden(path.join(EXPECTED, 'bad.txt'), r.stdout);
  const j = JSON.parse(runCli(['test', `${FIX}/bad`, '--format', 'json']).stdout) as {
    files: { file: string; ran: boolean; diagnostics: { code: string; message: string; range: unknown }[] }[];
  };
  assert.ok(j.files.every((f) => !f.ran));
  const nodes = j.files.find((f) => f.file.endsWith('nodes.workflow.test.yaml'))!;
  const cal = nodes.diagnostics.find((d) => d.message.startsWith('unknown node "cal"'));
  assert.deepEqual(cal, {
    code: 'WT004',
    severity: 'error',
    message: 'unknown node "cal" in outcomes (did you mean "call"?)',
    range: { start: { line: 4, character: 6 }, end: { line: 4, character: 9 } },
  });
  const outside = j.files.find((f) => f.file.endsWith('outside.workflow.test.yaml'))!;
  assert.match(outside.diagnostics[0].message, /outside the test file's repository/);
  expectGolden(path.join(EXPECTED, 'bad.junit.xml'), runCli(['test', `${FIX}/bad`, '--format', 'junit']).stdout);
});

test('a workflow file as PATH runs the test file beside it; a missing one, or no test file at all, exits 2', () => {
  const r = runCli(['test', 'examples/lead-nurture.workflow.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^examples\/lead-nurture\.workflow\.test\.yaml/);
  const none = runCli(['test', `${FIX}/bad/broken.workflow.yaml`]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no test file for .*broken\.workflow\.yaml/);
  const empty = runCli(['test', 'docs']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no \*\.workflow\.test\.yaml files found in docs/);
  const bad = runCli(['test', '--format', 'xml']);
  assert.equal(bad.code, 2);
});

test('the published schema accepts what the checker accepts and rejects the malformed file', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/workflow-test.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
  const good = [
    ...readdirSync(path.join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.workflow.test.yaml'))
      .map((f) => `examples/${f}`),
    'examples/broken/showcase.workflow.test.yaml',
    `${FIX}/pass/retry.workflow.test.yaml`,
    `${FIX}/fail/retry.workflow.test.yaml`,
    `${FIX}/coverage/retry.workflow.test.yaml`,
  ];
  for (const f of good)
    assert.ok(validate(parse(readFileSync(path.join(ROOT, f), 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`);
  assert.equal(validate(parse(readFileSync(path.join(ROOT, FIX, 'bad/shape.workflow.test.yaml'), 'utf8'))), false);
  const paths = new Set((validate.errors ?? []).map((e) => e.instancePath));
  for (const p of [
    '/cases/misspelled everything/lead',
    '/cases/misspelled everything/expect/path',
    '/cases/misspelled everything/expect/ends',
    '/cases/misspelled everything/expect/elapsed_hours',
    '/cases/misspelled everything/expect/calls',
    '/cases/empty expectation/expect',
    '/cases/bad outcomes/outcomes/call',
  ])
    assert.ok(paths.has(p), `the schema rejects ${p}`);
});
