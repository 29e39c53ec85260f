// Saves the worker's `onmessage` before elkjs is evaluated (imported first by server/browser/elk.ts;
// modules are evaluated in import order), so elk.ts can put it back.
const scope = globalThis as unknown as { onmessage: unknown };
const saved = scope.onmessage;

export function restoreOnMessage(): void {
  scope.onmessage = saved;
}
