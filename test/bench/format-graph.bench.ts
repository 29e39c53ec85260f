// fmt, minimal edits, semantic diff and graph layout on generated workflows of growing size, in CPU
// time and as ratios to a bare parse (robust to a loaded machine), plus
// the CLI's start-up (`callflow validate` on one file). Prints a markdown table.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { diffWorkflows } from '../../core/diff';
import { renderSvg } from '../../core/export';
import { formatWorkflow } from '../../core/format';
import { layeredLayout } from '../../core/layered-layout';
import {
  edgeLabelWidth,
  ELK_MAX_EDGES,
  ELK_MAX_NODES,
  layoutGraph,
  layoutInputFromModel,
  NODE_HEIGHT,
  nodeWidth,
  type LayoutInput,
} from '../../core/layout';
import { labelCollisions, placeEdgeLabels } from '../../core/layout-labels';
import { minimalEdits } from '../../core/text-edits';
import { analyze } from '../../core/validate';
import { generateWorkflow } from '../support/generate';
import { previewFixtures } from '../webview/fixtures';

/**
 * CPU time (user + system) of the fastest of `runs` runs after one warm-up: other processes on a
 * loaded machine add wall time, not CPU time, and the fastest run is the least disturbed one.
 */
function cpu(fn: () => unknown, runs = 5): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const s = process.cpuUsage();
    fn();
    const d = process.cpuUsage(s);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}
