// The CLI's side of core's crash reports (cli/report/crashes.ts): stderr, once per place, redacted,
// and an exit status of at least 2 ("could not run": the report is incomplete).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportCrash, setCrashSink } from '../../core/crash';
import { reportCrashesTo } from '../../cli/report/crashes';

test('the CLI watch prints each place once (redacted) and makes the exit status at least 2', () => {
  const lines: string[] = [];
  const prev = setCrashSink(undefined);
  try {
    const watch = reportCrashesTo((l) => lines.push(l));
    assert.equal(watch.exitCode(0), 0);
    reportCrash('rule family "edges"', new Error('bad Authorization: Bearer sk_live_123456789'));
    reportCrash('rule family "edges"', new Error('again'));
    assert.equal(watch.count, 2);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^callflow: internal error in rule family "edges": Error: bad Authorization: Bearer \*\*\*/);
    assert.ok(!lines[0].includes('sk_live'));
    assert.equal(watch.exitCode(0), 2);
    assert.equal(watch.exitCode(1), 2);
  } finally {
    setCrashSink(prev);
  }
});
