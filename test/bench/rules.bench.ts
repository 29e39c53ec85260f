// Rules engine cost on generated workflows: graph + every rule family, apart from parsing and
// the model (which belong to core/parse.ts and core/model.ts). Prints a markdown table.
import { parseText } from '../../core/parse';
import { buildModel } from '../../core/model';
import { buildGraph } from '../../core/graph';
import { FAMILIES } from '../../core/rules';
import type { RuleContext } from '../../core/rules/context';
import { generateWorkflow } from '../support/generate';

const gc = (globalThis as { gc?: () => void }).gc;

/** CPU milliseconds of this process (user + system): steadier than wall time on a shared machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const clock = process.env.BENCH_WALL ? () => performance.now() : cpuMs;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows: string[] = [];
for (const n of [100, 1000, 10_000]) {
  const text = generateWorkflow(n, 'retry-loops');
  const t0 = clock();
  const parsed = parseText(text);
  const tParse = clock() - t0;
  const t1 = clock();
  const model = buildModel(parsed.doc!, text);
  const tModel = clock() - t1;
  const reps = n >= 10_000 ? 5 : 25;
  const graphT: number[] = [],
    rulesT: number[] = [];
  const perFamily = new Map<string, number[]>();
  for (let i = 0; i < reps; i++) {
    gc?.();
    // A shallow copy so that per-model caches do not carry over between repetitions.
    const m = { ...model, nodes: model.nodes.map((x) => ({ ...x })) };
    m.nodeByKey = new Map(m.nodes.map((x) => [x.key, x]));
    let t = clock();
    const graph = buildGraph(m);
    graphT.push(clock() - t);
    const ctx: RuleContext = {
      text,
      lines: parsed.lines,
      doc: parsed.doc!,
      data: parsed.data,
      model: m,
      graph,
      options: {},
    };
    let total = 0;
    for (const [name, rule] of Object.entries(FAMILIES)) {
      t = clock();
      rule(ctx);
      const d = clock() - t;
      total += d;
      const list = perFamily.get(name) ?? [];
      list.push(d);
      perFamily.set(name, list);
    }
    rulesT.push(total);
  }
  const fam = [...perFamily].map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ');
  rows.push(
    `| ${n} | ${(text.length / 1024).toFixed(0)} KB | ${tParse.toFixed(0)} | ${tModel.toFixed(0)} | ${median(graphT).toFixed(1)} | ${median(rulesT).toFixed(1)} | ${fam} |`,
  );
}
console.log(
  `Times are ${process.env.BENCH_WALL ? 'wall-clock' : 'CPU (user+system, BENCH_WALL=1 for wall-clock)'} milliseconds.\n`,
);
console.log('| nodes | size | parse ms | model ms | graph ms (median) | all rules ms (median) | per family ms |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
