import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { escapeData, escapeProperty } from '../../cli/report/github';
import { expectGolden } from '../support/golden';
import { CLI, ROOT, runCli } from '../support/run-cli';

const FIX = path.join(ROOT, 'test/fixtures/validate');
const EXPECTED = path.join(FIX, 'expected');
const ARGS = ['problems', 'syntax', 'clean'];

test('text report: file:line:col, severity, code, message, code frame, summary; exit 1 on errors', () => {
  const r = runCli(['validate', ...ARGS], { cwd: FIX });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(!r.stdout.includes('\x1b['), 'no colour when stdout is not a terminal');
  assert.match(r.stdout, /^problems\/nurture\.workflow\.yaml:\d+:\d+ {2}(error|warning|info) {2}WF\d{3} {2}/);
  assert.match(r.stdout, /\n\d+ errors?, \d+ warnings?, \d+ infos? in 4 files\n$/);
  assert.ok(
    !r.stdout.includes('node_modules') && !r.stdout.includes('.hidden'),
    'node_modules and dot folders are skipped',
  );
  expectGolden(path.join(EXPECTED, 'report.txt'), r.stdout);
});

test("json report is exactly cli.md's shape: paths as given, 0-based ranges", () => {
  const r = runCli(['validate', '--format', 'json', ...ARGS], { cwd: FIX });
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as {
    file: string;
    diagnostics: { code: string; severity: string; message: string; range: unknown }[];
  }[];
  assert.deepEqual(
    out.map((f) => f.file),
    [
      'problems/nurture.workflow.yaml',
      'problems/sub/notify.workflow.yaml',
      'syntax/broken.workflow.yaml',
      'clean/lead-nurture.workflow.yaml',
    ],
  );
  for (const f of out)
    for (const d of f.diagnostics) {
      assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'range']);
      assert.ok(['error', 'warning', 'info'].includes(d.severity));
    }
  const wf110 = out[0].diagnostics.find((d) => d.code === 'WF110');
  assert.deepEqual(wf110?.range, { start: { line: 14, character: 12 }, end: { line: 14, character: 20 } });
  expectGolden(path.join(EXPECTED, 'report.json'), r.stdout);
});

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // The published schema is draft-04 (`id`, not `$id`) and has one pattern that is not valid as a
  // unicode RegExp; Ajv 8 reads it with these two adjustments and nothing else changed.
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

test('sarif report validates against the SARIF 2.1.0 schema, with 1-based regions and rule help links', () => {
  const r = runCli(['validate', '--format', 'sarif', ...ARGS], { cwd: FIX });
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout) as {
    runs: {
      tool: { driver: { rules: { id: string; helpUri: string }[] } };
      results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: unknown }[] }[];
    }[];
  };
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  const run = log.runs[0];
  for (const rule of run.tool.driver.rules)
    assert.equal(rule.helpUri, `https://github.com/callflow/callflow/blob/main/docs/rules/${rule.id}.md`);
  const wf110 = run.results.find((x) => x.ruleId === 'WF110')!;
  assert.deepEqual(wf110.locations[0].physicalLocation, {
    artifactLocation: { uri: 'problems/nurture.workflow.yaml' },
    region: { startLine: 15, startColumn: 13, endLine: 15, endColumn: 21 },
  });
  assert.equal(run.tool.driver.rules[wf110.ruleIndex].id, 'WF110');
  const broken = { ...log, runs: [{ ...run, results: [{ ruleId: 'WF1', level: 'fatal' }] }] };
  assert.equal(validate(broken), false, 'the schema check does reject a bad log');
  expectGolden(path.join(EXPECTED, 'report.sarif.json'), r.stdout);
});

