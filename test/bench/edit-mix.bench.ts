// Edit-mix benchmark (issue 11): the edits an author really makes, sent as VS Code sends them
// (ranged didChange), on generated files of 1,000 and 5,000 nodes, to this server (debounce 0) and
// to yaml-language-server given our schema (its fixed delay subtracted), next to the floor (a bare
// yaml.parseDocument of the file, CPU) and core's own CPU per edit (core/incremental reanalyze).
// Then memory: 50 open 1,000-node files (RSS per file), RSS at the start and end of a long run of
// edits, and cold full validation ÷ bare parse (CPU minima). Prints markdown tables.
//
// Quick subsets while iterating (environment variables):
//   EDIT_MIX_SIZES=1000        sizes (default 1000,5000)
//   EDIT_MIX_REPS=2            repetitions of each edit kind (each at another node; default 4, 2 at 5,000)
//   EDIT_MIX_YLS=0             skip yaml-language-server
//   EDIT_MIX_LSP=0             skip both servers (core CPU and parse only)
//   EDIT_MIX_PARTS=table,cold,memory,rss   which parts to run (default all)
//   EDIT_MIX_EDITS=10000       edits in the RSS run (default 10,000)
//   EDIT_MIX_KINDS=label,title only the edit kinds whose name contains one of these
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { analyze } from '../../core/validate';
import { analyzeIncremental, reanalyze } from '../../core/incremental';
import { LineIndex } from '../../core/text';
import { generateWorkflow } from '../support/generate';
import { ROOT, SERVER, TestClient } from '../server/lsp-client';

const env = process.env;
const SIZES = (env.EDIT_MIX_SIZES ?? '1000,5000').split(',').map(Number);
/** Repetitions of each edit kind at n nodes (each at another node). */
const reps = (n: number) => Number(env.EDIT_MIX_REPS ?? (n >= 5000 ? 2 : 4));
const WITH_LSP = env.EDIT_MIX_LSP !== '0';
const WITH_YLS = WITH_LSP && env.EDIT_MIX_YLS !== '0';
const PARTS = new Set((env.EDIT_MIX_PARTS ?? 'table,cold,memory,rss').split(','));
const RSS_EDITS = Number(env.EDIT_MIX_EDITS ?? 10_000);
const KIND_FILTER = env.EDIT_MIX_KINDS?.split(',');
const YLS_DELAY = 200; // yaml-language-server's fixed validationDelayMs
const YLS = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');
const OUR_SETTINGS = { validate: { debounceMs: 0 } };
const gc = (globalThis as { gc?: () => void }).gc;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p + 0.5))];
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cpuMs = (f: () => void): number => {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};

/** One text change: `[start, end)` of the text before it becomes `insert`. */
interface Change {
  start: number;
  end: number;
  insert: string;
}
/** One didChange (its changes apply in order, each to the text the previous one left). */
type Step = Change[];

interface EditKind {
  name: string;
  /** Which generated node types it needs (the generator cycles VOICE_CALL, TIME, CONDITIONAL, APPLICATION). */
  nodeMod?: number;
  /** The steps at node `k` of `text`, ending with the text as it was (the last steps undo the first). */
  steps(text: string, k: number): Step[];
}

const nodeAt = (text: string, k: number) => {
  const at = text.indexOf(`\n  step_${k}:\n`);
  if (at < 0) throw new Error(`no node step_${k}`);
  return at + 1;
};
const after = (text: string, what: string, from = 0) => {
  const at = text.indexOf(what, from);
  if (at < 0) throw new Error(`no ${JSON.stringify(what)}`);
  return at + what.length;
};
const typeAndBack = (at: number, s: string): Step[] => [
  [{ start: at, end: at, insert: s }],
  [{ start: at, end: at + s.length, insert: '' }],
];

