// The execution semantics of a workflow as a pure, deterministic function: where a lead goes from a
// node, given the outcome of its visit. The one interpreter behind `callflow test`, the editor's test
// runner and the emulator's scheduler (docs/spec/platform-api.md, "Routing", node types table).
//
// API
//   programFromModel(model)             a parsed file (core/model.ts) → Program (node keys as names)
//   programFromRemote(nodes, edges)     the API's nodes and edges (creation order) → Program (node ids)
//   startLead(program, data, opts)      → LeadState at the entry node (or an error string)
//   step(program, state, outcomes, o)   processes the lead's current node ONCE → StepResult:
//       { kind: 'moved', from, to, outcome?, edge, waitHours, state, events }
//           the lead left `from` along `edge` for `to`; `waitHours` > 0 only from a TIME node: the lead
//           sits at the TIME node for that long, then is at `to` (state.elapsedHours already counts it).
//       { kind: 'ended', end: CONVERTED | DROPPED | STOPPED | LOOP, state, events, cycle? }
//           a terminal node (CONVERTED, DROPPED), no matching edge or an unknown node (STOPPED), or the
//           step limit (LOOP, with the repeating part of the path in `cycle`).
//       { kind: 'needs-outcome', node, visit, state, events }
//           the outcome provider had no outcome for this visit (a VOICE_CALL, or a scripted node);
//           nothing changed.
//   run(program, data, outcomes, o)     steps until the lead ends (or needs an outcome) → RunResult
//       { end, path, elapsedHours, calls, rendered, events, problems, cycle?, pending? }
//
// An OutcomeProvider answers for a visit (node, 0-based visit number of that node, lead state):
//   a label ('COMPLETED'), or { outcome, analysis } where `analysis` becomes the lead's latest
//   post-call analysis (read by `postcall_analysis.*` condition fields and TIME pca_field), or
//   undefined. VOICE_CALL needs one; CONDITIONAL is evaluated from the lead unless one is given;
//   APPLICATION is `success` unless one is given; TIME never asks.
// LeadState is plain JSON (the emulator stores it between scheduling ticks) and is never mutated:
// every step returns a new one. Every result and event is deterministic for the same inputs.
import { buildGraph } from './graph';
import { TERMINAL_TYPES, type WorkflowModel } from './model';
import type { RemoteEdge, RemoteNode } from './remote';
import { scanTemplates } from './templates';

export interface ProgramEdge {
  to: string;
  /** The outcome label; absent: matches every outcome. */
  on?: string;
  /** Position among the node's edges: routing order. */
  index: number;
}

export interface ProgramNode {
  key: string;
  type: string;
  config: Record<string, unknown>;
  /** In routing order. */
  edges: ProgramEdge[];
}

export interface Program {
  entry?: string;
  nodes: ReadonlyMap<string, ProgramNode>;
}

export type End = 'CONVERTED' | 'DROPPED' | 'STOPPED' | 'LOOP';
export const ENDS: readonly End[] = ['CONVERTED', 'DROPPED', 'STOPPED', 'LOOP'];

export interface LeadState {
  /** The node the lead is at: the one the next step processes. */
  node: string;
  /** The lead's variables; `postcall_analysis` holds the latest call's analysis when one was given. */
  data: Record<string, unknown>;
  /** Virtual hours since the lead started. */
  elapsedHours: number;
  /** When the lead started, in milliseconds since the Unix epoch (for pca date-times). */
  startedAt: number;
  /** Node visits so far. */
  steps: number;
  /** Visits per node. */
  visits: Record<string, number>;
  /** VOICE_CALL visits with an outcome. */
  calls: number;
  /** Every node visited, in order. */
  path: string[];
}

export interface VisitOutcome {
  outcome: string;
  /** The call's post-call analysis (VOICE_CALL): becomes `postcall_analysis` in the lead's data. */
  analysis?: Record<string, unknown>;
}

export interface OutcomeRequest {
  node: ProgramNode;
  /** 0-based: how many times the lead visited this node before. */
  visit: number;
  state: LeadState;
}

export type OutcomeProvider = (req: OutcomeRequest) => string | VisitOutcome | undefined;

