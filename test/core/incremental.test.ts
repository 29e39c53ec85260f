import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { analyze } from '../../core/validate';
import { analyzeIncremental, changedRegion, reanalyze, type IncrementalAnalysis } from '../../core/incremental';
import { generateWorkflow } from '../support/generate';
import { randomEdit, rng } from '../support/random-edits';

/**
 * Every YAML node in document order with its kind, start/value-end offsets and scalar value.
 * The third range entry (node end including trailing comments) is left out: a comment closing a
 * block belongs to the next key in context but to the block alone, and core never reads it.
 */
function shape(doc: Document | null): unknown[] {
  const out: unknown[] = [];
  const r2 = (r: unknown) => (Array.isArray(r) ? r.slice(0, 2) : r);
  const walk = (n: unknown): void => {
    if (isPair(n)) {
      walk(n.key);
      walk(n.value);
      return;
    }
    if (n === null || n === undefined) {
      out.push(null);
      return;
    }
    if (isScalar(n)) out.push(['s', r2(n.range), n.value, n.type]);
    else if (isMap(n)) {
      out.push(['m', r2(n.range), n.flow ?? false]);
      n.items.forEach(walk);
    } else if (isSeq(n)) {
      out.push(['q', r2(n.range), n.flow ?? false]);
      n.items.forEach(walk);
    } else out.push(['?']);
  };
  if (doc) {
    out.push(r2(doc.range));
    walk(doc.contents);
  }
  return out;
}

/** The model as plain data, YAML node references left out. */
function modelData(a: { model?: unknown }): string {
  return JSON.stringify(a.model ?? null, (k, v) => (k === 'node' ? undefined : v instanceof Map ? [...v.keys()] : v));
}

function assertSame(inc: IncrementalAnalysis, text: string, label: string): void {
  const full = analyze(text);
  assert.deepEqual(inc.diagnostics, full.diagnostics, `${label}: diagnostics differ (${inc.mode})`);
  assert.deepEqual(inc.parsed.data, full.parsed.data, `${label}: data differs (${inc.mode})`);
  assert.equal(modelData(inc), modelData(full), `${label}: model differs (${inc.mode})`);
  if (inc.mode === 'incremental') {
    assert.deepEqual(shape(inc.parsed.doc), shape(full.parsed.doc), `${label}: tree differs`);
    assert.deepEqual(inc.parsed.lines.starts, full.parsed.lines.starts, `${label}: line index differs`);
  }
}

