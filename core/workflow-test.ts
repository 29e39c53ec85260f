// Workflow test files (`<name>.workflow.test.yaml`): the text parsed into cases with the exact span of
// every value, and the shape checked with a diagnostic at the smallest wrong piece (codes WT001,
// WT002). What the cases say about the workflow itself (node keys, outcome labels, rendered paths) is
// checked in core/workflow-test-check.ts; running them is core/workflow-test-run.ts. Pure.
// docs/workflow-tests.md is the format's reference; schemas/workflow-test.schema.json its schema.
import { isMap, isScalar, isSeq, type Document, type Node as YNode, type Pair, type YAMLSeq } from 'yaml';
import { compareDiagnostics, type Diagnostic, type Span } from './diagnostic';
import { closestName } from './typo';
import { ENDS, parseWhen, type End, type VisitOutcome } from './interpret';
import type { Located } from './model';
import { keyText, pairs, resolveNode, scalarText, spanOf } from './yaml-access';
import { parseText, type ParsedText } from './parse';

export const TEST_SUFFIX = '.workflow.test.yaml';

export const PROBLEM_CODES = [
  'no-matching-edge',
  'unknown-node',
  'unknown-type',
  'missing-variable',
  'missing-field',
  'not-comparable',
  'unknown-operator',
  'no-conditions',
  'no-branch',
  'bad-delay',
  'pca-missing',
  'pca-past',
  'loop',
] as const;

export interface ScriptedOutcome {
  value: VisitOutcome;
  span: Span;
}

export interface OutcomeScript {
  node: string;
  keySpan: Span;
  items: ScriptedOutcome[];
}

export interface RenderedExpectation {
  /** As written: `node.action_config.subject`. */
  key: string;
  keySpan: Span;
  value: string;
  valueSpan: Span;
}

export interface CaseExpect {
  /** The `expect` key: where a failure is shown. */
  keySpan: Span;
  span: Span;
  path?: Located<Located<string>[]>;
  ends?: Located<End>;
  elapsedHours?: Located<number>;
  calls?: Located<number>;
  rendered?: RenderedExpectation[];
  problems?: Located<Located<string>[]>;
}

export interface TestCase {
  name: string;
  nameSpan: Span;
  /** The whole `name: {...}` entry. */
  span: Span;
  lead: Record<string, unknown>;
  outcomes: OutcomeScript[];
  expect?: CaseExpect;
  start?: Located<string>;
  startMs?: number;
  maxSteps?: Located<number>;
  /** `skip: true` or `skip: reason`. */
  skip?: string;
}

export interface TestFileModel {
  workflow?: Located<string>;
  start?: Located<string>;
  startMs?: number;
  maxSteps?: Located<number>;
  cases: TestCase[];
  casesKeySpan?: Span;
}

export interface ParsedTestFile {
  parsed: ParsedText;
  model: TestFileModel;
  /** WT001 syntax, WT002 shape; sorted later with the checker's. */
  diagnostics: Diagnostic[];
}

/** The default start of every case: a fixed instant, so a run never depends on when it happens. */
export const DEFAULT_START = '2026-01-01T00:00:00Z';

const TOP_FIELDS = ['workflow', 'description', 'start', 'max_steps', 'cases'];
const CASE_FIELDS = ['description', 'lead', 'outcomes', 'expect', 'start', 'max_steps', 'skip'];
const EXPECT_FIELDS = ['path', 'ends', 'elapsed_hours', 'calls', 'rendered', 'problems'];
const OUTCOME_FIELDS = ['outcome', 'analysis'];

