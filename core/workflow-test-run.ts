// Running a workflow test file: its workflow prepared for the interpreter, the cases checked against
// that workflow (WT003 to WT006, core/workflow-test-check.ts), each case run by core/interpret.ts and
// compared with its `expect`, and the coverage of the workflow's edges and outcomes. Pure: the caller
// reads the files (the CLI from disk, the language server from its documents) and passes the texts.
import { compareDiagnostics, type Diagnostic, type Range, type Span } from './diagnostic';
import { outcomesOf } from './outcomes';
import { TERMINAL_TYPES, type WorkflowModel } from './model';
import type { LineIndex } from './text';
import { analyze } from './validate';
import {
  programFromModel,
  run,
  scriptedOutcomes,
  type End,
  type Program,
  type RunResult,
  type VisitOutcome,
} from './interpret';
import { DEFAULT_START, parseWorkflowTest, startMs, type ParsedTestFile, type TestCase } from './workflow-test';
import { checkWorkflowTest, normalizeRenderedKey } from './workflow-test-check';

export interface PreparedWorkflow {
  model: WorkflowModel;
  lines: LineIndex;
  program: Program;
  /** The workflow's own error diagnostics (it may still run; they are shown as notes). */
  errors: Diagnostic[];
}

/**
 * A workflow text ready to run, or why it cannot: no usable YAML document (WF001/WF004), or no entry
 * node. Any other problem the rules find does not stop a run: the tests show what leads would do.
 */
export function prepareWorkflow(text: string): PreparedWorkflow | { error: string } {
  const a = analyze(text);
  const fatal = a.diagnostics.find((d) => d.code === 'WF001' || d.code === 'WF004');
  if (!a.model || fatal) {
    const d = fatal ?? a.diagnostics[0];
    return { error: d ? `line ${d.range.start.line + 1}: ${d.message}` : 'it holds no workflow' };
  }
  const program = programFromModel(a.model);
  if (program.entry === undefined)
    return { error: 'it has no entry node (set `entry:` or leave exactly one node without incoming edges)' };
  return {
    model: a.model,
    lines: a.parsed.lines,
    program,
    errors: a.diagnostics.filter((d) => d.severity === 'error'),
  };
}

/** The workflow a test file names, as its caller found it: its text, or why it could not be read. */
export interface WorkflowSource {
  /** For messages: the path as the caller shows it. */
  path: string;
  text?: string;
  error?: string;
}

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseFailure {
  field: 'path' | 'ends' | 'elapsed_hours' | 'calls' | 'rendered' | 'problems' | 'outcomes';
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** The expectation that failed (its value), else the case's `expect` key. */
  range: Range;
}

export interface CaseResult {
  name: string;
  status: CaseStatus;
  /** The case name's range, and the `expect` key's (where the editor shows a failure). */
  range: Range;
  expectRange?: Range;
  failures: CaseFailure[];
  skipReason?: string;
  actual?: {
    path: string[];
    ends: End | 'NO_OUTCOME';
    elapsedHours: number;
    calls: number;
    rendered: Record<string, string>;
    problems: { code: string; node: string; message: string }[];
    cycle?: string[];
    pending?: { node: string; visit: number };
  };
}

export interface TestFileResult {
  /** WT diagnostics of the test file (and WT003 for its workflow). */
  diagnostics: Diagnostic[];
  /** False when the file or its workflow has errors: no case ran (exit 2). */
  ran: boolean;
  cases: CaseResult[];
  workflowPath?: string;
  /** The runs, for coverage (with the program they ran on). */
  runs: RunResult[];
  workflow?: PreparedWorkflow;
  parsed: ParsedTestFile;
}

/**
 * Parses, checks and runs one test file. `loadWorkflow` gets the file's `workflow` value as written
 * (relative to the test file) and answers with the text, or why it cannot be read.
 */
