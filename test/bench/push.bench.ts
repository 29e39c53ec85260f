// Push of a generated 500-node, 700-edge workflow to a fresh emulator process: writes (must be
// nodes + edges + 1), wall time with client concurrency 1 and the default, and the reads and
// writes of a no-op re-push (target: 0 writes, at most 3 reads).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildModel } from '../../core/model';
import { parseText } from '../../core/parse';
import { applyPlan } from '../../platform/apply';
import { desiredFromModel } from '../../platform/desired';
import { preparePush } from '../../platform/prepare';
import { startEmu } from '../platform/helpers';

const NODES = 500;
const CONDITIONALS = 201; // 298 TIME (1 edge) + 201 CONDITIONAL (2 edges) = 700 edges; + 1 CONVERTED

function generate(): string {
  const lines = ['version: 1', 'title: Bench 500 nodes', 'nodes:'];
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
  const text = generate();
  const rows = [];
  for (const c of [1, undefined]) rows.push(await pushOnce(c, text));
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