export type ProblemCode =
  | 'no-matching-edge'
  | 'unknown-node'
  | 'unknown-type'
  | 'missing-variable'
  | 'missing-field'
  | 'not-comparable'
  | 'unknown-operator'
  | 'no-conditions'
  | 'no-branch'
  | 'bad-delay'
  | 'pca-missing'
  | 'pca-past'
  | 'loop';

export type InterpretEvent =
  | { kind: 'visit'; node: string; type: string; visit: number; atHours: number }
  | {
      kind: 'outcome';
      node: string;
      outcome?: string;
      /** scripted: from the provider; evaluated: conditions/branches; default: APPLICATION success. */
      source: 'scripted' | 'evaluated' | 'default';
      atHours: number;
    }
  | {
      kind: 'condition';
      node: string;
      field: string;
      operator: string;
      value?: unknown;
      actual?: unknown;
      result: boolean;
    }
  | { kind: 'wait'; node: string; hours: number; atHours: number }
  | { kind: 'render'; node: string; path: string; text: string }
  | { kind: 'edge'; from: string; to: string; index: number; on?: string; atHours: number }
  | { kind: 'end'; node: string; end: End; atHours: number }
  | { kind: 'problem'; code: ProblemCode; node: string; message: string; atHours: number };

export type ProblemEvent = Extract<InterpretEvent, { kind: 'problem' }>;

export type StepResult =
  | {
      kind: 'moved';
      from: string;
      to: string;
      outcome?: string;
      edge: ProgramEdge;
      waitHours: number;
      state: LeadState;
      events: InterpretEvent[];
    }
  | { kind: 'ended'; end: End; state: LeadState; events: InterpretEvent[]; cycle?: string[] }
  | { kind: 'needs-outcome'; node: string; visit: number; state: LeadState; events: InterpretEvent[] };

export interface StepOptions {
  /** Visits after which the lead ends as LOOP (default 1,000). */
  maxSteps?: number;
}

export const DEFAULT_MAX_STEPS = 1000;
const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------
// Programs

/** The file's graph as the platform will run it: node keys, config data, edges in `next` order. */
export function programFromModel(model: WorkflowModel): Program {
  const nodes = new Map<string, ProgramNode>();
  for (const n of model.nodes) {
    const edges: ProgramEdge[] = [];
    for (const e of n.next) if (e.to) edges.push({ to: e.to.value, on: e.on?.value, index: e.index });
    nodes.set(n.key, { key: n.key, type: n.type?.value ?? '', config: n.config?.value ?? {}, edges });
  }
  return { entry: buildGraph(model).entry, nodes };
}

/**
 * The API's graph (the emulator's stored nodes and edges, edges in creation order) keyed by node id.
 * `entry` defaults to the one non-terminal node with no incoming edge from another node.
 */
export function programFromRemote(
  remoteNodes: readonly RemoteNode[],
  remoteEdges: readonly RemoteEdge[],
  entry?: string,
): Program {
  const nodes = new Map<string, ProgramNode>();
  for (const n of remoteNodes) nodes.set(n.id, { key: n.id, type: n.node_type, config: n.config ?? {}, edges: [] });
  const entered = new Set<string>();
  for (const e of remoteEdges) {
    const from = nodes.get(e.from_node_id);
    if (!from) continue;
    from.edges.push({ to: e.to_node_id, on: e.label ?? undefined, index: from.edges.length });
    if (e.to_node_id !== e.from_node_id && !TERMINAL_TYPES.has(from.type)) entered.add(e.to_node_id);
  }
  if (entry === undefined) {
    const roots = [...nodes.values()].filter((n) => !entered.has(n.key) && !TERMINAL_TYPES.has(n.type));
    if (roots.length === 1) entry = roots[0].key;
  }
  return { entry, nodes };
}

// ---------------------------------------------------------------------------------------------
// Leads

export interface StartOptions {
  /** Milliseconds since the Unix epoch when the lead starts (default 0). */
  startedAt?: number;
  /** Start here instead of the program's entry. */
  node?: string;
}

export function startLead(
  program: Program,
  data: Record<string, unknown>,
  options: StartOptions = {},
): LeadState | { error: string } {
  const node = options.node ?? program.entry;
  if (node === undefined) return { error: 'the workflow has no entry node' };
  if (!program.nodes.has(node)) return { error: `the entry node "${node}" is not in the workflow` };
  return { node, data, elapsedHours: 0, startedAt: options.startedAt ?? 0, steps: 0, visits: {}, calls: 0, path: [] };
}

