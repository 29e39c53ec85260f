// The one golden-file mechanism: output is compared with a file in the repository, exactly. A
// missing or different golden FAILS; `UPDATE_GOLDENS=1` writes them instead (then read the diff
// to check they are right before committing).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const UPDATE_GOLDENS = process.env.UPDATE_GOLDENS === '1';

const rel = (file: string) => path.relative(process.cwd(), file);

/** `actual` must equal the golden file's content. */
export function expectGolden(file: string, actual: string): void {
  if (UPDATE_GOLDENS) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, 'utf8') !== actual) writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file ${rel(file)} is missing: run with UPDATE_GOLDENS=1 and read it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from ${rel(file)} (UPDATE_GOLDENS=1 to accept)`);
}

/** `actual` as the golden file's JSON (compared as data, written with two-space indentation). */
export function expectGoldenJson(file: string, actual: unknown): void {
  if (UPDATE_GOLDENS) return expectGolden(file, `${JSON.stringify(actual, null, 2)}\n`);
  assert.ok(existsSync(file), `golden file ${rel(file)} is missing: run with UPDATE_GOLDENS=1 and read it`);
  assert.deepEqual(
    actual,
    JSON.parse(readFileSync(file, 'utf8')),
    `differs from ${rel(file)} (UPDATE_GOLDENS=1 to accept)`,
  );
}

/**
 * The part of a hand-written file between `<!-- begin NAME -->` and `<!-- end NAME -->` is
 * generated: it must equal `actual` (UPDATE_GOLDENS=1 rewrites just that part).
 */
export function expectGoldenRegion(file: string, name: string, actual: string): void {
  const text = readFileSync(file, 'utf8');
  const begin = `<!-- begin ${name} -->\n`;
  const end = `<!-- end ${name} -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a + begin.length);
  assert.ok(a >= 0 && b >= 0, `${rel(file)} has no "${begin.trim()}" … "${end}" region`);
  const current = text.slice(a + begin.length, b);
  if (UPDATE_GOLDENS) {
    if (current !== actual) writeFileSync(file, text.slice(0, a + begin.length) + actual + text.slice(b));
    return;
  }
  assert.equal(current, actual, `the ${name} region of ${rel(file)} is out of date (UPDATE_GOLDENS=1 to regenerate)`);
}
