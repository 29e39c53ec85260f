import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { formatEdits, formatWorkflow } from '../../core/format';
import { applyEdits, minimalEdits } from '../../core/text-edits';

test('minimalEdits: no edit for equal texts; one small edit for one changed line', () => {
  assert.deepEqual(minimalEdits('a\nb\n', 'a\nb\n'), []);
  const edits = minimalEdits('a\nb\nc\n', 'a\nB\nc\n');
  assert.deepEqual(edits, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: 'B\n' }]);
});

test('minimalEdits: insertions, deletions, missing final newline, CRLF', () => {
  for (const [a, b] of [['a\nb', 'a\nb\nc'], ['x\ny\nz\n', 'y\n'], ['', 'new\n'], ['old\n', ''], ['a\r\nb\r\n', 'a\r\nc\r\nb\r\n']]) {
    assert.equal(applyEdits(a, minimalEdits(a, b)), b, JSON.stringify([a, b]));
  }
});

test('property: applying minimalEdits gives the new text', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', '  d: 1', '', '# c'), { maxLength: 12 });
  fc.assert(fc.property(lines, lines, fc.boolean(), (x, y, crlf) => {
    const eol = crlf ? '\r\n' : '\n';
    const a = x.join(eol), b = y.join(eol);
    assert.equal(applyEdits(a, minimalEdits(a, b)), b);
  }), { numRuns: 400 });
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
