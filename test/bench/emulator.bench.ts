// The emulator over real HTTP (child process, temp SQLite file): per-request latency of graph edits,
// a 300-node pre-activation check, a 10,000-row lead upload, duplicate, and read throughput.
import { buildWorkflow, multipartCsv, startEmu } from '../emulator/harness';

const N = 300;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

async function main() {
  const emu = await startEmu(['--quiet']);
  const rows: [string, string][] = [];
  try {
    const w = await buildWorkflow(emu, { nodes: {}, edges: [] });
    const nodeMs: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const last = i === N - 1;
      const body = last
        ? { node_type: 'CONVERTED', label: 'done' }
        : {
            node_type: 'TIME',
            label: `wait ${i}`,
            position_x: i,
            position_y: 0,
            config: { delay_hours: 1 + (i % 24) },
          };
      const [r, ms] = await timed(() => emu.api('POST', `/workflows/${w.id}/nodes`, { body }));
      nodeMs.push(ms);
      ids.push(r.body.id);
    }
    const edgeMs: number[] = [];
    for (let i = 0; i < N - 1; i++) {
      const [, ms] = await timed(() =>
        emu.api('POST', `/workflows/${w.id}/edges`, { body: { from_node_id: ids[i], to_node_id: ids[i + 1] } }),
      );
      edgeMs.push(ms);
    }
    rows.push([
      `POST node (${N} sequential)`,
      `p50 ${pct(nodeMs, 50).toFixed(1)} ms, p95 ${pct(nodeMs, 95).toFixed(1)} ms`,
    ]);
    rows.push([
      `POST edge (${N - 1} sequential)`,
      `p50 ${pct(edgeMs, 50).toFixed(1)} ms, p95 ${pct(edgeMs, 95).toFixed(1)} ms`,
    ]);
    const lists: number[] = [];
    for (let i = 0; i < 10; i++) lists.push((await timed(() => emu.api('GET', `/workflows/${w.id}/nodes`)))[1]);
    rows.push([`GET nodes (${N} nodes)`, `p50 ${pct(lists, 50).toFixed(1)} ms`]);
    const checks: number[] = [];
    let status = 0;
    for (let i = 0; i < 5; i++) {
      // A broken copy each time, so activate runs the full check and answers 400 without changing state.
      const [r, ms] = await timed(() => emu.api('POST', `/workflows/${w.id}/activate`, { key: undefined }));
      status = r.status;
      checks.push(ms);
      if (r.status === 200) break;
    }
    rows.push([
      `activate with pre-activation checks (${N} nodes)`,
      `${pct(checks, 50).toFixed(1)} ms (status ${status})`,
    ]);
    const [, dupMs] = await timed(() => emu.api('POST', `/workflows/${w.id}/duplicate`));
    rows.push([`duplicate (${N} nodes, ${N - 1} edges)`, `${dupMs.toFixed(1)} ms`]);
    const csv =
      'phone_number,customer_name,city\n' +
      Array.from({ length: 10000 }, (_, i) => `+1415${String(1000000 + i)},Name ${i},City`).join('\n') +
      '\n';
    const [up, upMs] = await timed(() => emu.api('POST', `/workflows/${w.id}/leads`, multipartCsv(csv)));
    rows.push(['lead upload, 10,000 rows', `${upMs.toFixed(0)} ms (${up.body.leads_enrolled} enrolled)`]);
    let count = 0;
    const until = performance.now() + 2000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          await emu.api('GET', `/workflows/${w.id}`);
          count++;
        }
      }),
    );
    rows.push(['GET workflow, 8 concurrent clients for 2 s', `${Math.round(count / 2)} req/s`]);
  } finally {
    await emu.stop();
  }
  console.log('| measure | result |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
