// Push of generated workflows (nodes : edges = 1 : 1.4) to a fresh emulator process: writes (must
// be nodes + edges + 1), wall time, state-file writes, and the reads and writes of a no-op re-push
// (target: 0 writes, at most 3 reads). 500 nodes with client concurrency 1 and the default; then
// the default concurrency at 1,000, 2,000, 4,000 and 10,000 nodes (+ 14,000 edges), which shows
// whether a push is linear. BENCH_PUSH_SIZES=1000,2000 picks the sizes of the second part.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildModel } from '../../core/model';
import { parseText } from '../../core/parse';
import { applyPlan } from '../../platform/apply';
import { desiredFromModel } from '../../platform/desired';
import { preparePush } from '../../platform/prepare';
import { startEmu } from '../platform/helpers';

/** N nodes: N-1 non-terminal (TIME: 1 edge, CONDITIONAL: 2 edges) + 1 CONVERTED, 1.4·N edges. */
function generate(NODES = 500): string {
  const CONDITIONALS = Math.round(0.4 * NODES) + 1; // 500: 201 CONDITIONAL + 298 TIME = 700 edges
  const lines = ['version: 1', `title: Bench ${NODES} nodes`, 'nodes:'];
  for (let i = 0; i < NODES - 1; i++) {
    const next = i + 1 < NODES - 1 ? `n${i + 1}` : 'done';
    if (i % 2 === 0 && i / 2 < CONDITIONALS) {
      lines.push(
        `  n${i}:`,
        '    type: CONDITIONAL',
        `    position: { x: ${i * 10}, y: 0 }`,
        '    config:',
        '      logic: AND',
        `      conditions: [{ field: score, operator: greater_than, value: ${i} }]`,
        '    next:',
        `      - { on: "true", to: ${next} }`,
        '      - { on: "false", to: done }',
      );
    } else {
      lines.push(
        `  n${i}:`,
        '    type: TIME',
        `    position: { x: ${i * 10}, y: 100 }`,
        `    config: { delay_hours: ${(i % 48) + 1} }`,
        '    next:',
        `      - to: ${next}`,
      );
    }
  }
  lines.push('  done:', '    type: CONVERTED', '    position: { x: 0, y: 400 }');
  return lines.join('\n') + '\n';
}

async function pushOnce(concurrency: number | undefined, text: string) {
  const emu = await startEmu();
  const dir = mkdtempSync(path.join(tmpdir(), 'cf-bench-'));
  const file = path.join(dir, 'bench.workflow.yaml');
  writeFileSync(file, text);
  const parsed = parseText(text);
  const desired = desiredFromModel(buildModel(parsed.doc!, text));
  const edges = desired.nodes.reduce((n, d) => n + d.next.length, 0);
  try {
    const client = emu.client(concurrency);
    const t0 = performance.now();
    const prepared = await preparePush(client, file, 'bench', desired);
    const applied = await applyPlan(prepared.plan, prepared.remote, {
      client,
      targetName: 'bench',
      workflowFile: file,
      stateFile: prepared.stateFile,
      state: prepared.state,
    });
    const ms = performance.now() - t0;
    const first = await emu.stats();
    await emu.resetStats();
    const client2 = emu.client(concurrency);
    const t1 = performance.now();
    const again = await preparePush(client2, file, 'bench', desired);
    const noopMs = performance.now() - t1;
    const second = await emu.stats();
    return {
      concurrency: client.concurrency,
      nodes: desired.nodes.length,
      edges,
      writes: first.writes,
      reads: first.reads,
      ms,
      stateWrites: applied.stateWrites,
      noopCalls: again.plan.calls.length,
      noopReads: second.reads,
      noopWrites: second.writes,
      noopMs,
    };
  } finally {
    await emu.kill();
  }
}

async function main() {
  const rows = [];
  const text = generate();
  for (const c of [1, undefined]) rows.push(await pushOnce(c, text));
  const sizes = (process.env.BENCH_PUSH_SIZES ?? '1000,2000,4000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  for (const n of sizes) rows.push(await pushOnce(undefined, generate(n)));
  console.log(
    '| client concurrency | nodes | edges | writes (expected nodes+edges+1) | reads | wall time | state file writes | no-op re-push: calls planned / reads / writes / time |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.concurrency} | ${r.nodes} | ${r.edges} | ${r.writes} (${r.nodes + r.edges + 1}) | ${r.reads} | ${(r.ms / 1000).toFixed(2)} s | ${r.stateWrites} | ${r.noopCalls} / ${r.noopReads} / ${r.noopWrites} / ${r.noopMs.toFixed(0)} ms |`,
    );
    if (r.writes !== r.nodes + r.edges + 1) {
      console.error(`writes ${r.writes} ≠ ${r.nodes + r.edges + 1}`);
      process.exitCode = 1;
    }
    if (r.noopWrites !== 0 || r.noopReads > 3) {
      console.error('the no-op re-push is not free');
      process.exitCode = 1;
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