const ALL_KINDS: EditKind[] = [
  { name: 'label: type / delete a char', steps: (t, k) => typeAndBack(after(t, 'label: Step', nodeAt(t, k)), 'x') },
  { name: 'title: type / delete a char', steps: (t) => typeAndBack(after(t, 'title: Generated'), 'x') },
  { name: 'variables: add / remove one', steps: (t) => typeAndBack(after(t, ', city'), ', zip_code') },
  {
    name: 'paste a node block, undo',
    steps: (t, k) =>
      typeAndBack(
        nodeAt(t, k),
        `  pasted_${k}:\n    type: TIME\n    label: Pasted\n    config: { delay_hours: 1 }\n    next:\n      - to: step_${k}\n\n`,
      ),
  },
  {
    name: 'delete a node block, undo',
    steps: (t, k) => {
      const start = nodeAt(t, k);
      const end = nodeAt(t, k + 1);
      const block = t.slice(start, end);
      return [[{ start, end, insert: '' }], [{ start, end: start, insert: block }]];
    },
  },
  {
    name: 'rename a node key (1 char), undo',
    steps: (t, k) => typeAndBack(after(t, `  step_${k}`, nodeAt(t, k)), 'x'),
  },
  {
    name: 'break / fix a `to:` reference',
    nodeMod: 1,
    steps: (t, k) => typeAndBack(after(t, `- to: step_${k + 1}`, nodeAt(t, k)), 'x'),
  },
  { name: 'comment line at the top, undo', steps: () => typeAndBack(0, '# a comment\n') },
  {
    name: 'new edge typed in 3 steps, undo',
    nodeMod: 0,
    steps: (t, k) => {
      const line = after(t, '      - to: dropped\n', nodeAt(t, k));
      const open = '      - { on: NO_ANSWER';
      return [
        [{ start: line, end: line, insert: `${open} }\n` }],
        [{ start: line + open.length, end: line + open.length, insert: ', to: dro' }],
        [{ start: line + open.length + 9, end: line + open.length + 9, insert: 'pped' }],
        [{ start: line, end: line + `${open}, to: dropped }\n`.length, insert: '' }],
      ];
    },
  },
  {
    name: 'config value: delete / type a digit',
    nodeMod: 1,
    steps: (t, k) => {
      const at = after(t, 'delay_hours: 4', nodeAt(t, k));
      return [[{ start: at, end: at + 1, insert: '' }], [{ start: at, end: at, insert: '8' }]];
    },
  },
];
const KINDS = ALL_KINDS.filter((k) => !KIND_FILTER || KIND_FILTER.some((f) => k.name.includes(f)));

/** The node indexes a kind is applied at: spread over the file, of the type it needs. */
function targets(n: number, kind: EditKind, reps: number): number[] {
  const steps = Math.max(1, n - 2);
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    let k = Math.floor(((r + 0.5) * (steps - 8)) / reps);
    while (kind.nodeMod !== undefined && k % 4 !== kind.nodeMod) k++;
    out.push(k);
  }
  return out;
}

function apply(text: string, step: Step): string {
  let t = text;
  for (const c of step) t = t.slice(0, c.start) + c.insert + t.slice(c.end);
  return t;
}

/** Every step of the mix at size n, in order: kind, step and the text before it. */
function plan(text: string, n: number, reps: number): { kind: string; step: Step; before: string }[] {
  const out: { kind: string; step: Step; before: string }[] = [];
  for (const kind of KINDS)
    for (const k of targets(n, kind, reps)) {
      let cur = text;
      for (const step of kind.steps(text, k)) {
        out.push({ kind: kind.name, step, before: cur });
        cur = apply(cur, step);
      }
      if (cur !== text) throw new Error(`edit kind "${kind.name}" does not end where it started`);
    }
  return out;
}

/** The LSP contentChanges of a step (each range in the text the previous change left). */
function lspChanges(before: string, step: Step) {
  let cur = before;
  return step.map((c) => {
    const L = new LineIndex(cur);
    const r = { range: L.range({ start: c.start, end: c.end }), text: c.insert };
    cur = cur.slice(0, c.start) + c.insert + cur.slice(c.end);
    return r;
  });
}

