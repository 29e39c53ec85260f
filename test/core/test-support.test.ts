// The shared test helpers hold their promises: a missing golden fails (it is never written unless
// UPDATE_GOLDENS=1), and core's tests reach no other layer's test helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expectGolden, UPDATE_GOLDENS } from '../support/golden';

test('a missing golden file fails and is not written', { skip: UPDATE_GOLDENS }, () => {
  const file = path.join(__dirname, '../fixtures/no-such-golden.txt');
  assert.throws(() => expectGolden(file, 'anything'), /missing: run with UPDATE_GOLDENS=1/);
  assert.equal(existsSync(file), false);
});

test('test/core imports no helper of test/cli or test/server (shared ones live in test/support)', () => {
  for (const f of readdirSync(__dirname).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(path.join(__dirname, f), 'utf8');
    assert.doesNotMatch(text, /from '\.\.\/(cli|server|emulator|platform|webview)\//, f);
  }
});
