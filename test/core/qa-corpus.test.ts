// Independent QA corpus: every test/fixtures/qa/*.workflow.yaml against its hand-written .expect.json
// (see qa-corpus.ts for the format). Open findings of the QA notes are marked todo, so the suite stays green.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../core/diagnostic';
import { compare, corpusFiles, QA_DIR, readExpect, runFile } from './qa-corpus';

const show = (d: Diagnostic) => `${d.code} ${d.severity} line ${d.range.start.line + 1}: ${d.message}`;

describe('QA corpus: diagnostics each file deserves by the spec', () => {
  const files = corpusFiles();
  test('the corpus holds at least 40 files, each with its expectations', () => {
    assert.ok(files.length >= 40, `only ${files.length} files`);
    for (const f of files) assert.ok(existsSync(path.join(QA_DIR, f.replace(/\.workflow\.yaml$/, '.expect.json'))), `${f} has no .expect.json`);
  });
  for (const rel of files) {
    const exp = readExpect(rel);
    test(rel, exp.todo ? { todo: exp.todo } : {}, () => {
      const got = runFile(rel);
      const c = compare(got, exp.diagnostics);
      const lines = [
        ...c.falsePositives.map((d) => `  not deserved: ${show(d)}`),
        ...c.falseNegatives.map((e) => `  missing: ${e.code} ${e.severity} line ${e.line}`),
      ];
      assert.equal(lines.length, 0, `${rel}\n${lines.join('\n')}`);
    });
  }
});
