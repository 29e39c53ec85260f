// The graph preview page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// the real page bundle, the real HTML with its CSP, a real ELK layout of the reference example; only
// acquireVsCodeApi (the webview host's bridge) is replaced by a recorder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { analyze } from '../../core/validate';
import { layoutGraph, layoutInputFromModel } from '../../core/layout';
import { NODE_STYLE } from '../../core/export';
import { previewHtml } from '../../client/preview/html';
import type { GraphMessage, HostMessage, PageMessage } from '../../client/preview/messages';

const root = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CALLFLOW_CHROMIUM ?? '/usr/bin/chromium';
const outDir = path.join(root, 'test-output');
let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
const cspViolations: string[] = [];

async function graphOf(file: string, uri = 'file:///w/' + path.basename(file)): Promise<GraphMessage> {
  const text = readFileSync(file, 'utf8');
  const a = analyze(text);
  assert.ok(a.model, 'fixture parses');
  const layout = await layoutGraph(layoutInputFromModel(a.model!, a.graph));
  return {
    type: 'graph',
    uri,
    title: a.model!.title?.value ?? '',
    layout,
    colors: Object.fromEntries(Object.entries(NODE_STYLE).map(([k, v]) => [k, v.stroke])),
    marks: {},
  };
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-webview-'));
  await build({
    entryPoints: [path.join(root, 'client/preview/webview.ts')],
    outfile: path.join(dir, 'webview.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(
        previewHtml({
          cspSource: origin,
          scriptUri: `${origin}/webview.js`,
          styleUri: `${origin}/webview.css`,
          nonce: 'TestNonce0123456789abcdefABCDEF01',
        }),
      );
      return;
    }
    const f = path.join(dir, path.basename(url.pathname));
    if (!existsSync(f)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', f.endsWith('.css') ? 'text/css' : 'text/javascript');
    res.end(readFileSync(f));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => {
    throw e;
  });
  // The webview host's bridge: record what the page posts, keep its state like VS Code does.
  // (A string, not a function: tsx's transform would add helper calls the page does not have.)
  await page.addInitScript(`
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
  `);
  await page.goto(origin + '/');
  return page;
}

const send = (page: Page, msg: HostMessage) => page.evaluate((m) => window.postMessage(m, '*'), msg);
const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: PageMessage[] }).__posted);

test('the page loads under its CSP and says it is ready', async () => {
  const page = await openPage();
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  assert.deepEqual(await posted(page), [{ type: 'ready' }]);
  // The stylesheet applied (served from the resource origin the CSP allows).
  const overflow = await page.$eval('#canvas', (e) => getComputedStyle(e).overflow);
  assert.equal(overflow, 'hidden');
  assert.deepEqual(cspViolations, []);
  await page.close();
});

test('a fixture graph renders every node and edge; a click sends reveal; a parse error keeps the last graph', async () => {
  const page = await openPage();
  const g = await graphOf(path.join(root, 'examples/lead-nurture.workflow.yaml'));
  g.marks = { second_call: { severity: 'warning', messages: ['WF116 something to look at'] } };
  await send(page, g);
  await page.waitForSelector('svg#graph g.node');
  const keys = await page.$$eval('g.node', (ns) => ns.map((n) => n.getAttribute('data-key')));
  assert.deepEqual(
    keys,
    g.layout.nodes.map((n) => n.key),
  );
  assert.equal(await page.locator('g.edge').count(), g.layout.edges.filter((e) => e.points.length >= 2).length);
  assert.ok(g.layout.edges.length >= 8, 'the example has edges');
  assert.equal(await page.textContent('#title'), g.title);
  // The entry node and the node with a diagnostic are marked.
  assert.equal(await page.getAttribute('g.node.entry', 'data-key'), 'first_call');
  assert.equal(await page.getAttribute('g.node.diag-warning', 'data-key'), 'second_call');
  // Node boxes are drawn where the layout put them.
  const box = await page.locator('g.node[data-key="qualified"] rect').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 40);

  await page.click('g.node[data-key="qualified"]');
  assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', key: 'qualified' });

  // The cursor moved in the text: the node is highlighted.
  await send(page, { type: 'highlight', key: 'notify_sales' });
  assert.equal(await page.getAttribute('g.node.highlight', 'data-key'), 'notify_sales');

  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: path.join(outDir, 'webview-graph.png'), fullPage: true });

  await send(page, { type: 'parseError', uri: g.uri, message: 'Line 12: bad indentation of a mapping entry (WF001).' });
  await page.waitForSelector('#banner:not([hidden])');
  assert.match((await page.textContent('#banner'))!, /last valid graph.*WF001/);
  assert.equal(await page.locator('g.node').count(), g.layout.nodes.length, 'the last good graph stays');
  await page.screenshot({ path: path.join(outDir, 'webview-parse-error.png'), fullPage: true });

  // A good graph again clears the banner.
  await send(page, g);
  assert.equal(await page.isHidden('#banner'), true);
  // The state VS Code would restore after a reload holds the last graph.
  const saved = await page.evaluate(() => (window as unknown as { __state: { last?: { uri: string } } }).__state);
  assert.equal(saved.last?.uri, g.uri);
  assert.deepEqual(cspViolations, []);
  await page.close();
});

test("a parse error in another file does not show this file's graph", async () => {
  const page = await openPage();
  const g = await graphOf(path.join(root, 'examples/lead-nurture.workflow.yaml'));
  await send(page, g);
  await page.waitForSelector('g.node');
  await send(page, { type: 'parseError', uri: 'file:///w/other.workflow.yaml', message: 'empty file' });
  await page.waitForSelector('#banner:not([hidden])');
  assert.equal(await page.locator('g.node').count(), 0);
  await page.close();
});

test('changes-since-HEAD mode colours added and changed nodes and new edges, and lists removed ones', async () => {
  const page = await openPage();
  const g = await graphOf(path.join(root, 'examples/lead-nurture.workflow.yaml'));
  g.changes = {
    base: 'HEAD',
    nodes: { notify_sales: 'added', second_call: 'changed' },
    removedNodes: ['old_sms'],
    edges: { 'qualified|true|notify_sales': 'added' },
    removedEdges: [{ from: 'qualified', edge: { on: 'true', to: 'converted' } }],
  };
  await send(page, g);
  await page.waitForSelector('g.node');
  assert.equal(await page.locator('g.node.change-added').count(), 0, 'the mode is off until toggled');
  await page.click('#changes');
  assert.deepEqual((await posted(page)).at(-1), { type: 'toggleChanges', on: true });
  await send(page, { type: 'mode', changes: true });
  assert.equal(await page.getAttribute('g.node.change-added', 'data-key'), 'notify_sales');
  assert.equal(await page.getAttribute('g.node.change-changed', 'data-key'), 'second_call');
  assert.equal(await page.getAttribute('g.edge.change-added', 'data-key'), 'qualified|true|notify_sales');
  assert.match((await page.textContent('#legend'))!, /Removed nodes: old_sms/);
  assert.match((await page.textContent('#legend'))!, /qualified —true→ converted/);
  await page.screenshot({ path: path.join(outDir, 'webview-changes.png'), fullPage: true });
  await page.close();
});
