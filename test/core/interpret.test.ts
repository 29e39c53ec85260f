// The interpreter (core/interpret.ts): every routing rule, every node type, every CONDITIONAL operator,
// template rendering, the step limit, and one-step-at-a-time driving as the emulator does it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../core/validate';
import {
  cycleOf,
  evaluateCondition,
  lookup,
  parseWhen,
  programFromModel,
  programFromRemote,
  renderTemplate,
  route,
  run,
  scriptedOutcomes,
  startLead,
  step,
  type LeadState,
  type Program,
  type RunResult,
} from '../../core/interpret';

function program(text: string): Program {
  const a = analyze(text);
  assert.ok(a.model, 'the workflow parses');
  return programFromModel(a.model);
}

function ok(r: RunResult | { error: string }): RunResult {
  if ('error' in r) assert.fail(r.error);
  return r;
}

const HEAD = 'version: 1\ntitle: t\nnodes:\n';
const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

describe('routing', () => {
  test('edges are tried in order; the first label equal to the outcome wins', () => {
    const edges = [
      { to: 'a', on: 'DNP', index: 0 },
      { to: 'b', on: 'COMPLETED', index: 1 },
      { to: 'c', on: 'COMPLETED', index: 2 },
    ];
    assert.equal(route(edges, 'COMPLETED')?.to, 'b');
    assert.equal(route(edges, 'DNP')?.to, 'a');
    assert.equal(route(edges, 'FAILED'), undefined);
  });
  test('an unlabelled edge matches every outcome, also before a labelled one', () => {
    const edges = [
      { to: 'a', on: 'DNP', index: 0 },
      { to: 'any', index: 1 },
      { to: 'late', on: 'COMPLETED', index: 2 },
    ];
    assert.equal(route(edges, 'COMPLETED')?.to, 'any');
    assert.equal(route(edges, 'DNP')?.to, 'a');
    assert.equal(route(edges, undefined)?.to, 'any');
  });
  test('labels compare exactly (case matters)', () => {
    assert.equal(route([{ to: 'a', on: 'completed', index: 0 }], 'COMPLETED'), undefined);
  });
  test('no matching edge: the lead STOPS there and it is reported', () => {
    const p = program(
      HEAD +
        '  call:\n    type: VOICE_CALL\n    config: { agent_id: a, from_phone_number: "+1" }\n    next:\n      - { on: COMPLETED, to: done }\n  done: { type: CONVERTED }\n',
    );
    const r = ok(run(p, {}, scriptedOutcomes({ call: ['FAILED'] })));
    assert.equal(r.end, 'STOPPED');
    assert.deepEqual(r.path, ['call']);
    assert.equal(r.calls, 1);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, 'no-matching-edge');
    assert.match(r.problems[0].message, /no edge of "call" matches the outcome "FAILED"/);
  });
  test('an edge to a node that does not exist stops the lead at the next step', () => {
    const p = program(HEAD + '  wait:\n    type: TIME\n    config: { delay_hours: 1 }\n    next: [{ to: nowhere }]\n');
    const r = ok(run(p, {}, () => undefined));
    assert.equal(r.end, 'STOPPED');
    assert.deepEqual(r.path, ['wait']);
    assert.equal(r.problems[0].code, 'unknown-node');
  });
});