export function parseWorkflowTest(text: string): ParsedTestFile {
  const parsed = parseText(text);
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({
    ...d,
    code: 'WT001',
    message:
      d.code === 'WF004'
        ? d.message.replace(
            /a workflow file is a mapping with version, title and nodes|a workflow file holds exactly one/,
            (m) =>
              m.startsWith('a workflow file is')
                ? 'a workflow test file is a mapping with workflow and cases'
                : 'a workflow test file holds exactly one',
          )
        : d.message,
  }));
  const model: TestFileModel = { cases: [] };
  if (!parsed.doc) return { parsed, model, diagnostics };
  const doc = parsed.doc;
  const err = (message: string, span: Span, code = 'WT002'): void => {
    diagnostics.push({ code, severity: 'error', message, range: parsed.lines.range(span) });
  };
  const r = new Reader(doc, err, parsed.data !== undefined);
  const top = doc.contents as YNode;
  const topSpan = spanOf(top) ?? { start: 0, end: 0 };
  const topPairs = r.fields(top, TOP_FIELDS, 'the test file');
  const wf = topPairs.get('workflow');
  if (!wf)
    err(
      'missing required field "workflow": the workflow file these cases run, relative to this file',
      firstLine(parsed, topSpan),
    );
  else {
    const v = r.string(wf, '"workflow"');
    if (v) {
      if (!v.value.endsWith('.workflow.yaml'))
        err(`"workflow" must name a .workflow.yaml file, not ${JSON.stringify(v.value)}`, v.span);
      else model.workflow = v;
    }
  }
  const st = topPairs.get('start');
  if (st) {
    model.start = r.start(st);
    model.startMs = model.start && startMs(model.start.value);
  }
  const ms = topPairs.get('max_steps');
  if (ms) model.maxSteps = r.integer(ms, '"max_steps"', 1);
  const cp = topPairs.get('cases');
  if (!cp) err('missing required field "cases": a mapping from case name to case', firstLine(parsed, topSpan));
  else {
    model.casesKeySpan = spanOf(cp.key as YNode);
    const cases = resolveNode(doc, cp.value);
    if (!isMap(cases)) err('"cases" must be a mapping from case name to case', r.valueSpan(cp));
    else {
      for (const p of pairs(doc, cases)) {
        const name = keyText(p);
        const nameSpan = spanOf(p.key as YNode);
        if (name === undefined || !nameSpan || name.startsWith('x-')) continue;
        const c = readCase(r, p, name, nameSpan);
        if (c) model.cases.push(c);
      }
      if (model.cases.length === 0 && (cases as { items: unknown[] }).items.length === 0)
        err('"cases" is empty: a test file holds at least one case', r.valueSpan(cp));
    }
  }
  // A syntax error leaves a half-recovered tree: shape errors about it would only echo the WT001.
  const syntax = diagnostics.some((d) => d.code === 'WT001');
  const list = syntax ? diagnostics.filter((d) => d.code === 'WT001') : diagnostics;
  return { parsed, model, diagnostics: list.sort(compareDiagnostics) };
}

function firstLine(parsed: ParsedText, span: Span): Span {
  return { start: span.start, end: Math.min(parsed.lines.lineEnd(parsed.lines.position(span.start).line), span.end) };
}

/** Epoch milliseconds of a start date-time (ISO 8601; no offset: UTC), or undefined. */
export function startMs(text: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? parseWhen(text, 0) : undefined;
}

function readCase(r: Reader, p: Pair<unknown, unknown>, name: string, nameSpan: Span): TestCase | undefined {
  const span = { start: nameSpan.start, end: spanOf(p.value as YNode)?.end ?? nameSpan.end };
  const c: TestCase = { name, nameSpan, span, lead: {}, outcomes: [] };
  const value = r.resolve(p.value);
  if (!isMap(value)) {
    r.err(`case "${name}" must be a mapping with lead, outcomes and expect`, r.valueSpan(p) ?? nameSpan);
    return c;
  }
  const f = r.fields(value, CASE_FIELDS, `case "${name}"`);
  const lead = f.get('lead');
  if (lead) {
    const v = r.resolve(lead.value);
    if (isMap(v)) c.lead = (r.toJS(v) ?? {}) as Record<string, unknown>;
    else if (!isNull(v)) r.err('"lead" must be a mapping of the lead\'s variables', r.valueSpan(lead));
  }
  const oc = f.get('outcomes');
  if (oc) c.outcomes = readOutcomes(r, oc);
  const ex = f.get('expect');
  if (!ex) r.err(`case "${name}" has no "expect": a case must expect something`, nameSpan);
  else c.expect = readExpect(r, ex);
  const st = f.get('start');
  if (st) {
    c.start = r.start(st);
    c.startMs = c.start && startMs(c.start.value);
  }
  const ms = f.get('max_steps');
  if (ms) c.maxSteps = r.integer(ms, '"max_steps"', 1);
  const sk = f.get('skip');
  if (sk) {
    const v = r.resolve(sk.value);
    if (isScalar(v) && v.value === true) c.skip = 'skipped';
    else if (isScalar(v) && typeof v.value === 'string' && v.value.trim()) c.skip = v.value;
    else if (!(isScalar(v) && v.value === false))
      r.err('"skip" must be true, false or the reason the case is skipped', r.valueSpan(sk));
  }
  return c;
}

