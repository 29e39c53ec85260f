// Workflow test files in core: parsing with exact ranges, the checks against the workflow, case
// results and coverage, all through runWorkflowTest with workflows given as text (no disk).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runWorkflowTest, coverageOf, type WorkflowSource } from '../../core/workflow-test-run';
import { normalizeRenderedKey } from '../../core/workflow-test-check';
import { parseWorkflowTest, startMs } from '../../core/workflow-test';

const NURTURE = readFileSync(new URL('../../examples/lead-nurture.workflow.yaml', import.meta.url), 'utf8');
const load =
  (text: string | undefined, error?: string) =>
  (ref: string): WorkflowSource =>
    text === undefined ? { path: ref, error: error ?? 'no such file' } : { path: ref, text };

/** The text a diagnostic's range covers (single-line ranges). */
function covered(text: string, r: { start: { line: number; character: number }; end: { character: number } }): string {
  return text.split('\n')[r.start.line].slice(r.start.character, r.end.character);
}

describe('parsing', () => {
  test('a valid file: every case with its lead, scripts, expectations and places', () => {
    const text = readFileSync(new URL('../../examples/lead-nurture.workflow.test.yaml', import.meta.url), 'utf8');
    const p = parseWorkflowTest(text);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.model.workflow?.value, 'lead-nurture.workflow.yaml');
    const c = p.model.cases[0];
    assert.equal(c.name, 'picks up on the second try and qualifies');
    assert.deepEqual(c.lead, { customer_name: 'Asha', city: 'Pune', loan_amount: 700000 });
    assert.deepEqual(
      c.outcomes.map((s) => [s.node, s.items.map((i) => i.value.outcome)]),
      [
        ['first_call', ['DNP']],
        ['second_call', ['COMPLETED']],
        ['notify_sales', ['success']],
      ],
    );
    assert.equal(text.slice(c.expect!.keySpan.start, c.expect!.keySpan.end), 'expect');
    assert.equal(c.expect!.ends?.value, 'CONVERTED');
    assert.equal(c.expect!.elapsedHours?.value, 48);
    assert.equal(c.expect!.rendered?.[0].key, 'notify_sales.action_config.subject');
  });
  test('booleans and numbers in outcomes read as their text; analysis kept as data', () => {
    const p = parseWorkflowTest(
      'workflow: w.workflow.yaml\ncases:\n  c:\n    outcomes:\n      check: [true, false]\n      pick: [3]\n      call: [{ outcome: COMPLETED, analysis: { when: "16:00", n: 2 } }]\n    expect: { calls: 1 }\n',
    );
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(
      p.model.cases[0].outcomes.map((s) => s.items.map((i) => i.value)),
      [
        [{ outcome: 'true' }, { outcome: 'false' }],
        [{ outcome: '3' }],
        [{ outcome: 'COMPLETED', analysis: { when: '16:00', n: 2 } }],
      ],
    );
  });
  test('shape problems at the exact key or value, with the field meant', () => {
    const text =
      'workflow: w.workflow.yaml\ncasess: {}\nx-team: ok\ncases:\n  a:\n    expect: { end: DROPPED, calls: -1 }\n    leed: {}\n';
    const p = parseWorkflowTest(text);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, covered(text, d.range), d.message]),
      [
        ['WT002', 'casess', 'unknown field "casess" in the test file (did you mean "cases"?)'],
        ['WT002', 'end', 'unknown field "end" in "expect" (did you mean "ends"?)'],
        ['WT002', '-1', '"calls" must be a whole number of at least 0'],
        ['WT002', 'leed', 'unknown field "leed" in case "a" (did you mean "lead"?)'],
      ],
    );
  });
  test('syntax errors and duplicate case names are WT001; nothing else is said about a broken tree', () => {
    const dup = parseWorkflowTest(
      'workflow: w.workflow.yaml\ncases:\n  a: { expect: { calls: 1 } }\n  a: { expect: { calls: 2 } }\n',
    );
    assert.deepEqual(
      dup.diagnostics.map((d) => d.code),
      ['WT001'],
    );
    assert.match(dup.diagnostics[0].message, /duplicate key "a"/);
    const empty = parseWorkflowTest('');
    assert.deepEqual(
      empty.diagnostics.map((d) => [d.code, d.message]),
      [['WT001', 'the file is empty; a workflow test file is a mapping with workflow and cases']],
    );
    const list = parseWorkflowTest('- a\n- b\n');
    assert.match(list.diagnostics[0].message, /a workflow test file is a mapping/);
  });
  test('missing workflow and cases are reported on the first line', () => {
    const p = parseWorkflowTest('description: nothing else\n');
    assert.deepEqual(
      p.diagnostics.map((d) => [d.range.start.line, d.message.split(':')[0]]),
      [
        [0, 'missing required field "cases"'],
        [0, 'missing required field "workflow"'],
      ],
    );
  });
  test('start: ISO dates and date-times, UTC without an offset', () => {
    assert.equal(startMs('2026-11-14T09:00:00Z'), Date.UTC(2026, 10, 14, 9));
    assert.equal(startMs('2026-11-14 09:00'), Date.UTC(2026, 10, 14, 9));
    assert.equal(startMs('2026-11-14'), Date.UTC(2026, 10, 14));
    assert.equal(startMs('09:00'), undefined);
    assert.equal(startMs('tomorrow'), undefined);
  });
});

