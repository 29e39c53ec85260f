// What the semantic diff must get right, fact by fact, on the corpus (test/fixtures/diff) and small
// inline cases; and the markdown's Mermaid block, checked structurally (the real mermaid parser
// needs a DOM: mermaid 11 calls DOMPurify.addHook at parse time, which fails under plain Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffWorkflows, renderDiffMarkdown, renderDiffTextLinked, type WorkflowDiff } from '../../core/diff';
import { diffMermaid } from '../../core/diff/markdown';
import { parseRange } from '../../platform/git';
import { identityFrom } from '../../platform/review';

const dir = path.join(__dirname, '../fixtures/diff');
const maybe = (c: string, f: string) =>
  existsSync(path.join(dir, c, f)) ? readFileSync(path.join(dir, c, f), 'utf8') : undefined;
function diffOf(c: string, withState = true): WorkflowDiff {
  const identity = withState ? identityFrom(maybe(c, 'old.state.yaml'), maybe(c, 'new.state.yaml')) : undefined;
  const r = diffWorkflows(maybe(c, 'old.yaml'), maybe(c, 'new.yaml'), identity ? { identity } : {});
  if ('error' in r) assert.fail(r.error);
  return r;
}
const kinds = (d: WorkflowDiff) => d.flags.map((f) => f.kind);

test('rename + change is one renamed node with its field change', () => {
  const d = diffOf('rename-change');
  assert.deepEqual(
    d.nodes.map((n) => [n.status, n.from, n.key, n.fields]),
    [['renamed', 'wait_two_days', 'wait_three_days', [{ path: 'config.delay_hours', old: 48, new: 72 }]]],
  );
  assert.ok('similarity' in d.nodes[0].renamedBy!);
});

test('state files decide a rename by platform id', () => {
  const d = diffOf('state-rename');
  assert.deepEqual(d.nodes[0].renamedBy, { stateId: 'staging/node_2' });
  // The ids win over similarity: swap which new node holds which id and the pairing follows.
  const old =
    'version: 1\ntitle: t\nnodes:\n  a: { type: TIME, config: { delay_hours: 24 } }\n  b: { type: TIME, config: { delay_hours: 48 } }\n';
  const neu =
    'version: 1\ntitle: t\nnodes:\n  x: { type: TIME, config: { delay_hours: 24 } }\n  y: { type: TIME, config: { delay_hours: 48 } }\n';
  const identity = {
    old: new Map([
      ['a', ['s/1']],
      ['b', ['s/2']],
    ]),
    new: new Map([
      ['x', ['s/2']],
      ['y', ['s/1']],
    ]),
  };
  const r = diffWorkflows(old, neu, { identity }) as WorkflowDiff;
  assert.deepEqual(r.nodes.map((n) => `${n.from}→${n.key}`).sort(), ['a→y', 'b→x']);
});

test('a reorder that changes routing says so; one that does not says that', () => {
  const d = diffOf('reorder-routing');
  const call = d.nodes.find((n) => n.key === 'first_call')!;
  assert.deepEqual(call.routes, [{ on: 'DNP', old: 'wait_two_days', new: 'dropped', byReorder: true }]);
  assert.equal(call.reordered?.changesRouting, true);
  const notify = d.nodes.find((n) => n.key === 'notify_sales')!;
  assert.deepEqual([notify.routes, notify.reordered?.changesRouting], [[], false]);
  assert.deepEqual(kinds(d), ['terminal-path', 'diagnostic']);
  assert.match(d.flags[1].message, /^new warning WF118/);
});

test('agent swap, number swap and more concurrent calls are flagged first', () => {
  const d = diffOf('agent-swap');
  assert.deepEqual(kinds(d), ['agent', 'phone-number', 'concurrency']);
  assert.equal(d.flags[0].message, 'first_call: agent agt_abc123 → agt_new456 on a VOICE_CALL');
  assert.equal(d.flags[2].message, 'max_concurrent_calls raised 10 → 25');
});

test('a node split in two: one renamed, one added with its config; new template variables flagged (built-ins not)', () => {
  const d = diffOf('node-split');
  assert.deepEqual(
    d.nodes.map((n) => `${n.status} ${n.from ?? ''}${n.from ? '→' : ''}${n.key}`),
    ['renamed notify_sales→email_sales', 'added sms_customer'],
  );
  const added = d.nodes[1];
  assert.equal(added.config!.provider_key, 'twilio');
  assert.deepEqual(
    d.flags.filter((f) => f.kind === 'new-variable').map((f) => f.message.match(/\{\{(\w+)\}\}/)![1]),
    ['loan_amount'],
  );
});

test('two nodes merged: the survivor renamed, the other removed with the edges that pointed at it', () => {
  const d = diffOf('node-merged');
  const removed = d.nodes.find((n) => n.status === 'removed')!;
  assert.equal(removed.key, 'second_call');
  assert.deepEqual(removed.incoming, [{ from: 'wait_two_days' }]);
  assert.deepEqual(d.nodes.find((n) => n.key === 'wait_two_days')!.routes, [
    { old: 'second_call', new: 'call', only: true },
  ]);
});

