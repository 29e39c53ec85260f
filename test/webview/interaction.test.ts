// Using the preview page in headless Chromium as a person would: it opens fitted to the panel; the
// wheel zooms about the pointer; a drag pans and is not a click; + - 0 and the arrow keys zoom, fit
// and pan, and so do the toolbar buttons; Tab brings an off-screen node into view; redrawing the
// same file keeps the view, another file is fitted. Ghost nodes and edge problems are drawn in the
// theme's error colour; the changes mode has a legend and says what a renamed node was called.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generateWorkflow } from '../support/generate';
import {
  graphMessage,
  inside,
  openPage,
  posted,
  renderedGeometry,
  root,
  send,
  startHarness,
  THEMES,
  type Harness,
} from './page';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const example = (name: string) => readFileSync(path.join(root, 'examples', name), 'utf8');

async function view(page: Page): Promise<{ x: number; y: number; scale: number }> {
  const t = (await page.getAttribute('#scene', 'transform'))!;
  const m = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.]+)\)/.exec(t);
  assert.ok(m, t);
  return { x: Number(m[1]), y: Number(m[2]), scale: Number(m[3]) };
}
const zoomText = (page: Page) => page.textContent('#zoom-level');

test('fit, zoom, pan and focus by mouse, keyboard and buttons', async () => {
  const page = await openPage(h, { width: 520, height: 560 });
  const msg = await graphMessage(example('payment-collection.workflow.yaml'), 'payment-collection');
  await send(page, msg);
  await page.waitForSelector('g.node');
  // Fitted: the graph is larger than the panel, so it is shown smaller than 100 %, and all of it.
  const fitted = await view(page);
  assert.ok(fitted.scale < 1, `scale ${fitted.scale}`);
  assert.equal(await zoomText(page), `${Math.round(fitted.scale * 100)}%`);
  let g = await renderedGeometry(page);
  for (const n of g.nodes) assert.ok(inside(n.box, g.canvas), `node ${n.key} in view`);

  // Keyboard: + zooms in about the centre, - zooms out, 0 fits again, 1 is 100 %.
  await page.focus('#canvas');
  await page.keyboard.press('+');
  const zoomed = await view(page);
  assert.ok(Math.abs(zoomed.scale / fitted.scale - 1.25) < 1e-6);
  await page.keyboard.press('-');
  assert.ok(Math.abs((await view(page)).scale - fitted.scale) < 1e-6);
  await page.keyboard.press('1');
  assert.equal((await view(page)).scale, 1);
  assert.equal(await zoomText(page), '100%');
  await page.keyboard.press('0');
  assert.deepEqual(await view(page), fitted);
  // Arrows pan by 48 px (Shift: four times that); the view moves opposite to the arrow.
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await view(page), { ...fitted, x: fitted.x - 48 });
  await page.keyboard.press('Shift+ArrowDown');
  assert.deepEqual(await view(page), { ...fitted, x: fitted.x - 48, y: fitted.y - 192 });

  // Buttons.
  await page.click('#fit');
  assert.deepEqual(await view(page), fitted);
  await page.click('#zoom-in');
  assert.ok((await view(page)).scale > fitted.scale);
  await page.click('#zoom-out');
  await page.click('#zoom-out');
  assert.ok((await view(page)).scale < fitted.scale);
  await page.click('#zoom-level');
  assert.equal((await view(page)).scale, 1);

  // The wheel zooms about the pointer: the drawing's point under it stays under it.
  await page.click('#fit');
  const canvas = (await page.locator('#canvas').boundingBox())!;
  const at = { x: canvas.x + 200, y: canvas.y + 150 };
  const before = await view(page);
  const world = { x: (at.x - canvas.x - before.x) / before.scale, y: (at.y - canvas.y - before.y) / before.scale };
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(
    (s) => !document.querySelector('#scene')!.getAttribute('transform')!.endsWith(`scale(${s})`),
    before.scale,
  );
  const after = await view(page);
  assert.ok(after.scale > before.scale);
  assert.ok(Math.abs(canvas.x + after.x + world.x * after.scale - at.x) < 0.5);
  assert.ok(Math.abs(canvas.y + after.y + world.y * after.scale - at.y) < 0.5);

  // A drag pans by the distance moved, and a drag that ends on a node does not reveal it.
  await page.click('#fit');
  const node = (await page.locator('g.node[data-key="payment_call"] rect').boundingBox())!;
  const start = { x: node.x + node.width / 2, y: node.y + node.height / 2 };
  const sent = (await posted(page)).length;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 60, start.y + 40, { steps: 4 });
  await page.mouse.up();
  assert.deepEqual(await view(page), { ...fitted, x: fitted.x + 60, y: fitted.y + 40 });
  assert.equal((await posted(page)).length, sent, 'no reveal after a drag');
  // A plain click still reveals.
  await page.click('g.node[data-key="payment_call"]');
  assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', key: 'payment_call' });
  // Enter on a focused node reveals it too.
  await page.focus('g.node[data-key="wait_a_day"]');
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', key: 'wait_a_day' });

  // Zoomed in far, Tab moves to nodes outside the view and each is brought into it.
  await page.click('#fit');
  for (let i = 0; i < 4; i++) await page.click('#zoom-in');
  await page.focus('g.node[data-key="payment_call"]');
  g = await renderedGeometry(page);
  assert.ok(
    g.nodes.some((n) => !inside(n.box, g.canvas)),
    'zoomed in, some nodes are out of view',
  );
  for (const key of msg.layout.nodes.slice(1).map((n) => n.key)) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-key')), key);
    g = await renderedGeometry(page);
    assert.ok(inside(g.nodes.find((n) => n.key === key)!.box, g.canvas), `${key} brought into view`);
  }

  // The same file again (typing): the view stays. Another file: fitted.
  const kept = await view(page);
  await send(page, msg);
  assert.deepEqual(await view(page), kept);
  await send(page, await graphMessage(example('lead-nurture.workflow.yaml'), 'lead-nurture'));
  g = await renderedGeometry(page);
  for (const n of g.nodes) assert.ok(inside(n.box, g.canvas), `lead-nurture: ${n.key} in view`);
  // The panel resized while fitted: fitted again.
  await page.setViewportSize({ width: 320, height: 400 });
  await page.waitForFunction(() => {
    const c = document.getElementById('canvas')!.getBoundingClientRect();
    return Array.from(document.querySelectorAll('g.node rect')).every((r) => {
      const b = r.getBoundingClientRect();
      return b.left >= c.left - 0.5 && b.right <= c.right + 0.5 && b.top >= c.top - 0.5 && b.bottom <= c.bottom + 0.5;
    });
  });
  assert.deepEqual(h.cspViolations, []);
  await page.close();
});

