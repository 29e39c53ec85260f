// The floor of an LSP server on vscode-languageserver: the library, an `initialize` answer and
// nothing else. Built by test/bench/extension.bench.ts for its side-by-side start-up row.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { initializeResult } from '../../../server/capabilities';

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize((p) => initializeResult(p));
connection.listen();