describe('checks against the workflow', () => {
  test('unknown nodes, impossible outcomes, rendered keys: each at its place', () => {
    const text = [
      'workflow: lead-nurture.workflow.yaml',
      'cases:',
      '  c:',
      '    outcomes:',
      '      frist_call: [DNP]',
      '      wait_two_days: [DNP]',
      '      second_call: [ANSWERED]',
      '      qualified: ["yes"]',
      '    expect:',
      '      path: [first_call, qualifed]',
      '      rendered:',
      '        notify_sales.action_config.subjct: x',
      '        notify_sales.action_config.subject: y',
      '',
    ].join('\n');
    const r = runWorkflowTest(text, load(NURTURE));
    assert.equal(r.ran, false);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, covered(text, d.range)]),
      [
        ['WT004', 'frist_call'],
        ['WT005', 'wait_two_days'],
        ['WT005', 'ANSWERED'],
        ['WT005', '"yes"'],
        ['WT004', 'qualifed'],
        ['WT006', 'notify_sales.action_config.subjct'],
      ],
    );
    assert.match(r.diagnostics[0].message, /did you mean "first_call"/);
    assert.match(r.diagnostics[3].message, /not an outcome of CONDITIONAL node "qualified"; it emits true, false/);
    assert.match(r.diagnostics[5].message, /did you mean "notify_sales\.action_config\.subject"/);
  });
  test('an unreadable or unrunnable workflow is WT003 at the workflow value', () => {
    const text = 'workflow: gone.workflow.yaml\ncases:\n  c: { expect: { calls: 0 } }\n';
    const r = runWorkflowTest(text, load(undefined, 'no such file'));
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, covered(text, d.range), d.message]),
      [['WT003', 'gone.workflow.yaml', 'cannot run the workflow gone.workflow.yaml: no such file']],
    );
    const noEntry = runWorkflowTest(
      text,
      load(
        'version: 1\ntitle: t\nnodes:\n  a: { type: TIME, config: { delay_hours: 1 }, next: [{ to: b }] }\n  b: { type: TIME, config: { delay_hours: 1 }, next: [{ to: a }] }\n',
      ),
    );
    assert.match(noEntry.diagnostics[0].message, /no entry node/);
    const broken = runWorkflowTest(text, load('version: 1\nnodes: [\n'));
    assert.match(broken.diagnostics[0].message, /line \d+: YAML syntax error/);
  });
  test('rendered keys: `.0` and `[0]` name the same list item', () => {
    assert.equal(normalizeRenderedKey('n.action_config.parameters.0'), 'n.action_config.parameters[0]');
    assert.equal(normalizeRenderedKey('n.action_config.a.10.b'), 'n.action_config.a[10].b');
    assert.equal(normalizeRenderedKey('n.action_config.v2'), 'n.action_config.v2');
  });
});