function readOutcomes(r: Reader, p: Pair<unknown, unknown>): OutcomeScript[] {
  const out: OutcomeScript[] = [];
  const v = r.resolve(p.value);
  if (isNull(v)) return out;
  if (!isMap(v)) {
    r.err('"outcomes" must be a mapping: node key → the outcome of each visit, in order', r.valueSpan(p));
    return out;
  }
  for (const np of pairs(r.doc, v)) {
    const node = keyText(np);
    const keySpan = spanOf(np.key as YNode);
    if (node === undefined || !keySpan || node.startsWith('x-')) continue;
    const script: OutcomeScript = { node, keySpan, items: [] };
    out.push(script);
    const list = r.resolve(np.value);
    if (!isSeq(list)) {
      r.err(
        `outcomes of "${node}" must be a list, one outcome per visit (e.g. [DNP, COMPLETED])`,
        r.valueSpan(np) ?? keySpan,
      );
      continue;
    }
    for (const item of (list as YAMLSeq).items) {
      const span = spanOf(item as YNode);
      const it = r.resolve(item);
      if (!span) continue;
      const text = scalarText(it);
      if (text !== undefined && text !== '') {
        script.items.push({ value: { outcome: text }, span });
        continue;
      }
      if (isMap(it)) {
        const f = r.fields(it, OUTCOME_FIELDS, 'an outcome');
        const o = f.get('outcome');
        const ot = o ? scalarText(r.resolve(o.value)) : undefined;
        if (!o) r.err('missing required field "outcome": the label this visit ends with', span);
        else if (ot === undefined || ot === '') r.err('"outcome" must be a label such as COMPLETED', r.valueSpan(o));
        const a = f.get('analysis');
        let analysis: Record<string, unknown> | undefined;
        if (a) {
          const av = r.resolve(a.value);
          if (isMap(av)) analysis = (r.toJS(av) ?? {}) as Record<string, unknown>;
          else r.err('"analysis" must be a mapping: the call\'s post-call analysis fields', r.valueSpan(a));
        }
        if (ot) script.items.push({ value: analysis ? { outcome: ot, analysis } : { outcome: ot }, span });
        continue;
      }
      r.err('an outcome is a label (COMPLETED) or {outcome: COMPLETED, analysis: {...}}', span);
    }
  }
  return out;
}

function readExpect(r: Reader, p: Pair<unknown, unknown>): CaseExpect | undefined {
  const keySpan = spanOf(p.key as YNode)!;
  const v = r.resolve(p.value);
  const span = { start: keySpan.start, end: spanOf(p.value as YNode)?.end ?? keySpan.end };
  if (!isMap(v)) {
    r.err(
      '"expect" must be a mapping: path, ends, elapsed_hours, calls, rendered or problems',
      r.valueSpan(p) ?? keySpan,
    );
    return undefined;
  }
  const e: CaseExpect = { keySpan, span };
  const f = r.fields(v, EXPECT_FIELDS, '"expect"');
  if (f.size === 0)
    r.err('"expect" is empty: say at least one of path, ends, elapsed_hours, calls, rendered, problems', keySpan);
  const path = f.get('path');
  if (path) e.path = r.stringList(path, '"path"', 'a node key');
  const ends = f.get('ends');
  if (ends) {
    const s = r.string(ends, '"ends"');
    if (s) {
      if ((ENDS as readonly string[]).includes(s.value)) e.ends = s as Located<End>;
      else {
        const meant = closestName(s.value, ENDS);
        r.err(
          `"ends" must be one of ${ENDS.join(', ')}, not ${JSON.stringify(s.value)}${meant ? ` (did you mean "${meant}"?)` : ''}`,
          s.span,
        );
      }
    }
  }
  const eh = f.get('elapsed_hours');
  if (eh) e.elapsedHours = r.number(eh, '"elapsed_hours"', 0, false);
  const calls = f.get('calls');
  if (calls) e.calls = r.integer(calls, '"calls"', 0);
  const rendered = f.get('rendered');
  if (rendered) {
    const rv = r.resolve(rendered.value);
    if (!isMap(rv))
      r.err('"rendered" must be a mapping: node.action_config.<path> → the expected text', r.valueSpan(rendered));
    else {
      e.rendered = [];
      for (const rp of pairs(r.doc, rv)) {
        const key = keyText(rp);
        const ks = spanOf(rp.key as YNode);
        if (key === undefined || !ks || key.startsWith('x-')) continue;
        const val = r.resolve(rp.value);
        const text = scalarText(val);
        const vs = spanOf(rp.value as YNode) ?? ks;
        if (text === undefined) r.err(`the expected text of "${key}" must be a string`, vs);
        else e.rendered.push({ key, keySpan: ks, value: text, valueSpan: vs });
      }
    }
  }
  const problems = f.get('problems');
  if (problems) {
    e.problems = r.stringList(problems, '"problems"', 'a problem code');
    for (const item of e.problems?.value ?? [])
      if (!(PROBLEM_CODES as readonly string[]).includes(item.value)) {
        const meant = closestName(item.value, PROBLEM_CODES);
        r.err(
          `unknown problem ${JSON.stringify(item.value)}${meant ? ` (did you mean "${meant}"?)` : `; one of ${PROBLEM_CODES.join(', ')}`}`,
          item.span,
        );
      }
  }
  return e;
}

