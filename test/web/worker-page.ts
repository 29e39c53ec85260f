// The browser language server (dist/browser/server.js) in a real Web Worker in headless Chromium,
// and a minimal LSP client in the page that speaks JSON-RPC to it over postMessage (what
// vscode-languageclient/browser does in the web extension host). The page answers the server's own
// requests (settings, registrations) and exposes request/notify to the test.
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = path.resolve(import.meta.dirname, '../..');
export const BROWSER_SERVER = path.join(root, 'dist/browser/server.js');
const CHROMIUM = process.env.CALLFLOW_CHROMIUM ?? '/usr/bin/chromium';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the bundles when the browser server is missing or older than any source. */
export function ensureBrowserServer(): void {
  const sources = Math.max(
    ...['server', 'core', 'platform', 'protocol', 'schemas', 'client'].map((d) => newest(path.join(root, d))),
  );
  if (existsSync(BROWSER_SERVER) && statSync(BROWSER_SERVER).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--only=server,extension'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
  });
}

/** The page's client: one Worker, JSON-RPC objects over postMessage, ids matched to promises. */
const PAGE = `<!DOCTYPE html><html><body><script>
const worker = new Worker('/server.js');
let id = 0;
const pending = new Map();
window.__notifications = [];
window.__errors = [];
worker.onerror = (e) => window.__errors.push(String(e.message));
worker.onmessage = (e) => {
  const m = e.data;
  if (m.id !== undefined && m.method === undefined) {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error.message)); else p.resolve(m.result);
    return;
  }
  if (m.id !== undefined) {
    // The server's requests: settings (defaults), registrations, progress, refreshes.
    const result = m.method === 'workspace/configuration' ? m.params.items.map(() => ({})) : null;
    worker.postMessage({ jsonrpc: '2.0', id: m.id, result });
    return;
  }
  window.__notifications.push({ method: m.method, params: m.params });
};
window.lsp = {
  request(method, params) {
    const n = ++id;
    return new Promise((resolve, reject) => {
      pending.set(n, { resolve, reject });
      worker.postMessage({ jsonrpc: '2.0', id: n, method, params });
    });
  },
  notify(method, params) {
    worker.postMessage({ jsonrpc: '2.0', method, params });
  },
};
</script></body></html>`;

export interface WorkerHarness {
  browser: Browser;
  page: Page;
  request<R>(method: string, params: unknown): Promise<R>;
  notify(method: string, params: unknown): Promise<void>;
  /** Network requests the page made other than its own two files (there must be none). */
  strayRequests: string[];
  close(): Promise<void>;
}

export async function startWorkerHarness(): Promise<WorkerHarness> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(PAGE);
    } else if (url.pathname === '/server.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(readFileSync(BROWSER_SERVER));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  const strayRequests: string[] = [];
  page.context().on('request', (r) => {
    if (!['/', '/server.js'].includes(new URL(r.url()).pathname) || !r.url().startsWith(origin))
      strayRequests.push(r.url());
  });
  await page.goto(`${origin}/`);
  return {
    browser,
    page,
    strayRequests,
    request: <R>(method: string, params: unknown) =>
      page.evaluate(
        ([m, p]) =>
          (window as unknown as { lsp: { request(m: string, p: unknown): Promise<unknown> } }).lsp.request(m, p),
        [method, params] as const,
      ) as Promise<R>,
    notify: (method: string, params: unknown) =>
      page.evaluate(
        ([m, p]) => (window as unknown as { lsp: { notify(m: string, p: unknown): void } }).lsp.notify(m, p),
        [method, params] as const,
      ),
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The capabilities both clients declare: pull diagnostics, snippets, prepare-rename, settings. */
export const CLIENT_CAPABILITIES = {
  workspace: { configuration: true },
  textDocument: {
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    completion: { completionItem: { snippetSupport: true } },
    rename: { prepareSupport: true },
  },
};
