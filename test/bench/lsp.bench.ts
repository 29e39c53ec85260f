// Language server benchmark: on generated files of 10, 100, 1,000 and 5,000 nodes, the bare YAML
// parse (the floor of any full parse), core's full validation, core's incremental re-validation
// after a one-character edit inside a node, and over LSP the edit → diagnostics latency of this
// server and of yaml-language-server (schema only, given our schema) on the same file and edits,
// end to end with each server's default delay and as work time (latency minus that delay); then
// this server's memory with 50 open 1,000-node files. Prints one markdown table and writes it into
// docs/benchmarks.md (section "Language server").
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
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

const SIZES = [10, 100, 1000, 5000];
const OUR_DELAY = 150;
const YLS_DELAY = 200; // yaml-language-server's fixed validationDelayMs
const YLS = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');
const gc = (globalThis as { gc?: () => void }).gc;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p + 0.5))];
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cpuIt = (f: () => void, reps: number) => {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc?.();
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    out.push((d.user + d.system) / 1000);
  }
  return out;
};
const timeIt = (f: () => void, reps: number) => {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc?.();
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return out;
};

/** The i-th one-character edit: in a different node each time, alternately typing and deleting a character. */
function edits(text: string, n: number, count: number): { text: string; start: number; end: number; insert: string }[] {
  const out = [];
  let cur = text;
  const steps = Math.max(1, n - 2);
  for (let i = 0; i < count; i++) {
    const node = Math.floor((steps * (i % 2 === 0 ? i + 1 : i)) / (count + 1)) % steps;
    const key = `  step_${node}:`;
    const at = cur.indexOf('label: Step', cur.indexOf(key)) + 'label: Step'.length;
    const e = i % 2 === 0 ? { start: at, end: at, insert: 'x' } : { start: at - 1, end: at, insert: '' };
    if (i % 2 === 1 && cur[at - 1] !== 'x') {
      e.start = at;
      e.end = at;
      e.insert = 'x';
    }
    cur = cur.slice(0, e.start) + e.insert + cur.slice(e.end);
    out.push({ ...e, text: cur });
  }
  return out;
}

interface LspRow {
  p50: number;
  p95: number;
}

async function ourServer(text: string, n: number, count: number): Promise<LspRow> {
  const c = new TestClient({ settings: {} });
  await c.initialize();
  await c.serverReady();
  const uri = `file:///bench-callflow/bench-${n}.workflow.yaml`;
  c.open(uri, text);
  await c.diagnosticsFor(uri, 1, 120_000);
  const lat: number[] = [];
  let prev = text;
  for (const e of edits(text, n, count + 2)) {
    const L = new LineIndex(prev);
    const t = performance.now();
    const v = c.change(uri, [{ range: L.range({ start: e.start, end: e.end }), text: e.insert }]);
    await c.diagnosticsFor(uri, v, 120_000);
    lat.push(performance.now() - t);
    prev = e.text;
  }
  await c.close();
  const l = lat.slice(2); // the first edits warm the JIT
  return { p50: pct(l, 0.5), p95: pct(l, 0.95) };
}

async function yamlLanguageServer(
  text: string,
  n: number,
  count: number,
  schemaUri: string,
  dir: string,
): Promise<LspRow & { sane: boolean }> {
  // yaml-language-server pulls its settings (workspace/configuration, section `yaml`) when told they changed.
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
  const uri = pathToFileURL(path.join(dir, `bench-${n}.workflow.yaml`)).toString();
  const count0 = () => (c.published.get(uri) ?? []).length;
  // Sanity: a schema error must be reported, or yaml-language-server is not checking the schema.
  const bad = text.replace('type: TIME', 'type: TIMER');
  c.open(uri, bad, 1, 'yaml');
  await c.until(() => count0() > 0, 120_000, 'yaml-language-server diagnostics');
  const sane = c.latest(uri)!.diagnostics.length > 0;
  let before = count0();
  let v = c.change(uri, [{ text }]);
  await c.until(() => count0() > before, 120_000, 'yaml-language-server diagnostics');
  const lat: number[] = [];
  let prev = text;
  for (const e of edits(text, n, count + 2)) {
    const L = new LineIndex(prev);
    before = count0();
    const t = performance.now();
    v = c.change(uri, [{ range: L.range({ start: e.start, end: e.end }), text: e.insert }]);
    await c.until(() => count0() > before, 120_000, 'yaml-language-server diagnostics');
    lat.push(performance.now() - t);
    prev = e.text;
  }
  void v;
  await c.close();
  const l = lat.slice(2);
  return { p50: pct(l, 0.5), p95: pct(l, 0.95), sane };
}