function isNull(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null);
}

/** Reading values off the YAML tree with a WT002 for each one of the wrong shape. */
class Reader {
  constructor(
    readonly doc: Document.Parsed,
    readonly err: (message: string, span: Span) => void,
    readonly safe: boolean,
  ) {}

  resolve(n: unknown): unknown {
    return resolveNode(this.doc, n);
  }

  /** Plain data; null when parseText found the aliases unsafe to expand (it reported that). */
  toJS(n: unknown): unknown {
    if (!this.safe) return null;
    try {
      return (n as YNode).toJS(this.doc, { maxAliasCount: -1 }) ?? null;
    } catch {
      return null;
    }
  }

  valueSpan(p: Pair<unknown, unknown>): Span {
    return spanOf(p.value as YNode) ?? spanOf(p.key as YNode)!;
  }

  /** The known fields of a mapping; an unknown one (not `x-…`) is reported with the field meant. */
  fields(n: unknown, known: readonly string[], owner: string): Map<string, Pair<unknown, unknown>> {
    const out = new Map<string, Pair<unknown, unknown>>();
    const m = this.resolve(n);
    if (!isMap(m)) return out;
    for (const p of pairs(this.doc, m)) {
      const k = keyText(p);
      const ks = spanOf(p.key as YNode);
      if (k === undefined || !ks || k.startsWith('x-')) continue;
      if (known.includes(k)) {
        if (!out.has(k)) out.set(k, p);
        continue;
      }
      const meant = closestName(k, known);
      this.err(
        `unknown field "${k}" in ${owner}${meant ? ` (did you mean "${meant}"?)` : `; expected ${known.join(', ')}`}`,
        ks,
      );
    }
    return out;
  }

  string(p: Pair<unknown, unknown>, name: string): Located<string> | undefined {
    const v = this.resolve(p.value);
    const span = this.valueSpan(p);
    if (isScalar(v) && typeof v.value === 'string' && v.value !== '') return { value: v.value, span };
    this.err(`${name} must be a non-empty string`, span);
    return undefined;
  }

  number(p: Pair<unknown, unknown>, name: string, min: number, integer: boolean): Located<number> | undefined {
    const v = this.resolve(p.value);
    const span = this.valueSpan(p);
    if (
      isScalar(v) &&
      typeof v.value === 'number' &&
      Number.isFinite(v.value) &&
      v.value >= min &&
      (!integer || Number.isInteger(v.value))
    )
      return { value: v.value, span };
    this.err(`${name} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}`, span);
    return undefined;
  }

  integer(p: Pair<unknown, unknown>, name: string, min: number): Located<number> | undefined {
    return this.number(p, name, min, true);
  }

  start(p: Pair<unknown, unknown>): Located<string> | undefined {
    const v = this.resolve(p.value);
    const span = this.valueSpan(p);
    const text = scalarText(v);
    if (text !== undefined && startMs(text) !== undefined) return { value: text, span };
    this.err('"start" must be an ISO 8601 date-time such as 2026-11-14T09:00:00Z (no offset: UTC)', span);
    return undefined;
  }

  stringList(p: Pair<unknown, unknown>, name: string, what: string): Located<Located<string>[]> | undefined {
    const v = this.resolve(p.value);
    const span = this.valueSpan(p);
    if (!isSeq(v)) {
      this.err(`${name} must be a list`, span);
      return undefined;
    }
    const items: Located<string>[] = [];
    let ok = true;
    for (const it of (v as YAMLSeq).items) {
      const s = spanOf(it as YNode);
      const t = scalarText(this.resolve(it));
      if (!s) continue;
      if (t === undefined || t === '') {
        this.err(`each item of ${name} must be ${what}`, s);
        ok = false;
      } else items.push({ value: t, span: s });
    }
    return ok || items.length ? { value: items, span } : undefined;
  }
}
