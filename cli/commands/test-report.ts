// The reports of `callflow test`: text (expected and actual paths side by side), JSON, JUnit XML and
// TAP 13, each optionally with coverage. Deterministic: no timings, no absolute paths, so reports
// can be compared byte for byte.
import type { Diagnostic } from '../../core/diagnostic';
import {
  coverageOf,
  type CaseFailure,
  type CaseResult,
  type Coverage,
  type PreparedWorkflow,
  type TestFileResult,
} from '../../core/workflow-test-run';
import type { RunResult } from '../../core/interpret';
import { formatText } from '../report/text';

export const TEST_FORMATS = ['text', 'json', 'junit', 'tap'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

export interface TestFileReport {
  /** As given or found (relative, `/`-separated from folder searches). */
  file: string;
  text: string;
  result: TestFileResult;
}

export interface TestReportOptions {
  color: boolean;
  coverage: boolean;
}

export function renderTestReport(
  format: TestFormat,
  reports: readonly TestFileReport[],
  opts: TestReportOptions,
): string {
  const coverage = opts.coverage ? coverageByWorkflow(reports) : undefined;
  switch (format) {
    case 'text':
      return formatTextReport(reports, coverage, opts.color);
    case 'json':
      return formatJsonReport(reports, coverage);
    case 'junit':
      return formatJunit(reports, coverage);
    case 'tap':
      return formatTap(reports, coverage);
  }
}

export interface WorkflowCoverage extends Coverage {
  workflow: string;
  cases: number;
}

/** One coverage per workflow file, over every case of every test file that runs it. */
export function coverageByWorkflow(reports: readonly TestFileReport[]): WorkflowCoverage[] {
  const by = new Map<string, { workflow: PreparedWorkflow; runs: RunResult[] }>();
  for (const r of reports) {
    const { workflow, workflowPath, runs } = r.result;
    if (!workflow || !workflowPath || !r.result.ran) continue;
    const entry = by.get(workflowPath) ?? { workflow, runs: [] };
    entry.runs.push(...runs);
    by.set(workflowPath, entry);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([workflow, e]) => ({ workflow, cases: e.runs.length, ...coverageOf(e.workflow, e.runs) }));
}

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  files: number;
}

