import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { renderSvg, toDot, toMermaid, toSvg } from '../../core/export';
import {
  ELK_MAX_NODES,
  layoutGraph,
  layoutInputFromModel,
  type LaidOutNode,
  type Layout,
  type LayoutInput,
} from '../../core/layout';
import { analyze } from '../../core/validate';
import { expectGolden } from '../support/golden';
import { generateWorkflow } from '../support/generate';

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
  assert.ok(
    !/[^#]"[^|\]})(]*"[^|\]})(]*"/.test(m.split('\n').find((l) => l.includes('n_start{'))!),
    'quotes in labels are escaped',
  );
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
  for (const a of l.nodes)
    for (const b of l.nodes) {
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
  assert.deepEqual(
    pos.nodes.map((n) => [n.key, n.x, n.y]),
    [
      ['call', 170, 20],
      ['won', 20, 180],
      ['lost', 320, 180],
    ],
  );
});

// ---- The fast layered layout (graphs above ELK_MAX_NODES / ELK_MAX_EDGES) ----

/** Boxes apart, edges orthogonal, from the source's box to the target's, never through a third box. */
function assertDrawable(l: Layout, what: string): void {
  const boxes = [...l.nodes].sort((a, b) => a.y - b.y || a.x - b.x);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j].y < boxes[i].y + boxes[i].height; j++) {
      const a = boxes[i],
        b = boxes[j];
      assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x, `${what}: ${a.key} and ${b.key} overlap`);
    }
  const at = new Map(l.nodes.map((n) => [n.key, n]));
  const onBorder = (p: { x: number; y: number }, n: LaidOutNode) =>
    p.x >= n.x && p.x <= n.x + n.width && (p.y === n.y || p.y === n.y + n.height);
  for (const e of l.edges) {
    const from = at.get(e.from)!,
      to = at.get(e.to)!;
    assert.ok(onBorder(e.points[0], from), `${what}: ${e.from}→${e.to} starts on its source`);
    assert.ok(onBorder(e.points[e.points.length - 1], to), `${what}: ${e.from}→${e.to} ends on its target`);
    for (let k = 1; k < e.points.length; k++) {
      const p = e.points[k - 1],
        q = e.points[k];
      assert.ok(p.x === q.x || p.y === q.y, `${what}: ${e.from}→${e.to} is orthogonal`);
      // Strictly inside a box that is not an end of this segment's edge: the edge crosses it.
      for (const n of l.nodes) {
        if ((n === from && k === 1) || (n === to && k === e.points.length - 1)) continue;
        const x0 = Math.min(p.x, q.x),
          x1 = Math.max(p.x, q.x),
          y0 = Math.min(p.y, q.y),
          y1 = Math.max(p.y, q.y);
        const crosses = x0 < n.x + n.width && x1 > n.x && y0 < n.y + n.height && y1 > n.y;
        assert.ok(!crosses, `${what}: ${e.from}→${e.to} crosses ${n.key}`);
      }
    }
  }
  for (const n of l.nodes)
    assert.ok(
      n.x >= 0 && n.y >= 0 && n.x + n.width <= l.width && n.y + n.height <= l.height,
      `${what}: ${n.key} inside the drawing`,
    );
}

test('layout: a large workflow gets the fast layered layout, drawable and deterministic', async () => {
  assert.ok(ELK_MAX_NODES < 200);
  const a = analyze(generateWorkflow(200));
  const input = layoutInputFromModel(a.model!, a.graph);
  const l = await layoutGraph(input);
  assert.equal(l.engine, 'layered');
  assert.equal(l.source, 'elk', 'the preview protocol knows computed layouts as "elk"');
  assert.equal(l.nodes.length, 200);
  assert.equal(l.edges.length, input.edges.length);
  assertDrawable(l, 'generated 200');
  const entry = l.nodes.find((n) => n.entry)!;
  assert.equal(entry.key, 'step_0');
  assert.ok(
    l.nodes.every((n) => n.y >= entry.y),
    'the entry is in the first layer',
  );
  const y = new Map(l.nodes.map((n) => [n.key, n.y]));
  assert.ok(
    a.model!.nodes.every((n) => n.next.every((e) => !e.to || y.get(e.to.value)! > y.get(n.key)!)),
    'every edge of a chain points down',
  );
  assert.deepEqual(await layoutGraph(input), l, 'the same input gives the same layout');
});

test('layout: the layered layout handles cycles, self-loops, several roots and odd keys', async () => {
  for (const name of ['tricky', 'appointment-reminder', 'payment-collection', 'lead-nurture']) {
    const { model, graph } = load(CASES[name]);
    const input = layoutInputFromModel(model, graph);
    const l = await layoutGraph(input, { engine: 'layered' });
    assert.equal(l.engine, 'layered');
    assertDrawable(l, name);
  }
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  const edge = fc.record({
    from: fc.constantFrom(...keys),
    to: fc.constantFrom(...keys),
    label: fc.option(fc.constantFrom('COMPLETED', 'true', 'x'), { nil: undefined }),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(edge, { maxLength: 14 }),
      fc.option(fc.constantFrom(...keys), { nil: undefined }),
      async (es, entry) => {
        const input: LayoutInput = {
          nodes: keys.map((k) => ({ key: k, label: `Node ${k}`, type: 'TIME' })),
          edges: es
            .map((e, index) => ({ ...e, index, ...(e.label === undefined ? { label: undefined } : {}) }))
            .map(({ label, ...e }) => (label === undefined ? e : { ...e, label })),
          entry,
        };
        const l = await layoutGraph(input, { engine: 'layered' });
        assertDrawable(l, JSON.stringify(input.edges));
        if (entry)
          assert.ok(
            l.nodes.every((n) => n.y >= l.nodes.find((m) => m.key === entry)!.y),
            'the entry is in the first layer',
          );
      },
    ),
    { numRuns: 150 },
  );
});

test('graph golden: the layered layout of appointment-reminder (svg)', async () => {
  const { model, graph } = load(CASES['appointment-reminder']);
  const l = await layoutGraph(layoutInputFromModel(model, graph), { engine: 'layered' });
  expectGolden(path.join(gdir, 'appointment-reminder.layered.svg'), renderSvg(l, model.title?.value));
});

test('layout: 5,000 nodes are laid out (the fast layout is linear in size)', async () => {
  const a = analyze(generateWorkflow(5000));
  const l = await layoutGraph(layoutInputFromModel(a.model!, a.graph));
  assert.equal(l.nodes.length, 5000);
  assert.equal(l.engine, 'layered');
});

test('layout: ELK results are reused for the same graph, and a caller cannot change the reused one', async () => {
  const { model, graph } = load(CASES['lead-nurture']);
  const input = layoutInputFromModel(model, graph);
  const first = await layoutGraph(input);
  const want = JSON.parse(JSON.stringify(first));
  first.nodes[0].x = -999;
  first.edges.length = 0;
  const again = await layoutGraph(layoutInputFromModel(model, graph));
  assert.deepEqual(again, want);
  const renamed = await layoutGraph({
    ...input,
    nodes: input.nodes.map((n, i) => (i === 0 ? { ...n, label: 'A much longer first label than before' } : n)),
  });
  assert.ok(renamed.nodes[0].width > want.nodes[0].width, 'a changed graph is laid out again');
});