test('a node cut off from the entry is flagged', () => {
  const old =
    'version: 1\ntitle: t\nnodes:\n  a:\n    type: TIME\n    config: { delay_hours: 1 }\n    next: [{ to: b }]\n  b: { type: DROPPED }\n  c: { type: CONVERTED }\n';
  const neu = old.replace('next: [{ to: b }]', 'next: [{ to: c }]');
  const d = diffWorkflows(old, neu) as WorkflowDiff;
  assert.ok(d.flags.some((f) => f.kind === 'unreachable' && f.node === 'b'));
  assert.ok(d.flags.some((f) => f.kind === 'terminal-path' && f.node === 'c'));
});

test('files added and deleted: every node added or removed', () => {
  assert.ok(diffOf('file-added').nodes.every((n) => n.status === 'added'));
  assert.ok(diffOf('file-deleted').nodes.every((n) => n.status === 'removed'));
});

test('text links: each entry points at its line in the new file', () => {
  const d = diffOf('rename-change');
  const r = renderDiffTextLinked(d);
  const lines = r.text.split('\n');
  assert.deepEqual(
    r.links.map((l) => [lines[l.textLine].trim(), l.line]),
    [['~ wait_two_days → wait_three_days (renamed) · delay_hours 48 → 72', 27]],
  );
  const newText = maybe('rename-change', 'new.yaml')!;
  assert.match(newText.split('\n')[27 - 1], /^ {2}wait_three_days:/);
});

/** The structure GitHub's Mermaid needs: declared ids, known classes, balanced shapes and quotes. */
function checkMermaid(src: string): void {
  const lines = src.trimEnd().split('\n');
  let i = 0;
  if (lines[0] === '---') i = lines.indexOf('---', 1) + 1;
  assert.equal(lines[i], 'flowchart TD');
  const ids = new Set<string>(),
    classes = new Set<string>();
  const used: string[] = [];
  for (const line of lines.slice(i + 1)) {
    const l = line.trim();
    assert.equal((l.match(/"/g) ?? []).length % 2, 0, `unbalanced quotes: ${l}`);
    let m: RegExpMatchArray | null;
    if ((m = /^classDef (\w+) [\w#:,.\- ]+$/.exec(l))) classes.add(m[1]);
    else if ((m = /^class ([\w,]+) (\w+)$/.exec(l))) used.push(...m[1].split(',').map((x) => `${x} ${m![2]}`));
    else if ((m = /^(\w+) -->(?:\|"[^"]*"\|)? (\w+)$/.exec(l))) {
      assert.ok(ids.has(m[1]) && ids.has(m[2]), `edge between undeclared nodes: ${l}`);
    } else if ((m = /^(\w+)(\[\[|\(\(|\(\[|\[|\{)"[^"]*"(\]\]|\)\)|\]\)|\]|\})(:::\w+)?$/.exec(l))) {
      const pairs: Record<string, string> = { '[[': ']]', '((': '))', '([': '])', '[': ']', '{': '}' };
      assert.equal(pairs[m[2]], m[3], `mismatched shape: ${l}`);
      ids.add(m[1]);
    } else assert.fail(`unexpected mermaid line: ${l}`);
  }
  for (const u of used) {
    const [id, cls] = u.split(' ');
    assert.ok(ids.has(id), `class on undeclared node ${id}`);
    assert.ok(classes.has(cls), `class ${cls} has no classDef`);
  }
}

test('the markdown graph is well-formed Mermaid and styles added, changed and removed-neighbour nodes', () => {
  for (const c of ['node-split', 'node-merged', 'rename-change', 'reorder-routing', 'file-added', 'field-changes']) {
    const d = diffOf(c);
    const src = diffMermaid(d, maybe(c, 'new.yaml')!)!;
    checkMermaid(src);
    const md = renderDiffMarkdown([{ path: 'x', change: 'modified', diff: d, newText: maybe(c, 'new.yaml') }]);
    assert.ok(md.includes('```mermaid\n' + src.trimEnd() + '\n```'));
  }
  const split = diffMermaid(diffOf('node-split'), maybe('node-split', 'new.yaml')!)!;
  assert.match(split, /^ {2}class n_sms_customer cfAdded$/m);
  assert.match(split, /^ {2}class n_email_sales cfChanged$/m);
  const merged = diffMermaid(diffOf('node-merged'), maybe('node-merged', 'new.yaml')!)!;
  assert.match(merged, /^ {2}class n_qualified,n_dropped cfNeighbour$/m);
});

test('revision ranges: A..B, A...B, and paths are not ranges', () => {
  assert.deepEqual(parseRange('main..HEAD'), { base: 'main', head: 'HEAD', symmetric: false });
  assert.deepEqual(parseRange('origin/main...'), { base: 'origin/main', head: 'HEAD', symmetric: true });
  for (const notRange of ['../x.workflow.yaml', 'HEAD:a..b', 'a.workflow.yaml', 'main'])
    assert.equal(parseRange(notRange), undefined, notRange);
});
