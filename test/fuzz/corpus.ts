// The fuzz stage's inputs: the repository's workflow files (examples/, test/fixtures/) and random
// layouts (workflow-text.ts), mutated byte by byte and structurally with hostile values — control
// characters, huge numbers, deep nesting, many aliases, `__proto__`, absolute and `..` leads paths.
// Seeded: CALLFLOW_FUZZ_SEED picks the inputs, CALLFLOW_FUZZ_RUNS how many (see stage()).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../support/random-edits';
import { minimize } from './minimize';
import { randomWorkflowText, type Next } from './workflow-text';

const ROOT = path.resolve(__dirname, '../..');

function workflowFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...workflowFiles(p));
    else if (name.endsWith('.workflow.yaml') || (dir.endsWith('fmt') && name.endsWith('.yaml'))) out.push(p);
  }
  return out;
}

let cached: string[] | undefined;
/** Every workflow file of examples/ and test/fixtures/, sorted (the seed picks among them). */
export function corpus(): string[] {
  cached ??= [...workflowFiles(path.join(ROOT, 'examples')), ...workflowFiles(path.join(ROOT, 'test/fixtures'))]
    .sort()
    .map((f) => readFileSync(f, 'utf8'));
  return cached;
}

const pick = <T>(next: Next, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
const int = (next: Next, lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));

/** Hostile scalar values, as YAML source. */
const HOSTILE_VALUES = [
  '"\\u0000nul"',
  '"\\e[31mred\\e[0m"',
  '"line\\n::error::pwned"',
  '"::add-mask::x"',
  '"\\u2028sep\\u2029"',
  '"\\u200b\\ufeffzero width"',
  '"\\x7f\\x1b\\x07"',
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '0x7fffffffffffffffffff',
  '.nan',
  '-.inf',
  '-0',
  '9007199254740993',
  '"__proto__"',
  '"constructor"',
  '{ __proto__: { polluted: true } }',
  '{ constructor: { prototype: { polluted: 1 } } }',
  '[]',
  '{}',
  '~',
  '""',
  '"😀 emoji and ünïcödé"',
  '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14t21:59:43.10-05:00',
  '!custom tag',
  '"{{ __proto__ }} {{constructor}}"',
];

/** `leads:` values that must never read outside the workflow's folder. */
const HOSTILE_LEADS = [
  '/etc/passwd',
  '/proc/self/environ',
  '/dev/zero',
  '../../../../../../etc/passwd',
  '../outside.csv',
  '..',
  '.',
  './',
  'leads.csv',
  './leads.csv',
  'sub/../../leads.csv',
  '"leads.csv\\u0000.txt"',
  'file:///etc/passwd',
  'C:\\\\Windows\\\\win.ini',
  '~/.ssh/id_rsa',
  '"\\u0000"',
  'fifo',
  'link.csv',
  'missing.csv',
];

const SNIPPETS = [
  '\n  x: [',
  ']',
  '}',
  '{',
  ': ',
  '- ',
  '\t',
  '&a ',
  '*a',
  '*nope',
  '<<: *a',
  '? ',
  '|',
  '>-',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  '#',
  '"',
  "'",
  '\r',
  '\r\n',
  '\u0000',
  '\u001b',
  '\uFEFF',
  '\u2028',
  '😀',
  '\n    type: VOICE_CALL',
  '\n      - to: nowhere',
  '\n  __proto__: { type: DROPPED }',
  'to: ',
  '{{ customer_name }}',
  '{{',
];

