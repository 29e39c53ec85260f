import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  changeStatus,
  diffWorkflows,
  edgeKey,
  renderDiffMarkdown,
  renderDiffText,
  type WorkflowDiff,
} from '../../core/diff';
import { identityFrom } from '../../platform/review';
import { formatWorkflow } from '../../core/format';
import { expectGolden } from '../support/golden';

const dir = path.join(__dirname, '../fixtures/diff');
const maybe = (c: string, f: string) =>
  existsSync(path.join(dir, c, f)) ? readFileSync(path.join(dir, c, f), 'utf8') : undefined;
/** A corpus case: old.yaml and/or new.yaml (one missing: a file added or deleted), state files optional. */
function diffOf(c: string): WorkflowDiff {
  const identity = identityFrom(maybe(c, 'old.state.yaml'), maybe(c, 'new.state.yaml'));
  const r = diffWorkflows(maybe(c, 'old.yaml'), maybe(c, 'new.yaml'), identity ? { identity } : {});
  if ('error' in r) assert.fail(r.error);
  return r;
}

for (const c of readdirSync(dir).sort()) {
  test(`diff golden: ${c} (text, json, markdown)`, () => {
    const d = diffOf(c);
    expectGolden(path.join(dir, c, 'expected.txt'), renderDiffText(d));
    expectGolden(path.join(dir, c, 'expected.json'), JSON.stringify(d, null, 2) + '\n');
    const change = !maybe(c, 'old.yaml') ? 'added' : !maybe(c, 'new.yaml') ? 'deleted' : 'modified';
    const md = renderDiffMarkdown([
      { path: `flows/${c}.workflow.yaml`, change, diff: d, newText: maybe(c, 'new.yaml') },
    ]);
    expectGolden(path.join(dir, c, 'expected.md'), md);
  });
}

test('a renamed node (same type, config and edges) is one rename, and edges into it are unchanged', () => {
  const d = diffOf('rename');
  const renamed = d.nodes.filter((n) => n.status === 'renamed');
  assert.deepEqual(
    renamed.map((n) => [n.from, n.key]),
    [
      ['wait_two_days', 'pause_two_days'],
      ['dropped', 'lost'],
    ],
  );
  assert.deepEqual(renamed[1].fields, [{ path: 'label', new: 'Lost' }]);
  assert.ok(!d.nodes.some((n) => n.status === 'added' || n.status === 'removed'));
  assert.ok(!d.nodes.some((n) => n.edges.length > 0), 'edges retargeted to the renamed nodes are not changes');
});

test('field changes are reported by path with old and new values', () => {
  const d = diffOf('field-changes');
  assert.deepEqual(d.header, [
    { path: 'title', old: 'Nurture', new: 'Nurture (v2)' },
    { path: 'variables', old: ['customer_name'], new: ['customer_name', 'city'] },
    { path: 'settings.max_concurrent_calls', old: 10, new: 5 },
  ]);
  const call = d.nodes.find((n) => n.key === 'call')!;
  assert.deepEqual(call.fields, [
    { path: 'label', new: 'First call' },
    { path: 'position', new: { x: 100, y: 40 } },
    { path: 'config.agent_id', old: 'agt_1', new: 'agt_2' },
  ]);
  const notify = d.nodes.find((n) => n.key === 'notify')!;
  assert.deepEqual(
    notify.fields.map((f) => f.path),
    ['config.action_config.subject', 'config.action_config.cc'],
  );
  assert.deepEqual(
    d.nodes.filter((n) => n.status !== 'changed').map((n) => `${n.status} ${n.key}`),
    ['added check', 'removed wait'],
  );
});

test('edges added, removed and reordered', () => {
  const d = diffOf('edges');
  const call = d.nodes.find((n) => n.key === 'call')!;
  assert.deepEqual(call.edges, [
    { kind: 'removed', edge: { on: 'FAILED', to: 'lost' }, index: 2 },
    { kind: 'added', edge: { on: 'VOICEMAIL', to: 'retry' }, index: 2 },
  ]);
  assert.deepEqual(
    call.reordered?.new.map((e) => e.on ?? '*'),
    ['DNP', 'COMPLETED', '*'],
  );
  const status = changeStatus(d);
  assert.equal(status.nodes.call, 'changed');
  assert.equal(status.edges[edgeKey('call', { on: 'VOICEMAIL', to: 'retry' })], 'added');
  assert.equal(status.edges[edgeKey('call', { on: 'DNP', to: 'retry' })], 'moved');
  assert.deepEqual(status.removedEdges, [{ from: 'call', edge: { on: 'FAILED', to: 'lost' } }]);
});

test('formatting is never a semantic change; syntax errors are an error result', () => {
  const ex = readFileSync(path.join(__dirname, '../../examples/lead-nurture.workflow.yaml'), 'utf8');
  const f = formatWorkflow(ex);
  assert.ok('text' in f);
  const d = diffWorkflows(ex, f.text);
  assert.ok(!('error' in d) && d.equal);
  assert.equal(renderDiffText(d as WorkflowDiff), 'no semantic changes\n');
  const bad = diffWorkflows(ex, 'nodes: [\n');
  assert.ok('error' in bad && bad.error.startsWith('new: cannot read the workflow (2:1 WF001'));
});

test('ambiguous renames stay additions and removals', () => {
  const old = 'version: 1\ntitle: t\nnodes:\n  a: { type: DROPPED }\n  b: { type: DROPPED }\n';
  const neu = 'version: 1\ntitle: t\nnodes:\n  c: { type: DROPPED }\n  d: { type: DROPPED }\n';
  const d = diffWorkflows(old, neu) as WorkflowDiff;
  assert.deepEqual(
    d.nodes.map((n) => `${n.status} ${n.key}`),
    ['added c', 'added d', 'removed a', 'removed b'],
  );
});

test('property: diff and graph export never throw, whatever the text', async () => {
  const { default: fc } = await import('fast-check');
  const { analyze } = await import('../../core/validate');
  const { toDot, toMermaid, toSvg } = await import('../../core/export');
  const piece = fc.constantFrom(
    'version: 1\n',
    'title: t\n',
    'nodes:\n',
    '  a:\n',
    '    type: TIME\n',
    '    next:\n',
    '      - to: a\n',
    '      - on: 1\n',
    '      - 7\n',
    '    next: x\n',
    '  b: { type: DROPPED }\n',
    '  c: [1]\n',
    '  d:\n    label: 5\n',
    '    position: { x: 1 }\n',
    '&a ',
    '*a\n',
    '{',
    '[',
    '\n',
  );
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 20 }), fc.array(piece, { maxLength: 20 }), async (x, y) => {
      const r = diffWorkflows(x.join(''), y.join(''));
      if (!('error' in r)) {
        renderDiffText(r);
        renderDiffMarkdown([{ path: 'x', change: 'modified', diff: r, newText: y.join('') }]);
      }
      const a = analyze(x.join(''));
      if (a.model) {
        toMermaid(a.model, a.graph);
        toDot(a.model, a.graph);
        await toSvg(a.model, a.graph);
      }
    }),
    { numRuns: 150 },
  );
});