type Times = Map<string, number[]>;
const push = (m: Times, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);

async function ours(text: string, n: number, steps: ReturnType<typeof plan>): Promise<Times> {
  const c = new TestClient({ settings: OUR_SETTINGS });
  await c.initialize();
  await c.serverReady();
  const uri = `file:///bench-callflow/mix-${n}.workflow.yaml`;
  c.open(uri, text);
  await c.diagnosticsFor(uri, 1, 300_000);
  // Warm the JIT on a few edits of each kind at another place; not counted.
  const out: Times = new Map();
  for (const [i, s] of [...steps.slice(0, 4), ...steps].entries()) {
    const t = performance.now();
    const v = c.change(uri, lspChanges(s.before, s.step));
    await c.diagnosticsFor(uri, v, 300_000);
    if (i >= 4) push(out, s.kind, performance.now() - t);
  }
  await c.close();
  return out;
}

async function yamlLanguageServer(
  text: string,
  n: number,
  steps: ReturnType<typeof plan>,
  dir: string,
): Promise<{ times: Times; sane: boolean }> {
  const schemaUri = pathToFileURL(path.join(ROOT, 'schemas/workflow.schema.json')).toString();
  const yaml = {
    schemas: { [schemaUri]: ['*.workflow.yaml'] },
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    yamlVersion: '1.2',
  };
  const c = new TestClient({
    command: [process.execPath, YLS, '--stdio'],
    workspaceFolder: dir,
    sections: { yaml, http: {}, '[yaml]': {}, editor: {} },
  });
  await c.initialize();
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml } });
  await new Promise((r) => setTimeout(r, 300));
  const uri = pathToFileURL(path.join(dir, `mix-${n}.workflow.yaml`)).toString();
  const count = () => (c.published.get(uri) ?? []).length;
  // Sanity: a schema error must be reported, or yaml-language-server is not checking the schema.
  c.open(uri, text.replace('type: TIME', 'type: TIMER'), 1, 'yaml');
  await c.until(() => count() > 0, 300_000, 'yaml-language-server diagnostics');
  const sane = c.latest(uri)!.diagnostics.length > 0;
  let before = count();
  c.change(uri, [{ text }]);
  await c.until(() => count() > before, 300_000, 'yaml-language-server diagnostics');
  const out: Times = new Map();
  for (const [i, s] of [...steps.slice(0, 2), ...steps].entries()) {
    before = count();
    const t = performance.now();
    c.change(uri, lspChanges(s.before, s.step));
    await c.until(() => count() > before, 300_000, 'yaml-language-server diagnostics');
    if (i >= 2) push(out, s.kind, Math.max(0, performance.now() - t - YLS_DELAY));
  }
  await c.close();
  return { times: out, sane };
}

/** Core's CPU per step: reanalyze from the previous analysis, as the server's document store does. */
function core(text: string, steps: ReturnType<typeof plan>): { times: Times; modes: Map<string, string[]> } {
  let a = analyzeIncremental(text);
  const out: Times = new Map();
  const modes = new Map<string, string[]>();
  for (const [i, s] of [...steps.slice(0, 4), ...steps].entries()) {
    gc?.();
    const next = apply(s.before, s.step);
    const d = cpuMs(() => (a = reanalyze(a, next)));
    if (i < 4) continue;
    push(out, s.kind, d);
    modes.set(s.kind, [...(modes.get(s.kind) ?? []), a.mode]);
  }
  return { times: out, modes };
}

function minCpu(f: () => void, reps: number): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    gc?.();
    best = Math.min(best, cpuMs(f));
  }
  return best;
}

