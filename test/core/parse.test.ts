import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../core/validate';

const example = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');

test('the reference example builds a model with every node and edge', () => {
  const a = analyze(example);
  assert.ok(a.model);
  assert.deepEqual(
    a.model.nodes.map((n) => n.key),
    ['first_call', 'wait_two_days', 'second_call', 'qualified', 'notify_sales', 'converted', 'dropped'],
  );
  assert.equal(a.graph?.entry, 'first_call');
  assert.deepEqual(
    a.model.nodeByKey.get('qualified')!.next.map((e) => e.on?.value),
    ['true', 'false'],
  );
  const names = a.model.templates.map((t) => t.name);
  assert.deepEqual(names, ['customer_name', 'city']);
  for (const t of a.model.templates) assert.equal(example.slice(t.span.start, t.span.end), t.name);
});

test('syntax problems are reported at their place, never thrown', () => {
  assert.equal(analyze('').diagnostics[0].code, 'WF004');
  assert.equal(analyze('- a\n').diagnostics[0].code, 'WF004');
  const dup = analyze('version: 1\nversion: 1\n').diagnostics.find((d) => d.code === 'WF003');
  assert.deepEqual(dup?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
});
