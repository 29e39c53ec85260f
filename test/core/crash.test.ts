// A rule family that throws: validation goes on without it, and the crash reaches the injected
// sink (core/crash.ts) that the server logs and the CLI prints (test/cli/report-crashes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCrash, reportCrash, setCrashSink, type Crash } from '../../core/crash';
import { guarded } from '../../core/rules';
import type { RuleContext } from '../../core/rules/context';
import { analyze } from '../../core/validate';

const TEXT = 'version: 1\ntitle: t\nnodes:\n  a: { type: CONVERTED }\n';

function contextOf(text: string): RuleContext {
  const a = analyze(text);
  return {
    text,
    lines: a.parsed.lines,
    doc: a.parsed.doc!,
    data: a.parsed.data,
    model: a.model!,
    graph: a.graph!,
    options: {},
  };
}

test('a throwing family yields no diagnostics and one crash report naming the family', () => {
  const got: Crash[] = [];
  const prev = setCrashSink((c) => got.push(c));
  try {
    const rule = guarded('exploding', () => {
      throw new TypeError('boom');
    });
    assert.deepEqual(rule(contextOf(TEXT)), []);
    assert.equal(got.length, 1);
    assert.equal(got[0].where, 'rule family "exploding"');
    assert.match(describeCrash(got[0]), /^internal error in rule family "exploding": TypeError: boom/);
  } finally {
    setCrashSink(prev);
  }
});

test('the default sink is silent, and a sink that throws does not break validation', () => {
  const prev = setCrashSink(undefined);
  reportCrash('nowhere', new Error('ignored'));
  setCrashSink(() => {
    throw new Error('sink down');
  });
  try {
    assert.deepEqual(guarded('x', () => [] as never)(contextOf(TEXT)), []);
    reportCrash('somewhere', new Error('x'));
  } finally {
    setCrashSink(prev);
  }
});
