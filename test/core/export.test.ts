import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toDot, toMermaid, toSvg } from '../../core/export';
import { layoutGraph, layoutInputFromModel } from '../../core/layout';
import { analyze } from '../../core/validate';
import { expectGolden } from '../cli/golden';

const root = path.join(__dirname, '../..');
const gdir = path.join(__dirname, '../fixtures/graph');
const CASES: Record<string, string> = {
  'lead-nurture': path.join(root, 'examples/lead-nurture.workflow.yaml'),
  tricky: path.join(gdir, 'tricky.workflow.yaml'),
  positioned: path.join(gdir, 'positioned.workflow.yaml'),
  // Copies of examples/ (so that editing an example does not break these goldens).
  'appointment-reminder': path.join(gdir, 'appointment-reminder.workflow.yaml'),
  'payment-collection': path.join(gdir, 'payment-collection.workflow.yaml'),
};

function load(file: string) {
  const a = analyze(readFileSync(file, 'utf8'));
  assert.ok(a.model);
  return { model: a.model, graph: a.graph };
}

for (const [name, file] of Object.entries(CASES)) {
  test(`graph golden: ${name} (mermaid, dot, svg)`, async () => {
    const { model, graph } = load(file);
    expectGolden(path.join(gdir, `${name}.mmd`), toMermaid(model, graph));
    expectGolden(path.join(gdir, `${name}.dot`), toDot(model, graph));
    const svg = await toSvg(model, graph);
    expectGolden(path.join(gdir, `${name}.svg`), svg);
    assert.equal(await toSvg(model, graph), svg, 'the same input gives the same SVG');
  });
}

test('mermaid ids are safe for keywords and every node and edge is drawn', () => {
  const { model, graph } = load(CASES.tricky);
  const m = toMermaid(model, graph);
  assert.ok(m.includes('n_end((') && m.includes('n_graph(['), 'keys like end/graph are prefixed');
  assert.ok(!/[^#]"[^|\]})(]*"[^|\]})(]*"/.test(m.split('\n').find((l) => l.includes('n_start{'))!), 'quotes in labels are escaped');
  assert.ok(m.includes('#quot;hot#quot; #amp; #lt;big#gt;?'));
  assert.ok(!m.includes('missing_node'), 'an edge to an unknown node is left out');
  assert.ok(m.includes('start_ --> n_start'), 'the entry is marked');
});

test('svg is self-contained and escapes text', async () => {
  const { model, graph } = load(CASES.tricky);
  const svg = await toSvg(model, graph);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(svg), 'no external reference (fonts, CDN)');
  assert.ok(!/@import|<image|xlink:href/.test(svg));
  assert.ok(svg.includes('Is it &quot;hot&quot; &amp; &lt;big&gt;?'));
  for (const k of ['start', 'graph', 'end']) assert.ok(svg.includes(`data-key="${k}"`));
});

test('layout: boxes do not overlap and every edge starts and ends at its nodes', async () => {
  const { model, graph } = load(CASES['lead-nurture']);
  const l = await layoutGraph(layoutInputFromModel(model, graph));
  assert.equal(l.source, 'elk');
  for (const a of l.nodes) for (const b of l.nodes) {
    if (a === b) continue;
    const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    assert.ok(apart, `${a.key} and ${b.key} overlap`);
  }
  const at = new Map(l.nodes.map((n) => [n.key, n]));
  const near = (p: { x: number; y: number }, n: { x: number; y: number; width: number; height: number }) =>
    p.x >= n.x - 1 && p.x <= n.x + n.width + 1 && p.y >= n.y - 1 && p.y <= n.y + n.height + 1;
  assert.equal(l.edges.length, 10);
  for (const e of l.edges) {
    assert.ok(near(e.points[0], at.get(e.from)!), `edge ${e.from}→${e.to} starts at its source`);
    assert.ok(near(e.points[e.points.length - 1], at.get(e.to)!), `edge ${e.from}→${e.to} ends at its target`);
  }
  const pos = await layoutGraph(layoutInputFromModel(load(CASES.positioned).model));
  assert.equal(pos.source, 'positions');
  assert.deepEqual(pos.nodes.map((n) => [n.key, n.x, n.y]), [['call', 170, 20], ['won', 20, 180], ['lost', 320, 180]]);
});
