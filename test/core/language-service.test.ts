// The editor-agnostic language-service pieces in core, without a server: positions → symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/validate';
import { enclosingNodeKey, nodeAt, targetAt } from '../../core/document-index';
import { definition, references } from '../../core/navigation';
import { prepareRename, rename } from '../../core/rename';
import { complete } from '../../core/completion';
import { documentSymbols, semanticTokens } from '../../core/symbols';

const TEXT = [
  'version: 1',
  'title: T',
  'variables: [name]',
  'entry: "start"',
  'nodes:',
  '  "start":',
  '    type: APPLICATION',
  '    config: { provider_key: p, adapter_key: a, action_key: k, action_config: { s: "Hi {{ name }}" } }',
  '    next:',
  '      - { on: success, to: "done" }',
  '      - { on: failure, to: done }',
  '  done: { type: CONVERTED }',
  '',
].join('\n');
const at = (needle: string, d = 1) => TEXT.indexOf(needle) + d;

test('targetAt tells keys, references, variables, labels and types apart', () => {
  const a = analyze(TEXT);
  assert.equal(targetAt(a, at('"start":'))?.kind, 'nodeKey');
  assert.deepEqual(targetAt(a, at('"done" }', 2)) && { ...targetAt(a, at('"done" }', 2)), span: undefined }, {
    kind: 'nodeRef',
    key: 'done',
    span: undefined,
    via: 'to',
  });
  assert.equal(targetAt(a, at('{{ name', 4))?.kind, 'variable');
  assert.equal(targetAt(a, at('success'))?.kind, 'label');
  assert.equal(targetAt(a, at('APPLICATION'))?.kind, 'type');
  assert.equal(nodeAt(a.model!, at('provider_key'))?.key, 'start');
  assert.equal(enclosingNodeKey(TEXT, at('provider_key')), 'start', 'quoted keys count');
  assert.equal(enclosingNodeKey(TEXT, at('type: CONVERTED')), 'done');
});

test('definition and references cover to:, entry: and quoted keys', () => {
  const a = analyze(TEXT);
  const refs = references(a, at('done: {', 0), true).map((s) => TEXT.slice(s.start, s.end));
  assert.deepEqual(refs, ['done', '"done"', 'done']);
  const def = definition(a, at('entry: "start"', 8));
  assert.equal(TEXT.slice(def[0].start, def[0].end), '"start"');
});

test('rename keeps quotes and refuses clashes, bad names and built-ins', () => {
  const a = analyze(TEXT);
  const r = rename(a, at('"start":'), 'begin');
  assert.ok('edits' in r);
  let out = TEXT;
  for (const e of [...r.edits].sort((x, y) => y.span.start - x.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  assert.ok(out.includes('entry: "begin"') && out.includes('  "begin":'));
  assert.deepEqual(
    analyze(out).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.match((rename(a, at('"start":'), 'done') as { error: string }).error, /already exists/);
  assert.match((rename(a, at('"start":'), 'Bad-Name') as { error: string }).error, /not a valid node key/);
  assert.match((rename(a, at('{{ name', 4), 'phone_number') as { error: string }).error, /reserved/);
  assert.ok('error' in prepareRename(a, at('success')));
});

test('completion offers the labels of the enclosing node type and node keys', () => {
  const text = TEXT.replace('      - { on: failure, to: done }', '      - on: \n        to: ');
  const a = analyze(text);
  const labels = complete(a, text.indexOf('on: \n') + 4).map((c) => c.label);
  assert.deepEqual(labels, ['success', 'failure']);
  const keys = complete(a, text.indexOf('to: \n') + 4).map((c) => c.label);
  assert.deepEqual(keys, ['done']);
});

test('symbols and semantic tokens describe the graph', () => {
  const a = analyze(TEXT);
  const nodes = documentSymbols(a).find((s) => s.name === 'nodes')!;
  assert.deepEqual(
    nodes.children!.map((c) => c.name),
    ['start', 'done'],
  );
  assert.deepEqual(
    nodes.children![0].children!.map((c) => c.name),
    ['success → done', 'failure → done'],
  );
  const data = semanticTokens(a);
  assert.equal(data.length % 5, 0);
  assert.ok(data.length / 5 >= 8);
});