/** Processes the lead's current node once. Never mutates `state`. */
export function step(
  program: Program,
  state: LeadState,
  outcomes: OutcomeProvider,
  options: StepOptions = {},
): StepResult {
  const events: InterpretEvent[] = [];
  const at = state.elapsedHours;
  const problem = (code: ProblemCode, node: string, message: string): void => {
    events.push({ kind: 'problem', code, node, message, atHours: at });
  };
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (state.steps >= maxSteps) {
    const cycle = cycleOf([...state.path, state.node]);
    problem(
      'loop',
      state.node,
      `the lead made ${state.steps} steps without ending` +
        (cycle.length ? `; it repeats ${[...cycle, cycle[0]].join(' → ')}` : ''),
    );
    events.push({ kind: 'end', node: state.node, end: 'LOOP', atHours: at });
    return { kind: 'ended', end: 'LOOP', state, events, cycle };
  }
  const node = program.nodes.get(state.node);
  if (!node) {
    problem('unknown-node', state.node, `the lead is at "${state.node}", which is not a node of the workflow`);
    events.push({ kind: 'end', node: state.node, end: 'STOPPED', atHours: at });
    return { kind: 'ended', end: 'STOPPED', state, events };
  }
  const visit = state.visits[node.key] ?? 0;
  const visited = (): LeadState => ({
    ...state,
    steps: state.steps + 1,
    visits: { ...state.visits, [node.key]: visit + 1 },
    path: [...state.path, node.key],
  });
  const ask = (): VisitOutcome | undefined => {
    const o = outcomes({ node, visit, state });
    return typeof o === 'string' ? { outcome: o } : o;
  };

  if (node.type === 'CONVERTED' || node.type === 'DROPPED') {
    events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
    events.push({ kind: 'end', node: node.key, end: node.type, atHours: at });
    return { kind: 'ended', end: node.type, state: visited(), events };
  }

  let next: LeadState;
  let outcome: string | undefined;
  let waitHours = 0;
  switch (node.type) {
    case 'VOICE_CALL': {
      const o = ask();
      if (!o) return { kind: 'needs-outcome', node: node.key, visit, state, events };
      events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
      outcome = o.outcome;
      events.push({ kind: 'outcome', node: node.key, outcome, source: 'scripted', atHours: at });
      next = { ...visited(), calls: state.calls + 1 };
      if (o.analysis) next.data = { ...state.data, postcall_analysis: o.analysis };
      break;
    }
    case 'TIME': {
      events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
      waitHours = waitOf(node, state, (code, msg) => problem(code, node.key, msg));
      if (waitHours > 0) events.push({ kind: 'wait', node: node.key, hours: waitHours, atHours: at });
      next = { ...visited(), elapsedHours: state.elapsedHours + waitHours };
      break;
    }
    case 'CONDITIONAL': {
      const o = ask();
      events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
      if (o) {
        outcome = o.outcome;
        events.push({ kind: 'outcome', node: node.key, outcome, source: 'scripted', atHours: at });
      } else {
        outcome = evaluateConditional(node, state.data, events, (code, msg) => problem(code, node.key, msg));
        events.push({ kind: 'outcome', node: node.key, outcome, source: 'evaluated', atHours: at });
      }
      next = visited();
      break;
    }
    case 'APPLICATION': {
      const o = ask();
      events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
      const ac = node.config.action_config;
      const missing = new Set<string>();
      for (const r of renderAll(ac, state.data, 'action_config')) {
        events.push({ kind: 'render', node: node.key, path: r.path, text: r.text });
        for (const m of r.missing) missing.add(m);
      }
      for (const m of missing)
        problem(
          'missing-variable',
          node.key,
          `{{${m}}} has no value for this lead: the platform would send it literally`,
        );
      outcome = o?.outcome ?? 'success';
      events.push({ kind: 'outcome', node: node.key, outcome, source: o ? 'scripted' : 'default', atHours: at });
      next = visited();
      break;
    }
    default: {
      events.push({ kind: 'visit', node: node.key, type: node.type, visit, atHours: at });
      problem('unknown-type', node.key, `node "${node.key}" has the unknown type "${node.type}"`);
      events.push({ kind: 'end', node: node.key, end: 'STOPPED', atHours: at });
      return { kind: 'ended', end: 'STOPPED', state: visited(), events };
    }
  }

  const edge = route(node.edges, outcome);
  const after = next.elapsedHours;
  if (!edge) {
    problem(
      'no-matching-edge',
      node.key,
      outcome === undefined
        ? `no edge leaves "${node.key}" without a label: the lead stops here`
        : `no edge of "${node.key}" matches the outcome "${outcome}": the lead stops here`,
    );
    events.push({ kind: 'end', node: node.key, end: 'STOPPED', atHours: after });
    return { kind: 'ended', end: 'STOPPED', state: next, events };
  }
  events.push({ kind: 'edge', from: node.key, to: edge.to, index: edge.index, on: edge.on, atHours: after });
  return {
    kind: 'moved',
    from: node.key,
    to: edge.to,
    outcome,
    edge,
    waitHours,
    state: { ...next, node: edge.to },
    events,
  };
}