function totals(reports: readonly TestFileReport[]): Totals {
  const t: Totals = { passed: 0, failed: 0, skipped: 0, notRun: 0, files: reports.length };
  for (const r of reports) {
    if (!r.result.ran) t.notRun++;
    for (const c of r.result.cases)
      if (c.status === 'pass') t.passed++;
      else if (c.status === 'fail') t.failed++;
      else t.skipped++;
  }
  return t;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summary(t: Totals): string {
  const parts = [`${t.passed} passed`, `${t.failed} failed`];
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  let s = `${parts.join(', ')} in ${plural(t.files, 'file')}`;
  if (t.notRun) s += `; ${plural(t.notRun, 'file')} could not run`;
  return s;
}

function loc(file: string, r: { start: { line: number; character: number } }): string {
  return `${file}:${r.start.line + 1}:${r.start.character + 1}`;
}

function edgeText(e: { from: string; to: string; on?: string; index: number }): string {
  return `${e.from} → ${e.to} (edge ${e.index + 1}, ${e.on === undefined ? 'any outcome' : `on ${e.on}`})`;
}

// ---------------------------------------------------------------------------------------------
// text

const SGR = {
  reset: '\x1b[0m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
};

function formatTextReport(
  reports: readonly TestFileReport[],
  coverage: WorkflowCoverage[] | undefined,
  color: boolean,
): string {
  const paint = (c: string, s: string) => (color ? `${c}${s}${SGR.reset}` : s);
  const out: string[] = [];
  for (const r of reports) {
    const res = r.result;
    out.push(`${paint(SGR.bold, r.file)}${res.workflowPath ? paint(SGR.dim, `  (${res.workflowPath})`) : ''}`);
    const diags = res.diagnostics;
    if (diags.length) {
      const text = formatText([{ file: r.file, text: r.text, diagnostics: diags }], { color, version: '' });
      // formatText ends with its own summary line: the test summary below replaces it.
      out.push(
        ...text
          .trimEnd()
          .split('\n')
          .slice(0, -1)
          .map((l) => (l ? `  ${l}` : l)),
      );
    }
    if (!res.ran) {
      out.push(`  ${paint(SGR.red, 'could not run')}: ${whyNotRun(diags, ' above')}`, '');
      continue;
    }
    for (const c of res.cases) out.push(...caseLines(r.file, c, paint));
    out.push('');
  }
  if (coverage) for (const c of coverage) out.push(...coverageLines(c, paint), '');
  out.push(summary(totals(reports)));
  return out.join('\n') + '\n';
}

function whyNotRun(diags: readonly Diagnostic[], where = ''): string {
  const n = diags.filter((d) => d.severity === 'error').length;
  return n ? `${plural(n, 'error')}${where}` : 'the file holds no cases';
}

function caseLines(file: string, c: CaseResult, paint: (c: string, s: string) => string): string[] {
  if (c.status === 'skip')
    return [`  ${paint(SGR.yellow, '-')} ${c.name}  ${paint(SGR.dim, `skipped: ${c.skipReason}`)}`];
  if (c.status === 'pass') return [`  ${paint(SGR.green, '✓')} ${c.name}`];
  const out = [`  ${paint(SGR.red, '✗')} ${c.name}  ${paint(SGR.dim, loc(file, c.expectRange ?? c.range))}`];
  for (const f of c.failures) out.push(...failureLines(f));
  return out;
}

function failureLines(f: CaseFailure): string[] {
  if (f.field === 'path') {
    const exp = f.expected as string[];
    const act = f.actual as string[];
    const width = Math.max('expected'.length, ...exp.map((s) => s.length));
    const n = Math.max(exp.length, act.length);
    const num = String(n).length;
    const rows = [`      path:`, `        ${' '.repeat(num)}  ${'expected'.padEnd(width)}   actual`];
    for (let i = 0; i < n; i++) {
      const e = exp[i] ?? '';
      const a = act[i] ?? '';
      const mark = exp[i] === act[i] ? ' ' : '≠';
      rows.push(
        `        ${String(i + 1).padStart(num)}  ${(exp[i] === undefined ? '—' : e).padEnd(width)} ${mark} ${act[i] === undefined ? '—' : a}`.trimEnd(),
      );
    }
    return rows;
  }
  if (f.field === 'rendered')
    return [
      `      rendered: ${f.message}`,
      `        expected: ${JSON.stringify(f.expected)}`,
      ...(f.actual === undefined ? [] : [`        actual:   ${JSON.stringify(f.actual)}`]),
    ];
  return [`      ${f.field}: ${f.message}`];
}

function coverageLines(c: WorkflowCoverage, paint: (c: string, s: string) => string): string[] {
  const takenEdges = c.edges.filter((e) => e.taken > 0).length;
  const seen = c.outcomes.filter((o) => o.seen > 0).length;
  const out = [
    `${paint(SGR.bold, `coverage of ${c.workflow}`)} (${plural(c.cases, 'case')}): ${takenEdges} of ${plural(c.edges.length, 'edge')} taken, ${seen} of ${plural(c.outcomes.length, 'outcome')} seen`,
  ];
  const edges = c.edges.filter((e) => e.taken === 0);
  const outcomes = c.outcomes.filter((o) => o.seen === 0);
  if (edges.length) {
    out.push('  edges no case takes:');
    for (const e of edges)
      out.push(`    ${edgeText(e)}${e.range ? paint(SGR.dim, `  ${loc(c.workflow, e.range)}`) : ''}`);
  }
  if (outcomes.length) {
    out.push('  outcomes no case sees:');
    for (const o of outcomes)
      out.push(`    ${o.node} ${o.outcome}${o.range ? paint(SGR.dim, `  ${loc(c.workflow, o.range)}`) : ''}`);
  }
  if (!edges.length && !outcomes.length) out.push('  every edge taken and every outcome seen');
  return out;
}

// ---------------------------------------------------------------------------------------------
// json

function formatJsonReport(reports: readonly TestFileReport[], coverage: WorkflowCoverage[] | undefined): string {
  const t = totals(reports);
  const doc: Record<string, unknown> = {
    files: reports.map((r) => ({
      file: r.file,
      workflow: r.result.workflowPath ?? null,
      ran: r.result.ran,
      diagnostics: r.result.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        range: d.range,
      })),
      cases: r.result.cases.map((c) => ({
        name: c.name,
        status: c.status,
        range: c.range,
        ...(c.skipReason !== undefined ? { skip_reason: c.skipReason } : {}),
        failures: c.failures.map((f) => ({
          field: f.field,
          message: f.message,
          ...(f.expected !== undefined ? { expected: f.expected } : {}),
          ...(f.actual !== undefined ? { actual: f.actual } : {}),
          range: f.range,
        })),
        ...(c.actual
          ? {
              actual: {
                path: c.actual.path,
                ends: c.actual.ends,
                elapsed_hours: c.actual.elapsedHours,
                calls: c.actual.calls,
                rendered: c.actual.rendered,
                problems: c.actual.problems,
                ...(c.actual.cycle ? { cycle: c.actual.cycle } : {}),
                ...(c.actual.pending ? { pending: c.actual.pending } : {}),
              },
            }
          : {}),
      })),
    })),
  };
  if (coverage)
    doc.coverage = coverage.map((c) => ({
      workflow: c.workflow,
      cases: c.cases,
      edges: c.edges.map((e) => ({
        from: e.from,
        index: e.index,
        to: e.to,
        on: e.on ?? null,
        taken: e.taken,
        range: e.range ?? null,
      })),
      outcomes: c.outcomes.map((o) => ({ node: o.node, outcome: o.outcome, seen: o.seen, range: o.range ?? null })),
    }));
  doc.summary = { passed: t.passed, failed: t.failed, skipped: t.skipped, files: t.files, not_run: t.notRun };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