describe('results', () => {
  const run = (cases: string) =>
    runWorkflowTest(`workflow: lead-nurture.workflow.yaml\ncases:\n${cases}`, load(NURTURE));
  test('a passing and a failing case; a failure points at the expectation that failed', () => {
    const cases =
      '  ok:\n    outcomes: { first_call: [FAILED] }\n    expect: { path: [first_call, dropped], ends: DROPPED, calls: 1 }\n' +
      '  wrong:\n    outcomes: { first_call: [FAILED] }\n    expect:\n      ends: CONVERTED\n      elapsed_hours: 2\n';
    const r = run(cases);
    assert.equal(r.ran, true);
    assert.deepEqual(
      r.cases.map((c) => c.status),
      ['pass', 'fail'],
    );
    const f = r.cases[1].failures;
    assert.deepEqual(
      f.map((x) => [x.field, x.expected, x.actual, x.range.start.line]),
      [
        ['ends', 'CONVERTED', 'DROPPED', 8],
        ['elapsed_hours', 2, 0, 9],
      ],
    );
    assert.equal(r.cases[1].expectRange?.start.line, 7);
  });
  test('per-case start and the analysis drive a post-call-analysis wait', () => {
    const text = readFileSync(new URL('../../examples/payment-collection.workflow.yaml', import.meta.url), 'utf8');
    const r = runWorkflowTest(
      'workflow: p.workflow.yaml\nstart: 2026-01-01T00:00:00Z\ncases:\n  c:\n    start: 2026-11-14T09:00:00Z\n    outcomes:\n      payment_call: [{ outcome: COMPLETED, analysis: { payment_intent: callback, callback_time: "2026-11-14T12:00:00Z" } }]\n      retry_call: [{ outcome: COMPLETED, analysis: { payment_intent: paid } }]\n    expect: { elapsed_hours: 3, ends: CONVERTED }\n',
      load(text),
    );
    assert.deepEqual(
      r.cases.map((c) => [c.status, c.actual?.elapsedHours]),
      [['pass', 3]],
    );
  });
  test('skipped cases do not run; problems compare as sets of codes', () => {
    const r = run(
      '  later: { skip: true, expect: { calls: 9 } }\n' +
        '  missing city:\n    lead: { loan_amount: 900000 }\n    outcomes: { first_call: [COMPLETED] }\n    expect: { problems: [missing-variable] }\n',
    );
    assert.deepEqual(
      r.cases.map((c) => [c.status, c.skipReason]),
      [
        ['skip', 'skipped'],
        ['pass', undefined],
      ],
    );
    assert.equal(r.runs.length, 1);
  });
  test('coverage counts each edge taken and each outcome seen over all runs', () => {
    const r = run(
      '  a: { outcomes: { first_call: [FAILED] }, expect: { calls: 1 } }\n  b: { outcomes: { first_call: [FAILED] }, expect: { calls: 1 } }\n',
    );
    const cov = coverageOf(r.workflow!, r.runs);
    const first = cov.edges.filter((e) => e.from === 'first_call');
    assert.deepEqual(
      first.map((e) => [e.to, e.on, e.taken]),
      [
        ['qualified', 'COMPLETED', 0],
        ['wait_two_days', 'DNP', 0],
        ['dropped', undefined, 2],
      ],
    );
    assert.deepEqual(first[2].range?.start.line, 24);
    assert.deepEqual(
      cov.outcomes.filter((o) => o.node === 'first_call').map((o) => [o.outcome, o.seen]),
      [
        ['COMPLETED', 0],
        ['FAILED', 2],
        ['DNP', 0],
      ],
    );
    assert.ok(cov.outcomes.some((o) => o.node === 'qualified' && o.outcome === 'true'));
    assert.ok(!cov.outcomes.some((o) => o.node === 'wait_two_days' || o.node === 'converted'));
  });
});