/** The first edge whose label equals the outcome, or that has no label (which matches every outcome). */
export function route(edges: readonly ProgramEdge[], outcome: string | undefined): ProgramEdge | undefined {
  return edges.find((e) => e.on === undefined || e.on === outcome);
}

/** The repeating part at the end of a path: from the previous visit of its last node up to before it. */
export function cycleOf(path: readonly string[]): string[] {
  const last = path.length - 1;
  if (last < 1) return [];
  const prev = path.lastIndexOf(path[last], last - 1);
  return prev < 0 ? [] : path.slice(prev, last);
}

// ---------------------------------------------------------------------------------------------
// Whole runs

export interface RunResult {
  /** How the lead ended; NO_OUTCOME: the provider had no outcome for `pending`. */
  end: End | 'NO_OUTCOME';
  path: string[];
  elapsedHours: number;
  calls: number;
  /** `node.action_config.<path>` → the text after rendering (a node's last visit wins). */
  rendered: Record<string, string>;
  events: InterpretEvent[];
  problems: ProblemEvent[];
  /** Every edge taken, as `from#index`. */
  edges: string[];
  /** Every outcome seen, as `node→outcome`. */
  outcomes: { node: string; outcome?: string }[];
  cycle?: string[];
  pending?: { node: string; visit: number };
  state: LeadState;
}

export interface RunOptions extends StepOptions, StartOptions {}

/** Steps a lead from the entry (or options.node) until it ends or needs an outcome no one gives. */
export function run(
  program: Program,
  data: Record<string, unknown>,
  outcomes: OutcomeProvider,
  options: RunOptions = {},
): RunResult | { error: string } {
  const start = startLead(program, data, options);
  if ('error' in start) return start;
  let state = start;
  const events: InterpretEvent[] = [];
  // The step limit is checked first thing in each step: the loop always stops by maxSteps + 1.
  for (;;) {
    const r = step(program, state, outcomes, options);
    events.push(...r.events);
    state = r.state;
    if (r.kind === 'moved') continue;
    const base = summarize(state, events);
    if (r.kind === 'needs-outcome') return { ...base, end: 'NO_OUTCOME', pending: { node: r.node, visit: r.visit } };
    return { ...base, end: r.end, cycle: r.cycle };
  }
}

function summarize(state: LeadState, events: InterpretEvent[]): Omit<RunResult, 'end'> {
  const rendered: Record<string, string> = {};
  const edges: string[] = [];
  const outs: { node: string; outcome?: string }[] = [];
  for (const e of events) {
    if (e.kind === 'render') rendered[`${e.node}.${e.path}`] = e.text;
    else if (e.kind === 'edge') edges.push(`${e.from}#${e.index}`);
    else if (e.kind === 'outcome') outs.push({ node: e.node, outcome: e.outcome });
  }
  return {
    path: state.path,
    elapsedHours: state.elapsedHours,
    calls: state.calls,
    rendered,
    events,
    problems: events.filter((e): e is ProblemEvent => e.kind === 'problem'),
    edges,
    outcomes: outs,
    state,
  };
}

/** An outcome provider from scripted lists: node key → the outcome of each visit, in order. */
export function scriptedOutcomes(
  script: Readonly<Record<string, readonly (string | VisitOutcome)[]>>,
): OutcomeProvider {
  return ({ node, visit }) =>
    Object.prototype.hasOwnProperty.call(script, node.key) ? script[node.key][visit] : undefined;
}

