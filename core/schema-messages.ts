// Schema problems in words a workflow author understands: what field, what was expected, and the
// name they probably meant. Pure: the checker decides what is a problem, this file only phrases it.
import type { ErrorObject } from 'ajv';
import { CONFIG_FIELDS, NODE_TYPES } from './vocabulary';
import { closestName as closest } from './typo';

/** One real problem after the validator's raw errors are collapsed. */
export type Problem =
  | { kind: 'unknown'; path: string[]; property: string; candidates: string[] }
  | { kind: 'missing'; path: string[]; fields: string[] }
  | { kind: 'badKey'; path: string[]; property: string }
  | { kind: 'forbidden'; path: string[]; properties: string[] }
  | { kind: 'value'; path: string[]; error: ErrorObject };

export interface Phrased {
  message: string;
  /** A replacement for the offending key or value, when one is clearly meant. */
  suggestion?: string;
}

/** What the data holds at a path (own properties only). */
export type DataAt = (path: readonly string[]) => unknown;

export const NODE_KEY_PATTERN = '[a-z][a-z0-9_]*';

const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = CONFIG_FIELDS;
const ALL_CONFIG_KEYS = new Set(Object.values(CONFIG_KEYS).flat());

const FIELD_HINTS: Record<string, string> = {
  to: 'the node key this edge leads to',
  type: `one of ${NODE_TYPES.join(', ')}`,
  logic: 'AND or OR: how the conditions combine',
  branches: 'the values of "condition_field" to route on, one edge label each',
  condition_field: 'the field whose value picks the branch',
  field: 'what the condition tests',
  operator: 'equals, not_equals, exists, contains, greater_than or less_than',
  value: 'what the field is compared with',
  x: 'the horizontal canvas coordinate',
  y: 'the vertical canvas coordinate',
};

function q(s: string): string {
  return JSON.stringify(s);
}

function list(words: string[]): string {
  const qs = words.map(q);
  return qs.length <= 1 ? qs.join('') : `${qs.slice(0, -1).join(', ')} and ${qs[qs.length - 1]}`;
}

/** The node type that governs a path under `nodes.<key>`, when it is a known type. */
function nodeTypeAt(path: readonly string[], dataAt: DataAt): string | undefined {
  if (path[0] !== 'nodes' || path.length < 2) return undefined;
  const t = dataAt(['nodes', path[1], 'type']);
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(CONFIG_KEYS, t) ? t : undefined;
}

function article(type: string): string {
  return /^[AEIOU]/.test(type) ? 'an' : 'a';
}

/** How a path is named in a message: its field, an item of a list, or a node. */
export function fieldName(path: readonly string[]): string {
  if (path.length === 0) return 'the file';
  if (path.length === 2 && path[0] === 'nodes') return `node ${q(path[1])}`;
  const last = path[path.length - 1];
  if (/^\d+$/.test(last) && path.length >= 2) {
    const owner = path[path.length - 2];
    if (owner === 'next') return `edge ${Number(last) + 1} of node ${q(path[1] ?? '')}`;
    if (owner === 'conditions') return `condition ${Number(last) + 1}`;
    return `${q(owner)} item ${Number(last) + 1}`;
  }
  return q(last);
}