async function memory(): Promise<{ rssMb: number; openMs: number }> {
  const c = new TestClient({ settings: {} });
  await c.initialize();
  await c.serverReady();
  const text = generateWorkflow(1000);
  const t = performance.now();
  for (let i = 0; i < 50; i++) c.open(`file:///bench-callflow/mem-${i}.workflow.yaml`, text);
  for (let i = 0; i < 50; i++) await c.diagnosticsFor(`file:///bench-callflow/mem-${i}.workflow.yaml`, 1, 300_000);
  const openMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 500));
  const status = readFileSync(`/proc/${c.proc.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  await c.close();
  return { rssMb: rssKb / 1024, openMs };
}

async function main(): Promise<void> {
  if (!existsSync(SERVER))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-bench-'));
  const schemaUri = pathToFileURL(path.join(ROOT, 'schemas/workflow.schema.json')).toString();
  const rows: string[] = [];
  const notes: string[] = [];
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  for (const n of SIZES) {
    const text = generateWorkflow(n);
    writeFileSync(path.join(dir, `bench-${n}.workflow.yaml`), text);
    // Other work may share the machine: each core timing is given as its minimum (the cost
    // without interference) and its median over several runs.
    const reps = n >= 5000 ? 4 : n >= 1000 ? 8 : 20;
    timeIt(() => parseDocument(text), 2);
    const parseT = timeIt(() => parseDocument(text), reps);
    timeIt(() => analyze(text), 1);
    const fullT = timeIt(() => analyze(text), reps);
    // The incremental pass is timed in CPU time of this process, against a bare parse timed the
    // same way: on a shared machine wall time mostly measures the neighbours.
    const parseCpu = Math.min(...cpuIt(() => parseDocument(text), reps));
    let a = analyzeIncremental(text);
    const inc: number[] = [];
    let incremental = 0;
    for (const e of edits(text, n, 40)) {
      gc?.();
      const t = process.cpuUsage();
      a = reanalyze(a, e.text);
      const d = process.cpuUsage(t);
      inc.push((d.user + d.system) / 1000);
      if (a.mode === 'incremental') incremental++;
    }
    const parse = Math.min(...parseT),
      full = Math.min(...fullT);
    const lspCount = n >= 5000 ? 6 : n >= 1000 ? 12 : 20;
    const ours = await ourServer(text, n, lspCount);
    const yls = await yamlLanguageServer(text, n, n >= 5000 ? 4 : n >= 1000 ? 8 : lspCount, schemaUri, dir);
    if (!yls.sane)
      notes.push(
        `yaml-language-server reported no schema error at ${n} nodes: its figures may not include schema validation`,
      );
    const work = (x: number, d: number) => Math.max(0, x - d);
    rows.push(
      `| ${n} | ${(text.length / 1024).toFixed(0)} | ${ms(parse)} / ${ms(pct(parseT, 0.5))} | ${ms(full)} / ${ms(pct(fullT, 0.5))} (${(full / parse).toFixed(2)}×) ` +
        `| ${ms(Math.min(...inc))} / ${ms(pct(inc, 0.5))} / ${ms(pct(inc, 0.95))} (p50 ${((pct(inc, 0.5) / parseCpu) * 100).toFixed(1)}% of a parse's ${ms(parseCpu)} ms CPU; ${incremental}/${inc.length} spliced) ` +
        `| ${ms(ours.p50)} / ${ms(ours.p95)} | ${ms(work(ours.p50, OUR_DELAY))} / ${ms(work(ours.p95, OUR_DELAY))} ` +
        `| ${ms(yls.p50)} / ${ms(yls.p95)} | ${ms(work(yls.p50, YLS_DELAY))} / ${ms(work(yls.p95, YLS_DELAY))} |`,
    );
    console.error(`${n} nodes done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const mem = await memory();
  rmSync(dir, { recursive: true, force: true });

  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
  const table = [
    `Machine: ${cpus().length} CPUs (nproc), ${cpu}, Node ${process.version}; run ${new Date().toISOString().slice(0, 16)}Z, ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (other work shared the machine: compare columns of one run, not runs).`,
    '',
    "All times in ms. Core columns: min / p50 (incremental: CPU time of this process, min / p50 / p95 over 40 one-character edits, each in another node, p50 as a share of the minimum CPU time of a bare parse). LSP columns: p50 / p95 of edit → publishDiagnostics, sequential edits. Work time = latency minus the server's configured delay (ours: 150 ms debounce; yaml-language-server: its fixed 200 ms).",
    '',
    '| nodes | KB | yaml.parseDocument min / p50 | core full validation min / p50 (min ÷ parse) | core incremental, 1-char edit in a node (CPU) | ours: edit → diagnostics | ours: work | yaml-language-server: edit → diagnostics | yaml-language-server: work |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Memory: this server with 50 open 1,000-node files: ${mem.rssMb.toFixed(0)} MB RSS (all 50 validated in ${(mem.openMs / 1000).toFixed(1)} s).`,
    ...notes.map((x) => `Note: ${x}.`),
  ].join('\n');
  console.log(table);

  const doc = path.join(ROOT, 'docs/benchmarks.md');
  const begin = '<!-- lsp-bench:begin -->',
    end = '<!-- lsp-bench:end -->';
  const current = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  const section = `${begin}\n${table}\n${end}`;
  const next = current.includes(begin)
    ? current.replace(new RegExp(`${begin}[^]*?${end}`), section)
    : `${current.trimEnd()}\n\n## Language server\n\n\`node --expose-gc --import tsx test/bench/lsp.bench.ts\` (also run by \`npm run bench\`).\n\n${section}\n`;
  writeFileSync(doc, next);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
