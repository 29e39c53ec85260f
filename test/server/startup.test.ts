// Start-up: the server answers `initialize` before it loads the language engine, and every message
// after it waits for the engine in arrival order (server/start-gate.ts). Checked on the gate itself
// (its state is observable: no timing) and on the built server, with a client that sends a whole
// session without waiting for any answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import type { Message } from 'vscode-languageserver/node';
import { EngineGate } from '../../server/start-gate';
import { ensureBuilt } from './build-once';
import { ROOT, TestClient } from './lsp-client';

describe('EngineGate', () => {
  const req = (id: number, method: string): Message => ({ jsonrpc: '2.0', id, method }) as Message;
  const note = (method: string): Message => ({ jsonrpc: '2.0', method }) as Message;

  test('initialize passes at once; the engine loads on the next message; later messages wait, in order', async () => {
    let finishLoad!: () => void;
    let loads = 0;
    const gate = new EngineGate(() => {
      loads++;
      return new Promise<void>((r) => (finishLoad = r));
    });
    const handled: string[] = [];
    const next = (m: Message): void => {
      handled.push((m as unknown as { method: string }).method);
    };
    gate.strategy.handleMessage(req(1, 'initialize'), next);
    assert.deepEqual(handled, ['initialize']);
    assert.equal(loads, 0, 'the engine is not loaded to answer initialize');
    gate.strategy.handleMessage(note('initialized'), next);
    gate.strategy.handleMessage(note('textDocument/didOpen'), next);
    gate.strategy.handleMessage(req(2, 'textDocument/hover'), next);
    assert.equal(loads, 1);
    assert.equal(gate.loaded, false);
    await Promise.resolve();
    assert.deepEqual(handled, ['initialize'], 'nothing is handled before the engine is ready');
    finishLoad();
    await new Promise((r) => setImmediate(r));
    assert.equal(gate.loaded, true);
    assert.deepEqual(handled, ['initialize', 'initialized', 'textDocument/didOpen', 'textDocument/hover']);
    gate.strategy.handleMessage(req(3, 'shutdown'), next);
    assert.equal(handled.at(-1), 'shutdown', 'once open, messages pass straight through');
    assert.equal(loads, 1);
  });

  test('a failed load opens the gate (the messages then meet "method not found", never a hang)', async () => {
    const gate = new EngineGate(() => Promise.reject(new Error('no engine')));
    const handled: string[] = [];
    gate.strategy.handleMessage(req(1, 'initialize'), () => void handled.push('initialize'));
    gate.strategy.handleMessage(req(2, 'textDocument/hover'), () => void handled.push('hover'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(handled, ['initialize', 'hover']);
  });
});

describe('the built server, messages sent without waiting', () => {
  let c: TestClient;
  before(() => ensureBuilt());
  after(async () => c?.close());

  test('a whole session pipelined behind initialize is answered in order, from the engine', async () => {
    c = new TestClient({ settings: {} });
    const uri = 'file:///virtual/pipelined.workflow.yaml';
    const text = readFileSync(`${ROOT}/examples/lead-nurture.workflow.yaml`, 'utf8');
    const init = c.conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    void c.conn.sendNotification('initialized', {});
    void c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'callflow-workflow', version: 1, text },
    });
    const symbols = c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    const graph = c.conn.sendRequest('callflow/graph', { uri, layout: false });
    const result = (await init) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(result.capabilities.hoverProvider, true);
    const syms = (await symbols) as DocumentSymbol[];
    assert.ok(syms.length > 0, 'didOpen was handled before documentSymbol');
    const model = (await graph) as { ok: boolean; nodes: unknown[] };
    assert.equal(model.ok, true);
    assert.ok(model.nodes.length > 0);
  });
});