function typeWords(t: string): string {
  switch (t) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    default:
      return t;
  }
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${q(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `${v}`;
  return String(v);
}

function shortValue(v: unknown): string {
  if (typeof v === 'string') return q(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'object') return Array.isArray(v) ? 'a list' : 'a mapping';
  return String(v);
}

/** "FirstCall" → "first_call": what a key that breaks the pattern most likely wanted to be. */
export function snakeKey(key: string): string {
  let s = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_');
  s = s.replace(/^[^a-z]+/, '').replace(/_$/, '');
  return s || 'node';
}

export function phrase(p: Problem, dataAt: DataAt): Phrased {
  switch (p.kind) {
    case 'unknown':
      return unknownField(p.path, p.property, p.candidates, dataAt);
    case 'missing':
      return missing(p.path, p.fields, dataAt);
    case 'badKey': {
      const s = snakeKey(p.property);
      return {
        message: `node key ${q(p.property)} must match ${NODE_KEY_PATTERN} (lowercase letters, digits and _, starting with a letter), e.g. ${q(s)}`,
      };
    }
    case 'forbidden':
      return forbidden(p.path, p.properties, dataAt);
    case 'value':
      return valueProblem(p.path, p.error, dataAt);
  }
}

function unknownField(path: string[], property: string, candidates: string[], dataAt: DataAt): Phrased {
  const type = nodeTypeAt(path, dataAt);
  const inConfig = path.length === 3 && path[0] === 'nodes' && path[2] === 'config';
  if (inConfig && type && CONFIG_KEYS[type].length === 0) {
    return { message: `unknown field ${q(property)}: ${article(type)} ${type} node takes no config` };
  }
  if (property === '<<') {
    return {
      message:
        'YAML merge keys ("<<") are not supported; alias the whole mapping (config: *defaults) or write the fields out',
    };
  }
  const suggestion = closest(property, candidates);
  if (suggestion) return { message: `unknown field ${q(property)} (did you mean ${q(suggestion)}?)`, suggestion };
  if (path.length === 2 && path[0] === 'nodes' && ALL_CONFIG_KEYS.has(property)) {
    return { message: `unknown field ${q(property)} on a node (did you mean to put it under "config"?)` };
  }
  if (inConfig && type) {
    const owner = Object.entries(CONFIG_KEYS).find(([, keys]) => keys.includes(property))?.[0];
    const belongs = owner ? ` (it belongs to ${article(owner)} ${owner} node)` : '';
    return {
      message: `unknown field ${q(property)} in ${article(type)} ${type} config${belongs}; expected ${CONFIG_KEYS[type].join(', ')}`,
    };
  }
  const expected = candidates.length > 0 && candidates.length <= 8 ? `; expected ${candidates.join(', ')}` : '';
  return { message: `unknown field ${q(property)}${expected} (keys starting with "x-" are free for annotations)` };
}

function missing(path: string[], fields: string[], dataAt: DataAt): Phrased {
  const type = nodeTypeAt(path, dataAt);
  if (path.length === 2 && path[0] === 'nodes' && fields.includes('config') && type) {
    const needs =
      type === 'APPLICATION'
        ? 'provider_key, adapter_key and action_key'
        : '"conditions" with "logic", or "condition_field" with "branches"';
    return { message: `missing required field "config": ${article(type)} ${type} node needs ${needs}` };
  }
  if (
    type === 'CONDITIONAL' &&
    path.length === 3 &&
    path[2] === 'config' &&
    fields.includes('conditions') &&
    fields.includes('logic')
  ) {
    return { message: 'a CONDITIONAL config needs "conditions" with "logic", or "condition_field" with "branches"' };
  }
  if (fields.length === 1) {
    const f = fields[0];
    let hint = FIELD_HINTS[f] ? ` (${FIELD_HINTS[f]})` : '';
    if (f === 'value') {
      const op = dataAt([...path, 'operator']);
      if (typeof op === 'string') hint = ` (operator ${q(op)} compares the field with a value)`;
    }
    return { message: `missing required field ${q(f)}${hint}` };
  }
  return { message: `missing required fields ${list(fields)}` };
}

function forbidden(path: string[], properties: string[], dataAt: DataAt): Phrased {
  if (properties.every((p) => p === 'conditions' || p === 'logic')) {
    return {
      message: `${list(properties)} cannot be used with "condition_field"/"branches": a CONDITIONAL uses either conditions + logic or condition_field + branches`,
    };
  }
  if (properties.length === 1 && properties[0] === 'value') {
    const op = dataAt([...path, 'operator']);
    return { message: `"value" is not used with operator ${q(typeof op === 'string' ? op : 'exists')}; remove it` };
  }
  return { message: `${list(properties)} ${properties.length === 1 ? 'is' : 'are'} not allowed here` };
}

function valueProblem(path: string[], e: ErrorObject, dataAt: DataAt): Phrased {
  const name = fieldName(path);
  const v = dataAt(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      // A field typed "string or null" leaves emptiness to its own rule (WF102/WF103); say only "a string".
      const all = String(params.type).split(',');
      const types = all.length > 1 ? all.filter((t) => t !== 'null') : all;
      const want = types.map((t) => (types.length > 1 && t === 'boolean' ? 'true/false' : typeWords(t)));
      const expected = want.length > 1 ? `${want.slice(0, -1).join(', ')} or ${want[want.length - 1]}` : want[0];
      if (path.length === 2 && path[0] === 'nodes') {
        if (v === null || v === undefined)
          return { message: `${name} has no value; a node is a mapping with at least "type"` };
        return { message: `${name} must be a mapping with at least "type", not ${describeValue(v)}` };
      }
      if (v === null || v === undefined) return { message: `${name} has no value; expected ${expected}` };
      if (typeof v === 'string' && path.length === 4 && path[2] === 'next') {
        return { message: `${name} must be a mapping like { to: ${v} }, not the string ${q(v)}` };
      }
      if (typeof v === 'number' && path[path.length - 1] === 'from_phone_number') {
        return {
          message: `${name} must be a string, not the number ${v}: quote it, e.g. "+912234567890" (unquoted, YAML reads it as a number and drops the "+")`,
        };
      }
      return { message: `${name} must be ${expected}, not ${describeValue(v)}` };
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'const' ? [params.allowedValue] : (params.allowedValues as unknown[])) ?? [];
      const words = allowed.map((a) => String(a));
      const suggestion = typeof v === 'string' ? closest(v, words) : undefined;
      const dym = suggestion ? ` (did you mean ${q(suggestion)}?)` : '';
      const last = path[path.length - 1];
      if (last === 'type' && path.length === 3 && path[0] === 'nodes') {
        return { message: `unknown node type ${shortValue(v)}${dym}; expected one of ${words.join(', ')}`, suggestion };
      }
      if (last === 'operator')
        return { message: `unknown operator ${shortValue(v)}${dym}; expected one of ${words.join(', ')}`, suggestion };
      if (last === 'version' && path.length === 1) {
        return {
          message:
            typeof v === 'number'
              ? `unsupported format version ${v}; this tool reads version 1`
              : `"version" must be 1, not ${describeValue(v)}`,
        };
      }
      const options =
        words.length === 1
          ? q(words[0])
          : words.length === 2
            ? `${words[0]} or ${words[1]}`
            : `one of ${words.join(', ')}`;
      return { message: `${name} must be ${options}, not ${shortValue(v)}${dym}`, suggestion };
    }
    case 'pattern':
      if (path[0] === 'variables') {
        return {
          message: `variable name ${shortValue(v)} may hold only letters, digits and _, and must not start with a digit`,
        };
      }
      return { message: `${name} must match ${String(params.pattern)}` };
    case 'minLength':
      return {
        message:
          Number(params.limit) <= 1
            ? `${name} must not be empty`
            : `${name} must be at least ${params.limit} characters`,
      };
    case 'maxLength':
      return {
        message: `${name} must be at most ${params.limit} characters (it has ${typeof v === 'string' ? [...v].length : '?'})`,
      };
    case 'minimum':
      return { message: `${name} must be at least ${params.limit}, not ${shortValue(v)}` };
    case 'minItems':
      return { message: `${name} must not be an empty list` };
    case 'minProperties':
      return {
        message:
          path.length === 1 && path[0] === 'nodes'
            ? '"nodes" must hold at least one node'
            : `${name} must not be empty`,
      };
    case 'uniqueItems': {
      const i = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(v) ? v[i] : undefined;
      return { message: `${name} lists ${shortValue(item)} twice` };
    }
    default:
      return { message: `${name}: ${e.message ?? 'does not match the schema'}` };
  }
}
