import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Lexer, stringify } from 'yaml';
import { formatWorkflow } from '../../core/format';
import { parseText } from '../../core/parse';
import { expectGolden } from '../support/golden';
import { generateWorkflow } from '../support/generate';

const dir = path.join(__dirname, '../fixtures/fmt');
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith('.input.yaml'))
  .sort();

const comments = (t: string) =>
  [...new Lexer().lex(t)]
    .filter((x) => x.startsWith('#'))
    .map((x) => x.trimEnd())
    .sort();
function formatted(text: string): string {
  const r = formatWorkflow(text);
  if ('error' in r) assert.fail(`unexpected error: ${r.error}`);
  return r.text;
}

for (const name of inputs) {
  const base = name.replace(/\.input\.yaml$/, '');
  if (base.startsWith('syntax-error')) continue;
  test(`fmt golden: ${base}`, () => {
    const input = readFileSync(path.join(dir, name), 'utf8');
    const out = formatted(input);
    expectGolden(path.join(dir, `${base}.canonical.yaml`), out);
    // A fixed point: the canonical text formats to itself and is reported unchanged.
    const again = formatWorkflow(out);
    assert.deepEqual(again, { text: out, changed: false });
    // Nothing lost: the same data and the same comments.
    assert.deepEqual(parseText(out.replace(/\r\n/g, '\n')).data, parseText(input.replace(/\r\n/g, '\n')).data);
    assert.deepEqual(comments(out), comments(input));
  });
}

test('line endings and a BOM are kept', () => {
  const input = readFileSync(path.join(dir, 'quoting-crlf.input.yaml'), 'utf8');
  assert.ok(input.includes('\r\n'));
  const out = formatted(input);
  assert.equal(out.replace(/\r\n/g, '').includes('\n'), false, 'every line break stays CRLF');
  const bom = formatted('\uFEFF' + 'title: t\nversion: 1\nnodes: { a: { type: CONVERTED } }\n');
  assert.ok(bom.startsWith('\uFEFFversion: 1\ntitle: t\n'));
});

test('quoted scalars stay quoted: phone numbers, zip codes and "yes" stay strings', () => {
  const out = formatted(readFileSync(path.join(dir, 'quoting-crlf.input.yaml'), 'utf8'));
  for (const s of ['"+919999900000"', '"01234"', '"yes"']) assert.ok(out.includes(s), s);
});

test('multi-line scalars keep their line breaks; comments keep their line and their column', () => {
  const out = formatted(readFileSync(path.join(dir, 'multiline-aligned.input.yaml'), 'utf8'));
  assert.ok(
    out.includes(
      'description: >-\n  A long description the author wrapped by hand,\n  which must keep its line breaks.\n',
    ),
  );
  assert.ok(out.includes('    label: "A quoted label that\n      wraps"\n'));
  assert.ok(
    out.includes('    next:                        # callflow-disable-line WF114\n'),
    'a directive on a key line stays on that line',
  );
  assert.ok(out.includes('      agent_id: agt_1                     # sales agent\n'));
  assert.ok(
    out.includes('      - to: done                   # catch-all\n'),
    'an edge re-indented under next keeps its comment gap',
  );
  assert.ok(
    out.includes('    x-note: plain text that\n      wraps too\n'),
    'continuation lines follow their key when it moves into a block node',
  );
});

test('a file with a YAML syntax error is never rewritten', () => {
  const input = readFileSync(path.join(dir, 'syntax-error.input.yaml'), 'utf8');
  const r = formatWorkflow(input);
  assert.ok('error' in r);
  assert.match(r.error, /^\d+:\d+ WF001 YAML syntax error/);
  assert.ok('error' in formatWorkflow('a: 1\na: 2\n'), 'duplicate keys (WF003) are refused too');
  assert.ok('error' in formatWorkflow('- just\n- a list\n'), 'a top level that is not a mapping is refused');
});

test('an anchor the reordering would move after its alias is refused, not broken', () => {
  const input = 'nodes:\n  a: &t { type: CONVERTED }\n  b: *t\nx-base: &c { agent_id: x }\ntitle: t\nversion: 1\n';
  const r = formatWorkflow(input);
  assert.ok('text' in r, 'anchors that stay before their aliases are fine');
  const moved =
    'x-base: &c { delay_hours: 1 }\nversion: 1\ntitle: t\nnodes:\n  w: { type: TIME, config: *c, next: [ { to: d } ] }\n  d: { type: DROPPED }\n';
  const r2 = formatWorkflow(moved);
  if ('text' in r2) assert.deepEqual(parseText(r2.text).data, parseText(moved).data);
  else assert.match(r2.error, /anchor/);
});

