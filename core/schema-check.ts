// WF002: the file against schemas/workflow.schema.json, one diagnostic per real problem, each at
// the smallest piece of text that is wrong. The schema leaves to the dedicated rules whatever they
// report (see docs/decisions.md, "Schema"), so nothing here overlaps another code.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic, Fix, Span } from './diagnostic';
import type { ValidateOptions } from './options';
import type { ParsedText } from './parse';
import { closestName } from './typo';
import { pointerSegments, YamlLocator } from './schema-locate';
import { phrase, type DataAt, type Problem } from './schema-messages';
import schema from '../schemas/workflow.schema.json';

// Compiled once per process: validation of a parsed file is then a plain function call.
const validateData: ValidateFunction = (() => {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema as object);
})();

/** Where a problem is shown when its own place cannot be found (never expected, never fatal). */
function fallbackSpan(parsed: ParsedText): Span {
  return { start: 0, end: Math.max(Math.min(parsed.text.length, parsed.lines.lineEnd(0)), 0) };
}

/** Lower wins when several value errors hit one place: a wrong type makes the rest moot. */
function valueRank(keyword: string): number {
  return keyword === 'type' ? 0 : keyword === 'const' || keyword === 'enum' ? 1 : 2;
}

/** The validator's raw errors → one problem per thing the author must change. */
function collapseErrors(errors: readonly ErrorObject[]): Problem[] {
  const out = new Map<string, Problem>();
  const valueRanks = new Map<string, number>();
  for (const e of errors) {
    // "must match then": the failing `then` reports the real errors itself.
    if (e.keyword === 'if') continue;
    // A property-name pattern error is repeated by its `propertyNames` wrapper, which names the key.
    if (e.propertyName !== undefined) continue;
    const path = pointerSegments(e.instancePath);
    const at = e.instancePath;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required': {
        const id = `missing|${at}`;
        const prev = out.get(id);
        const field = String(params.missingProperty);
        if (prev?.kind === 'missing') {
          if (!prev.fields.includes(field)) prev.fields.push(field);
        } else out.set(id, { kind: 'missing', path, fields: [field] });
        break;
      }
      case 'additionalProperties': {
        const property = String(params.additionalProperty);
        const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
        out.set(`unknown|${at}|${property}`, { kind: 'unknown', path, property, candidates: Object.keys(props) });
        break;
      }
      case 'propertyNames': {
        const property = String(params.propertyName);
        out.set(`badKey|${at}|${property}`, { kind: 'badKey', path, property });
        break;
      }
      case 'false schema': {
        const parent = path.slice(0, -1);
        const id = `forbidden|${parent.join('/')}`;
        const prev = out.get(id);
        const prop = path[path.length - 1];
        if (prev?.kind === 'forbidden') {
          if (!prev.properties.includes(prop)) prev.properties.push(prop);
        } else out.set(id, { kind: 'forbidden', path: parent, properties: [prop] });
        break;
      }
      default: {
        const id = `value|${at}`;
        const rank = valueRank(e.keyword);
        const prev = valueRanks.get(id);
        if (prev !== undefined && prev <= rank) break;
        valueRanks.set(id, rank);
        out.set(id, { kind: 'value', path, error: e });
      }
    }
  }
  // A misspelled required field is one mistake: "unknown field "too" (did you mean "to"?)" says it all,
  // so the same mapping's "missing required field "to"" is dropped (and the missing list loses that name).
  for (const [id, p] of out) {
    if (p.kind !== 'missing') continue;
    const at = p.path.join('/');
    const typos = [...out.values()].filter(
      (u): u is Extract<Problem, { kind: 'unknown' }> => u.kind === 'unknown' && u.path.join('/') === at,
    );
    p.fields = p.fields.filter((f) => !typos.some((u) => closestName(u.property, [f]) === f));
    if (p.fields.length === 0) out.delete(id);
  }
  // A field that may not be there at all needs no further words about its value.
  const banned = [...out.values()].flatMap((p) =>
    p.kind === 'forbidden' ? p.properties.map((x) => [...p.path, x].join('/')) : [],
  );
  const under = (path: string[]) => {
    const s = path.join('/');
    return banned.some((b) => s === b || s.startsWith(`${b}/`));
  };
  return [...out.values()].filter(
    (p) =>
      p.kind === 'forbidden' || !under(p.kind === 'unknown' || p.kind === 'badKey' ? [...p.path, p.property] : p.path),
  );
}

function dataGetter(data: unknown): DataAt {
  return (path) => {
    let cur: unknown = data;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
    return cur;
  };
}

/** The span a problem is shown at, and whether a suggestion would replace a key or a value there. */
function placeOf(p: Problem, loc: YamlLocator): { span?: Span; replaces?: 'key' | 'value' } {
  const nearest = (path: readonly string[]) => {
    for (let n = path.length; n >= 0; n--) {
      const l = loc.find(path.slice(0, n));
      if (l) return { l, exact: n === path.length };
    }
    return undefined;
  };
  switch (p.kind) {
    case 'unknown':
    case 'badKey': {
      const hit = loc.find([...p.path, p.property]);
      if (hit) return { span: loc.keySpan(hit), replaces: 'key' };
      const parent = nearest(p.path);
      return { span: parent && loc.ownerSpan(parent.l) };
    }
    case 'forbidden': {
      const hit = loc.find([...p.path, p.properties[0]]);
      if (hit) return { span: loc.keySpan(hit) };
      const parent = nearest(p.path);
      return { span: parent && loc.ownerSpan(parent.l) };
    }
    case 'missing': {
      const at = nearest(p.path);
      return { span: at && loc.ownerSpan(at.l) };
    }
    case 'value': {
      let path = p.path;
      if (p.error.keyword === 'uniqueItems') {
        const params = p.error.params as { i: number; j: number };
        path = [...path, String(Math.max(params.i, params.j))];
      }
      const at = nearest(path);
      if (!at) return {};
      return { span: at.exact ? loc.valueSpan(at.l) : loc.ownerSpan(at.l), replaces: at.exact ? 'value' : undefined };
    }
  }
}

export function checkSchema(parsed: ParsedText, _options: ValidateOptions): Diagnostic[] {
  if (!parsed.doc || parsed.data === undefined) return [];
  // A syntax error leaves a half-recovered tree: schema errors about it would only echo the WF001.
  if (parsed.diagnostics.some((d) => d.code === 'WF001')) return [];
  if (validateData(parsed.data)) return [];
  const problems = collapseErrors(validateData.errors ?? []);
  const loc = new YamlLocator(parsed.doc, parsed.text);
  const dataAt = dataGetter(parsed.data);
  return problems.map((p) => {
    const { message, suggestion } = phrase(p, dataAt);
    const place = placeOf(p, loc);
    const span = place.span ?? fallbackSpan(parsed);
    const range = parsed.lines.range(span);
    const d: Diagnostic = { code: 'WF002', severity: 'error', message, range, data: { path: `/${p.path.join('/')}` } };
    if (suggestion && place.replaces && range.start.line === range.end.line) {
      const fix: Fix = {
        title: `Change to "${suggestion}"`,
        edits: [{ range, newText: suggestion }],
        isPreferred: true,
      };
      d.fixes = [fix];
    }
    return d;
  });
}
