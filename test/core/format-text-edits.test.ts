import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { formatEdits, formatWorkflow } from '../../core/format';
import { applyEdits, minimalEdits } from '../../core/text-edits';
import { generateWorkflow } from '../support/generate';

test('minimalEdits: no edit for equal texts; one small edit for one changed line', () => {
  assert.deepEqual(minimalEdits('a\nb\n', 'a\nb\n'), []);
  const edits = minimalEdits('a\nb\nc\n', 'a\nB\nc\n');
  assert.deepEqual(edits, [
    { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: 'B\n' },
  ]);
});

test('minimalEdits: insertions, deletions, missing final newline, CRLF', () => {
  for (const [a, b] of [
    ['a\nb', 'a\nb\nc'],
    ['x\ny\nz\n', 'y\n'],
    ['', 'new\n'],
    ['old\n', ''],
    ['a\r\nb\r\n', 'a\r\nc\r\nb\r\n'],
  ]) {
    assert.equal(applyEdits(a, minimalEdits(a, b)), b, JSON.stringify([a, b]));
  }
});

test('property: applying minimalEdits gives the new text', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', '  d: 1', '', '# c'), { maxLength: 12 });
  fc.assert(
    fc.property(lines, lines, fc.boolean(), (x, y, crlf) => {
      const eol = crlf ? '\r\n' : '\n';
      const a = x.join(eol),
        b = y.join(eol);
      assert.equal(applyEdits(a, minimalEdits(a, b)), b);
    }),
    { numRuns: 400 },
  );
});

test('formatting the example in the editor touches only the lines that change', () => {
  const ex = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');
  const r = formatWorkflow(ex);
  assert.ok('text' in r);
  const edits = minimalEdits(ex, r.text);
  assert.equal(applyEdits(ex, edits), r.text);
  const touched = edits.reduce((n, e) => n + (e.range.end.line - e.range.start.line), 0);
  assert.ok(touched < ex.split('\n').length / 3, `touched ${touched} lines`);
});

test('formatEdits: the editor gets line edits, none for a canonical file, an error for a broken one', () => {
  const ex = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');
  const r = formatEdits(ex);
  assert.ok('edits' in r && r.edits.length > 0);
  const canonical = applyEdits(ex, r.edits);
  assert.deepEqual(formatEdits(canonical), { edits: [] });
  assert.ok('error' in formatEdits('nodes: [\n'));
});

/** Lines an edit list replaces or inserts: the count a shortest edit script minimises. */
function editedLines(edits: ReturnType<typeof minimalEdits>): number {
  return edits.reduce((n, e) => n + (e.range.end.line - e.range.start.line) + (e.newText.match(/\n/g)?.length ?? 0), 0);
}

test('property: minimalEdits is minimal (as many changed lines as a textbook LCS gives)', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 });
  fc.assert(
    fc.property(lines, lines, (x, y) => {
      const a = x.map((l) => l + '\n').join(''),
        b = y.map((l) => l + '\n').join('');
      const n = x.length,
        m = y.length;
      const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
      for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
          t[i][j] = x[i] === y[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      const edits = minimalEdits(a, b);
      assert.equal(applyEdits(a, edits), b);
      assert.equal(editedLines(edits), n + m - 2 * t[0][0]);
    }),
    { numRuns: 500 },
  );
});

test('minimalEdits on a 1,000-node file: line edits, not one block edit', () => {
  const text = generateWorkflow(1000);
  const r = formatWorkflow(text);
  assert.ok('text' in r && r.changed);
  const edits = minimalEdits(text, r.text);
  assert.equal(applyEdits(text, edits), r.text);
  assert.ok(edits.length > 100, `${edits.length} edits`);
  // Only edge lines change (flow edges become block edges): far fewer than all lines.
  assert.ok(editedLines(edits) < text.split('\n').length, `${editedLines(edits)} lines`);
});
