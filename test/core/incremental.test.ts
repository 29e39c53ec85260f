import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/validate';
import { analyzeIncremental, changedRegion, reanalyze, type IncrementalAnalysis } from '../../core/incremental';
import { generateWorkflow } from '../support/generate';
import { EDIT_KINDS, EditSession, randomEdit, rng, type EditKind } from '../support/random-edits';
import { assertSame } from './incremental-assert';

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

test('edits that are not provably local fall back to a full parse, and say why', () => {
  const text = generateWorkflow(10);
  const cases: [string, (t: string) => string][] = [
    ['anchor', (t) => t.replace('label: Step 2', 'label: &lbl Step 2')],
    ['alias', (t) => t.replace('label: Step 2', 'label: *lbl')],
    [
      'crossing blocks into a repeated key',
      (t) => t.replace(/label: Step 1\n[^]*label: Step 2\n/, 'label: Step 1\n    label: Step 2\n'),
    ],
    ['duplicate key', (t) => t.replace('  step_3:', '  step_4:')],
    ['duplicate top-level key', (t) => t.replace('entry: step_0\n', 'entry: step_0\ntitle: again\n')],
    ['syntax error', (t) => t.replace('label: Step 2', 'label: "Step 2')],
    ['tab', (t) => t.replace('    label: Step 2', '\tlabel: Step 2')],
    ['carriage return', (t) => t.replace('label: Step 2\n', 'label: Step 2\r\n')],
    ['the nodes key', (t) => t.replace('nodes:', 'nodez:')],
    ['a node dedented to the top level', (t) => t.replace('  step_4:', 'step_4:')],
    [
      'a sibling splitting a node',
      (t) => t.replace('    label: Step 2\n', '    label: Step 2\n  inserted: { type: DROPPED }\n'),
    ],
    ['a second document', (t) => t.replace('entry: step_0\n', 'entry: step_0\n---\n')],
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

test('header keys, new and deleted node blocks, comments and blank lines anywhere are spliced', () => {
  const text = generateWorkflow(10);
  const cases: [string, (t: string) => string][] = [
    ['title', (t) => t.replace('title: Generated', 'title: Renamed')],
    ['description', (t) => t.replace('valid by construction.', 'valid by construction!')],
    ['variable added', (t) => t.replace('city]', 'city, region]')],
    ['variable removed', (t) => t.replace(', city]', ']')],
    ['settings', (t) => t.replace('max_concurrent_calls: 10', 'max_concurrent_calls: 3')],
    ['entry', (t) => t.replace('entry: step_0', 'entry: step_2')],
    ['leads added', (t) => t.replace('entry: step_0\n', 'entry: step_0\nleads: leads.csv\n')],
    ['last node', (t) => t.replace('dropped: { type: DROPPED }', 'dropped: { type: DROPPED, label: x }')],
    ['new sibling', (t) => t.replace('  step_3:\n', '  inserted: { type: DROPPED }\n  step_3:\n')],
    ['block pasted at the end', (t) => t + '  extra:\n    type: DROPPED\n'],
    ['blocks deleted', (t) => t.replace(/ {2}step_3:[^]*?(?= {2}step_5:)/, '')],
    ['comment line at the top', (t) => '# a comment\n' + t],
    ['comment after nodes:', (t) => t.replace('nodes:\n', 'nodes:\n  # the steps\n')],
    ['comment between nodes', (t) => t.replace('  step_4:', '# between\n  step_4:')],
    ['comment inside a node', (t) => t.replace('    label: Step 4\n', '    label: Step 4\n    # inside\n')],
    ['blank line in the header', (t) => t.replace('entry:', '\nentry:')],
    ['blank line at the end', (t) => t + '\n'],
    [
      'title and a node at once',
      (t) => t.replace('title: Generated', 'title: Both').replace('label: Step 6', 'label: Six'),
    ],
  ];
  for (const [name, edit] of cases) {
    const edited = edit(text);
    assert.notEqual(edited, text, name);
    const inc = reanalyze(analyzeIncremental(text), edited);
    assert.equal(inc.mode, 'incremental', `${name}: ${inc.reason}`);
    assertSame(inc, edited, name);
  }
});

/**
 * Runs `steps` edits of the given kinds from a clean workflow of `n` nodes, comparing each with a
 * full validation; returns the modes reached per kind.
 */
function editRun(
  n: number,
  seed: number,
  steps: number,
  kinds: readonly EditKind[],
): Map<EditKind, Record<string, number>> {
  const session = new EditSession(generateWorkflow(n), rng(seed), kinds);
  let a = analyzeIncremental(session.text);
  const modes = new Map<EditKind, Record<string, number>>();
  for (let step = 0; step < steps; step++) {
    const e = session.next();
    a = reanalyze(a, e.text);
    const m = modes.get(e.kind) ?? {};
    const k = a.mode === 'full' ? `full: ${a.reason}` : a.mode;
    m[k] = (m[k] ?? 0) + 1;
    modes.set(e.kind, m);
    assertSame(a, e.text, `${n} nodes, seed ${seed}, step ${step} (${e.kind})`);
  }
  return modes;
}

const AUTHOR_KINDS = EDIT_KINDS.filter((k) => k !== 'char');

test('every kind of edit an author makes is spliced, at every size, and equals a full validation', () => {
  // Many small files, then a few large ones (each step there costs a full validation to check).
  const runs: [n: number, seed: number, steps: number][] = [
    [5, 1, 200],
    [12, 2, 250],
    [40, 3, 150],
    [200, 4, 40],
  ];
  for (const [n, seed, steps] of runs) {
    const modes = editRun(n, seed, steps, AUTHOR_KINDS);
    for (const [kind, m] of modes)
      assert.deepEqual(
        Object.keys(m).filter((k) => k !== 'incremental' && k !== 'unchanged'),
        [],
        `${n} nodes, ${kind}: ${JSON.stringify(m)}`,
      );
  }
});

test('at 1,000 and 5,000 nodes every kind of edit is spliced too', () => {
  // One full validation to compare with, at the end (each costs seconds at this size); the
  // smaller runs above compare every step.
  const runs: [number, readonly EditKind[]][] = [
    [1000, AUTHOR_KINDS],
    [5000, ['paste', 'delete', 'move', 'title', 'variable-add', 'comment-top', 'multi', 'undo']],
  ];
  for (const [n, kinds] of runs) {
    const session = new EditSession(generateWorkflow(n), rng(n), kinds);
    let a = analyzeIncremental(session.text);
    for (const kind of kinds) {
      const e = session.next(kind);
      a = reanalyze(a, e.text);
      assert.notEqual(a.mode, 'full', `${n} nodes, ${kind}: ${a.reason}`);
    }
    assertSame(a, session.text, `${n} nodes`);
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

test('4,000 random edits of every kind, keystrokes included: every result equals a fresh full validation (the 10,000-edit stream runs over LSP)', () => {
  const base = generateWorkflow(10);
  const next = rng(20261201);
  let session = new EditSession(base, next);
  let a = analyzeIncremental(base);
  const clean: string[] = [base];
  const counts = { full: 0, incremental: 0, unchanged: 0 };
  for (let step = 0; step < 4_000; step++) {
    // Back to a clean text now and then (as an undo of many keystrokes would), else one edit.
    if (next() < 0.1) session = new EditSession(clean[Math.floor(next() * clean.length)], next);
    else if (next() < 0.3) {
      const e = randomEdit(session.text, next);
      session = new EditSession(session.text.slice(0, e.start) + e.insert + session.text.slice(e.end), next);
    } else session.next();
    const text = session.text;
    a = reanalyze(a, text);
    counts[a.mode]++;
    // Comparing every step against a full parse is the point, but it costs a full parse each:
    // check every incremental step and a sample of the rest.
    if (a.mode === 'incremental' || step % 25 === 0) assertSame(a, text, `step ${step}`);
    if (a.splicable && clean.length < 50) clean.push(text);
  }
  assertSame(a, session.text, 'final');
  assert.ok(counts.incremental > 1_000, `too few incremental steps: ${JSON.stringify(counts)}`);
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

test('a step keeps every untouched node declaration (the same object, moved) and says what changed', () => {
  const text = generateWorkflow(20);
  const a = analyzeIncremental(text);
  const before = new Map(a.model!.nodes.map((d) => [d.key, d]));
  const keys = (ds: readonly { key: string }[]) => ds.map((d) => d.key);
  const step = (prev: IncrementalAnalysis, t: string, name: string): IncrementalAnalysis => {
    const r = reanalyze(prev, t);
    assert.equal(r.mode, 'incremental', `${name}: ${r.reason}`);
    assertSame(r, t, name);
    return r;
  };
  // A pasted block before step_5: every other declaration is kept, those after it moved.
  const block = '  pasted:\n    type: DROPPED\n';
  let t = text.replace('  step_5:', `${block}  step_5:`);
  let b = step(a, t, 'paste');
  assert.deepEqual(keys(b.change!.added), ['pasted']);
  assert.deepEqual(keys(b.change!.removed), []);
  assert.equal(b.change!.orderChanged, true);
  for (const d of b.model!.nodes) if (d.key !== 'pasted') assert.equal(d, before.get(d.key), d.key);
  assert.equal(before.get('step_9')!.keySpan.start, t.indexOf('  step_9:') + 2);
  // An edited label: that node's declaration is replaced, nothing else.
  t = t.replace('label: Step 7', 'label: Step seven');
  b = step(b, t, 'label');
  assert.deepEqual(keys(b.change!.added), ['step_7']);
  assert.deepEqual(keys(b.change!.removed), ['step_7']);
  assert.equal(b.change!.orderChanged, false);
  assert.deepEqual(b.change!.headerKeys, []);
  // A header key: no declaration changes, every one moves.
  t = t.replace('city]', 'city, region]');
  b = step(b, t, 'variables');
  assert.deepEqual(keys(b.change!.added), []);
  assert.deepEqual(b.change!.headerKeys, ['variables']);
  for (const d of b.model!.nodes) if (d.key !== 'pasted' && d.key !== 'step_7') assert.equal(d, before.get(d.key));
  // A deleted block.
  t = t.replace(block, '');
  b = step(b, t, 'delete');
  assert.deepEqual(keys(b.change!.removed), ['pasted']);
  assert.ok(!b.model!.nodeByKey.has('pasted'));
  // A comment line at the top moves everything and rebuilds nothing.
  t = '# top\n' + t;
  b = step(b, t, 'top comment');
  assert.deepEqual([keys(b.change!.added), keys(b.change!.removed)], [[], []]);
  assert.equal(b.model!.nodeByKey.get('step_3'), before.get('step_3'));
});
