// Answering `initialize` before the language engine is loaded. The engine (server/engine.ts: core,
// yaml, the rule families, platform/) is most of the server's code; the entries (server/main.ts for
// Node, server/browser/main.ts for a Web Worker) answer `initialize` from server/capabilities.ts
// alone and load the engine when the next message arrives (the client's `initialized`). Every
// message after `initialize` waits here, in arrival order, until the engine has registered its
// handlers: none is answered early, none meets a missing handler, and nothing depends on timing.
import { Message, type MessageStrategy } from 'vscode-languageserver/node';

export class EngineGate {
  private state: 'idle' | 'loading' | 'open' = 'idle';
  private release!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));

  /** `load` registers the engine's handlers; it is called once, on the first message after `initialize`. */
  constructor(private readonly load: () => Promise<void>) {}

  /** For the connection's options (vscode-jsonrpc runs every incoming message through it, in order). */
  readonly strategy: MessageStrategy = {
    handleMessage: (message, next) => {
      if (this.state === 'open' || (Message.isRequest(message) && message.method === 'initialize')) {
        next(message);
        return;
      }
      if (this.state === 'idle') {
        this.state = 'loading';
        // A failed load still opens the gate: the messages then meet "method not found" instead of
        // waiting for ever, and the entry has logged why.
        void this.load()
          .catch(() => undefined)
          .then(() => {
            this.state = 'open';
            this.release();
          });
      }
      // Callbacks on one promise run in the order they were added: arrival order is kept.
      void this.opened.then(() => next(message));
    },
  };

  /** Whether the engine has been loaded (for the start-up test: not before `initialize` is answered). */
  get loaded(): boolean {
    return this.state === 'open';
  }
}
