// Typed API failures. Every message is built from redacted parts: a key never reaches an error.
import { redact } from './redact';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly method: string,
    readonly path: string,
    /** The body's `error` phrase ("Not Found", "Conflict"...), when the server sent one. */
    readonly reason?: string,
    /** The target's name, for messages that must say which key was rejected. */
    readonly target?: string,
  ) {
    super(redact(ApiError.describe(status, messages, method, path, target)));
    this.name = 'ApiError';
  }

  static describe(status: number, messages: string[], method: string, path: string, target?: string): string {
    if (status === 401)
      return `the API key for target ${target ?? '(unknown)'} was rejected (401 on ${method} ${path})`;
    const text = messages.length > 0 ? messages.join('; ') : 'no message';
    return `${method} ${path} failed with ${status}: ${text}`;
  }
}

/** The request never got an HTTP answer (refused, reset, timed out). */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly causeText: string,
    readonly url: string,
  ) {
    super(redact(`${method} ${path}: no answer from ${url} (${causeText})`));
    this.name = 'NetworkError';
  }
}

/** Messages of an error body: `message` may be a string or an array (platform-api.md "Errors"). */
export function errorMessages(body: unknown): { messages: string[]; reason?: string } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const m = b.message;
    const messages = Array.isArray(m) ? m.map((x) => String(x)) : typeof m === 'string' ? [m] : [];
    return { messages, reason: typeof b.error === 'string' ? b.error : undefined };
  }
  return { messages: typeof body === 'string' && body ? [body.slice(0, 500)] : [] };
}