describe('the lead-nurture example', () => {
  const p = program(example('lead-nurture.workflow.yaml'));
  test('picks up on the second try and qualifies', () => {
    const r = ok(
      run(
        p,
        { customer_name: 'Asha', city: 'Pune', loan_amount: 700000 },
        scriptedOutcomes({ first_call: ['DNP'], second_call: ['COMPLETED'], notify_sales: ['success'] }),
      ),
    );
    assert.equal(r.end, 'CONVERTED');
    assert.deepEqual(r.path, ['first_call', 'wait_two_days', 'second_call', 'qualified', 'notify_sales', 'converted']);
    assert.equal(r.elapsedHours, 48);
    assert.equal(r.calls, 2);
    assert.equal(r.rendered['notify_sales.action_config.subject'], 'Hot lead: Asha in Pune');
    assert.equal(r.rendered['notify_sales.action_config.to'], 'sales@example.com');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.edges, ['first_call#1', 'wait_two_days#0', 'second_call#0', 'qualified#0', 'notify_sales#0']);
  });
  test('FAILED falls through to the unlabelled edge and drops', () => {
    const r = ok(run(p, {}, scriptedOutcomes({ first_call: ['FAILED'] })));
    assert.equal(r.end, 'DROPPED');
    assert.deepEqual(r.path, ['first_call', 'dropped']);
    assert.equal(r.elapsedHours, 0);
  });
  test('a small loan (CSV text) is false and converts without the email', () => {
    const r = ok(run(p, { loan_amount: '320000' }, scriptedOutcomes({ first_call: ['COMPLETED'] })));
    assert.deepEqual(r.path, ['first_call', 'qualified', 'converted']);
    const cond = r.events.find((e) => e.kind === 'condition');
    assert.deepEqual(cond && { actual: cond.actual, result: cond.result }, { actual: '320000', result: false });
  });
  test('a missing variable is rendered literally and reported', () => {
    const r = ok(
      run(p, { loan_amount: 900000, customer_name: 'Ravi' }, scriptedOutcomes({ first_call: ['COMPLETED'] })),
    );
    assert.equal(r.end, 'CONVERTED');
    assert.equal(r.rendered['notify_sales.action_config.subject'], 'Hot lead: Ravi in {{city}}');
    assert.deepEqual(
      r.problems.map((x) => [x.code, x.node]),
      [['missing-variable', 'notify_sales']],
    );
    assert.match(r.problems[0].message, /\{\{city\}\}/);
  });
  test('APPLICATION defaults to success; a scripted failure takes the failure edge', () => {
    const r = ok(
      run(p, { loan_amount: 900000 }, scriptedOutcomes({ first_call: ['COMPLETED'], notify_sales: ['failure'] })),
    );
    assert.deepEqual(r.edges.slice(-1), ['notify_sales#1']);
    const outs = r.outcomes.filter((o) => o.node === 'notify_sales');
    assert.deepEqual(outs, [{ node: 'notify_sales', outcome: 'failure' }]);
  });
  test('a scripted CONDITIONAL outcome overrides the evaluation', () => {
    const r = ok(run(p, { loan_amount: 1 }, scriptedOutcomes({ first_call: ['COMPLETED'], qualified: ['true'] })));
    assert.deepEqual(r.path, ['first_call', 'qualified', 'notify_sales', 'converted']);
  });
  test('a call with no scripted outcome leaves the run NO_OUTCOME, pending that visit', () => {
    const r = ok(run(p, {}, scriptedOutcomes({ first_call: ['DNP'] })));
    assert.equal(r.end, 'NO_OUTCOME');
    assert.deepEqual(r.pending, { node: 'second_call', visit: 0 });
    assert.deepEqual(r.path, ['first_call', 'wait_two_days']);
    assert.equal(r.elapsedHours, 48);
  });
});