test('the reference example is canonical after one pass and stays so', () => {
  const ex = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');
  const once = formatted(ex);
  assert.equal(formatted(once), once);
  assert.deepEqual(comments(once), comments(ex));
});

test('changing one value of a canonical file changes only that line after formatting', () => {
  const ex = formatted(readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8'));
  const edited = ex.replace('delay_hours: 48', 'delay_hours: 72').replace('to: wait_two_days', 'to: second_call');
  const out = formatted(edited);
  const a = ex.split('\n'),
    b = out.split('\n');
  assert.equal(a.length, b.length);
  const changed = a.map((l, i) => (l !== b[i] ? i : -1)).filter((i) => i >= 0);
  assert.equal(changed.length, 2);
});

// Random workflows written with random key order and styles: formatting keeps the data, puts the
// keys in canonical order, and is idempotent.
const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant('+14155550100'),
  fc.constant('0012'),
);
const nodeArb = fc.record(
  {
    type: fc.constantFrom('VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION', 'CONVERTED', 'DROPPED'),
    label: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    config: fc.option(fc.dictionary(key, scalar, { maxKeys: 4 }), { nil: undefined }),
    next: fc.option(
      fc.array(
        fc.record({
          on: fc.option(fc.constantFrom('COMPLETED', 'DNP', 'true', 'success'), { nil: undefined }),
          to: key,
        }),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
    'x-note': fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  },
  { requiredKeys: ['type'] },
);
const workflowArb = fc.record(
  {
    version: fc.constant(1),
    title: fc.string({ minLength: 1, maxLength: 20 }),
    description: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    variables: fc.option(fc.array(key, { maxLength: 3 }), { nil: undefined }),
    entry: fc.option(key, { nil: undefined }),
    nodes: fc.dictionary(key, nodeArb, { minKeys: 1, maxKeys: 5 }),
  },
  { requiredKeys: ['version', 'title', 'nodes'] },
);

function shuffle<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
function reorder(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => reorder(x, seed + i));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      shuffle(
        Object.entries(v).filter(([, x]) => x !== undefined),
        seed,
      ).map(([k, x], i) => [k, reorder(x, seed * 7 + i)]),
    );
  return v;
}

test('property: formatting keeps the data, orders the keys and is idempotent', () => {
  fc.assert(
    fc.property(workflowArb, fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (wf, seed, flow) => {
      const text = stringify(reorder(wf, seed), { collectionStyle: flow ? 'flow' : 'block' });
      const once = formatted(text);
      assert.equal(formatted(once), once);
      assert.deepEqual(parseText(once).data, parseText(text).data);
      const topKeys = once
        .split('\n')
        .filter((l) => /^[a-z]/.test(l))
        .map((l) => l.split(':')[0]);
      const known = ['version', 'title', 'description', 'variables', 'entry', 'nodes'].filter((k) =>
        topKeys.includes(k),
      );
      assert.deepEqual(
        topKeys.filter((k) => known.includes(k)),
        known,
      );
    }),
    { numRuns: 150 },
  );
});

test('property: any text gives a result or an error, never an exception', () => {
  const piece = fc.constantFrom(
    'version: 1\n',
    'title: t\n',
    'nodes:\n',
    '  a:\n',
    '    type: TIME\n',
    '    next:\n',
    '      - to: a\n',
    '  - x\n',
    '# c\n',
    '&a ',
    '*a\n',
    '{',
    '}',
    '[',
    ']',
    ': ',
    '"',
    "'",
    '\t',
    '\n',
    '---\n',
    'x-k: v\n',
    '  b: { type: DROPPED }\n',
    '>-\n  folded\n',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 25 }), (parts) => {
      const text = parts.join('');
      const r = formatWorkflow(text);
      if ('text' in r) {
        assert.deepEqual(parseText(r.text).data, parseText(text).data);
        assert.equal(formatted(r.text), r.text);
      } else assert.equal(typeof r.error, 'string');
    }),
    { numRuns: 400 },
  );
});

test('a 1,000-node file: formatted once, canonical after, the same data', () => {
  const text = generateWorkflow(1000);
  const out = formatted(text);
  assert.notEqual(out, text);
  assert.ok(out.includes('      - on: COMPLETED\n        to: step_1\n'), 'flow edges become block edges');
  assert.deepEqual(formatWorkflow(out), { text: out, changed: false });
  assert.deepEqual(parseText(out).data, parseText(text).data);
});
