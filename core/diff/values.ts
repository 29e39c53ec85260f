// How values and field paths read in a diff: numbers and plain words bare (`delay_hours 48 → 72`),
// anything else as JSON, so an empty string or a space can never hide.
export function showValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string' && /^[A-Za-z0-9_+@.:/-]+$/.test(v) && !/^(true|false|null|\d.*)$/.test(v)) return v;
  return JSON.stringify(v);
}

/** A node field path as a reviewer names it: config keys without the `config.` prefix. */
export function fieldName(path: string): string {
  return path.startsWith('config.') ? path.slice('config.'.length) : path;
}

/** Config as flat `path: value` pairs, for added and removed nodes. */
export function flatConfig(v: unknown, path = '', out: [string, unknown][] = [], depth = 0): [string, unknown][] {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(v) && Object.keys(v).length > 0 && depth < 8) {
    for (const [k, x] of Object.entries(v)) flatConfig(x, path ? `${path}.${k}` : k, out, depth + 1);
  } else if (path) out.push([path, v]);
  return out;
}

export const outcomeText = (on: string | undefined): string => (on === undefined ? 'any other outcome' : `on ${on}`);

/** An edge seen from its source: `first_call on DNP`, `wait (unlabelled edge)`. */
export const edgeFromText = (from: string, on: string | undefined): string =>
  on === undefined ? `${from} (unlabelled edge)` : `${from} on ${on}`;
