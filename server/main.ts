// The Callflow language server's Node entry (dist/server.js), started with --stdio or --node-ipc.
// It answers `initialize` from server/capabilities.ts alone and loads the language engine
// (server/engine.ts: core, yaml, the rules, platform/) right after, when the client's next message
// arrives; server/start-gate.ts holds every message until the engine has registered its handlers.
// The build keeps the engine out of the start-up path (a lazily evaluated module; see
// scripts/build.mjs), so a client gets its answer after loading the LSP library only.
import { createConnection, ProposedFeatures, type InitializeParams } from 'vscode-languageserver/node';
import { initializeResult } from './capabilities';
import { EngineGate } from './start-gate';

// yaml reports odd-but-legal input (collection keys) through process warnings; in a server they
// would only flood the client's log, and the diagnostics already say what matters.
process.emitWarning = (() => undefined) as typeof process.emitWarning;

let params: InitializeParams | undefined;
const gate = new EngineGate(async () => {
  try {
    const [{ startEngine }, { nodeHost }] = await Promise.all([import('./engine'), import('./node-host')]);
    startEngine(connection, params!, nodeHost);
  } catch (e) {
    connection.console.error(`the language engine did not load: ${(e as Error).stack ?? String(e)}`);
  }
});
const connection = createConnection(ProposedFeatures.all, { messageStrategy: gate.strategy });

connection.onInitialize((p) => {
  params = p;
  return initializeResult(p);
});

connection.listen();