// ---------------------------------------------------------------------------------------------
// TIME

type Report = (code: ProblemCode, message: string) => void;

function waitOf(node: ProgramNode, state: LeadState, report: Report): number {
  const c = node.config;
  if (c.time_source === 'postcall_analysis') {
    const field = typeof c.pca_field === 'string' ? c.pca_field : '';
    const raw = lookup(state.data, `postcall_analysis.${field}`) ?? lookup(state.data, field);
    const now = state.startedAt + state.elapsedHours * HOUR_MS;
    const when = typeof raw === 'string' ? parseWhen(raw, now) : undefined;
    if (when === undefined) {
      report(
        'pca-missing',
        raw === undefined
          ? `the lead's post-call analysis has no "${field}": no time to wait for, the lead moves on at once`
          : `"${field}" is ${JSON.stringify(raw)}, not a date-time: the lead moves on at once`,
      );
      return 0;
    }
    if (when <= now) {
      report('pca-past', `"${field}" (${String(raw)}) is not in the future: the lead moves on at once`);
      return 0;
    }
    return (when - now) / HOUR_MS;
  }
  const h = c.delay_hours;
  if (typeof h === 'number' && Number.isFinite(h) && h > 0) return h;
  report('bad-delay', `delay_hours is ${JSON.stringify(h) ?? 'missing'}, not a positive number of hours: no wait`);
  return 0;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * An ISO 8601 date or date-time (no offset: UTC, so a result never depends on the machine's zone),
 * or a time of day `HH:MM` meaning its next occurrence after `now` (UTC), in epoch milliseconds.
 */
export function parseWhen(text: string, now: number): number | undefined {
  const t = text.trim();
  const tod = TIME_OF_DAY.exec(t);
  if (tod) {
    const [h, m, s] = [Number(tod[1]), Number(tod[2]), Number(tod[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return undefined;
    const day = Math.floor(now / 86_400_000) * 86_400_000;
    let when = day + ((h * 60 + m) * 60 + s) * 1000;
    if (when <= now) when += 86_400_000;
    return when;
  }
  const d = DATE_TIME.exec(t);
  if (!d) return undefined;
  const [y, mo, da, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(d[i] ?? 0));
  const frac = d[7] ? Number(`0.${d[7]}`) * 1000 : 0;
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  let ms = Date.UTC(y, mo - 1, da, h, mi, s) + frac;
  const z = d[8];
  if (z && z.toUpperCase() !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

// ---------------------------------------------------------------------------------------------
// CONDITIONAL

export const OPERATORS = ['equals', 'not_equals', 'exists', 'contains', 'greater_than', 'less_than'] as const;

/** The outcome of a CONDITIONAL node evaluated from the lead's data: `true`/`false`, or a branch. */
export function evaluateConditional(
  node: ProgramNode,
  data: Record<string, unknown>,
  events: InterpretEvent[] = [],
  report: Report = () => {},
): string | undefined {
  const c = node.config;
  if (c.condition_field !== undefined || c.branches !== undefined) {
    const field = typeof c.condition_field === 'string' ? c.condition_field : '';
    const actual = lookup(data, field);
    const branches = Array.isArray(c.branches) ? c.branches.map((b) => String(b)) : [];
    if (!present(actual)) {
      report('missing-field', `"${field}" has no value for this lead: no branch applies`);
      return undefined;
    }
    const text = textOf(actual);
    if (!branches.includes(text))
      report(
        'no-branch',
        `"${field}" is ${JSON.stringify(text)}, which is none of the branches [${branches.join(', ')}]`,
      );
    return text;
  }
  const conditions = Array.isArray(c.conditions) ? c.conditions : [];
  const logic = c.logic === 'OR' ? 'OR' : 'AND';
  if (conditions.length === 0) report('no-conditions', `node "${node.key}" has no conditions`);
  const results = conditions.map((cond) => {
    const r = isRecord(cond) ? evaluateCondition(cond, data, report) : false;
    if (isRecord(cond))
      events.push({
        kind: 'condition',
        node: node.key,
        field: String(cond.field),
        operator: String(cond.operator),
        value: cond.value,
        actual: lookup(data, String(cond.field)),
        result: r,
      });
    return r;
  });
  // Every condition is evaluated (no short circuit) so that each one's problems are reported.
  const holds = logic === 'OR' ? results.some(Boolean) : results.every(Boolean);
  return holds ? 'true' : 'false';
}

/** One `{field, operator, value}` against the lead's data. A missing field fails all but not_equals. */
export function evaluateCondition(
  cond: Record<string, unknown>,
  data: Record<string, unknown>,
  report: Report = () => {},
): boolean {
  const field = String(cond.field);
  const op = cond.operator;
  const actual = lookup(data, field);
  const value = cond.value;
  if (op === 'exists') return present(actual);
  if (!(OPERATORS as readonly unknown[]).includes(op)) {
    report('unknown-operator', `unknown operator ${JSON.stringify(op)}: the condition is false`);
    return false;
  }
  if (!present(actual)) {
    report(
      'missing-field',
      `"${field}" has no value for this lead: ${String(op)} ${JSON.stringify(value)} is ${op === 'not_equals'}`,
    );
    return op === 'not_equals';
  }
  switch (op) {
    case 'equals':
      return same(actual, value);
    case 'not_equals':
      return !same(actual, value);
    case 'contains':
      return Array.isArray(actual) ? actual.some((a) => same(a, value)) : textOf(actual).includes(textOf(value));
    default: {
      const cmp = compare(actual, value);
      if (cmp === undefined) {
        report(
          'not-comparable',
          `"${field}" is ${JSON.stringify(actual)}, which cannot be ordered against ${JSON.stringify(value)}: the condition is false`,
        );
        return false;
      }
      return op === 'greater_than' ? cmp > 0 : cmp < 0;
    }
  }
}

const NUMBER = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMBER.test(v)) return Number(v);
  return undefined;
}

/** Equal as numbers when both read as numbers ("500000" equals 500000), otherwise as exact text. */
function same(a: unknown, b: unknown): boolean {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return textOf(a) === textOf(b);
}

/** Numbers as numbers, else date-times as instants; undefined when the two cannot be ordered. */
function compare(a: unknown, b: unknown): number | undefined {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string' && DATE_TIME.test(a.trim()) && DATE_TIME.test(b.trim())) {
    const da = parseWhen(a, 0);
    const db = parseWhen(b, 0);
    if (da !== undefined && db !== undefined) return da - db;
  }
  return undefined;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A field of the lead's data: the exact key first (a CSV column may hold dots), then a dot path into
 * nested objects (`postcall_analysis.payment_intent`, `items.0`, `items[0]`).
 */
export function lookup(data: Record<string, unknown>, field: string): unknown {
  if (Object.prototype.hasOwnProperty.call(data, field)) return data[field];
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts.length < 2) return undefined;
  let cur: unknown = data;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, p)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------
// APPLICATION templates

export interface Rendered {
  /** Config path, e.g. `action_config.subject`, `action_config.parameters[0]`. */
  path: string;
  text: string;
  /** Variable names with no value (left in the text as written, as the platform sends them). */
  missing: string[];
}

/** `{{name.path | filter}}` in one string, filled from the lead's data; filters are not applied. */
export function renderTemplate(text: string, data: Record<string, unknown>): { text: string; missing: string[] } {
  const refs = scanTemplates(text);
  if (refs.length === 0) return { text, missing: [] };
  const missing: string[] = [];
  let out = '';
  let pos = 0;
  for (const r of refs) {
    const whole = text.slice(r.fullStart, r.fullEnd);
    const expr = whole
      .slice(2, -2)
      .replace(/\|[\s\S]*$/, '')
      .trim();
    const v = lookup(data, expr);
    out += text.slice(pos, r.fullStart);
    if (present(v)) out += textOf(v);
    else {
      out += whole;
      if (!missing.includes(r.name)) missing.push(r.name);
    }
    pos = r.fullEnd;
  }
  return { text: out + text.slice(pos), missing };
}

/** Every string under `value` rendered, with its path (depth-bounded). */
export function renderAll(value: unknown, data: Record<string, unknown>, path: string, depth = 0): Rendered[] {
  if (depth > 32) return [];
  if (typeof value === 'string') return [{ path, ...renderTemplate(value, data) }];
  if (Array.isArray(value)) return value.flatMap((v, i) => renderAll(v, data, `${path}[${i}]`, depth + 1));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => renderAll(v, data, `${path}.${k}`, depth + 1));
  return [];
}