async function table(dir: string, started: number): Promise<string[]> {
  const rows: string[] = [];
  const notes: string[] = [];
  for (const n of SIZES) {
    const text = generateWorkflow(n);
    writeFileSync(path.join(dir, `mix-${n}.workflow.yaml`), text);
    const steps = plan(text, n, reps(n));
    const parse = minCpu(() => parseDocument(text), n >= 5000 ? 4 : 8);
    const c = core(text, steps);
    const o = WITH_LSP ? await ours(text, n, steps) : undefined;
    const y = WITH_YLS ? await yamlLanguageServer(text, n, steps, dir) : undefined;
    if (y && !y.sane) notes.push(`yaml-language-server reported no schema error at ${n} nodes`);
    rows.push(`| **bare parse (floor)** | ${n} | | | | ${ms(parse)} (CPU min) | | |`);
    for (const kind of KINDS) {
      const ct = c.times.get(kind.name) ?? [];
      const ot = o?.get(kind.name) ?? [];
      const yt = y?.times.get(kind.name) ?? [];
      const spliced = (c.modes.get(kind.name) ?? []).filter((m) => m !== 'full').length;
      const pair = (xs: number[]) => (xs.length ? `${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.95))}` : '–');
      const ratio = ot.length && yt.length ? `${(pct(ot, 0.5) / Math.max(0.01, pct(yt, 0.5))).toFixed(3)}×` : '–';
      rows.push(
        `| ${kind.name} | ${n} | ${pair(ot)} | ${pair(yt)} | ${ratio} | ${pair(ct)} | ${((pct(ct, 0.95) / parse) * 100).toFixed(1)} % | ${spliced}/${ct.length} |`,
      );
    }
    // Partial results as they come (a run at 5,000 nodes takes long on a shared machine).
    console.error(`edit mix at ${n} nodes done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    console.error(rows.slice(-KINDS.length - 1).join('\n'));
  }
  return [
    `Edit mix: ${SIZES.map((n) => `${reps(n)} at ${n}`).join(', ')} repetitions of each kind, each at another node spread over the file, every step timed (the undo steps too). ` +
      'Ours: edit → publishDiagnostics over LSP at debounce 0 (work time). yaml-language-server: edit → publishDiagnostics minus its fixed 200 ms delay. ' +
      'Core CPU: core/incremental reanalyze in this process. p50 / p95 in ms; ratios: ours ÷ yaml-language-server (p50), core CPU p95 ÷ the bare parse (CPU min). ' +
      '"Not full" counts steps core did not answer by a full parse.',
    '',
    '| edit | nodes | ours: work p50 / p95 | yaml-ls: work p50 / p95 | ours ÷ yaml-ls | core CPU p50 / p95 | core p95 ÷ parse | not full |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    ...notes.map((x) => `\nNote: ${x}.`),
  ];
}

function cold(): string[] {
  const rows = [];
  for (const n of SIZES) {
    const text = generateWorkflow(n);
    const reps = n >= 5000 ? 6 : 12;
    analyze(text);
    // Interleaved, so that load from other work hits both alike; the minimum of each is compared.
    let parse = Infinity,
      parseOff = Infinity,
      full = Infinity;
    for (let r = 0; r < reps; r++) {
      gc?.();
      parse = Math.min(
        parse,
        cpuMs(() => parseDocument(text)),
      );
      gc?.();
      parseOff = Math.min(
        parseOff,
        cpuMs(() => parseDocument(text, { uniqueKeys: false })),
      );
      gc?.();
      full = Math.min(
        full,
        cpuMs(() => analyze(text)),
      );
    }
    rows.push(
      `| ${n} | ${(text.length / 1024).toFixed(0)} | ${ms(parse)} | ${ms(parseOff)} | ${ms(full)} | ${(full / parse).toFixed(2)}× | ${(full / parseOff).toFixed(2)}× |`,
    );
  }
  return [
    'Cold full validation (core/validate analyze) against a bare yaml.parseDocument of the same text, CPU minimum in ms:',
    '',
    '| nodes | KB | parseDocument | parseDocument, uniqueKeys off | full validation | ÷ parse | ÷ parse (keys off) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const settle = () => new Promise((r) => setTimeout(r, 1000));

async function memory(): Promise<string> {
  const c = new TestClient({ settings: OUR_SETTINGS });
  await c.initialize();
  await c.serverReady();
  const text = generateWorkflow(1000);
  // One file first, so the baseline holds the loaded engine (schema, rules) and not only the process.
  c.open('file:///bench-callflow/mem-warm.workflow.yaml', text);
  await c.diagnosticsFor('file:///bench-callflow/mem-warm.workflow.yaml', 1, 300_000);
  await settle();
  const base = rssOf(c.proc.pid!);
  for (let i = 0; i < 50; i++) c.open(`file:///bench-callflow/mem-${i}.workflow.yaml`, text);
  for (let i = 0; i < 50; i++) await c.diagnosticsFor(`file:///bench-callflow/mem-${i}.workflow.yaml`, 1, 600_000);
  await settle();
  const all = rssOf(c.proc.pid!);
  await c.close();
  return (
    `Memory, 50 more open 1,000-node files (${(text.length / 1024).toFixed(0)} KB each): RSS ${all.toFixed(0)} MB with 51 open, ` +
    `${base.toFixed(0)} MB with one; ${((all - base) / 50).toFixed(1)} MB per file ((51 − 1 open) ÷ 50), ${(all / 51).toFixed(1)} MB per file counting the whole process.`
  );
}

async function rssOverEdits(): Promise<string> {
  const c = new TestClient({ settings: OUR_SETTINGS });
  await c.initialize();
  await c.serverReady();
  const n = 1000;
  const text = generateWorkflow(n);
  const uri = 'file:///bench-callflow/rss.workflow.yaml';
  c.open(uri, text);
  await c.diagnosticsFor(uri, 1, 300_000);
  const steps = plan(text, n, 8);
  for (let i = 0; i < 20; i++) {
    const s = steps[i % steps.length];
    await c.diagnosticsFor(uri, c.change(uri, lspChanges(s.before, s.step)), 300_000);
  }
  await settle();
  const start = rssOf(c.proc.pid!);
  const t = performance.now();
  let peak = start;
  // Whole kinds at a time, so the text is the original again at the end of each round.
  for (let i = 0; i < RSS_EDITS; i++) {
    const s = steps[i % steps.length];
    await c.diagnosticsFor(uri, c.change(uri, lspChanges(s.before, s.step)), 300_000);
    if (i % 500 === 0) peak = Math.max(peak, rssOf(c.proc.pid!));
  }
  const secs = (performance.now() - t) / 1000;
  await settle();
  const end = rssOf(c.proc.pid!);
  await c.close();
  return `RSS over ${RSS_EDITS.toLocaleString('en')} edits of the mix (one 1,000-node file, each edit waited for): ${start.toFixed(0)} MB at the start, ${end.toFixed(0)} MB at the end (peak sampled ${Math.max(peak, end).toFixed(0)} MB; ${secs.toFixed(0)} s).`;
}

async function main(): Promise<void> {
  if (WITH_LSP && !existsSync(SERVER))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-edit-mix-'));
  const started = Date.now();
  const load = os.loadavg()[0];
  const out: string[] = [];
  try {
    if (PARTS.has('table')) out.push(...(await table(dir, started)), '');
    if (PARTS.has('cold')) out.push(...cold(), '');
    if (PARTS.has('memory') && WITH_LSP) out.push(await memory(), '');
    if (PARTS.has('memory')) console.error(out[out.length - 2]);
    if (PARTS.has('rss') && WITH_LSP) out.push(await rssOverEdits(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  out.unshift(
    `Machine: ${os.cpus().length} CPUs, ${cpu}, Node ${process.version}; run ${new Date().toISOString().slice(0, 16)}Z, ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s; 1-minute load ${load.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end.`,
    '',
  );
  console.log(out.join('\n'));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
