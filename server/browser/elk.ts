// elkjs as the browser server loads it (scripts/build.mjs points core/layout.ts's
// `import('elkjs/lib/elk.bundled.js')` here in dist/browser/server.js). When elkjs is evaluated in a
// Web Worker it installs its own `self.onmessage` (to serve as a layout worker), which would cut the
// language server's connection (vscode-jsonrpc's BrowserMessageReader listens on `onmessage`):
// elk-guard.ts keeps the handler, and here it is put back once elkjs has been evaluated.
import { restoreOnMessage } from './elk-guard';
import ELK from 'elkjs/lib/elk.bundled.js';

restoreOnMessage();
export default ELK;
