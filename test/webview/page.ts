// The preview page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the
// real page bundle, the real HTML with its CSP, served over HTTP; only acquireVsCodeApi (the webview
// host's bridge) is replaced by a recorder, and a theme's CSS variables are set the way VS Code sets
// them (on the root element, plus the body's theme class).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { NODE_STYLE } from '../../core/export';
import { layoutGraph, layoutInputFromModel, markEdges } from '../../core/layout';
import { analyze } from '../../core/validate';
import { previewHtml } from '../../client/preview/html';
import type { GraphMessage, HostMessage, NodeMark, PageMessage } from '../../client/preview/messages';

export const root = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CALLFLOW_CHROMIUM ?? '/usr/bin/chromium';

/** Colours of VS Code's Light Modern, Dark Modern and High Contrast themes (the variables the page reads). */
export const THEMES = {
  light: {
    class: 'vscode-light',
    vars: {
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      descriptionForeground: '#3b3b3b',
      focusBorder: '#005fb8',
      'editorError-foreground': '#e51400',
      'editorWarning-foreground': '#bf8803',
      'editorInfo-foreground': '#1a85ff',
      'editorLineNumber-foreground': '#6e7681',
      'panel-border': '#e5e5e5',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'gitDecoration-addedResourceForeground': '#587c0c',
      'gitDecoration-modifiedResourceForeground': '#895503',
      'gitDecoration-renamedResourceForeground': '#007100',
    },
  },
  dark: {
    class: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      descriptionForeground: '#9d9d9d',
      focusBorder: '#0078d4',
      'editorError-foreground': '#f85149',
      'editorWarning-foreground': '#cca700',
      'editorInfo-foreground': '#3794ff',
      'editorLineNumber-foreground': '#6e7681',
      'panel-border': '#2b2b2b',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'gitDecoration-addedResourceForeground': '#81b88b',
      'gitDecoration-modifiedResourceForeground': '#e2c08d',
      'gitDecoration-renamedResourceForeground': '#73c991',
    },
  },
  'high-contrast': {
    class: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      descriptionForeground: '#ffffff',
      focusBorder: '#f38518',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'editorError-foreground': '#f48771',
      'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff',
      'editorLineNumber-foreground': '#ffffff',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export interface Harness {
  browser: Browser;
  origin: string;
  cspViolations: string[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-webview-'));
  await build({
    entryPoints: [path.join(root, 'client/preview/webview.ts')],
    outfile: path.join(dir, 'webview.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  });
  let origin = '';
  const server: Server = createServer((req, res) => {
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
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-extensions',
      '--no-first-run',
    ],
  });
  return {
    browser,
    origin,
    cspViolations: [],
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openPage(
  h: Harness,
  opts: { theme?: ThemeName; width?: number; height?: number } = {},
): Promise<Page> {
  const page = await h.browser.newPage({ viewport: { width: opts.width ?? 900, height: opts.height ?? 1000 } });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) h.cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => {
    throw e;
  });
  // (A string, not a function: tsx's transform would add helper calls the page does not have.)
  await page.addInitScript(`
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
  `);
  await page.goto(h.origin + '/');
  if (opts.theme) await setTheme(page, opts.theme);
  return page;
}

/** As VS Code does: variables on the root element (through the CSSOM, which the CSP allows) and the body's class. */
export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  const t = THEMES[theme];
  await page.evaluate(
    ({ cls, vars }) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(cls);
    },
    { cls: t.class, vars: t.vars as Record<string, string> },
  );
}

export const send = (page: Page, msg: HostMessage) => page.evaluate((m) => window.postMessage(m, '*'), msg);
export const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: PageMessage[] }).__posted);

/** The message the host would send for a workflow text: the core's layout, edge marks and node marks. */
export async function graphMessage(text: string, name: string): Promise<GraphMessage> {
  const a = analyze(text);
  assert.ok(a.model, 'fixture parses');
  const layout = markEdges(await layoutGraph(layoutInputFromModel(a.model!, a.graph)), a.diagnostics);
  const marks: Record<string, NodeMark> = {};
  const rank = { error: 3, warning: 2, info: 1 } as const;
  for (const d of a.diagnostics) {
    const node = (d.data as { node?: unknown } | undefined)?.node;
    if (typeof node !== 'string') continue;
    const m = (marks[node] ??= { severity: d.severity, messages: [] });
    if (rank[d.severity] > rank[m.severity]) m.severity = d.severity;
    m.messages.push(`${d.code} ${d.message}`);
  }
  return {
    type: 'graph',
    uri: `file:///w/${name}.workflow.yaml`,
    title: a.model!.title?.value ?? name,
    layout,
    colors: Object.fromEntries(Object.entries(NODE_STYLE).map(([k, v]) => [k, v.stroke])),
    marks,
  };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RenderedGeometry {
  canvas: Rect;
  nodes: { key: string; entry: boolean; box: Rect; texts: { text: string; box: Rect }[] }[];
  labels: { id: string; box: Rect; text: Rect; bbox: Rect }[];
}

/**
 * Screen rectangles of the drawn graph: the canvas, every node box and node text, every label box
 * and text, and each label text's getBBox (the drawing's own units). A string, not a function, for
 * the same reason as the init script.
 */
export function renderedGeometry(page: Page): Promise<RenderedGeometry> {
  return page.evaluate(`(() => {
    const r = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    return {
      canvas: r(document.getElementById('canvas')),
      nodes: [...document.querySelectorAll('g.node')].map((g) => ({
        key: g.getAttribute('data-key'),
        entry: g.classList.contains('entry'),
        box: r(g.querySelector('rect.node-box')),
        texts: [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: r(t) })),
      })),
      labels: [...document.querySelectorAll('g.edge-label')].map((g) => {
        const b = g.querySelector('text').getBBox();
        return {
          id: g.getAttribute('data-from') + '#' + g.getAttribute('data-index'),
          box: r(g.querySelector('rect')),
          text: r(g.querySelector('text')),
          bbox: { x: b.x, y: b.y, width: b.width, height: b.height },
        };
      }),
    };
  })()`);
}

export function overlap(a: Rect, b: Rect, tolerance = 0.5): boolean {
  return (
    a.x + tolerance < b.x + b.width &&
    b.x + tolerance < a.x + a.width &&
    a.y + tolerance < b.y + b.height &&
    b.y + tolerance < a.y + a.height
  );
}

export function inside(inner: Rect, outer: Rect, tolerance = 0.5): boolean {
  return (
    inner.x >= outer.x - tolerance &&
    inner.y >= outer.y - tolerance &&
    inner.x + inner.width <= outer.x + outer.width + tolerance &&
    inner.y + inner.height <= outer.y + outer.height + tolerance
  );
}