async function cpuAsync(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const s = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(s);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

const cell = (ms: number, parse: number) => `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} (${(ms / parse).toFixed(1)}x)`;

async function main(): Promise<void> {
  // `--labels`: only the edge-label tables (a quick run).
  if (process.argv.includes('--labels')) return labelPass();
  console.log('CPU ms, min of several runs; in brackets the ratio to a bare `yaml.parseDocument` of the same text.');
  console.log('Input: test/server/generate.ts `generateWorkflow(n)` (flow edges, so fmt rewrites every edge).');
  console.log(`Layout: ELK up to ${ELK_MAX_NODES} nodes / ${ELK_MAX_EDGES} edges, the fast layered layout above.\n`);
  console.log(
    '| nodes | lines | bare parse | fmt | minimalEdits | diff, one value changed | layout | svg (layout + render) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  let cachedLayout = NaN;
  for (const n of [10, 100, 1000, 5000]) {
    const text = generateWorkflow(n);
    const big = n > 1000;
    const parse = cpu(() => parseDocument(text), big ? 2 : 5);
    const r = formatWorkflow(text);
    if (!('text' in r)) throw new Error(r.error);
    const canonical = r.text;
    const edited = canonical.replace('delay_hours: 48', 'delay_hours: 24');
    const a = analyze(canonical);
    const input = layoutInputFromModel(a.model!, a.graph);
    const f = big ? NaN : cpu(() => formatWorkflow(text));
    const e = big ? NaN : cpu(() => minimalEdits(text, canonical));
    const d = big ? NaN : cpu(() => diffWorkflows(canonical, edited));
    // A different first label each run: ELK's results are cached by input, and this column is the
    // cost of a graph that changed (the svg column: the same plus drawing it).
    let run = 0;
    const fresh = (): LayoutInput => ({
      ...input,
      nodes: input.nodes.map((x, i) => (i === 0 ? { ...x, label: `${x.label} ${run++}` } : x)),
    });
    const l = await cpuAsync(() => layoutGraph(fresh()));
    const s = await cpuAsync(async () => renderSvg(await layoutGraph(fresh()), a.model!.title?.value));
    if (n === 10) cachedLayout = await cpuAsync(() => layoutGraph(input), 5);
    const c = (ms: number) => (Number.isNaN(ms) ? '–' : cell(ms, parse));
    console.log(
      `| ${n} | ${text.split('\n').length} | ${parse.toFixed(1)} | ${c(f)} | ${c(e)} | ${c(d)} | ${c(l)} | ${c(s)} |`,
    );
  }
  console.log(
    `\nThe same 10-node graph laid out again (ELK's result cache, e.g. typing in a config value): ${cachedLayout.toFixed(2)} ms.`,
  );
  await labelPass();
  const cli = path.join(__dirname, '../../dist/cli.js');
  if (existsSync(cli)) {
    const ex = path.join(__dirname, '../../examples/lead-nurture.workflow.yaml');
    readFileSync(ex);
    const t: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      spawnSync(process.execPath, [cli, 'validate', ex], { stdio: 'ignore' });
      t.push(performance.now() - s);
    }
    console.log(
      `\n\`callflow validate\` on one file, wall time including Node start-up: median ${t.sort((x, y) => x - y)[2].toFixed(0)} ms (5 runs)`,
    );
  }
}

/**
 * The edge-label pass (core/layout-labels.ts) side by side with the layout without it: "before" is
 * the engine alone, which is what the layout returned until the pass was added (labels where the
 * engine put them, overlapping); "after" is layoutGraph as it is now. These sizes are all above
 * ELK_MAX_NODES, so the engine is the fast layered layout.
 */
async function labelPass(): Promise<void> {
  console.log('\nEdge-label placement, CPU ms (min of runs); collisions: label/label and label/node overlaps.\n');
  console.log(
    '| nodes | labels | before: engine alone | collisions before | after: with the label pass | collisions after | the pass alone |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const metrics = { nodeWidth, labelWidth: edgeLabelWidth, nodeHeight: NODE_HEIGHT, padding: 20 };
  for (const n of [50, 200, 1000]) {
    const a = analyze(generateWorkflow(n));
    const input = layoutInputFromModel(a.model!, a.graph);
    let run = 0;
    const fresh = (): LayoutInput => ({
      ...input,
      nodes: input.nodes.map((x, i) => (i === 0 ? { ...x, label: `${x.label} ${run++}` } : x)),
    });
    const before = cpu(() => layeredLayout(fresh(), metrics));
    const raw = layeredLayout(input, metrics);
    const collisionsBefore = labelCollisions(raw).length;
    const after = await cpuAsync(() => layoutGraph(fresh()));
    const collisionsAfter = labelCollisions(await layoutGraph(input)).length;
    // Copies made before timing: the pass works in place.
    const copies = Array.from({ length: 7 }, () => structuredClone(raw));
    const pass = cpu(() => placeEdgeLabels(copies.pop()!, 20));
    const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
    console.log(
      `| ${n} | ${input.edges.filter((e) => e.label !== undefined).length} | ${f(before)} | ${collisionsBefore} | ${f(after)} | ${collisionsAfter} | ${f(pass)} |`,
    );
  }
  // What the preview showed before: every label at the middle of its routed path (the page's and
  // then the server's placement), 6.4 px per character, the drawing sized by nodes and routes only.
  console.log(
    '\nThe examples: label collisions (overlaps and labels outside the drawing) as the preview placed labels before (path midpoint) and now.\n',
  );
  console.log('| file | labels | before | after |');
  console.log('|---|---:|---:|---:|');
  for (const fx of previewFixtures().filter((x) => x.example)) {
    const a = analyze(fx.text);
    const l = await layoutGraph(layoutInputFromModel(a.model!, a.graph));
    const old = structuredClone(l);
    for (const e of old.edges) {
      const mid = midpoint(e.points);
      if (e.label !== undefined && mid)
        e.labelBox = {
          x: Math.round(mid.x + 4),
          y: Math.round(mid.y - 8),
          width: Math.ceil(e.label.length * 6.4) + 8,
          height: 16,
        };
    }
    old.width =
      Math.max(...old.nodes.map((n) => n.x + n.width), ...old.edges.flatMap((e) => e.points.map((p) => p.x))) + 20;
    old.height =
      Math.max(...old.nodes.map((n) => n.y + n.height), ...old.edges.flatMap((e) => e.points.map((p) => p.y))) + 20;
    console.log(
      `| ${fx.name} | ${l.edges.filter((e) => e.labelBox).length} | ${labelCollisions(old).length} | ${labelCollisions(l).length} |`,
    );
  }
}

function midpoint(points: { x: number; y: number }[]): { x: number; y: number } | undefined {
  if (points.length < 2) return undefined;
  const seg = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let half = seg.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < seg.length; i++) {
    if (half <= seg[i] && seg[i] > 0) {
      const t = half / seg[i];
      return {
        x: points[i].x + (points[i + 1].x - points[i].x) * t,
        y: points[i].y + (points[i + 1].y - points[i].y) * t,
      };
    }
    half -= seg[i];
  }
  return points[0];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
