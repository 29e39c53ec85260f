// What the language server sends the preview (server/graph-model.ts) carries the layout unchanged:
// ghost nodes for edges to unknown nodes, each edge's problem mark, the label boxes placed by
// core/layout-labels.ts (no collisions in what arrives) and an extent that holds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeIncremental } from '../../core/incremental';
import type { Layout } from '../../core/layout';
import { labelCollisions } from '../../core/layout-labels';
import { graphModel } from '../../server/graph-model';
import type { GraphModel } from '../../protocol';
import { previewFixtures } from './fixtures';

/** The page's layout from the model, as the panel builds it (client/preview/panel.ts toLayout). */
function asLayout(m: GraphModel): Layout {
  return {
    width: m.width!,
    height: m.height!,
    source: 'elk',
    nodes: m.nodes.map((n) => ({
      key: n.key,
      label: n.label,
      type: n.type,
      entry: n.entry,
      x: n.position!.x,
      y: n.position!.y,
      width: n.size!.width,
      height: n.size!.height,
    })),
    edges: m.edges.map((e) => ({ ...e, points: e.points ?? [] })),
  };
}

for (const f of previewFixtures().filter((x) => x.name !== 'generated-200')) {
  test(`the server's graph model of ${f.name} keeps the placed labels`, async () => {
    const m = await graphModel(analyzeIncremental(f.text), `file:///w/${f.name}.workflow.yaml`, 1, true);
    assert.equal(m.ok, true);
    assert.deepEqual(labelCollisions(asLayout(m)), []);
    for (const e of m.edges) if (e.label !== undefined) assert.ok(e.labelBox, `${e.from}#${e.index} has a label box`);
  });
}

test("the server's graph model of the showcase has the ghost node and the edges' problems", async () => {
  const f = previewFixtures().find((x) => x.name === 'showcase')!;
  const m = await graphModel(analyzeIncremental(f.text), 'file:///w/showcase.workflow.yaml', 1, true);
  const ghost = m.nodes.find((n) => n.ghost);
  assert.equal(ghost?.key, 'qualifed');
  assert.ok(ghost.position && ghost.size, 'placed');
  const dangling = m.edges.find((e) => e.to === 'qualifed')!;
  assert.equal(dangling.mark?.severity, 'error');
  assert.equal(ghost.range.start.line, dangling.range.start.line, "the ghost's range is its first edge's");
  const marked = m.edges.filter((e) => e.mark).map((e) => `${e.from}#${e.index}`);
  assert.ok(marked.includes('first_call#2'), 'WF111 on the duplicate DNP edge');
  assert.ok(marked.includes('first_call#3'), 'WF115 on the ANSWERED edge');
});
