// What the engine uses of Node's globals that a Web Worker lacks: setImmediate (server/diagnostics.ts
// yields once with it so a $/cancelRequest right behind a request is read first). A macrotask does
// the same in a worker: the next message event is handled before it.
const g = globalThis as unknown as { setImmediate?: (fn: () => void) => unknown };
g.setImmediate ??= (fn: () => void) => setTimeout(fn, 0);
