// protocol/index.ts messages on the server's connection, typed: they are registered and sent by
// method name (protocol/messages.ts says why), and these wrappers keep the payloads checked.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { NotificationType, NotificationType0, RequestType } from '../protocol';

export function onRequest<P, R>(
  c: Connection,
  t: RequestType<P, R>,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): void {
  c.onRequest(t.method, (params: P, token: CancellationToken) => handler(params, token) as never);
}

export function sendRequest<P, R>(c: Connection, t: RequestType<P, R>, params: P): Promise<R> {
  return c.sendRequest(t.method, params) as Promise<R>;
}

export function sendNotification<P>(c: Connection, t: NotificationType<P>, params: P): Promise<void> {
  return c.sendNotification(t.method, params);
}

export function onNotification0(c: Connection, t: NotificationType0, handler: () => void): void {
  c.onNotification(t.method, () => handler());
}
