// Golden files: compared exactly; `UPDATE_GOLDEN=1` rewrites them (then read them to check they are right).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const UPDATE = !!process.env.UPDATE_GOLDEN;

export function expectGolden(file: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, 'utf8') !== actual) writeFileSync(file, actual);
    return;
  }
  assert.ok(
    existsSync(file),
    `golden file ${path.relative(process.cwd(), file)} is missing: run with UPDATE_GOLDEN=1 and read it`,
  );
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `differs from ${path.relative(process.cwd(), file)} (UPDATE_GOLDEN=1 to accept)`,
  );
}
