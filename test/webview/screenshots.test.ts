// Every example (the broken showcase and the walkthrough skeleton too) drawn by the real preview
// page in headless Chromium, in the light, dark and high-contrast themes, at the size of a
// half-width editor panel. Checked on the rendered DOM after the page fitted the graph: every node
// is inside the panel (so the entry is), no label box overlaps another or a node box, every label's
// text lies inside its box and every node's texts inside the node (nothing clipped). The pictures
// are saved for people to look at under test-output/preview/ (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { previewFixtures } from './fixtures';
import {
  graphMessage,
  inside,
  openPage,
  overlap,
  renderedGeometry,
  root,
  send,
  startHarness,
  type Harness,
  type ThemeName,
} from './page';

const outDir = path.join(root, 'test-output', 'preview');
let h: Harness;

before(async () => {
  h = await startHarness();
  mkdirSync(outDir, { recursive: true });
});
after(async () => {
  await h?.close();
});

const themes: ThemeName[] = ['light', 'dark', 'high-contrast'];

for (const f of previewFixtures().filter((x) => x.example)) {
  test(`${f.name}: fitted, nothing overlaps or is clipped (${themes.join(', ')})`, async () => {
    const msg = await graphMessage(f.text, f.name);
    for (const theme of themes) {
      // A half-width editor panel on a 1,920 × 1,080 screen.
      const page = await openPage(h, { theme, width: 760, height: 900 });
      await send(page, msg);
      await page.waitForSelector('svg#graph g.node');
      const g = await renderedGeometry(page);
      assert.equal(g.nodes.length, msg.layout.nodes.length);
      assert.equal(g.labels.length, msg.layout.edges.filter((e) => e.labelBox && e.points.length >= 2).length);
      for (const n of g.nodes) {
        assert.ok(inside(n.box, g.canvas), `${theme}: node ${n.key} is inside the panel after fit`);
        for (const t of n.texts) assert.ok(inside(t.box, n.box), `${theme}: "${t.text}" fits in node ${n.key}`);
      }
      assert.ok(
        g.nodes.some((n) => n.entry),
        'the entry node is drawn and marked',
      );
      for (let i = 0; i < g.labels.length; i++) {
        const a = g.labels[i];
        assert.ok(inside(a.text, a.box), `${theme}: the text of label ${a.id} fits in its box`);
        for (let j = i + 1; j < g.labels.length; j++)
          assert.ok(!overlap(a.box, g.labels[j].box), `${theme}: label ${a.id} overlaps label ${g.labels[j].id}`);
        for (const n of g.nodes) assert.ok(!overlap(a.box, n.box), `${theme}: label ${a.id} overlaps node ${n.key}`);
      }
      // getBBox (the drawing's units) agrees with the layout's label boxes: the text fits the box the layout reserved.
      for (const l of g.labels) {
        const [from, index] = l.id.split('#');
        const e = msg.layout.edges.find((x) => x.from === from && x.index === Number(index))!;
        assert.ok(
          l.bbox.width <= e.labelBox!.width,
          `label ${l.id}: text ${l.bbox.width} wide in a ${e.labelBox!.width} box`,
        );
      }
      await page.screenshot({ path: path.join(outDir, `${f.name}-${theme}.png`) });
      await page.close();
    }
    assert.deepEqual(h.cspViolations, []);
  });
}