test('a ghost node and edge problems in the error colour, with a legend', async () => {
  const page = await openPage(h, { theme: 'dark' });
  const text = readFileSync(path.join(root, 'examples/broken/showcase.workflow.yaml'), 'utf8');
  await send(page, await graphMessage(text, 'showcase'));
  await page.waitForSelector('g.node.ghost');
  const error = THEMES.dark.vars['editorError-foreground'];
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  assert.equal(await page.getAttribute('g.node.ghost', 'data-key'), 'qualifed');
  assert.equal(await page.$eval('g.node.ghost rect', (r) => getComputedStyle(r).stroke), rgb(error));
  assert.equal(await page.textContent('g.node.ghost .node-type'), 'unknown node');
  assert.equal(await page.$eval('g.edge.dangling path', (p) => getComputedStyle(p).stroke), rgb(error));
  assert.equal(await page.getAttribute('g.edge.dangling', 'data-to'), 'qualifed');
  // The duplicate DNP edge (WF111) is marked on the edge, with the message as its tooltip.
  const dup = page.locator('g.edge[data-from="first_call"][data-index="2"]');
  assert.match((await dup.getAttribute('class'))!, /diag-error/);
  assert.match((await dup.locator('title').textContent())!, /WF111/);
  assert.equal(await dup.locator('.edge-badge').count(), 1);
  // The shadowed BUSY edge (WF118, a warning) in the warning colour.
  const busy = page.locator('g.edge[data-from="retry_call"].diag-warning');
  assert.equal(await busy.count(), 1);
  assert.equal(
    await busy
      .locator('path')
      .first()
      .evaluate((p) => getComputedStyle(p).stroke),
    rgb(THEMES.dark.vars['editorWarning-foreground']),
  );
  assert.match((await page.textContent('#legend'))!, /unknown node \(1\)/);
  assert.match((await page.textContent('#legend'))!, /edge with a problem/);
  // The ghost is not a button: nothing to reveal.
  assert.equal(await page.getAttribute('g.node.ghost', 'tabindex'), null);
  await page.close();
});

