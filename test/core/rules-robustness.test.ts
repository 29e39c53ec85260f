// The rules never throw, never point outside the text, and stay fast on big or hostile input;
// the reference example is clean.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { validate } from '../../core/validate';
import { parseCsvHeader } from '../../core/leads';
import { collectCrashes, crashLines } from '../support/crashes';

const CRASHES = collectCrashes();
import type { Diagnostic } from '../../core/diagnostic';
import type { ValidateOptions } from '../../core/options';
import { generateWorkflow } from '../support/generate';

const root = path.join(__dirname, '../..');
const example = readFileSync(path.join(root, 'examples/lead-nurture.workflow.yaml'), 'utf8');
const exampleLeads: ValidateOptions = {
  leads: {
    path: './leads.sample.csv',
    columns: parseCsvHeader(readFileSync(path.join(root, 'examples/leads.sample.csv'), 'utf8')),
  },
};

function assertInside(text: string, list: Diagnostic[]): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of list) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length, `${d.code} line ${p.line} inside ${lines.length} lines`);
      // The parser's own WF001 may sit on the \n of a CRLF (one past the line's text); LSP clamps that.
      const slack = d.code === 'WF001' ? 1 : 0;
      assert.ok(
        p.character >= 0 && p.character <= lines[p.line].length + slack,
        `${d.code} character ${p.character} inside line ${p.line} ${JSON.stringify(lines[p.line])} of ${JSON.stringify(text.slice(0, 3000))}`,
      );
    }
    for (const f of d.fixes ?? [])
      for (const e of f.edits)
        for (const p of [e.range.start, e.range.end]) {
          assert.ok(p.line < lines.length && p.character <= lines[p.line].length, `${d.code} fix edit inside the text`);
        }
  }
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('the reference example', () => {
  test('with its leads CSV yields no diagnostics at all', () => {
    assert.deepEqual(validate(example, exampleLeads), []);
  });
  test('in CRLF form, and without the leads file read, still none', () => {
    assert.deepEqual(validate(example.replace(/\n/g, '\r\n'), exampleLeads), []);
    assert.deepEqual(validate(example), []);
  });
  test('online, with its agent published and its number active, none', () => {
    const online: ValidateOptions = {
      ...exampleLeads,
      workspaceLimit: 25,
      online: {
        agents: new Map([
          [
            'agt_abc123',
            {
              id: 'agt_abc123',
              published: true,
              prompt: 'Hi {{customer_name}} from {{city}}, about {{loan_amount}}',
              defaultVariables: [],
            },
          ],
        ]),
        phoneNumbers: new Map([['+912234567890', 'active']]),
      },
    };
    assert.deepEqual(validate(example, online), []);
  });
});

// Bases for mutation: the example and a few shapes (flow style, branches, PCA wait).
const BASES = [
  example,
  generateWorkflow(12, 'retry-loops'),
  `version: 1
title: Flow
entry: a
nodes: { a: { type: VOICE_CALL, config: { agent_id: x, from_phone_number: "+912234567890" }, next: [{ on: COMPLETED, to: b }, { to: c }] }, b: { type: CONDITIONAL, config: { condition_field: s, branches: [X, Y] }, next: [{ on: X, to: c }, { on: Y, to: d }] }, c: { type: DROPPED }, d: { type: TIME, config: { time_source: postcall_analysis, pca_field: t }, next: [{ to: a }] } }
`,
];

const ALPHABET = [
  ' ',
  '\n',
  ':',
  '-',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  'a',
  'to',
  'on',
  'next',
  '{{',
  '}}',
  '\t',
  '\r\n',
  'é',
  '😀',
  '\u0000',
];

type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; len: number; text: string }
  | { kind: 'dropLine'; line: number }
  | { kind: 'dupLine'; line: number }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 6 }).map((a) => a.join('')),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 10 }),
    text: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 4 }).map((a) => a.join('')),
  }),
  fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length ? ('at' in m ? m.at % (text.length + 1) : 0) : 0;
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.len);
    case 'dropLine':
      lines.splice(m.line % lines.length, 1);
      return lines.join('\n');
    case 'dupLine': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, at);
  }
}

describe('mutated files', () => {
  test('random edits never throw, never point outside the text, finish quickly', () => {
    const options: ValidateOptions = {
      ...exampleLeads,
      workspaceLimit: 5,
      online: { agents: new Map(), phoneNumbers: new Map(), drift: { message: 'x' } },
    };
    fc.assert(
      fc.property(
        fc.nat({ max: BASES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (b, ms, online) => {
          const text = ms.reduce(mutate, BASES[b]);
          const { value, ms: took } = timed(() => validate(text, online ? options : exampleLeads));
          assertInside(text, value);
          assert.ok(took < 3000, `validate took ${took} ms`);
        },
      ),
      { numRuns: 400, seed: 20261201 },
    );
    assert.deepEqual(crashLines(CRASHES), []);
  });
});

describe('hostile input', () => {
  const cases: [string, () => string, number][] = [
    ['empty', () => '', 1000],
    ['top-level list', () => '- a\n- b\n', 1000],
    [
      'binary bytes',
      () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      2000,
    ],
    [
      'alias bomb',
      () =>
        'version: 1\ntitle: x\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nnodes: {}\n',
      3000,
    ],
    [
      '5 MB of one description',
      () => `version: 1\ntitle: big\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\nnodes:\n  a: { type: DROPPED }\n`,
      60000,
    ],
    ['10,000 nodes', () => generateWorkflow(10_000, 'retry-loops'), 120000],
    [
      '3,000 dangling edges',
      () =>
        `version: 1\ntitle: t\nnodes:\n${Array.from({ length: 3_000 }, (_, i) => `  n${i}: { type: TIME, config: { delay_hours: 1 }, next: [{ to: m${i} }] }`).join('\n')}\n`,
      120000,
    ],
    [
      'a 10,000-node chain',
      () =>
        `version: 1\ntitle: t\nnodes:\n${Array.from({ length: 10_000 }, (_, i) => `  n${i}: { type: TIME, config: { delay_hours: 1 }, next: [{ to: n${i + 1} }] }`).join('\n')}\n  n10000: { type: DROPPED }\n`,
      120000,
    ],
  ];
  for (const [name, make, bound] of cases) {
    test(name, () => {
      const text = make();
      const { value, ms } = timed(() => validate(text));
      assertInside(text, value);
      assert.ok(ms < bound, `${name}: ${ms} ms`);
    });
  }

  test('a 10,000-node cycle of calls gives one WF119 and one WF120, not one per node', () => {
    const text = `version: 1\ntitle: t\nentry: n0\nnodes:\n${Array.from({ length: 10_000 }, (_, i) => `  n${i}: { type: VOICE_CALL, config: { agent_id: a, from_phone_number: "+912234567890" }, next: [{ to: n${(i + 1) % 10_000} }] }`).join('\n')}\n`;
    const { value: list, ms } = timed(() => validate(text));
    assertInside(text, list);
    assert.ok(ms < 120000, `${ms} ms`);
    assert.equal(list.filter((d) => d.code === 'WF119').length, 1);
    assert.equal(list.filter((d) => d.code === 'WF120').length, 1);
    assert.equal(list.filter((d) => d.severity === 'error').length, 0);
  });

  test('big generated workflows are clean', () => {
    for (const n of [20, 1000]) assert.deepEqual(validate(generateWorkflow(n, 'retry-loops')), [], `${n} nodes`);
  });
  assert.deepEqual(crashLines(CRASHES), []);
});
