// Every quick fix the rules offer, applied to the text and re-validated: the problem it fixes is gone
// (or, for a placeholder, turned into "fill this in") and no new error appears. Run on every
// failing fixture, in LF and in CRLF form.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '../../core/validate';
import { applyEdits } from '../../core/fixes';
import { LineIndex } from '../../core/text';
import type { Diagnostic } from '../../core/diagnostic';
import { optionsFor } from './rules-fixtures';

const FIXTURES = path.join(__dirname, '../fixtures/rules');

function count(list: Diagnostic[], code: string): number {
  return list.filter((d) => d.code === code).length;
}

function errorCounts(list: Diagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of list) if (d.severity === 'error') m.set(d.code, (m.get(d.code) ?? 0) + 1);
  return m;
}

interface Applied {
  fixture: string;
  code: string;
  title: string;
}
const applied: Applied[] = [];

function checkFixes(name: string, text: string, dir: string, optionsJson: unknown): void {
  const options = optionsFor(dir, text, optionsJson as never);
  const before = validate(text, options);
  const lines = new LineIndex(text);
  for (const d of before) {
    for (const f of d.fixes ?? []) {
      const fixed = applyEdits(text, lines, f.edits);
      assert.notEqual(fixed, text, `${name}: fix "${f.title}" changes the text`);
      const after = validate(fixed, options);
      const where = `${name}: ${d.code} fix "${f.title}" gave:\n${fixed}\n${JSON.stringify(
        after.map((x) => [x.code, x.message]),
        null,
        1,
      )}`;
      if (f.title.startsWith('Add an empty')) {
        // A placeholder to fill in: the same problem, now at the empty value.
        assert.ok(
          after.some((x) => x.code === d.code && x.message.includes('empty')),
          where,
        );
        assert.ok(count(after, d.code) <= count(before, d.code), where);
      } else {
        assert.ok(count(after, d.code) < count(before, d.code), where);
      }
      const b = errorCounts(before),
        a = errorCounts(after);
      for (const [code, n] of a) assert.ok(n <= (b.get(code) ?? 0), `${where}\nnew ${code} error`);
      applied.push({ fixture: name, code: d.code, title: f.title });
    }
  }
}

describe('quick fixes', () => {
  const dirs = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((d) => /^WF[12]\d\d$/.test(d)) : [];
  for (const code of dirs) {
    const dir = path.join(FIXTURES, code);
    for (const f of readdirSync(dir).filter((x) => x.startsWith('fail-') && x.endsWith('.workflow.yaml'))) {
      const name = `${code}/${f}`;
      const text = readFileSync(path.join(dir, f), 'utf8');
      const optPath = path.join(dir, f.replace('.workflow.yaml', '.options.json'));
      const json = existsSync(optPath) ? JSON.parse(readFileSync(optPath, 'utf8')) : undefined;
      test(`${name} (LF)`, () => checkFixes(name, text, dir, json));
      test(`${name} (CRLF)`, () => checkFixes(`${name} crlf`, text.replace(/\n/g, '\r\n'), dir, json));
    }
  }

  test('fixes exist for every code the brief names', () => {
    const codes = new Set(applied.map((a) => a.code));
    for (const c of [
      'WF101',
      'WF102',
      'WF103',
      'WF104',
      'WF105',
      'WF110',
      'WF111',
      'WF112',
      'WF113',
      'WF114',
      'WF115',
      'WF117',
      'WF118',
      'WF121',
      'WF123',
    ]) {
      assert.ok(codes.has(c), `a fix for ${c} was applied`);
    }
  });
});

const CALL = (key: string, next: string) => `  ${key}:
    type: VOICE_CALL
    config:
      agent_id: agt_abc123
      from_phone_number: "+912234567890"
${next}`;

describe('fix text', () => {
  test("WF101 adds next at the node's indentation and a DROPPED node when none exists", () => {
    const text = `version: 1\ntitle: T\nnodes:\n${CALL('call', '')}`;
    const d = validate(text).find((x) => x.code === 'WF101')!;
    assert.equal(d.fixes?.length, 1);
    const fixed = applyEdits(text, new LineIndex(text), d.fixes![0].edits);
    assert.equal(
      fixed,
      `version: 1\ntitle: T\nnodes:\n${CALL('call', '')}    next:\n      - to: dropped\n  dropped: { type: DROPPED }\n`.replace(
        '"\n    next',
        '"\n    next',
      ),
    );
    assert.deepEqual(validate(fixed), []);
  });

  test('WF110 replaces only the misspelled key inside quotes', () => {
    const text = `version: 1\ntitle: T\nnodes:\n${CALL('call', '    next:\n      - to: "lots"\n')}  lost: { type: DROPPED }\n`;
    const d = validate(text).find((x) => x.code === 'WF110')!;
    assert.equal(d.message, 'unknown node "lots" (did you mean "lost"?)');
    assert.equal(text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), 'lots');
    assert.deepEqual(validate(applyEdits(text, new LineIndex(text), d.fixes![0].edits)), []);
  });

  test('WF111 removes the whole duplicate item line(s) in a block list', () => {
    const text = `version: 1\ntitle: T\nnodes:\n${CALL('call', '    next:\n      - to: lost   # first\n      - to: lost   # again\n')}  lost: { type: DROPPED }\n`;
    const d = validate(text).find((x) => x.code === 'WF111')!;
    assert.equal(d.related?.[0].range.start.line, 9);
    const fixed = applyEdits(text, new LineIndex(text), d.fixes![0].edits);
    assert.ok(fixed.includes('- to: lost   # first\n  lost:'), fixed);
  });

  test("WF114 appends labelled edges in the list's own flow style", () => {
    const text = `version: 1\ntitle: T\nnodes:\n${CALL('call', '    next: [{ on: COMPLETED, to: won }]\n')}  won: { type: CONVERTED }\n  lost: { type: DROPPED }\nentry: call\n`;
    const d = validate(text).find((x) => x.code === 'WF114')!;
    assert.deepEqual(d.data?.missing, ['FAILED', 'DNP']);
    const fixed = applyEdits(text, new LineIndex(text), d.fixes![0].edits);
    assert.ok(
      fixed.includes('next: [{ on: COMPLETED, to: won }, { on: FAILED, to: lost }, { on: DNP, to: lost }]'),
      fixed,
    );
  });
});