export function runWorkflowTest(text: string, loadWorkflow: (ref: string) => WorkflowSource): TestFileResult {
  const parsed = parseWorkflowTest(text);
  const { model } = parsed;
  const workflow = model.workflow && loadWorkflow(model.workflow.value);
  const diagnostics = [...parsed.diagnostics];
  const lines = parsed.parsed.lines;
  const at = (span: Span) => lines.range(span);
  let prepared: PreparedWorkflow | undefined;
  if (model.workflow && workflow) {
    const p = workflow.error !== undefined ? { error: workflow.error } : prepareWorkflow(workflow.text ?? '');
    if ('error' in p)
      diagnostics.push({
        code: 'WT003',
        severity: 'error',
        message: `cannot run the workflow ${workflow.path}: ${p.error}`,
        range: at(model.workflow.span),
      });
    else {
      prepared = p;
      diagnostics.push(...checkWorkflowTest(parsed, p.program, at));
    }
  }
  diagnostics.sort(compareDiagnostics);
  const ran = !!prepared && !diagnostics.some((d) => d.severity === 'error');
  const result: TestFileResult = {
    diagnostics,
    ran,
    cases: [],
    workflowPath: workflow?.path,
    runs: [],
    workflow: prepared,
    parsed,
  };
  if (!ran || !prepared) return result;
  for (const c of model.cases) {
    const base = { name: c.name, range: at(c.nameSpan), expectRange: c.expect && at(c.expect.keySpan) };
    if (c.skip !== undefined) {
      result.cases.push({ ...base, status: 'skip', failures: [], skipReason: c.skip });
      continue;
    }
    const r = runCase(prepared.program, c, parsed);
    result.runs.push(r);
    const failures = compare(c, r, at);
    result.cases.push({
      ...base,
      status: failures.length ? 'fail' : 'pass',
      failures,
      actual: {
        path: r.path,
        ends: r.end,
        elapsedHours: r.elapsedHours,
        calls: r.calls,
        rendered: r.rendered,
        problems: r.problems.map((p) => ({ code: p.code, node: p.node, message: p.message })),
        cycle: r.cycle,
        pending: r.pending,
      },
    });
  }
  return result;
}

function runCase(program: Program, c: TestCase, file: ParsedTestFile): RunResult {
  const script: Record<string, VisitOutcome[]> = {};
  for (const s of c.outcomes) script[s.node] = [...(script[s.node] ?? []), ...s.items.map((i) => i.value)];
  const r = run(program, c.lead, scriptedOutcomes(script), {
    startedAt: c.startMs ?? file.model.startMs ?? startMs(DEFAULT_START),
    maxSteps: c.maxSteps?.value ?? file.model.maxSteps?.value,
  });
  // prepareWorkflow made sure there is an entry, so run cannot refuse to start.
  if ('error' in r) throw new Error(r.error);
  return r;
}

const EPSILON = 1e-9;

