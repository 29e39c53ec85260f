// The per-node memo of the rule families (core/rules/memo.ts), the patched graph (core/graph.ts
// patchGraph) and the reused graph-wide findings (core/rules/reachability.ts): after every
// incremental step the diagnostics and the graph equal those of a fresh full validation, on files
// full of problems (so the memo holds both quiet and reporting nodes) and on retry loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/validate';
import { buildGraph, type Graph } from '../../core/graph';
import { analyzeIncremental, reanalyze } from '../../core/incremental';
import { generateWorkflow } from '../support/generate';
import { randomEdit, rng } from '../support/random-edits';

/** A graph as plain data: edges named by their source node, index and target. */
function graphData(g: Graph | undefined): unknown {
  if (!g) return null;
  const edge = (e: { from: string; index: number }) => `${e.from}#${e.index}`;
  return {
    entry: g.entry,
    entryProblem: g.entryProblem,
    roots: g.roots,
    entryCandidates: g.entryCandidates,
    keys: g.keys,
    reachable: [...g.reachable].sort(),
    unresolved: g.unresolved,
    opaqueNext: [...g.opaqueNext].sort(),
    out: [...g.out].map(([k, es]) => [k, es.map(edge)]),
    incoming: [...g.incoming].map(([k, es]) => [k, es.map(edge)]),
    target: [...g.target].map(([e, t]) => [edge(e), t]).sort(),
    dangling: [...g.dangling].map(([e, s]) => [edge(e), s ?? null]),
  };
}

/** A generated file with problems of many families in it: missing agents, unknown labels, dangling edges, loops. */
function troubled(n: number): string {
  return generateWorkflow(n, 'retry-loops')
    .replace(/agent_id: agt_abc123/, 'agent_id: ""')
    .replace('on: COMPLETED', 'on: COMPLETD')
    .replace(/delay_hours: 48/, 'delay_hours: -1')
    .replace(/"\+912234567890"/, '"912234567890"');
}

/** Edits that keep the structure (label, config value) and ones that change it (a reference, a key). */
function structuredEdit(text: string, next: () => number): { start: number; end: number; insert: string } {
  const r = next();
  const find = (what: string) => {
    const all: number[] = [];
    for (let i = text.indexOf(what); i >= 0 && all.length < 400; i = text.indexOf(what, i + 1)) all.push(i);
    return all.length ? all[Math.floor(next() * all.length)] : -1;
  };
  const at = (what: string, offset: number, insert: string, del = 0) => {
    const i = find(what);
    return i < 0 ? randomEdit(text, next, true) : { start: i + offset, end: i + offset + del, insert };
  };
  if (r < 0.2) return at('label: ', 7, 'x');
  if (r < 0.3) return at('delay_hours: ', 13, '', 1);
  if (r < 0.4) return at('delay_hours: ', 13, '1');
  if (r < 0.5) return at('to: ', 4, 'z');
  if (r < 0.55) return at('to: ', 4, '', 1);
  if (r < 0.6) return at('on: ', 4, 'Q');
  if (r < 0.65) return at('type: ', 6, 'X');
  if (r < 0.7) return at('\n  ', 3, 'k');
  return randomEdit(text, next, true);
}

for (const [name, base] of [
  ['a file with problems in many families', troubled(40)],
  ['a valid chain', generateWorkflow(30)],
] as const)
  test(`800 edits on ${name}: memoised diagnostics and patched graph equal a full validation`, () => {
    const next = rng(20261202);
    let text = base;
    let a = analyzeIncremental(text);
    const counts = { full: 0, incremental: 0, unchanged: 0 };
    for (let step = 0; step < 800; step++) {
      if (next() < 0.2) text = base;
      else {
        const e = structuredEdit(text, next);
        text = text.slice(0, e.start) + e.insert + text.slice(e.end);
      }
      a = reanalyze(a, text);
      counts[a.mode]++;
      if (a.mode !== 'incremental' && step % 10 !== 0) continue;
      const full = analyze(text);
      assert.deepEqual(a.diagnostics, full.diagnostics, `step ${step}: diagnostics differ (${a.mode})`);
      if (a.model) assert.deepEqual(graphData(a.graph), graphData(buildGraph(a.model)), `step ${step}: graph differs`);
    }
    assert.ok(counts.incremental > 200, `too few incremental steps: ${JSON.stringify(counts)}`);
  });