describe('one step at a time (the emulator drives it so)', () => {
  const p = program(example('lead-nurture.workflow.yaml'));
  test('each step reports the move, the wait, and a new state; the input state is untouched', () => {
    const s0 = startLead(p, { loan_amount: '1' }, { startedAt: Date.UTC(2026, 0, 1) });
    assert.ok(!('error' in s0));
    const frozen = JSON.stringify(s0);
    const outcomes = scriptedOutcomes({ first_call: ['DNP'], second_call: ['COMPLETED'] });
    const r1 = step(p, s0, outcomes);
    assert.equal(JSON.stringify(s0), frozen);
    assert.equal(r1.kind, 'moved');
    assert.ok(r1.kind === 'moved');
    assert.deepEqual([r1.from, r1.to, r1.outcome, r1.waitHours], ['first_call', 'wait_two_days', 'DNP', 0]);
    const r2 = step(p, r1.state, outcomes);
    assert.ok(r2.kind === 'moved');
    assert.deepEqual([r2.from, r2.to, r2.waitHours, r2.state.elapsedHours], ['wait_two_days', 'second_call', 48, 48]);
    // The state survives a JSON round trip (the emulator stores it between ticks).
    const revived = JSON.parse(JSON.stringify(r2.state)) as LeadState;
    const r3 = step(p, revived, outcomes);
    assert.ok(r3.kind === 'moved');
    assert.equal(r3.to, 'qualified');
    const r4 = step(p, r3.state, outcomes);
    assert.ok(r4.kind === 'moved');
    assert.equal(r4.to, 'converted');
    const r5 = step(p, r4.state, outcomes);
    assert.equal(r5.kind, 'ended');
    assert.ok(r5.kind === 'ended');
    assert.equal(r5.end, 'CONVERTED');
    assert.equal(r5.state.calls, 2);
  });
  test('needs-outcome changes nothing and the same step succeeds once an outcome exists', () => {
    const s0 = startLead(p, {}) as LeadState;
    const r = step(p, s0, () => undefined);
    assert.equal(r.kind, 'needs-outcome');
    assert.equal(r.state, s0);
    assert.deepEqual(r.events, []);
    const again = step(p, s0, () => ({ outcome: 'FAILED' }));
    assert.ok(again.kind === 'moved');
    assert.equal(again.to, 'dropped');
  });
  test('the provider is told the node, its visit number and the state', () => {
    const seen: string[] = [];
    const loop = program(
      HEAD +
        '  call:\n    type: VOICE_CALL\n    config: { agent_id: agt_x, from_phone_number: "+1" }\n    next:\n      - { on: DNP, to: call }\n      - { to: done }\n  done: { type: DROPPED }\n',
    );
    const r = ok(
      run(loop, {}, ({ node, visit, state }) => {
        seen.push(`${node.key}/${String(node.config.agent_id)}/${visit}/${state.calls}`);
        return visit < 2 ? 'DNP' : 'COMPLETED';
      }),
    );
    assert.deepEqual(seen, ['call/agt_x/0/0', 'call/agt_x/1/1', 'call/agt_x/2/2']);
    assert.deepEqual(r.path, ['call', 'call', 'call', 'done']);
    assert.equal(r.calls, 3);
  });
  test('startLead without an entry is an error; options.node starts elsewhere', () => {
    const two = program(
      HEAD +
        '  a: { type: TIME, config: { delay_hours: 1 }, next: [{ to: c }] }\n  b: { type: TIME, config: { delay_hours: 2 }, next: [{ to: c }] }\n  c: { type: DROPPED }\n',
    );
    assert.equal(two.entry, undefined);
    assert.deepEqual(startLead(two, {}), { error: 'the workflow has no entry node' });
    assert.deepEqual(startLead(two, {}, { node: 'zz' }), { error: 'the entry node "zz" is not in the workflow' });
    const r = ok(run(two, {}, () => undefined, { node: 'b' }));
    assert.deepEqual([r.path, r.elapsedHours, r.end], [['b', 'c'], 2, 'DROPPED']);
  });
});

describe('loops', () => {
  test('a cycle with no call ends LOOP at the step limit and names the cycle', () => {
    const p = program(
      HEAD +
        '  start: { type: TIME, config: { delay_hours: 1 }, next: [{ to: check }] }\n' +
        '  check:\n    type: CONDITIONAL\n    config: { logic: AND, conditions: [{ field: x, operator: exists }] }\n    next: [{ on: "true", to: done }, { on: "false", to: nudge }]\n' +
        '  nudge:\n    type: APPLICATION\n    config: { provider_key: p, adapter_key: a, action_key: k, action_config: {} }\n    next: [{ to: check }]\n' +
        '  done: { type: CONVERTED }\n',
    );
    const r = ok(run(p, {}, () => undefined, { maxSteps: 25 }));
    assert.equal(r.end, 'LOOP');
    assert.equal(r.path.length, 25);
    assert.deepEqual(r.cycle, ['check', 'nudge']);
    const loop = r.problems.find((x) => x.code === 'loop');
    assert.match(loop!.message, /25 steps.*check → nudge → check/);
  });
  test('the default limit is 1,000 steps', () => {
    const p = program(
      HEAD +
        '  a: { type: TIME, config: { delay_hours: 1 }, next: [{ to: b }] }\n  b: { type: TIME, config: { delay_hours: 1 }, next: [{ to: a }] }\n',
    );
    const r = ok(run(p, {}, () => undefined, { node: 'a' }));
    assert.equal(r.end, 'LOOP');
    assert.equal(r.path.length, 1000);
    assert.equal(r.elapsedHours, 1000);
  });
  test('cycleOf', () => {
    assert.deepEqual(cycleOf(['a', 'b', 'c', 'b', 'c', 'b']), ['b', 'c']);
    assert.deepEqual(cycleOf(['a', 'a']), ['a']);
    assert.deepEqual(cycleOf(['a', 'b']), []);
    assert.deepEqual(cycleOf([]), []);
  });
});

