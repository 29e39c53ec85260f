// Hostile files cost bounded work and cannot speak through messages (issue 9 items 6, 7, 8):
// aliases resolved through one map per document (work counted, not timed), duplicate keys found
// with a set per mapping, nesting thousands deep refused with one WF001 instead of a stack
// overflow, and no control character from the file reaching any diagnostic text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, validate } from '../../core/validate';
import { inspectTree, MAX_DEPTH, parseText, PARSE_OPTIONS } from '../../core/parse';
import { formatWorkflow } from '../../core/format';
import { ALIAS_WORK } from '../../core/yaml-access';
import { quote } from '../../core/strings';
import type { Diagnostic } from '../../core/diagnostic';

function aliasFile(n: number): string {
  const out = [
    'version: 1',
    'title: aliases',
    'x-defs:',
    '  cfg: &cfg { agent_id: agt_abc123, from_phone_number: "+912234567890" }',
    '  lab: &lab Call',
    'nodes:',
  ];
  for (let i = 0; i < n; i++)
    out.push(`  n${i}: { type: VOICE_CALL, label: *lab, config: *cfg, next: [{ to: n${i + 1} }] }`);
  out.push(`  n${n}: { type: CONVERTED }`, '');
  return out.join('\n');
}

test('aliases cost one document walk, and look-ups grow linearly with their number', () => {
  const work = (n: number) => {
    ALIAS_WORK.walks = 0;
    ALIAS_WORK.lookups = 0;
    const d = validate(aliasFile(n));
    assert.deepEqual(
      d.filter((x) => x.severity === 'error'),
      [],
    );
    return { ...ALIAS_WORK };
  };
  const small = work(250);
  const big = work(1000);
  assert.equal(small.walks, 1, 'one walk builds the alias map');
  assert.equal(big.walks, 1);
  // 4x the aliases: about 4x the look-ups (a whole-document walk per alias would be 16x the work).
  assert.ok(big.lookups <= 4.2 * small.lookups, `${small.lookups} → ${big.lookups} look-ups`);
});

test('the alias data is what the library would build', () => {
  const a = analyze(aliasFile(3));
  const n0 = a.model!.nodeByKey.get('n0')!;
  assert.deepEqual(n0.config?.value, { agent_id: 'agt_abc123', from_phone_number: '+912234567890' });
  assert.equal(n0.label?.value, 'Call');
  assert.deepEqual(a.parsed.data, parseText(aliasFile(3)).data);
});

test('duplicate keys are found with a set per mapping, not the library’s quadratic check', () => {
  assert.equal(PARSE_OPTIONS.uniqueKeys, false);
  const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: ${i}`);
  keys.splice(15_000, 0, '  k7: again');
  const text = `version: 1\ntitle: t\nx-big:\n${keys.join('\n')}\nnodes:\n  a: { type: CONVERTED }\n  a: { type: DROPPED }\n`;
  const d = parseText(text).diagnostics;
  assert.deepEqual(
    d.map((x) => [x.code, x.message, x.range.start.line]),
    [
      ['WF003', 'duplicate key "k7": a key may appear once in a mapping', 15_003],
      ['WF003', 'duplicate key "a": a key may appear once in a mapping', 20_006],
    ],
  );
  const facts = inspectTree(parseText(text).doc!);
  assert.ok(facts.nodes > 40_000 && facts.nodes < 40_100, `${facts.nodes} nodes visited once each`);
});

for (const [shape, make] of [
  ['flow', (d: number) => `version: 1\ntitle: t\nx-deep: ${'['.repeat(d)}${']'.repeat(d)}\nnodes: {}\n`],
  [
    'block',
    (d: number) =>
      `version: 1\ntitle: t\nx-deep:\n${Array.from({ length: d }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n`,
  ],
] as const) {
  test(`nesting 2,500 levels deep (${shape}) is one WF001, never a RangeError`, () => {
    const text = make(2500);
    const d = validate(text);
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'WF001');
    assert.match(d[0].message, new RegExp(`nesting deeper than ${MAX_DEPTH} levels`));
    const f = formatWorkflow(text);
    assert.ok('error' in f, 'fmt refuses it');
    // Just inside the limit still analyses.
    assert.doesNotThrow(() => validate(make(MAX_DEPTH - 5)));
  });
}

const HOSTILE = '\n::error::pwned\u001b[31m\u0007';
function assertClean(list: Diagnostic[]): void {
  for (const d of list) {
    const texts = [d.message, ...(d.related ?? []).map((r) => r.message), ...(d.fixes ?? []).map((f) => f.title)];
    for (const t of texts) {
      assert.doesNotMatch(t, /[\u0000-\u001f\u007f-\u009f]/, `${d.code}: ${JSON.stringify(t)}`);
    }
  }
}

test('file strings with line breaks and escapes are shown escaped in every message', () => {
  const q = (s: string) => JSON.stringify(s);
  const text = [
    'version: 1',
    'title: t',
    `entry: ${q(`start${HOSTILE}`)}`,
    `variables: [${q(`v${HOSTILE}`)}]`,
    'leads: ./leads.csv',
    'nodes:',
    `  ${q(`a${HOSTILE}`)}:`,
    '    type: VOICE_CALL',
    `    config: { agent_id: ${q(`agt${HOSTILE}`)}, from_phone_number: ${q(`+91${HOSTILE}`)} }`,
    '    next:',
    `      - { on: ${q(`LABEL${HOSTILE}`)}, to: ${q(`nowhere${HOSTILE}`)} }`,
    `      - to: ${q(`elsewhere${HOSTILE}`)}`,
    `  done: { type: CONVERTED, label: ${q(`{{x${HOSTILE}}}`)} }`,
    '',
  ].join('\n');
  const options = {
    leads: { path: './leads.csv', columns: [`name${HOSTILE}`, `e-mail${HOSTILE}`] },
    online: {
      agents: new Map(),
      phoneNumbers: new Map([[`+91${HOSTILE}`, 'inactive']]),
    },
  };
  const d = validate(text, options as never);
  assert.ok(d.length >= 5, `${d.length} diagnostics`);
  assertClean(d);
  const all = d.map((x) => x.message).join('\n');
  assert.ok(all.includes('\\n::error::pwned\\u001b[31m'), 'the value is shown, escaped');
});

test('quote escapes quotes, backslashes and controls the way JSON does', () => {
  assert.equal(quote('a"b\\c\nd\u001b'), '"a\\"b\\\\c\\nd\\u001b"');
  assert.equal(quote('plain_key'), '"plain_key"');
});