function xml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 cannot hold at all.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD')
  );
}

function failureDetail(f: CaseFailure): string {
  if (f.field === 'path')
    return `path\n  expected: ${(f.expected as string[]).join(' → ')}\n  actual:   ${(f.actual as string[]).join(' → ')}`;
  if (f.expected !== undefined || f.actual !== undefined)
    return `${f.field}: ${f.message}\n  expected: ${JSON.stringify(f.expected)}\n  actual:   ${JSON.stringify(f.actual)}`;
  return `${f.field}: ${f.message}`;
}

function formatJunit(reports: readonly TestFileReport[], coverage: WorkflowCoverage[] | undefined): string {
  const t = totals(reports);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="callflow test" tests="${t.passed + t.failed + t.skipped + t.notRun}" failures="${t.failed}" errors="${t.notRun}" skipped="${t.skipped}">`,
  ];
  for (const r of reports) {
    const res = r.result;
    const failed = res.cases.filter((c) => c.status === 'fail').length;
    const skipped = res.cases.filter((c) => c.status === 'skip').length;
    const tests = res.ran ? res.cases.length : 1;
    out.push(
      `  <testsuite name="${xml(r.file)}" tests="${tests}" failures="${failed}" errors="${res.ran ? 0 : 1}" skipped="${skipped}">`,
    );
    if (!res.ran) {
      const msgs = res.diagnostics.filter((d) => d.severity === 'error');
      out.push(
        `    <testcase classname="${xml(r.file)}" name="${xml(r.file)}" file="${xml(r.file)}">`,
        `      <error message="could not run: ${xml(whyNotRun(res.diagnostics))}">${xml(msgs.map((d) => `${loc(r.file, d.range)} ${d.code} ${d.message}`).join('\n'))}</error>`,
        '    </testcase>',
      );
    }
    for (const c of res.cases) {
      const open = `    <testcase classname="${xml(r.file)}" name="${xml(c.name)}" file="${xml(r.file)}" line="${c.range.start.line + 1}"`;
      if (c.status === 'pass') out.push(`${open}/>`);
      else if (c.status === 'skip')
        out.push(`${open}>`, `      <skipped message="${xml(c.skipReason ?? '')}"/>`, '    </testcase>');
      else {
        const first = c.failures[0];
        out.push(
          `${open}>`,
          `      <failure message="${xml(first.field === 'path' ? 'the path differs' : first.message)}" type="${xml(first.field)}">${xml(
            c.failures.map((f) => `${loc(r.file, f.range)} ${failureDetail(f)}`).join('\n'),
          )}</failure>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  if (coverage) {
    const lines = coverage.flatMap((c) => coverageLines(c, (_, s) => s));
    out.push(`  <system-out>${xml(lines.join('\n'))}</system-out>`);
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// TAP 13

function yamlScalar(v: unknown): string {
  return JSON.stringify(v);
}

function formatTap(reports: readonly TestFileReport[], coverage: WorkflowCoverage[] | undefined): string {
  const points: string[] = [];
  let n = 0;
  for (const r of reports) {
    const res = r.result;
    if (!res.ran) {
      n++;
      points.push(
        `not ok ${n} - ${r.file} # could not run`,
        '  ---',
        `  message: ${yamlScalar(`could not run: ${whyNotRun(res.diagnostics)}`)}`,
        '  diagnostics:',
      );
      for (const d of res.diagnostics)
        points.push(`    - ${yamlScalar(`${loc(r.file, d.range)} ${d.severity} ${d.code} ${d.message}`)}`);
      points.push('  ...');
      continue;
    }
    for (const c of res.cases) {
      n++;
      const name = `${r.file} > ${c.name}`.replace(/#/g, '\\#');
      if (c.status === 'pass') points.push(`ok ${n} - ${name}`);
      else if (c.status === 'skip') points.push(`ok ${n} - ${name} # SKIP ${c.skipReason}`);
      else {
        points.push(
          `not ok ${n} - ${name}`,
          '  ---',
          `  at: ${yamlScalar(loc(r.file, c.expectRange ?? c.range))}`,
          '  failures:',
        );
        for (const f of c.failures) {
          points.push(`    - field: ${f.field}`, `      message: ${yamlScalar(f.message)}`);
          if (f.expected !== undefined) points.push(`      expected: ${yamlScalar(f.expected)}`);
          if (f.actual !== undefined) points.push(`      actual: ${yamlScalar(f.actual)}`);
          points.push(`      at: ${yamlScalar(loc(r.file, f.range))}`);
        }
        points.push('  ...');
      }
    }
  }
  const out = ['TAP version 13', `1..${n}`, ...points];
  if (coverage) for (const c of coverage) out.push(...coverageLines(c, (_, s) => s).map((l) => `# ${l}`));
  out.push(`# ${summary(totals(reports))}`);
  return out.join('\n') + '\n';
}