test('changedRegion finds the single differing region', () => {
  assert.deepEqual(changedRegion('abcdef', 'abXdef'), { start: 2, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(changedRegion('aa', 'aaa'), { start: 2, oldEnd: 2, newEnd: 3 });
  assert.deepEqual(changedRegion('abc', 'abc'), { start: 3, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(changedRegion('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
});

test('a one-character edit inside a node label is spliced, not re-parsed, and equals a full validation', () => {
  const text = generateWorkflow(40);
  const prev = analyzeIncremental(text);
  assert.equal(prev.splicable, true);
  const at = text.indexOf('label: Step 7') + 'label: Step 7'.length;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  const inc = reanalyze(prev, edited);
  assert.equal(inc.mode, 'incremental', inc.reason);
  assertSame(inc, edited, 'label edit');
});

test('edits that are not local fall back to a full parse, and say why', () => {
  const text = generateWorkflow(10);
  const cases: [string, (t: string) => string][] = [
    ['top level', (t) => t.replace('title: Generated', 'title: Renamed')],
    ['last node', (t) => t.replace('dropped: { type: DROPPED }', 'dropped: { type: DROPPED, label: x }')],
    ['anchor', (t) => t.replace('label: Step 2', 'label: &lbl Step 2')],
    ['crossing blocks', (t) => t.replace(/label: Step 1\n[^]*label: Step 2\n/, 'label: Step 1\n    label: Step 2\n')],
    ['duplicate key', (t) => t.replace('  step_3:', '  step_4:')],
    ['new sibling', (t) => t.replace('    label: Step 2\n', '    label: Step 2\n  inserted: { type: DROPPED }\n')],
    ['syntax error', (t) => t.replace('label: Step 2', 'label: "Step 2')],
  ];
  for (const [name, edit] of cases) {
    const edited = edit(text);
    assert.notEqual(edited, text, name);
    const inc = reanalyze(analyzeIncremental(text), edited);
    assert.equal(inc.mode, 'full', `${name} should not splice`);
    assert.ok(inc.reason, name);
    assertSame(inc, edited, name);
  }
});

test('a node key rename and a change of node type are spliced and equal a full validation', () => {
  const text = generateWorkflow(12);
  let a = analyzeIncremental(text);
  let t = text.replace('  step_3:', '  step_three:');
  a = reanalyze(a, t);
  assert.equal(a.mode, 'incremental', a.reason);
  assertSame(a, t, 'rename');
  assert.ok(a.diagnostics.some((d) => d.code === 'WF110') || a.model!.nodeByKey.has('step_three'));
  t = t.replace('    type: TIME\n    label: Step 5', '    type: DROPPED\n    label: Step 5');
  a = reanalyze(a, t);
  assert.equal(a.mode, 'incremental', a.reason);
  assertSame(a, t, 'type change');
});

test('4,000 random edits: every incremental result equals a fresh full validation (the 10,000-edit stream runs over LSP)', () => {
  const base = generateWorkflow(10);
  const next = rng(20261201);
  let text = base;
  let a = analyzeIncremental(text);
  const clean: string[] = [base];
  const counts = { full: 0, incremental: 0, unchanged: 0 };
  for (let step = 0; step < 4_000; step++) {
    if (next() < 0.3) text = clean[Math.floor(next() * clean.length)];
    else {
      const e = randomEdit(text, next);
      text = text.slice(0, e.start) + e.insert + text.slice(e.end);
    }
    a = reanalyze(a, text);
    counts[a.mode]++;
    // Comparing every step against a full parse is the point, but it costs a full parse each:
    // check every incremental step and a sample of the rest.
    if (a.mode === 'incremental' || step % 25 === 0) assertSame(a, text, `step ${step}`);
    if (a.splicable && clean.length < 50) clean.push(text);
  }
  assertSame(a, text, 'final');
  assert.ok(counts.incremental > 400, `too few incremental steps: ${JSON.stringify(counts)}`);
});

test('schema problems appear, move and disappear through spliced edits; reuse never hides them', () => {
  const text = generateWorkflow(12);
  let a = analyzeIncremental(text);
  assert.equal(a.schemaValid, true);
  const steps: [string, (t: string) => string, boolean][] = [
    // An unknown field in one node: the one-node schema check fails, the full check reports it.
    ['unknown field', (t) => t.replace('    label: Step 2\n', '    label: Step 2\n    colour: red\n'), false],
    // An edit in another node while the data is invalid: the full check runs, the WF002 moves down a line.
    ['edit above it', (t) => t.replace('    label: Step 1\n', '    label: Step 1\n\n'), false],
    ['fix it', (t) => t.replace('    colour: red\n', ''), true],
    // A wrong enum in a node whose templates and edges sit after an earlier growing edit.
    ['grow a node', (t) => t.replace('    label: Step 0\n', '    label: Step 0 and then some more words\n'), true],
    ['bad logic', (t) => t.replace('      logic: AND', '      logic: XOR'), false],
    ['good logic', (t) => t.replace('      logic: XOR', '      logic: OR'), true],
    ['renamed to a bad key', (t) => t.replace('  step_7:', '  Step7:'), false],
    ['renamed back', (t) => t.replace('  Step7:', '  step_7:'), true],
  ];
  let t = text;
  for (const [name, edit, valid] of steps) {
    const next = edit(t);
    assert.notEqual(next, t, name);
    t = next;
    a = reanalyze(a, t);
    assert.equal(a.mode, 'incremental', `${name}: ${a.reason}`);
    assert.equal(a.schemaValid, valid, name);
    assert.equal(
      a.diagnostics.some((d) => d.code === 'WF002'),
      !valid,
      name,
    );
    assertSame(a, t, name);
  }
});

test('unchanged text with other options reuses the model and still applies the options', () => {
  const text = generateWorkflow(12).replace('    label: Step 2\n', '    label: Step 2\n    colour: red\n');
  const a = analyzeIncremental(text);
  assert.ok(a.diagnostics.some((d) => d.code === 'WF002'));
  const b = reanalyze(a, text, { severityOverrides: { WF002: 'off' } });
  assert.equal(b.mode, 'unchanged');
  assert.equal(b.model, a.model);
  assert.deepEqual(b.diagnostics, analyze(text, { severityOverrides: { WF002: 'off' } }).diagnostics);
  const c = reanalyze(b, text);
  assert.deepEqual(c.diagnostics, analyze(text).diagnostics);
});

test('a merge key inside a node block parses as in a full parse (both use core/parse.ts PARSE_OPTIONS)', () => {
  const text = generateWorkflow(12);
  let a = analyzeIncremental(text);
  let t = text.replace('    label: Step 5\n', '    label: Step 5\n    <<: { label: Merged }\n');
  a = reanalyze(a, t);
  assertSame(a, t, 'merge key added');
  t = t.replace('<<: { label: Merged }', '<<: { labels: Merged }');
  a = reanalyze(a, t);
  assertSame(a, t, 'merge key edited');
});