test('changes mode: a legend with counts, and a renamed node says what it was called', async () => {
  const page = await openPage(h);
  const g = await graphMessage(example('lead-nurture.workflow.yaml'), 'lead-nurture');
  g.changes = {
    base: 'HEAD',
    nodes: { notify_sales: 'added', second_call: 'renamed' },
    renamedFrom: { second_call: 'call_again' },
    removedNodes: [],
    edges: { 'qualified|true|notify_sales': 'added' },
    removedEdges: [],
  };
  await send(page, g);
  await send(page, { type: 'mode', changes: true });
  await page.waitForSelector('g.node.change-renamed');
  // The node is too narrow for "renamed from call_again": the shorter form, which the legend explains.
  assert.equal(await page.textContent('g.node.change-renamed .node-type'), 'was call_again');
  assert.match((await page.textContent('g.node.change-renamed title'))!, /renamed from call_again since HEAD/);
  const legend = (await page.textContent('#legend'))!;
  assert.match(legend, /Since HEAD:/);
  assert.match(legend, /added \(1\)/);
  assert.match(legend, /renamed \(1\)/);
  assert.match(legend, /new edge \(1\)/);
  assert.equal(await page.locator('#legend .swatch').count(), 5);
  // Off again: no legend, no rename note.
  await send(page, { type: 'mode', changes: false });
  assert.equal(await page.isHidden('#legend'), true);
  assert.equal(await page.textContent('g.node[data-key="second_call"] .node-type'), 'VOICE_CALL');
  await page.close();
});

test('a minimap for large graphs: pressing in it centres the view there; none for small ones', async () => {
  const page = await openPage(h, { width: 700, height: 700 });
  await send(page, await graphMessage(example('lead-nurture.workflow.yaml'), 'lead-nurture'));
  await page.waitForSelector('g.node');
  assert.equal(await page.locator('#minimap').count(), 0, 'no minimap for a small graph');
  const big = await graphMessage(generateWorkflow(200), 'generated-200');
  await send(page, big);
  await page.waitForSelector('#minimap');
  assert.equal(await page.locator('#minimap .mm-node').count(), big.layout.nodes.length);
  await page.click('#zoom-level');
  const mm = (await page.locator('#minimap').boundingBox())!;
  // The minimap's centre is the drawing's centre: pressing there centres the view on it.
  await page.mouse.click(mm.x + mm.width / 2, mm.y + mm.height / 2);
  const v = await view(page);
  const canvas = (await page.locator('#canvas').boundingBox())!;
  assert.ok(Math.abs(v.x + (big.layout.width / 2) * v.scale - canvas.width / 2) < 1);
  assert.ok(Math.abs(v.y + (big.layout.height / 2) * v.scale - canvas.height / 2) < 1);
  // The frame shows the visible part: at 100 % it is the panel's size in minimap units.
  const frame = (await page.locator('#minimap .mm-frame').boundingBox())!;
  const k = Math.min(160 / big.layout.width, 120 / big.layout.height);
  // (Its bounding box includes the 1.5 px stroke.)
  assert.ok(Math.abs(frame.width - 1.5 - canvas.width * k) < 0.5, `${frame.width} vs ${canvas.width * k}`);
  await page.close();
});
