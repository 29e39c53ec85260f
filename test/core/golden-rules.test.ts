// Golden files for every diagnostic code: test/fixtures/rules/<CODE>/<name>.workflow.yaml must yield
// exactly <name>.expected.json (code, severity, message, range; a missing one fails, UPDATE_GOLDENS=1 writes them).
// `fail-*` files must report their directory's code, `pass-*` near misses must not.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '../../core/validate';
import { optionsFor, RULE_CODES, type OptionsJson } from './rules-fixtures';
import type { Diagnostic } from '../../core/diagnostic';
import { collectCrashes, crashLines } from '../support/crashes';
import { expectGoldenJson } from '../support/golden';

const CRASHES = collectCrashes();

const FIXTURES = path.join(__dirname, '../fixtures/rules');

const strip = (d: Diagnostic) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range });

interface Case {
  code: string;
  name: string;
  dir: string;
  file: string;
}
function cases(): Case[] {
  if (!existsSync(FIXTURES)) return [];
  const out: Case[] = [];
  for (const code of readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, code);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.workflow.yaml')) continue;
      out.push({ code, name: f.slice(0, -'.workflow.yaml'.length), dir, file: path.join(dir, f) });
    }
  }
  return out;
}

describe('golden rule fixtures', () => {
  const all = cases();
  for (const c of all) {
    test(`${c.code}/${c.name}`, () => {
      const text = readFileSync(c.file, 'utf8');
      const optPath = path.join(c.dir, `${c.name}.options.json`);
      const json = existsSync(optPath) ? (JSON.parse(readFileSync(optPath, 'utf8')) as OptionsJson) : undefined;
      const got = validate(text, optionsFor(c.dir, text, json)).map(strip);
      expectGoldenJson(path.join(c.dir, `${c.name}.expected.json`), got);
      if (c.name.startsWith('fail-'))
        assert.ok(
          got.some((d) => d.code === c.code),
          `${c.name} must report ${c.code}`,
        );
      if (c.name.startsWith('pass-'))
        assert.ok(!got.some((d) => d.code === c.code), `${c.name} must not report ${c.code}`);
      for (const d of got) {
        const lines = text.split(/\r\n|\r|\n/);
        for (const p of [d.range.start, d.range.end]) {
          assert.ok(p.line < lines.length && p.character <= lines[p.line].length, `${d.code} range inside the text`);
        }
      }
    });
  }

  test('every rule code has at least one failing and one passing fixture', () => {
    const missing: string[] = [];
    for (const code of RULE_CODES) {
      const names = all.filter((c) => c.code === code).map((c) => c.name);
      if (!names.some((n) => n.startsWith('fail-'))) missing.push(`${code} fail-*`);
      if (!names.some((n) => n.startsWith('pass-'))) missing.push(`${code} pass-*`);
    }
    assert.deepEqual(missing, []);
  });

  test('no rule threw on any fixture', () => {
    assert.deepEqual(crashLines(CRASHES), []);
  });
});