describe('TIME', () => {
  const pca =
    HEAD +
    '  call:\n    type: VOICE_CALL\n    config: { agent_id: a, from_phone_number: "+1" }\n    next: [{ to: wait }]\n' +
    '  wait:\n    type: TIME\n    config: { time_source: postcall_analysis, pca_field: callback_time }\n    next: [{ to: done }]\n' +
    '  done: { type: CONVERTED }\n';
  const start = Date.UTC(2026, 10, 14, 9, 0);
  test('delay_hours waits, fractions too', () => {
    const p = program(
      HEAD + '  w: { type: TIME, config: { delay_hours: 0.5 }, next: [{ to: d }] }\n  d: { type: DROPPED }\n',
    );
    const r = ok(run(p, {}, () => undefined));
    assert.equal(r.elapsedHours, 0.5);
    assert.deepEqual(
      r.events.filter((e) => e.kind === 'wait').map((e) => e.kind === 'wait' && e.hours),
      [0.5],
    );
  });
  test('a missing or non-positive delay_hours waits nothing and is reported', () => {
    const p = program(
      HEAD + '  w: { type: TIME, config: { delay_hours: 0 }, next: [{ to: d }] }\n  d: { type: DROPPED }\n',
    );
    const r = ok(run(p, {}, () => undefined));
    assert.equal(r.elapsedHours, 0);
    assert.equal(r.problems[0].code, 'bad-delay');
  });
  test('postcall_analysis: waits until the latest call analysis time, read from the lead', () => {
    const p = program(pca);
    const r = ok(
      run(p, {}, () => ({ outcome: 'COMPLETED', analysis: { callback_time: '2026-11-15T10:30:00Z' } }), {
        startedAt: start,
      }),
    );
    assert.equal(r.elapsedHours, 25.5);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.state.data, { postcall_analysis: { callback_time: '2026-11-15T10:30:00Z' } });
  });
  test('postcall_analysis: offsets, times without a zone as UTC, and a time of day as its next occurrence', () => {
    const p = program(pca);
    const at = (v: string) =>
      ok(run(p, {}, () => ({ outcome: 'COMPLETED', analysis: { callback_time: v } }), { startedAt: start }))
        .elapsedHours;
    assert.equal(at('2026-11-14T15:00:00+05:30'), 0.5);
    assert.equal(at('2026-11-14 12:00'), 3);
    assert.equal(at('16:00'), 7);
    assert.equal(at('08:00'), 23);
  });
  test('postcall_analysis: the field from the lead data when no call analysed it', () => {
    const p = program(pca);
    const r = ok(run(p, { callback_time: '2026-11-14T11:00:00Z' }, () => 'COMPLETED', { startedAt: start }));
    assert.equal(r.elapsedHours, 2);
  });
  test('postcall_analysis: missing, unreadable or past times move on at once, reported', () => {
    const p = program(pca);
    const codes = (analysis: Record<string, unknown>) =>
      ok(run(p, {}, () => ({ outcome: 'COMPLETED', analysis }), { startedAt: start })).problems.map((x) => x.code);
    assert.deepEqual(codes({}), ['pca-missing']);
    assert.deepEqual(codes({ callback_time: 'tomorrow-ish' }), ['pca-missing']);
    assert.deepEqual(codes({ callback_time: '2026-11-14T08:00:00Z' }), ['pca-past']);
  });
  test('parseWhen', () => {
    assert.equal(parseWhen('2026-01-02', 0), Date.UTC(2026, 0, 2));
    assert.equal(parseWhen('2026-01-02T03:04:05.250Z', 0), Date.UTC(2026, 0, 2, 3, 4, 5, 250));
    assert.equal(parseWhen('2026-01-02T03:04-0100', 0), Date.UTC(2026, 0, 2, 4, 4));
    assert.equal(parseWhen('2026-13-02', 0), undefined);
    assert.equal(parseWhen('25:00', 0), undefined);
    assert.equal(parseWhen('soon', 0), undefined);
  });
});

