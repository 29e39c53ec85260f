// Request validation in the platform's style: every problem found is one entry of a 400's `message`
// array (as a NestJS ValidationPipe answers), and unknown properties are refused so typos surface.
import { badRequest } from './http';

export interface FieldSpec {
  type: 'string' | 'number' | 'integer' | 'object';
  required?: boolean;
  nullable?: boolean;
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  min?: number;
}

export function checkBody(body: Record<string, unknown>, spec: Record<string, FieldSpec>, extra: string[] = []): void {
  const problems: string[] = [...extra];
  // Own properties only: `constructor`, `toString` or `__proto__` are not fields because every object inherits them.
  for (const k of Object.keys(body)) if (!Object.hasOwn(spec, k)) problems.push(`property ${k} should not exist`);
  for (const [name, f] of Object.entries(spec)) {
    const v = Object.hasOwn(body, name) ? body[name] : undefined;
    if (v === undefined) {
      if (f.required) problems.push(...missing(name, f));
      continue;
    }
    if (v === null) {
      if (!f.nullable) problems.push(...missing(name, f));
      continue;
    }
    problems.push(...checkValue(name, v, f));
  }
  if (problems.length) throw badRequest(problems);
}

function missing(name: string, f: FieldSpec): string[] {
  const out = [`${name} should not be empty`];
  if (f.enum) out.push(`${name} must be one of the following values: ${f.enum.join(', ')}`);
  else out.push(`${name} must be ${article(f.type)}`);
  return out;
}

function article(type: FieldSpec['type']): string {
  return type === 'integer' ? 'an integer number' : type === 'object' ? 'an object' : `a ${type}`;
}

function checkValue(name: string, v: unknown, f: FieldSpec): string[] {
  switch (f.type) {
    case 'string':
      if (typeof v !== 'string') return [`${name} must be a string`];
      if (f.enum && !f.enum.includes(v)) return [`${name} must be one of the following values: ${f.enum.join(', ')}`];
      if (f.minLength !== undefined && v.trim().length < f.minLength)
        return [
          f.minLength === 1
            ? `${name} should not be empty`
            : `${name} must be longer than or equal to ${f.minLength} characters`,
        ];
      if (f.maxLength !== undefined && v.length > f.maxLength)
        return [`${name} must be shorter than or equal to ${f.maxLength} characters`];
      return [];
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return [`${name} must be a number`];
      if (f.type === 'integer' && !Number.isInteger(v)) return [`${name} must be an integer number`];
      if (f.min !== undefined && v < f.min) return [`${name} must not be less than ${f.min}`];
      return [];
    case 'object':
      if (typeof v !== 'object' || Array.isArray(v)) return [`${name} must be an object`];
      if (nestedDeeperThan(v, MAX_OBJECT_DEPTH))
        return [`${name} must not be nested more than ${MAX_OBJECT_DEPTH} levels deep`];
      return [];
  }
}

/** Deeper values are refused: every later reader (the activation checks render config as YAML) recurses. */
export const MAX_OBJECT_DEPTH = 64;

/** Without recursion, so a hostile depth costs a loop, not the stack. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (v && typeof v === 'object')
      for (const c of Object.values(v)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;
export const PAGE_MAX = 2 ** 31 - 1;

export interface Paging {
  page: number;
  limit: number;
  offset: number;
}

/**
 * `page` from 1, `limit` default 20. A `limit` above 100 is clamped to 100 (meta.limit says so, and a
 * client that follows meta.totalPages still reads everything); a page or limit below 1 or not an
 * integer is a 400.
 */
export function parsePaging(q: URLSearchParams): Paging {
  const problems: string[] = [];
  const num = (name: string, dflt: number): number => {
    const raw = q.get(name);
    if (raw === null || raw === '') return dflt;
    if (!/^-?\d+$/.test(raw.trim())) {
      problems.push(`${name} must be an integer number`);
      return dflt;
    }
    const n = Number(raw);
    if (n < 1) {
      problems.push(`${name} must not be less than 1`);
      return dflt;
    }
    // A page past this would put the offset beyond SQLite's integers; no workspace has that many rows.
    if (name === 'page' && n > PAGE_MAX) {
      problems.push(`page must not be greater than ${PAGE_MAX}`);
      return dflt;
    }
    return n;
  };
  const page = num('page', 1);
  const limit = Math.min(num('limit', PAGE_LIMIT_DEFAULT), PAGE_LIMIT_MAX);
  if (problems.length) throw badRequest(problems);
  return { page, limit, offset: (page - 1) * limit };
}

export function pageMeta(p: Paging, total: number) {
  return { page: p.page, limit: p.limit, total, totalPages: Math.ceil(total / p.limit) };
}