function compare(c: TestCase, r: RunResult, at: (s: Span) => Range): CaseFailure[] {
  const out: CaseFailure[] = [];
  const e = c.expect;
  if (!e) return out;
  if (r.pending) {
    const script = c.outcomes.find((s) => s.node === r.pending!.node);
    out.push({
      field: 'outcomes',
      message: `the lead reached "${r.pending.node}" for visit ${r.pending.visit + 1} but outcomes gives ${script ? `only ${script.items.length}` : 'none'} for it`,
      range: at(script?.keySpan ?? e.keySpan),
    });
  }
  if (e.path) {
    const expected = e.path.value.map((x) => x.value);
    if (expected.length !== r.path.length || expected.some((k, i) => k !== r.path[i]))
      out.push({ field: 'path', message: 'the path differs', expected, actual: r.path, range: at(e.path.span) });
  }
  if (e.ends && e.ends.value !== r.end)
    out.push({
      field: 'ends',
      message:
        r.end === 'NO_OUTCOME'
          ? `expected ${e.ends.value}, but the lead was still waiting for an outcome of "${r.pending?.node}"`
          : `expected ${e.ends.value}, the lead ended ${r.end}` +
            (r.end === 'STOPPED' || r.end === 'LOOP'
              ? `: ${r.problems.find((p) => p.code === 'no-matching-edge' || p.code === 'loop' || p.code === 'unknown-node' || p.code === 'unknown-type')?.message ?? ''}`
              : ''),
      expected: e.ends.value,
      actual: r.end,
      range: at(e.ends.span),
    });
  if (e.elapsedHours && Math.abs(e.elapsedHours.value - r.elapsedHours) > EPSILON)
    out.push({
      field: 'elapsed_hours',
      message: `expected ${e.elapsedHours.value} hours, the lead took ${round(r.elapsedHours)}`,
      expected: e.elapsedHours.value,
      actual: r.elapsedHours,
      range: at(e.elapsedHours.span),
    });
  if (e.calls && e.calls.value !== r.calls)
    out.push({
      field: 'calls',
      message: `expected ${e.calls.value} call${e.calls.value === 1 ? '' : 's'}, the lead had ${r.calls}`,
      expected: e.calls.value,
      actual: r.calls,
      range: at(e.calls.span),
    });
  for (const x of e.rendered ?? []) {
    const key = normalizeRenderedKey(x.key);
    const actual = Object.prototype.hasOwnProperty.call(r.rendered, key) ? r.rendered[key] : undefined;
    if (actual === x.value) continue;
    out.push({
      field: 'rendered',
      message:
        actual === undefined
          ? `${x.key} was never rendered: the lead did not visit ${key.split('.')[0]}`
          : `${x.key} differs`,
      expected: x.value,
      actual,
      range: at(x.valueSpan),
    });
  }
  if (e.problems) {
    const expected = [...new Set(e.problems.value.map((p) => p.value))].sort();
    const actual = [...new Set(r.problems.map((p) => p.code))].sort();
    if (expected.join() !== actual.join())
      out.push({
        field: 'problems',
        message: `expected problems [${expected.join(', ')}], the run reported [${actual.join(', ')}]`,
        expected,
        actual,
        range: at(e.problems.span),
      });
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Coverage

export interface EdgeCoverage {
  /** The edge in the workflow file. */
  range?: Range;
  from: string;
  index: number;
  to: string;
  on?: string;
  taken: number;
}

export interface OutcomeCoverage {
  /** The node's key in the workflow file. */
  range?: Range;
  node: string;
  outcome: string;
  seen: number;
}

export interface Coverage {
  edges: EdgeCoverage[];
  outcomes: OutcomeCoverage[];
}

/**
 * Which edges the runs took and which outcomes they saw at each node. The outcomes counted are those
 * the node's type emits (core/outcomes.ts) plus every label its edges name (VOICEMAIL, a branch).
 */
export function coverageOf(workflow: PreparedWorkflow, runs: readonly RunResult[]): Coverage {
  const { program, model, lines } = workflow;
  const taken = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const r of runs) {
    for (const e of r.edges) taken.set(e, (taken.get(e) ?? 0) + 1);
    for (const o of r.outcomes)
      if (o.outcome !== undefined)
        seen.set(`${o.node}\u0000${o.outcome}`, (seen.get(`${o.node}\u0000${o.outcome}`) ?? 0) + 1);
  }
  const edges: EdgeCoverage[] = [];
  const outcomes: OutcomeCoverage[] = [];
  for (const n of program.nodes.values()) {
    const decl = model.nodeByKey.get(n.key);
    for (const e of n.edges) {
      const span = decl?.next[e.index]?.span;
      edges.push({
        range: span && lines.range(span),
        from: n.key,
        index: e.index,
        to: e.to,
        on: e.on,
        taken: taken.get(`${n.key}#${e.index}`) ?? 0,
      });
    }
    const nodeRange = decl && lines.range(decl.keySpan);
    if (TERMINAL_TYPES.has(n.type) || n.type === 'TIME') continue;
    const labels = [...(outcomesOf(n.type, n.config)?.outcomes ?? [])];
    for (const e of n.edges) if (e.on !== undefined && !labels.includes(e.on)) labels.push(e.on);
    for (const l of labels)
      outcomes.push({ range: nodeRange, node: n.key, outcome: l, seen: seen.get(`${n.key}\u0000${l}`) ?? 0 });
  }
  return { edges, outcomes };
}
