// elkjs as the browser server loads it (scripts/build.mjs points core/layout.ts's
// `import('elkjs/lib/elk.bundled.js')` here in dist/browser/server.js). elkjs, in a Web Worker,
// installs its own `self.onmessage` (to serve as a layout worker) when its worker part is first
// required, which happens when an ELK is constructed; that would cut the language server's
// connection (vscode-jsonrpc's BrowserMessageReader listens on `onmessage`). So the handler is put
// back after elkjs is evaluated and after each construction.
import { keepOnMessage } from './elk-guard';
import ELK from 'elkjs/lib/elk.bundled.js';

keepOnMessage.restore();

export default class GuardedELK extends ELK {
  constructor(...args: ConstructorParameters<typeof ELK>) {
    const saved = keepOnMessage.current();
    super(...args);
    keepOnMessage.restore(saved);
  }
}
