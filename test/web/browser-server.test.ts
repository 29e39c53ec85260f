// The web extension's language server (dist/browser/server.js) in a real Web Worker in headless
// Chromium, against the Node server (dist/server.js over stdio) and core's analyze: the same
// diagnostics for every example and every rule fixture, and the same answers for completion, hover,
// rename, symbols, formatting, the preview's graph (laid out by elkjs inside the worker) and the
// semantic diff. Both servers see the files under a virtual uri (github.dev's vscode-vfs:), as the
// web extension does: no disk facts (leads header, workspace limit) and no online data on either.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { analyze } from '../../core/validate';
import { ensureBuilt } from '../server/build-once';
import { positionAt, TestClient } from '../server/lsp-client';
import { CLIENT_CAPABILITIES, ensureBrowserServer, root, startWorkerHarness, type WorkerHarness } from './worker-page';

const CHROMIUM = process.env.CALLFLOW_CHROMIUM ?? '/usr/bin/chromium';
const skip = !readdirSync(path.dirname(CHROMIUM)).includes(path.basename(CHROMIUM)) && 'no chromium';

/** Every example and rule fixture, as repository paths. */
function workflowFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.workflow.yaml')) out.push(rel);
    }
  };
  walk('examples');
  walk('test/fixtures/rules');
  return out.sort();
}
const vfs = (rel: string) => `vscode-vfs://github/callflow/callflow/${rel}`;
const brief = (ds: Diagnostic[]) =>
  ds.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range }));

describe('the browser language server in a Web Worker', { skip }, () => {
  let web: WorkerHarness;
  let node: TestClient;
  const opened = new Set<string>();

  before(async () => {
    ensureBuilt();
    ensureBrowserServer();
    web = await startWorkerHarness();
    node = new TestClient({ pull: true, settings: {} });
    const init = (await web.request('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: [{ uri: vfs(''), name: 'callflow' }],
      capabilities: CLIENT_CAPABILITIES,
    })) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics announced');
    await web.notify('initialized', {});
    await node.initialize();
  });
  after(async () => {
    await web?.close();
    await node?.close();
  });

  /** Opens a repository file in both servers under its virtual uri; returns the uri and text. */
  async function open(rel: string, text = readFileSync(path.join(root, rel), 'utf8')) {
    const uri = vfs(rel);
    if (!opened.has(uri)) {
      opened.add(uri);
      const doc = { textDocument: { uri, languageId: 'callflow-workflow', version: 1, text } };
      await web.notify('textDocument/didOpen', doc);
      await node.conn.sendNotification('textDocument/didOpen', doc);
    }
    return { uri, text };
  }
  /** The same request to both servers. */
  async function both<R>(method: string, params: unknown): Promise<[R, R]> {
    const [w, n] = await Promise.all([web.request<R>(method, params), node.request<R>(method, params)]);
    // postMessage keeps properties whose value is undefined; JSON over stdio drops them.
    return [JSON.parse(JSON.stringify(w)) as R, n];
  }

  test('the same diagnostics as the Node server and core for every example and rule fixture', async () => {
    const files = workflowFiles();
    assert.ok(files.length > 100, `${files.length} files`);
    for (const rel of files) {
      const { uri, text } = await open(rel);
      const [w, n] = await both<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(w.items, n.items, rel);
      const core = analyze(text, {}).diagnostics.map((d) => ({
        code: d.code,
        severity: { error: 1, warning: 2, info: 3 }[d.severity],
        message: d.message,
        range: d.range,
      }));
      assert.deepEqual(brief(w.items), core, rel);
    }
  });

  test('completion, hover, rename, symbols, formatting, graph and diff answer as in Node', async () => {
    const { uri, text } = await open('examples/lead-nurture.workflow.yaml');
    const at = (needle: string, delta = 0) => ({
      textDocument: { uri },
      position: positionAt(text, text.indexOf(needle) + delta),
    });

    const [wc, nc] = await both<{ label: string }[]>('textDocument/completion', at('to: qualified', 4));
    assert.ok(wc.length > 0, 'completion items');
    assert.deepEqual(wc, nc);

    const [wh, nh] = await both<{ contents: { value: string } }>('textDocument/hover', at('VOICE_CALL', 2));
    assert.ok(wh.contents.value.length > 0, 'hover text');
    assert.deepEqual(wh, nh);

    const rename = { ...at('wait_two_days:', 1), newName: 'pause_two_days' };
    const [wr, nr] = await both<{ changes: Record<string, unknown[]> }>('textDocument/rename', rename);
    assert.ok(wr.changes[uri].length >= 2, 'the key and its references');
    assert.deepEqual(wr, nr);

    const [ws, ns] = await both<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(ws.length > 0);
    assert.deepEqual(ws, ns);

    const messy = await open('virtual/messy.workflow.yaml', text.replace('type: TIME', 'type:    TIME'));
    const fmt = { textDocument: { uri: messy.uri }, options: { tabSize: 2, insertSpaces: true } };
    const [wf, nf] = await both<unknown[]>('textDocument/formatting', fmt);
    assert.ok(wf.length > 0, 'formatting edits');
    assert.deepEqual(wf, nf);

    const [wg, ng] = await both<{ ok: boolean; layout: string; nodes: unknown[] }>('callflow/graph', {
      uri,
      layout: true,
    });
    assert.equal(wg.ok, true);
    assert.equal(wg.layout, 'elk', 'laid out by elkjs inside the worker');
    assert.deepEqual(wg, ng);

    const base = text.replace('delay_hours: 48', 'delay_hours: 24');
    const [wd, nd] = await both<{ ok: boolean; equal: boolean; text: string }>('callflow/diff', {
      uri,
      baseText: base,
    });
    assert.equal(wd.ok, true);
    assert.equal(wd.equal, false);
    assert.deepEqual(wd, nd);

    // elkjs installs its own message handler when evaluated in a worker: the connection survived it.
    const [again] = await both<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(again, ws);
  });

  test('nothing indexed, nothing fetched: the worker made no request beyond its own script', async () => {
    const ready = await web.page.evaluate(() =>
      (
        window as unknown as { __notifications: { method: string; params: { indexedFiles: number } }[] }
      ).__notifications.find((n) => n.method === 'callflow/serverReady'),
    );
    assert.equal(ready?.params.indexedFiles, 0);
    assert.deepEqual(web.strayRequests, []);
    const errors = await web.page.evaluate(() => (window as unknown as { __errors: string[] }).__errors);
    assert.deepEqual(errors, []);
  });
});
