// The Callflow language server in a Web Worker (dist/browser/server.js), for the web extension
// (github.dev, vscode.dev): vscode-languageserver/browser over the worker's postMessage, the same
// engine as in Node (server/engine.ts), answered `initialize` first and loaded after
// (server/start-gate.ts). No Node API is reachable: scripts/build.mjs builds it for the browser,
// puts browser twins in place of the server's disk modules, and fails on any Node built-in.
import './shims';
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  createConnection,
  ProposedFeatures,
  type InitializeParams,
} from 'vscode-languageserver/browser';
import { initializeResult } from '../capabilities';
import type { Connection } from 'vscode-languageserver/node';
import { EngineGate } from '../start-gate';
import { browserHost } from './host';

const scope = globalThis as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
let params: InitializeParams | undefined;
const gate = new EngineGate(async () => {
  try {
    const { startEngine } = await import('../engine');
    // The browser connection has the same API; the engine is typed against the Node one.
    startEngine(connection as unknown as Connection, params!, browserHost);
  } catch (e) {
    connection.console.error(`the language engine did not load: ${(e as Error).stack ?? String(e)}`);
  }
});
const connection = createConnection(
  ProposedFeatures.all,
  new BrowserMessageReader(scope),
  new BrowserMessageWriter(scope),
  { messageStrategy: gate.strategy },
);

connection.onInitialize((p) => {
  params = p;
  return initializeResult(p);
});

connection.listen();
