// The worker's `onmessage`, saved before elkjs is evaluated (server/browser/elk.ts imports this
// first; modules are evaluated in import order) so elk.ts can put it back.
const scope = globalThis as unknown as { onmessage: unknown };
const saved = scope.onmessage;

export const keepOnMessage = {
  current: (): unknown => scope.onmessage,
  restore(handler: unknown = saved): void {
    scope.onmessage = handler;
  },
};
