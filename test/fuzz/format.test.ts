// Fuzz stage (c): mutated workflow files through the formatter. It never throws; when it formats,
// the output is a fixed point (fmt(fmt(x)) = fmt(x)), means the same data and keeps every comment
// (test/fuzz/format-check.ts, the contract test/core/format-idempotence.test.ts checks on layouts).
import { test } from 'node:test';
import { fuzzInput, stage } from './corpus';
import { formatProblem } from './format-check';

test('fuzz: fmt on mutated files: no throw, idempotent, same data, same comments', () => {
  const s = stage('format', 100, __filename);
  for (let i = 0; i < s.runs; i++) {
    const text = fuzzInput(s.rngFor(i));
    const r = formatProblem(text);
    if (r.problem)
      throw s.failure(i, text, r.problem, (t) => formatProblem(t).problem?.slice(0, 30) === r.problem!.slice(0, 30));
  }
});
