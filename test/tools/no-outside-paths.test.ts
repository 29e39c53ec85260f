// The repository cites only itself: no file names a path of the machine it was written on (the agents'
// shared folders under the absolute root below). Specs are cited as docs/spec/…, notes as docs/…. Every
// file git would commit is read (tracked, and untracked unless ignored: node_modules, .git and build output
// are not), so a new file is checked before it is added.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
/** Built, not written literally, so this file does not match itself. */
const OUTSIDE = new RegExp(`(?<![\\w.~-])/${'work'}/`);

it('no file of the repository cites a path outside it', () => {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter(Boolean);
  assert.ok(files.length > 100, 'git lists the repository');
  const offenders: string[] = [];
  for (const f of files) {
    const abs = path.join(ROOT, f);
    let size: number;
    try {
      const st = statSync(abs);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue; // deleted in the work tree, not yet committed
    }
    if (size > 8 * 1024 * 1024) continue;
    const buf = readFileSync(abs);
    if (buf.includes(0)) continue; // binary
    const text = buf.toString('utf8');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (OUTSIDE.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(offenders, [], 'cite docs/spec/ or docs/ instead of a path outside the repository');
});

it('the check itself finds such a path', () => {
  assert.ok(OUTSIDE.test(`see ${'/'}work/shared/spec/x.md`));
  assert.ok(OUTSIDE.test(`("${'/'}work/helper-notes/y.md")`));
  assert.ok(!OUTSIDE.test('test/emulator/work/x'));
  assert.ok(!OUTSIDE.test('https://example.com/work/x'));
});
