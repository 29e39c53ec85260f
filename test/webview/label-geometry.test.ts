// Edge labels never collide: on the layout output of every example, the broken showcase, the
// walkthrough skeleton and generated graphs of 50 and 200 nodes, no two label boxes intersect, no
// label intersects a node box (ghost nodes included) and every label lies inside the drawing — with
// each layout engine. Pure and fast; the Chromium test checks the same on the rendered page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { layoutGraph, layoutInputFromModel, markEdges } from '../../core/layout';
import { intersects, labelCollisions } from '../../core/layout-labels';
import { analyze } from '../../core/validate';
import { previewFixtures } from './fixtures';

const fixtures = previewFixtures();

for (const f of fixtures) {
  const engines =
    f.name === 'generated-200' ? ([undefined, 'layered'] as const) : ([undefined, 'elk', 'layered'] as const);
  for (const engine of engines) {
    test(`labels of ${f.name} (${engine ?? 'default engine'}) overlap no label and no node`, async () => {
      const a = analyze(f.text);
      assert.ok(a.model, 'parses');
      const input = layoutInputFromModel(a.model, a.graph);
      const layout = await layoutGraph(input, engine ? { engine } : {});
      const labelled = input.edges.filter((e) => e.label !== undefined).length;
      assert.ok(labelled > 0, 'the graph has labelled edges');
      assert.equal(layout.edges.filter((e) => e.labelBox).length, labelled, 'every label has a box');
      assert.deepEqual(labelCollisions(layout), []);
      // Nodes do not overlap either, and every edge is drawn.
      for (const e of layout.edges) assert.ok(e.points.length >= 2, `edge ${e.from}#${e.index} is routed`);
    });
  }
}

test('an edge to an unknown node leads to a ghost node, and edge problems mark the edge', async () => {
  const f = fixtures.find((x) => x.name === 'showcase')!;
  const a = analyze(f.text);
  const layout = markEdges(await layoutGraph(layoutInputFromModel(a.model!, a.graph)), a.diagnostics);
  const ghost = layout.nodes.find((n) => n.ghost);
  assert.equal(ghost?.key, 'qualifed');
  const dangling = layout.edges.find((e) => e.to === 'qualifed');
  assert.equal(dangling?.from, 'first_call');
  assert.equal(dangling?.mark?.severity, 'error');
  assert.match(dangling!.mark!.messages[0], /^WF110 /);
  const codes = (from: string) =>
    layout.edges
      .filter((e) => e.from === from && e.mark)
      .flatMap((e) => e.mark!.messages.map((m) => `${e.index}:${m.slice(0, 5)}`));
  // The diagnostics that name an edge, as the rules report them, each on its own edge.
  const expected = a.diagnostics
    .filter((d) => typeof (d.data as { index?: unknown } | undefined)?.index === 'number')
    .map((d) => `${(d.data as { node: string }).node}|${(d.data as { index: number }).index}:${d.code}`)
    .sort();
  const got = layout.edges
    .flatMap((e) =>
      (e.mark?.messages ?? [])
        .filter((m) => !m.startsWith('WF110'))
        .map((m) => `${e.from}|${e.index}:${m.slice(0, 5)}`),
    )
    .sort();
  assert.deepEqual(got, expected);
  assert.ok(codes('first_call').includes('2:WF111'), 'the duplicate DNP edge');
  assert.ok(codes('first_call').includes('3:WF115'), 'the ANSWERED edge');
  assert.ok(
    codes('retry_call').some((c) => c.endsWith('WF118')),
    'the shadowed BUSY edge',
  );
  // Without ghosts (Mermaid, DOT) the edge is left out as before.
  assert.equal(
    layoutInputFromModel(a.model!, a.graph, { ghosts: false }).edges.some((e) => e.to === 'qualifed'),
    false,
  );
});

test('hand-placed nodes (`position`) with edges to unknown nodes: ghosts beside the drawing, labels clear', async () => {
  const text = readFileSync(
    path.join(import.meta.dirname, '../fixtures/graph/positioned.workflow.yaml'),
    'utf8',
  ).replace(
    '      - { to: lost }',
    '      - { on: DNP, to: wiat }\n      - { on: BUSY, to: callback }\n      - { to: lost }',
  );
  const a = analyze(text);
  const layout = await layoutGraph(layoutInputFromModel(a.model!, a.graph));
  assert.equal(layout.engine, 'positions', 'the unknown targets do not stop the positions from being used');
  const ghosts = layout.nodes.filter((n) => n.ghost);
  assert.deepEqual(
    ghosts.map((n) => n.key),
    ['wiat', 'callback'],
  );
  const right = Math.max(...layout.nodes.filter((n) => !n.ghost).map((n) => n.x + n.width));
  for (const g of ghosts) assert.ok(g.x > right, `${g.key} is right of the drawing`);
  assert.ok(!intersects(ghosts[0], ghosts[1]), 'the ghosts do not overlap');
  assert.deepEqual(labelCollisions(layout), []);
});
