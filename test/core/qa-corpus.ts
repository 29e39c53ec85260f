// Helpers of the QA corpus test (qa-corpus.test.ts), also used to measure precision/recall. Corpus: workflow files written the many ways authors write YAML, each with a
// hand-written test/fixtures/qa/<name>.expect.json deciding FROM THE SPEC (rules.md, workflow-file.md,
// platform-api.md) which diagnostics it deserves: code, severity, 1-based start line. `alt` lists other
// start lines the spec would equally allow (it rarely pins a place); `optional` marks a diagnostic the
// spec leaves open (a cascade), neither required nor counted as a false positive. `todo` names an open
// finding against docs/spec/ (the test is then marked todo until it is fixed).
// The leads CSV and workspace limit are read exactly as `callflow validate` reads them (cli/files.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeParsed } from '../../core/validate';
import { parseText } from '../../core/parse';
import { gatherValidateOptions } from '../../cli/files';
import type { Diagnostic } from '../../core/diagnostic';

export const QA_DIR = path.join(__dirname, '../fixtures/qa');

export interface Expected {
  code: string;
  severity: string;
  line: number;
  alt?: number[];
  optional?: boolean;
  why?: string;
}
export interface ExpectFile {
  diagnostics: Expected[];
  todo?: string;
}

export function corpusFiles(dir = QA_DIR, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...corpusFiles(p, `${prefix}${name}/`));
    else if (name.endsWith('.workflow.yaml')) out.push(`${prefix}${name}`);
  }
  return out;
}

export function runFile(rel: string): Diagnostic[] {
  const file = path.join(QA_DIR, rel);
  const parsed = parseText(readFileSync(file, 'utf8'));
  return analyzeParsed(parsed, gatherValidateOptions(file, parsed.data, QA_DIR)).diagnostics;
}

export interface Comparison {
  truePositives: number;
  falsePositives: Diagnostic[];
  falseNegatives: Expected[];
}

/** Each reported diagnostic claims one expected entry with its code, severity and an allowed start line. */
export function compare(got: readonly Diagnostic[], expected: readonly Expected[]): Comparison {
  const open = expected.map((e) => ({ e, used: false }));
  const fp: Diagnostic[] = [];
  let tp = 0;
  for (const d of got) {
    const line = d.range.start.line + 1;
    const fits = (e: Expected) =>
      e.code === d.code && e.severity === d.severity && (e.line === line || (e.alt ?? []).includes(line));
    const slot =
      open.find((o) => !o.used && !o.e.optional && fits(o.e)) ?? open.find((o) => !o.used && o.e.optional && fits(o.e));
    if (!slot) {
      fp.push(d);
      continue;
    }
    slot.used = true;
    if (!slot.e.optional) tp++;
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: open.filter((o) => !o.used && !o.e.optional).map((o) => o.e),
  };
}

export function readExpect(rel: string): ExpectFile {
  const p = path.join(QA_DIR, rel.replace(/\.workflow\.yaml$/, '.expect.json'));
  return JSON.parse(readFileSync(p, 'utf8')) as ExpectFile;
}
