// Every example (the broken showcase and the walkthrough skeleton too) drawn by the real preview
// page in headless Chromium, in the light, dark and high-contrast themes, at the size of a
// half-width editor panel; the generated 50- and 200-node graphs in the light theme. Checked on the
// rendered DOM: after the page fitted the graph every node is inside the panel (so the entry is);
// then at 100 % (screen pixels = layout units) no label box overlaps another or a node box, every
// label's text (getBBox) fits the box the layout reserved and every node's texts lie inside the node
// (nothing clipped). The examples' pictures are saved for people under test-output/preview/
// (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { GraphMessage } from '../../client/preview/messages';
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

/** Fitted: every node inside the panel; then at 100 % (screen pixels = layout units) nothing overlaps or is clipped. */
async function check(page: Page, msg: GraphMessage, what: string): Promise<void> {
  await send(page, msg);
  await page.waitForSelector('svg#graph g.node');
  let g = await renderedGeometry(page);
  assert.equal(g.nodes.length, msg.layout.nodes.length);
  assert.equal(g.labels.length, msg.layout.edges.filter((e) => e.labelBox && e.points.length >= 2).length);
  for (const n of g.nodes) assert.ok(inside(n.box, g.canvas), `${what}: node ${n.key} is inside the panel after fit`);
  assert.ok(
    g.nodes.some((n) => n.entry),
    'the entry node is drawn and marked',
  );
  await page.click('#zoom-level');
  g = await renderedGeometry(page);
  for (const n of g.nodes)
    for (const t of n.texts) assert.ok(inside(t.box, n.box), `${what}: "${t.text}" fits in node ${n.key}`);
  for (let i = 0; i < g.labels.length; i++) {
    const a = g.labels[i];
    assert.ok(inside(a.text, a.box), `${what}: the text of label ${a.id} fits in its box`);
    for (let j = i + 1; j < g.labels.length; j++)
      assert.ok(!overlap(a.box, g.labels[j].box), `${what}: label ${a.id} overlaps label ${g.labels[j].id}`);
    for (const n of g.nodes) assert.ok(!overlap(a.box, n.box), `${what}: label ${a.id} overlaps node ${n.key}`);
  }
  // getBBox (the drawing's units) agrees with the layout: the text fits the box the layout reserved.
  for (const l of g.labels) {
    const [from, index] = l.id.split('#');
    const e = msg.layout.edges.find((x) => x.from === from && x.index === Number(index))!;
    assert.ok(
      l.bbox.width <= e.labelBox!.width,
      `label ${l.id}: text ${l.bbox.width} wide in a ${e.labelBox!.width} box`,
    );
  }
  await page.click('#fit');
}

for (const f of previewFixtures()) {
  // The generated graphs are checked in one theme, and not saved: they are for the geometry, not for people.
  const ts: ThemeName[] = f.example ? themes : ['light'];
  test(`${f.name}: fitted, nothing overlaps or is clipped (${ts.join(', ')})`, async () => {
    const msg = await graphMessage(f.text, f.name);
    for (const theme of ts) {
      // A half-width editor panel on a 1,920 × 1,080 screen.
      const page = await openPage(h, { theme, width: 760, height: 900 });
      await check(page, msg, `${f.name} ${theme}`);
      if (f.example) await page.screenshot({ path: path.join(outDir, `${f.name}-${theme}.png`) });
      await page.close();
    }
    assert.deepEqual(h.cspViolations, []);
  });
}
