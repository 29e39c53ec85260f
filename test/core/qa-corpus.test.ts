// Independent QA corpus: every test/fixtures/qa/*.workflow.yaml against its hand-written .expect.json
// (see qa-corpus.ts for the format). Open findings of the QA notes are marked todo, so the suite stays green.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runCli } from '../support/run-cli';
import path from 'node:path';
import type { Diagnostic } from '../../core/diagnostic';
import { compare, corpusFiles, QA_DIR, readExpect, runFile } from './qa-corpus';

const show = (d: Diagnostic) => `${d.code} ${d.severity} line ${d.range.start.line + 1}: ${d.message}`;

describe('QA corpus: diagnostics each file deserves by the spec', () => {
  const files = corpusFiles();
  test('the corpus holds at least 40 files, each with its expectations', () => {
    assert.ok(files.length >= 40, `only ${files.length} files`);
    for (const f of files)
      assert.ok(
        existsSync(path.join(QA_DIR, f.replace(/\.workflow\.yaml$/, '.expect.json'))),
        `${f} has no .expect.json`,
      );
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

describe('QA corpus through the built CLI (cli.md JSON shape, exit code, same diagnostics as core)', () => {
  test('validate --format json on the whole corpus folder', () => {
    const r = runCli(['validate', '--format', 'json', 'test/fixtures/qa'], { env: { NO_COLOR: '1' } });
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { file: string; diagnostics: Diagnostic[] }[];
    assert.deepEqual(
      report.map((x) => x.file),
      corpusFiles().map((f) => `test/fixtures/qa/${f}`),
      'file is the path as given, one entry per file, sorted',
    );
    for (const entry of report) {
      assert.deepEqual(Object.keys(entry).sort(), ['diagnostics', 'file']);
      for (const d of entry.diagnostics) {
        assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
        assert.match(d.code, /^WF\d{3}$/);
        assert.ok(['error', 'warning', 'info'].includes(d.severity));
      }
      const rel = entry.file.slice('test/fixtures/qa/'.length);
      const core = runFile(rel).map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        range: d.range,
      }));
      assert.deepEqual(entry.diagnostics, core, `${rel}: the CLI and core disagree`);
    }
  });

  test('exit codes: 0 for a clean file, 0 with only warnings, 1 past --max-warnings, 2 for a missing path', () => {
    assert.equal(runCli(['validate', 'test/fixtures/qa/v01-spec-example.workflow.yaml']).code, 0);
    assert.equal(runCli(['validate', 'test/fixtures/qa/b11-unreachable.workflow.yaml']).code, 0);
    assert.equal(runCli(['validate', '--max-warnings', '0', 'test/fixtures/qa/b11-unreachable.workflow.yaml']).code, 1);
    assert.equal(
      runCli(['validate', '--max-warnings', '0', 'test/fixtures/qa/b17-unused-variable.workflow.yaml']).code,
      0,
      'infos are not warnings',
    );
    assert.equal(runCli(['validate', 'test/fixtures/qa/no-such.workflow.yaml']).code, 2);
  });

  test('a BOM is not a character: ranges on line 1 are as an editor shows them', () => {
    const r = runCli(['validate', '--format', 'json', 'test/fixtures/qa/b37-bom-broken.workflow.yaml']);
    const d = (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }[])[0].diagnostics.find((x) => x.code === 'WF002');
    assert.deepEqual(
      d?.range.start,
      { line: 0, character: 9 },
      '`2` of `version: 2` is the 10th character once the editor drops the BOM',
    );
  });

  test('github annotations: one per diagnostic, 1-based, info as notice', () => {
    const r = runCli([
      'validate',
      '--format',
      'github',
      'test/fixtures/qa/b17-unused-variable.workflow.yaml',
      'test/fixtures/qa/b36-crlf-broken.workflow.yaml',
    ]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      ['::notice', '::notice', '::error'],
    );
    assert.match(
      lines[2],
      /^::error file=test\/fixtures\/qa\/b36-crlf-broken\.workflow\.yaml,line=8,col=30,endLine=8,endColumn=34,title=WF110::WF110 unknown node "wonn"/,
    );
  });
});
