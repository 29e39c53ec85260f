// A custom LSP message as data: its method name and, for the compiler only, its parameter and
// result types. Deliberately not vscode-jsonrpc's classes: naming a message must not pull the
// JSON-RPC library into the extension's first bundle, and two bundled copies of that library would
// not recognise each other's objects. Both sides send and register by `method`, typed by these.

/** A request: parameters P, result R. */
export class RequestType<P, R> {
  /** Phantom: carries P and R for the compiler; always undefined. */
  declare readonly types?: { params: P; result: R };
  constructor(readonly method: string) {}
}

/** A notification with parameters P. */
export class NotificationType<P> {
  declare readonly types?: { params: P };
  constructor(readonly method: string) {}
}

/** A notification without parameters. */
export class NotificationType0 {
  constructor(readonly method: string) {}
}

export type ParamsOf<T> = T extends RequestType<infer P, unknown> ? P : T extends NotificationType<infer P> ? P : never;
export type ResultOf<T> = T extends RequestType<unknown, infer R> ? R : never;