describe('CONDITIONAL operators', () => {
  const ev = (field: unknown, operator: string, value?: unknown) => {
    const problems: string[] = [];
    const cond: Record<string, unknown> = { field: 'f', operator };
    if (value !== undefined) cond.value = value;
    const r = evaluateCondition(cond, field === undefined ? {} : { f: field }, (c) => problems.push(c));
    return { r, problems };
  };
  test('equals: numbers as numbers, everything else as exact text', () => {
    assert.equal(ev('500000', 'equals', 500000).r, true);
    assert.equal(ev('5e5', 'equals', 500000).r, true);
    assert.equal(ev('yes', 'equals', 'yes').r, true);
    assert.equal(ev('Yes', 'equals', 'yes').r, false);
    assert.equal(ev(true, 'equals', 'true').r, true);
    assert.equal(ev('007', 'equals', '7').r, true);
    assert.equal(ev('abc', 'equals', 'abd').r, false);
  });
  test('not_equals is the negation; a missing field is not equal', () => {
    assert.equal(ev('yes', 'not_equals', 'no').r, true);
    assert.equal(ev('10', 'not_equals', 10).r, false);
    const m = ev(undefined, 'not_equals', 'x');
    assert.deepEqual(m, { r: true, problems: ['missing-field'] });
  });
  test('exists: a value that is not empty', () => {
    assert.equal(ev('x', 'exists').r, true);
    assert.equal(ev(0, 'exists').r, true);
    assert.equal(ev(false, 'exists').r, true);
    assert.equal(ev('', 'exists').r, false);
    assert.equal(ev(null, 'exists').r, false);
    assert.deepEqual(ev(undefined, 'exists'), { r: false, problems: [] });
  });
  test('contains: substring of text, or an element of a list', () => {
    assert.equal(ev('interested in a loan', 'contains', 'loan').r, true);
    assert.equal(ev('interested', 'contains', 'Loan').r, false);
    assert.equal(ev(['a', 'b'], 'contains', 'b').r, true);
    assert.equal(ev(['a', '2'], 'contains', 2).r, true);
    assert.equal(ev(['ab'], 'contains', 'a').r, false);
    assert.equal(ev(12345, 'contains', 234).r, true);
  });
  test('greater_than / less_than: numbers, then date-times; otherwise false and reported', () => {
    assert.equal(ev('750000', 'greater_than', 500000).r, true);
    assert.equal(ev(500000, 'greater_than', 500000).r, false);
    assert.equal(ev('-1.5', 'less_than', 0).r, true);
    assert.equal(ev('10', 'less_than', '9').r, false);
    assert.equal(ev('2026-11-20', 'greater_than', '2026-11-15T00:00:00Z').r, true);
    assert.equal(ev('2026-11-14T23:00:00-02:00', 'less_than', '2026-11-15T00:00:00Z').r, false);
    assert.deepEqual(ev('£1,180.50', 'greater_than', 100), { r: false, problems: ['not-comparable'] });
    assert.deepEqual(ev('abc', 'less_than', 'abd'), { r: false, problems: ['not-comparable'] });
  });
  test('every operator but not_equals and exists is false on a missing field, reported', () => {
    for (const op of ['equals', 'contains', 'greater_than', 'less_than'])
      assert.deepEqual(ev(undefined, op, 1), { r: false, problems: ['missing-field'] }, op);
  });
  test('an unknown operator is false, reported', () => {
    assert.deepEqual(ev('a', 'matches', 'a'), { r: false, problems: ['unknown-operator'] });
  });
  test('fields: exact key first, then a dot path into the data (post-call analysis)', () => {
    const data = { 'a.b': 1, a: { b: 2, c: [5, { d: 'x' }] }, postcall_analysis: { intent: 'paid' } };
    assert.equal(lookup(data, 'a.b'), 1);
    assert.equal(lookup(data, 'a.c.0'), 5);
    assert.equal(lookup(data, 'a.c[1].d'), 'x');
    assert.equal(lookup(data, 'postcall_analysis.intent'), 'paid');
    assert.equal(lookup(data, 'a.zz'), undefined);
    assert.equal(lookup(data, 'toString'), undefined);
  });

  const cond = (logic: string, conds: string) =>
    program(
      HEAD +
        `  check:\n    type: CONDITIONAL\n    config:\n      logic: ${logic}\n      conditions:\n${conds}\n    next: [{ on: "true", to: yes }, { on: "false", to: no }]\n` +
        '  yes: { type: CONVERTED }\n  no: { type: DROPPED }\n',
    );
  const two = '        - { field: a, operator: equals, value: 1 }\n        - { field: b, operator: equals, value: 1 }';
  test('logic AND: all hold', () => {
    const p = cond('AND', two);
    assert.equal(ok(run(p, { a: 1, b: 1 }, () => undefined)).end, 'CONVERTED');
    assert.equal(ok(run(p, { a: 1, b: 2 }, () => undefined)).end, 'DROPPED');
  });
  test('logic OR: any holds; every condition is still evaluated and recorded', () => {
    const p = cond('OR', two);
    const r = ok(run(p, { a: 1, b: 2 }, () => undefined));
    assert.equal(r.end, 'CONVERTED');
    assert.deepEqual(
      r.events.filter((e) => e.kind === 'condition').map((e) => e.kind === 'condition' && [e.field, e.result]),
      [
        ['a', true],
        ['b', false],
      ],
    );
    assert.equal(ok(run(p, { a: 0, b: 0 }, () => undefined)).end, 'DROPPED');
  });

  const branches = program(
    HEAD +
      '  intent:\n    type: CONDITIONAL\n    config:\n      condition_field: postcall_analysis.payment_intent\n      branches: [paid, refused, 3]\n' +
      '    next: [{ on: paid, to: yes }, { on: refused, to: no }, { on: "3", to: three }]\n' +
      '  yes: { type: CONVERTED }\n  no: { type: DROPPED }\n  three: { type: DROPPED }\n',
  );
  test('condition_field + branches: the field value is the outcome', () => {
    const r = ok(run(branches, { postcall_analysis: { payment_intent: 'refused' } }, () => undefined));
    assert.deepEqual(r.path, ['intent', 'no']);
    assert.deepEqual(ok(run(branches, { postcall_analysis: { payment_intent: 3 } }, () => undefined)).path, [
      'intent',
      'three',
    ]);
  });
  test('condition_field: a value among no branch, or no value, stops the lead and is reported', () => {
    const r = ok(run(branches, { postcall_analysis: { payment_intent: 'maybe' } }, () => undefined));
    assert.equal(r.end, 'STOPPED');
    assert.deepEqual(
      r.problems.map((x) => x.code),
      ['no-branch', 'no-matching-edge'],
    );
    const m = ok(run(branches, {}, () => undefined));
    assert.equal(m.end, 'STOPPED');
    assert.deepEqual(
      m.problems.map((x) => x.code),
      ['missing-field', 'no-matching-edge'],
    );
  });
});

