// The language server as it started before the engine was made lazy: the whole engine loaded
// before `initialize` is answered. Built by test/bench/extension.bench.ts for its side-by-side
// start-up row; never shipped.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { initializeResult } from '../../../server/capabilities';
import { startEngine } from '../../../server/engine';
import { nodeHost } from '../../../server/node-host';

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize((p) => {
  startEngine(connection, p, nodeHost);
  return initializeResult(p);
});
connection.listen();