test('github report: one workflow command per diagnostic, escaped', () => {
  const r = runCli(['validate', '--format', 'github', ...ARGS], { cwd: FIX });
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  for (const l of lines)
    assert.match(
      l,
      /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=WF\d{3}::WF\d{3} /,
    );
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        '::error file=problems/nurture.workflow.yaml,line=15,col=13,endLine=15,endColumn=21,title=WF110::WF110 unknown node',
      ),
    ),
  );
  assert.equal(escapeData('100% sure\r\nnext'), '100%25 sure%0D%0Anext');
  assert.equal(escapeProperty('a,b:c%'), 'a%2Cb%3Ac%25');
  assert.match(r.stderr, /errors?, \d+ warnings?/, 'the summary goes to stderr, not into the annotations');
  expectGolden(path.join(EXPECTED, 'report.github.txt'), r.stdout);
});

test('exit codes: 0 clean, 0 with warnings, 1 over --max-warnings, 2 for bad arguments and missing paths', () => {
  assert.equal(runCli(['validate', 'clean'], { cwd: FIX }).code, 0);
  assert.equal(runCli(['validate', 'warnings'], { cwd: FIX }).code, 0);
  assert.equal(runCli(['validate', '--max-warnings', '1', 'warnings'], { cwd: FIX }).code, 0);
  const over = runCli(['validate', '--max-warnings=0', 'warnings'], { cwd: FIX });
  assert.equal(over.code, 1);
  assert.match(over.stderr, /1 warning exceeds --max-warnings 0/);
  const missing = runCli(['validate', 'no-such-folder'], { cwd: FIX });
  assert.deepEqual(
    [missing.code, missing.stdout, missing.stderr],
    [2, '', 'callflow: path not found: no-such-folder\n'],
  );
  const bad = runCli(['validate', '--format', 'xml', 'clean'], { cwd: FIX });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format must be one of text, json, sarif, github \(got "xml"\)/);
  const typo = runCli(['validate', '--max-warning', '3'], { cwd: FIX });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown option --max-warning \(did you mean --max-warnings\?\)/);
  const nan = runCli(['validate', '--max-warnings', 'many'], { cwd: FIX });
  assert.equal(nan.code, 2);
  assert.match(nan.stderr, /--max-warnings must be an integer/);
  const empty = mkdtempSync(path.join(os.tmpdir(), 'callflow-empty-'));
  try {
    const none = runCli(['validate'], { cwd: empty });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no \*\.workflow\.yaml files found in the current folder/);
    symlinkSync(path.join(empty, 'gone'), path.join(empty, 'dangling.workflow.yaml'));
    assert.equal(runCli(['validate', 'dangling.workflow.yaml'], { cwd: empty }).code, 2);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('no path validates the current folder; absolute paths stay absolute', () => {
  const r = runCli(['validate', '--format', 'json'], { cwd: path.join(FIX, 'clean') });
  assert.deepEqual(
    JSON.parse(r.stdout).map((f: { file: string }) => f.file),
    ['lead-nurture.workflow.yaml'],
  );
  const abs = path.join(FIX, 'clean/lead-nurture.workflow.yaml');
  assert.equal(JSON.parse(runCli(['validate', '--format', 'json', abs]).stdout)[0].file, abs);
});