describe('templates', () => {
  test('names, dot paths, spaces and filters; missing ones stay literal', () => {
    const data = { name: 'Asha', pca: { city: 'Pune' }, list: ['x', 'y'], zero: 0, empty: '' };
    assert.deepEqual(renderTemplate('Hi {{name}} from {{ pca.city }}, {{list[1]}} {{zero}}', data), {
      text: 'Hi Asha from Pune, y 0',
      missing: [],
    });
    assert.deepEqual(renderTemplate('{{ name | upcase }}', data), { text: 'Asha', missing: [] });
    assert.deepEqual(renderTemplate('{{nobody}} and {{empty}} and {{nobody}}', data), {
      text: '{{nobody}} and {{empty}} and {{nobody}}',
      missing: ['nobody', 'empty'],
    });
    assert.deepEqual(renderTemplate('no templates {{ }}', data), { text: 'no templates {{ }}', missing: [] });
  });
  test('every string of action_config is rendered, lists by index', () => {
    const p = program(example('appointment-reminder.workflow.yaml'));
    const r = ok(
      run(
        p,
        { patient_name: 'Maria', appointment_time: 'Tue 10:30', clinic_name: 'Mission' },
        scriptedOutcomes({
          reminder_call: ['DNP'],
          second_call: ['DNP'],
        }),
      ),
    );
    assert.deepEqual(r.path, ['reminder_call', 'whatsapp_reminder', 'wait_four_hours', 'second_call', 'not_coming']);
    assert.deepEqual(r.rendered, {
      'whatsapp_reminder.action_config.template_name': 'appointment_reminder',
      'whatsapp_reminder.action_config.parameters[0]': 'Maria',
      'whatsapp_reminder.action_config.parameters[1]': 'Tue 10:30',
      'whatsapp_reminder.action_config.parameters[2]': 'Mission',
    });
  });
});

