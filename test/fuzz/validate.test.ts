// Fuzz stage (a): mutated workflow files through the rules engine and the CLI. core analyze never
// throws, every diagnostic range lies inside the document, and a second run gives the same
// diagnostics; `callflow validate` over a folder of them (hostile leads paths included) reports
// every file, exits 0 or 1, and never prints the environment. Seeded: see corpus.ts stage().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../../core/diagnostic';
import { LineIndex } from '../../core/text';
import { analyze } from '../../core/validate';
import { runCli } from '../support/run-cli';
import { fuzzInput, stage } from './corpus';

/** Why `ds` does not fit `text` (an LSP client would reject or misplace it), or undefined. */
function rangeProblem(text: string, ds: readonly Diagnostic[]): string | undefined {
  const lines = new LineIndex(text);
  for (const d of ds) {
    const { start, end } = d.range;
    for (const p of [start, end]) {
      if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0)
        return `${d.code}: bad position ${JSON.stringify(p)}`;
      if (p.line >= lines.lineCount) return `${d.code}: line ${p.line} of ${lines.lineCount}`;
      const bom = p.line === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
      if (p.character > lines.lineText(p.line).length - bom)
        return `${d.code}: column ${p.character} past the end of line ${p.line}`;
    }
    if (start.line > end.line || (start.line === end.line && start.character > end.character))
      return `${d.code}: range ends before it starts`;
  }
  return undefined;
}

/** `again`: analyze a second time and compare (determinism; every few inputs, to stay fast). */
function problemOf(text: string, again = true): string | undefined {
  let first, second;
  try {
    first = analyze(text).diagnostics;
    second = again ? analyze(text).diagnostics : first;
  } catch (e) {
    return `analyze threw: ${(e as Error).stack}`;
  }
  const bad = rangeProblem(text, first);
  if (bad) return bad;
  if (JSON.stringify(first) !== JSON.stringify(second)) return 'two runs gave different diagnostics';
  return undefined;
}

test('fuzz: validate (core analyze) on mutated files: no throw, ranges inside the document, deterministic', () => {
  const s = stage('validate', 150, __filename);
  for (let i = 0; i < s.runs; i++) {
    const text = fuzzInput(s.rngFor(i));
    const problem = problemOf(text, i % 4 === 0);
    if (problem) throw s.failure(i, text, problem, (t) => problemOf(t) !== undefined);
  }
});

test('fuzz: callflow validate over a folder of mutated files: every file reported, exit 0 or 1, no secret printed', () => {
  const s = stage('validate-cli', 40, __filename);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-fuzz-cli-'));
  const canary = 'cfk_FUZZ_CANARY_do_not_print_4711';
  try {
    writeFileSync(path.join(dir, 'leads.csv'), 'phone_number,customer_name\n+14155550100,A\n');
    const names: string[] = [];
    // At most 60 files: runCli buffers 1 MB of output, and 300 files' JSON report is larger.
    for (let i = 0; i < Math.min(s.runs, 60); i++) {
      const name = `f${i}.workflow.yaml`;
      writeFileSync(path.join(dir, name), fuzzInput(s.rngFor(i)));
      names.push(name);
    }
    const r = runCli(['validate', '--format', 'json', ...names], {
      cwd: dir,
      env: { CALLFLOW_FUZZ_CANARY: canary, NO_COLOR: '1' },
    });
    const where = `CALLFLOW_FUZZ_SEED=${s.seed}; files in ${dir}`;
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code} (${where})\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `a stack trace (${where})`);
    const files = JSON.parse(r.stdout) as { file: string }[];
    assert.deepEqual(files.map((f) => f.file).sort(), [...names].sort(), `every file reported (${where})`);
    assert.ok(!r.stdout.includes(canary) && !r.stderr.includes(canary), `the environment was printed (${where})`);
    assert.ok(!/root:x:0:0/.test(r.stdout + r.stderr), `/etc/passwd was printed (${where})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nesting too deep: one WF001 on the top-level line holding it, whether or not the parser overflowed its stack', () => {
  // 300 levels: the walk finds the collection past the limit. 20,000: the library overflows its
  // stack at a depth that varies from run to run; the fuzz stage saw the editor and the CLI
  // place that diagnostic differently. Both now point at the `x-deep:` line.
  for (const depth of [300, 20_000]) {
    const text = `version: 1\ntitle: t\nnodes: {}\nx-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\nx-after: 1\n`;
    const deep = analyze(text).diagnostics.filter((d) => /nesting deeper/.test(d.message));
    assert.equal(deep.length, 1, `depth ${depth}`);
    assert.deepEqual(deep[0].range, {
      start: { line: 3, character: 0 },
      end: { line: 3, character: 8 + 2 * depth },
    });
  }
});
