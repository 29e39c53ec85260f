// fmt, minimal edits, semantic diff and graph layout on generated workflows of growing size, plus
// the CLI's start-up (`callflow validate` on one file). Prints a markdown table.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffWorkflows } from '../../core/diff';
import { toSvg } from '../../core/export';
import { formatWorkflow } from '../../core/format';
import { minimalEdits } from '../../core/text-edits';
import { analyze } from '../../core/validate';

/** A chain of call → wait → call … with conditionals, in shuffled-key (non-canonical) form. */
function workflow(n: number): string {
  const out = ['nodes:'];
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `n${i + 1}` : 'won';
    const kind = i % 3;
    if (kind === 0) out.push(`  n${i}:`, '    next:', `      - to: ${next}`, '        on: COMPLETED', '      - to: lost', '    config:', `      from_phone_number: "+1415555${String(i).padStart(4, '0')}"`, '      agent_id: agt_1   # sales', '    type: VOICE_CALL');
    else if (kind === 1) out.push(`  n${i}:`, '    type: TIME', '    config: {delay_hours: 24}', '    next:', `    - to: ${next}`);
    else out.push(`  n${i}:`, '    type: CONDITIONAL', '    config:', '      conditions: [{field: city, operator: equals, value: Pune}]', '    next:', `      - {on: "true", to: ${next}}`, '      - {on: "false", to: lost}');
  }
  out.push('  won: {type: CONVERTED}', '  lost: {type: DROPPED}', 'title: Bench', 'version: 1', 'variables: [city]');
  return out.join('\n') + '\n';
}

function time(fn: () => unknown, runs = 5): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); fn(); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}
async function timeAsync(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function main(): Promise<void> {
  console.log('| nodes | lines | fmt (ms) | minimalEdits (ms) | diff, one value changed (ms) | ELK layout + SVG (ms) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const n of [10, 50, 200]) {
    const text = workflow(n);
    const r = formatWorkflow(text);
    if (!('text' in r)) throw new Error(r.error);
    const canonical = r.text;
    const edited = canonical.replace('delay_hours: 24', 'delay_hours: 48');
    const a = analyze(canonical);
    const f = time(() => formatWorkflow(text));
    const e = time(() => minimalEdits(text, canonical));
    const d = time(() => diffWorkflows(canonical, edited));
    const l = await timeAsync(() => toSvg(a.model!, a.graph));
    console.log(`| ${n} | ${text.split('\n').length} | ${f.toFixed(1)} | ${e.toFixed(1)} | ${d.toFixed(1)} | ${l.toFixed(0)} |`);
  }
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
    console.log(`\n\`callflow validate\` on one file, wall time including Node start-up: median ${t.sort((x, y) => x - y)[2].toFixed(0)} ms (5 runs)`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