test('--online checks agents and numbers against the target: the local emulator by default', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-online-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'a.workflow.yaml'), readFileSync(path.join(FIX, 'clean/lead-nurture.workflow.yaml')));
  writeFileSync(path.join(dir, 'leads.sample.csv'), readFileSync(path.join(FIX, 'clean/leads.sample.csv')));
  const wf = readFileSync(path.join(FIX, 'clean/lead-nurture.workflow.yaml'), 'utf8');
  writeFileSync(
    path.join(dir, 'b.workflow.yaml'),
    wf.replace(/agt_abc123/g, 'agt_nobody9').replace(/\+912234567890/g, '+14155550987'),
  );
  const emu = { CALLFLOW_LOCAL_DB: path.join(dir, 'emu.sqlite') };
  assert.equal(runCli(['validate', 'b.workflow.yaml'], { cwd: dir }).code, 0, 'offline, unknown agents cannot be seen');
  // The local emulator's default seed holds the example's agent and number, not these.
  const good = runCli(['validate', '--online', '--format', 'json', 'a.workflow.yaml'], { cwd: dir, env: emu });
  assert.equal(good.code, 0, good.stderr);
  const r = runCli(['validate', '--online', '--format', 'json', 'b.workflow.yaml'], { cwd: dir, env: emu });
  assert.equal(r.code, 1, r.stderr);
  const codes = new Set(JSON.parse(r.stdout)[0].diagnostics.map((d: { code: string }) => d.code));
  assert.ok(codes.has('WF201') && codes.has('WF202'), [...codes].join(','));
  // A configured target that cannot be reached: the command could not run.
  writeFileSync(
    path.join(dir, 'callflow.config.yaml'),
    'targets:\n  staging: { url: "http://127.0.0.1:9/v1", key_env: CALLFLOW_TEST_KEY }\ndefault_target: staging\n',
  );
  const down = runCli(['validate', '--online', 'a.workflow.yaml'], {
    cwd: dir,
    env: { CALLFLOW_TEST_KEY: 'secret-key-123' },
  });
  assert.equal(down.code, 2);
  assert.equal(down.stdout, '');
  assert.match(down.stderr, /online checks failed/);
  assert.ok(!down.stderr.includes('secret-key-123'), 'the key is never printed');
  const noKey = runCli(['validate', '--online', 'a.workflow.yaml'], {
    cwd: dir,
    env: { CALLFLOW_TEST_KEY: undefined },
  });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /CALLFLOW_TEST_KEY is not set/);
});

function inTerminal(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  // util-linux `script` gives the child a pseudo-terminal, as a person's shell would.
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env, encoding: 'utf8', timeout: 60_000 });
  return r.error ? undefined : r.stdout;
}

test('colour on a terminal, never with NO_COLOR', (t) => {
  const cmd = `cd ${JSON.stringify(FIX)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} validate warnings`;
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const coloured = inTerminal(cmd, env);
  if (coloured === undefined) {
    t.skip('no `script` command to make a terminal');
    return;
  }
  assert.ok(coloured.includes('\x1b[33mwarning\x1b[0m'), JSON.stringify(coloured.slice(0, 200)));
  const plain = inTerminal(cmd, { ...env, NO_COLOR: '1' })!;
  assert.ok(plain.includes('warning  WF116'));
  assert.ok(!plain.includes('\x1b['));
});

test('leads CSV and workspace limit are read from disk relative to the workflow file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-leads-'));
  try {
    const wf = readFileSync(path.join(FIX, 'problems/nurture.workflow.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'a.workflow.yaml'), wf);
    writeFileSync(path.join(dir, 'leads.csv'), 'phone_number,customer_name\n+14155550100,Ana\n');
    const codes = (r: ReturnType<typeof runCli>) => {
      assert.ok(r.stdout, r.stderr);
      return JSON.parse(r.stdout)[0].diagnostics.map((d: { code: string }) => d.code);
    };
    const noConfig = codes(runCli(['validate', '--format', 'json', 'a.workflow.yaml'], { cwd: dir }));
    assert.ok(!noConfig.includes('WF105'), 'no config: no workspace limit');
    assert.ok(!noConfig.includes('WF125'), 'the header has phone_number');
    writeFileSync(
      path.join(dir, 'callflow.config.yaml'),
      'targets:\n  prod: { url: "https://x.example/v1", key_env: K, max_concurrent_calls: 3 }\ndefault_target: prod\n',
    );
    assert.ok(codes(runCli(['validate', '--format', 'json', 'a.workflow.yaml'], { cwd: dir })).includes('WF105'));
    rmSync(path.join(dir, 'leads.csv'));
    assert.ok(
      codes(runCli(['validate', '--format', 'json', 'a.workflow.yaml'], { cwd: dir })).includes('WF125'),
      'a missing leads file is reported',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
