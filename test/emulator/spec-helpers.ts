// Assertions the spec-conformance suites share (platform-api.md's id forms, timestamps, error body,
// rate-limit headers, paging), and the one way a test writes a state only the platform sets.
import assert from 'node:assert/strict';
import { Database } from '../../emulator/sqlite';
import type { ApiResponse } from './harness';

/** `wfl_` + 12 lowercase alphanumerics, and the like. */
export const ID = (prefix: string) => new RegExp(`^${prefix}_[a-z0-9]{12}$`);
/** The emulator's timestamps: ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes them. */
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
};

export function assertError(r: ApiResponse, status: number): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode']);
  assert.equal(r.body.statusCode, status);
  assert.equal(r.body.error, REASONS[status]);
  assert.ok(
    typeof r.body.message === 'string' ||
      (Array.isArray(r.body.message) && r.body.message.every((m: unknown) => typeof m === 'string')),
  );
}

export function assertRateHeaders(r: ApiResponse): void {
  const limit = Number(r.headers.get('x-ratelimit-limit'));
  const remaining = Number(r.headers.get('x-ratelimit-remaining'));
  const reset = Number(r.headers.get('x-ratelimit-reset'));
  assert.ok(Number.isInteger(limit) && limit > 0, 'X-RateLimit-Limit');
  assert.ok(Number.isInteger(remaining) && remaining >= 0 && remaining <= limit, 'X-RateLimit-Remaining');
  // Unix seconds: near now, not milliseconds, not a duration.
  const now = Date.now() / 1000;
  assert.ok(
    Number.isInteger(reset) && reset >= now - 1 && reset < now + 24 * 3600,
    `X-RateLimit-Reset ${reset} is Unix seconds`,
  );
}

export function assertPaged(r: ApiResponse, page: number, limit: number, total: number): void {
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['data', 'meta']);
  assert.ok(Array.isArray(r.body.data));
  assert.deepEqual(r.body.meta, { page, limit, total, totalPages: Math.ceil(total / limit) });
}

/** A second connection to the emulator's own SQLite file, for states only the platform sets. */
export function setStatus(db: string, table: 'workflows' | 'leads', id: string, status: string): void {
  const conn = new Database(db);
  try {
    conn.pragma('busy_timeout = 5000');
    conn.prepare(`UPDATE ${table} SET status = ? WHERE id = ?`).run(status, id);
  } finally {
    conn.close();
  }
}

/** One read on a second connection to the emulator's own SQLite file (what the platform would hold). */
export function query(db: string, sql: string, ...params: (string | number)[]): unknown {
  const conn = new Database(db);
  try {
    conn.pragma('busy_timeout = 5000');
    return conn.prepare(sql).get(...params);
  } finally {
    conn.close();
  }
}

/** One write on a second connection to the emulator's own SQLite file, for states the API cannot reach. */
export function exec(db: string, sql: string, ...params: (string | number)[]): void {
  const conn = new Database(db);
  try {
    conn.pragma('busy_timeout = 5000');
    conn.prepare(sql).run(...params);
  } finally {
    conn.close();
  }
}