describe('programs', () => {
  test('from the API graph: ids, creation order, and the entry', () => {
    const p = programFromRemote(
      [
        { id: 'node_b', node_type: 'DROPPED' },
        { id: 'node_a', node_type: 'VOICE_CALL', config: { agent_id: 'x' } },
        { id: 'node_c', node_type: 'CONVERTED' },
      ],
      [
        { id: 'e1', from_node_id: 'node_a', to_node_id: 'node_c', label: 'COMPLETED' },
        { id: 'e2', from_node_id: 'node_a', to_node_id: 'node_b', label: null },
        { id: 'e3', from_node_id: 'node_zz', to_node_id: 'node_b' },
      ],
    );
    assert.equal(p.entry, 'node_a');
    assert.deepEqual(p.nodes.get('node_a')!.edges, [
      { to: 'node_c', on: 'COMPLETED', index: 0 },
      { to: 'node_b', on: undefined, index: 1 },
    ]);
    const r = ok(run(p, {}, () => 'BUSY'));
    assert.deepEqual([r.path, r.end], [['node_a', 'node_b'], 'DROPPED']);
    assert.equal(programFromRemote([], [], 'node_q').entry, 'node_q');
  });
  test('from a file: the entry rule, the payment example end to end', () => {
    const p = program(example('payment-collection.workflow.yaml'));
    assert.equal(p.entry, 'payment_call');
    const r = ok(
      run(
        p,
        {
          customer_name: 'Oliver',
          customer_email: 'o@example.com',
          invoice_id: 'INV-1',
          amount_due: '£240.00',
          due_date: '2026-11-15',
        },
        scriptedOutcomes({
          payment_call: [
            { outcome: 'COMPLETED', analysis: { payment_intent: 'callback', callback_time: '2026-01-01T18:00:00Z' } },
          ],
          retry_call: [{ outcome: 'COMPLETED', analysis: { payment_intent: 'promised' } }],
        }),
        { startedAt: Date.UTC(2026, 0, 1, 9) },
      ),
    );
    assert.equal(r.end, 'CONVERTED');
    assert.deepEqual(r.path, [
      'payment_call',
      'intent',
      'wait_for_callback',
      'retry_call',
      'intent',
      'payment_link',
      'collected',
    ]);
    assert.equal(r.elapsedHours, 9);
    assert.equal(r.rendered['payment_link.action_config.subject'], 'Invoice INV-1: £240.00 due 2026-11-15');
  });
  test('an unknown node type stops the lead, reported', () => {
    const p = program(HEAD + '  a: { type: SMS, next: [{ to: b }] }\n  b: { type: DROPPED }\n');
    const r = ok(run(p, {}, () => undefined, { node: 'a' }));
    assert.equal(r.end, 'STOPPED');
    assert.equal(r.problems[0].code, 'unknown-type');
  });
});