/** Structural mutations on the text (line-based, so comments and layout elsewhere survive). */
const STRUCTURAL: ((t: string, next: Next) => string)[] = [
  // A hostile value for a random `key: value` line.
  (t, next) => {
    const lines = t.split('\n');
    const candidates = lines.map((l, i) => (/^\s*[\w-]+:[ \t]+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (candidates.length === 0) return t;
    const i = pick(next, candidates);
    lines[i] = lines[i].replace(/:[ \t]+.*$/, ': ' + pick(next, HOSTILE_VALUES));
    return lines.join('\n');
  },
  // A hostile leads path (replacing the file's, or added at the top).
  (t, next) => {
    const v = pick(next, HOSTILE_LEADS);
    return /^leads:.*$/m.test(t) ? t.replace(/^leads:.*$/m, `leads: ${v}`) : `leads: ${v}\n${t}`;
  },
  // Deep nesting, flow or block, past the parser's depth limit or just under it.
  (t, next) => {
    const d = pick(next, [50, 255, 257, 1000, 3000]);
    if (next() < 0.5) return `${t}\nx-deep: ${'['.repeat(d)}${']'.repeat(d)}\n`;
    const n = Math.min(d, 400);
    return `${t}\nx-deep:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`;
  },
  // Many aliases (each expanding a small anchor), or a billion laughs.
  (t, next) => {
    if (next() < 0.5) {
      const n = pick(next, [100, 1500, 4000]);
      return `${t}\nx-anchor: &big [1, 2, 3]\nx-aliases: [${Array(n).fill('*big').join(', ')}]\n`;
    }
    let s = `${t}\nx-l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 8; i++)
      s += `x-l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`;
    return s;
  },
  // `__proto__`, `constructor` and `toString` as keys: top level, a node, a config.
  (t, next) => {
    const key = pick(next, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '"__proto__"']);
    const lines = t.split('\n');
    const i = int(next, 0, lines.length);
    const indent = (lines[Math.min(i, lines.length - 1)] ?? '').match(/^ */)![0];
    lines.splice(i, 0, `${indent}${key}: ${pick(next, ['{ type: DROPPED }', '{ polluted: true }', '1', '[a]'])}`);
    return lines.join('\n');
  },
  // A node duplicated under a new name, or a node's key replaced by an odd one.
  (t, next) => {
    const m = /^( {2})([\w-]+):/m.exec(t.slice(t.indexOf('nodes:') + 1));
    if (!m) return t;
    return t.replace(
      new RegExp(`^  ${m[2]}:`, 'm'),
      `  ${pick(next, ['"with space"', '"ünï"', '"a.b"', '"x\\u0000"', '"123"', '"' + 'k'.repeat(300) + '"', m[2] + '_copy'])}:`,
    );
  },
  // A huge string value, or many lines.
  (t, next) =>
    next() < 0.5
      ? `${t}\nx-huge: "${'x'.repeat(int(next, 1000, 30_000))}"\n`
      : `${t}\n${Array.from({ length: 600 }, (_, i) => `x-k${i}: ${i}`).join('\n')}\n`,
  // Lines swapped or removed.
  (t, next) => {
    const lines = t.split('\n');
    const a = int(next, 0, lines.length - 1),
      b = int(next, 0, lines.length - 1);
    if (next() < 0.5) [lines[a], lines[b]] = [lines[b], lines[a]];
    else lines.splice(a, int(next, 1, 3));
    return lines.join('\n');
  },
  // Line endings and indentation.
  (t, next) => {
    const r = next();
    if (r < 0.3) return t.replace(/\n/g, '\r\n');
    if (r < 0.5) return t.replace(/\n/g, '\r');
    if (r < 0.7) return t.replace(/^( +)/gm, (s) => s + s);
    if (r < 0.85) return t.replace(/^ {2}/gm, '\t');
    return '\uFEFF' + t;
  },
];

/** Byte-level mutations: insert, delete, duplicate, replace a character (control characters included). */
function byteMutation(t: string, next: Next): string {
  const at = int(next, 0, t.length);
  const r = next();
  if (r < 0.35) return t.slice(0, at) + pick(next, SNIPPETS) + t.slice(at);
  if (r < 0.6) return t.slice(0, at) + t.slice(Math.min(t.length, at + int(next, 1, 20)));
  if (r < 0.75) {
    const end = Math.min(t.length, at + int(next, 1, 200));
    return t.slice(0, end) + t.slice(at, end) + t.slice(end);
  }
  if (r < 0.95) {
    // Any BMP character but a lone surrogate (LSP carries text as UTF-8, which has none).
    let c = int(next, 0, 0xffff);
    if (c >= 0xd800 && c <= 0xdfff) c = int(next, 0, 0x1f);
    if (next() < 0.5) c = int(next, 0, 0x20);
    return t.slice(0, at) + String.fromCharCode(c) + t.slice(at + 1);
  }
  return t.slice(0, at);
}

/** One fuzz input: a corpus file or a random layout, with 0–4 mutations. */
export function fuzzInput(next: Next): string {
  let t = next() < 0.25 ? randomWorkflowText(next, pick(next, [0.1, 0.3, 0.6])) : pick(next, corpus());
  const n = int(next, 0, 4);
  for (let i = 0; i < n; i++) t = next() < 0.5 ? byteMutation(t, next) : pick(next, STRUCTURAL)(t, next);
  // Lone surrogates: only from byte edits inside a pair; replaced so every stage sees the same text.
  return t.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

// ---- the stage: seed, run count, failure report ----

const DEFAULT_SEED = 20261202;

export interface Stage {
  seed: number;
  runs: number;
  /** The seeded random source of input `i` (independent of the other inputs and stages). */
  rngFor(i: number): Next;
  /** An assertion error naming the seed and input, with the input (shrunk when `fails` is given). */
  failure(i: number, input: string, problem: string, fails?: (s: string) => boolean): Error;
}

/**
 * A fuzz stage named `name`: CALLFLOW_FUZZ_SEED (default fixed, so `npm test` is reproducible)
 * and CALLFLOW_FUZZ_RUNS (default `runs`) override. A failure message says how to replay it.
 */
export function stage(name: string, runs: number, file: string): Stage {
  const seed = Number(process.env.CALLFLOW_FUZZ_SEED ?? DEFAULT_SEED) >>> 0;
  const n = process.env.CALLFLOW_FUZZ_RUNS ? Math.max(1, Number(process.env.CALLFLOW_FUZZ_RUNS)) : runs;
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return {
    seed,
    runs: n,
    rngFor: (i) => rng((seed ^ h ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0),
    failure(i, input, problem, fails) {
      const small = fails ? minimize(input, fails, 400) : input;
      return new Error(
        `fuzz stage "${name}" failed on input #${i} (CALLFLOW_FUZZ_SEED=${seed}, CALLFLOW_FUZZ_RUNS=${n}).\n` +
          `Replay: CALLFLOW_FUZZ_SEED=${seed} node scripts/test.mjs ${path.relative(ROOT, file)}\n` +
          `${problem}\n${small === input ? 'input' : 'input (shrunk)'}: ${JSON.stringify(small.slice(0, 4000))}`,
      );
    },
  };
}
