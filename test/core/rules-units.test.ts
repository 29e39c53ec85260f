// The pieces under the rules: CSV headers, outcomes, known variables with their origins, the
// graph algorithms at depth, and the edit helpers in both YAML styles.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseCsvHeader } from '../../core/leads';
import { closestLabel, labelsFor, outcomesOf } from '../../core/outcomes';
import { describeVariable, knownVariables } from '../../core/variables';
import { analyze } from '../../core/validate';
import { stronglyConnected } from '../../core/graph';
import { closestName } from '../../core/typo';
import { appendEdges, applyEdits, deletePair, deleteSeqItem, insertPairs, yamlString } from '../../core/fixes';
import { LineIndex } from '../../core/text';

describe('parseCsvHeader', () => {
  test('plain, CRLF, BOM, quotes with commas and doubled quotes, spaces', () => {
    assert.deepEqual(parseCsvHeader('phone_number,name\n1,2\n'), ['phone_number', 'name']);
    assert.deepEqual(parseCsvHeader('\uFEFFphone_number , city\r\n+91,x\r\n'), ['phone_number', 'city']);
    assert.deepEqual(parseCsvHeader('"phone_number","full, name","say ""hi"""\n'), [
      'phone_number',
      'full, name',
      'say "hi"',
    ]);
    assert.deepEqual(parseCsvHeader('"multi\nline",b\nrow'), ['multi\nline', 'b']);
    assert.deepEqual(parseCsvHeader('\n\nphone_number\n'), ['phone_number']);
  });
  test('empty and odd texts give what they hold, never throw', () => {
    assert.deepEqual(parseCsvHeader(''), []);
    assert.deepEqual(parseCsvHeader('\uFEFF'), []);
    assert.deepEqual(parseCsvHeader('a,,b'), ['a', '', 'b']);
    assert.deepEqual(parseCsvHeader('"unclosed,b'), ['unclosed,b']);
  });
});

describe('outcomes', () => {
  test('each type emits what the decisions say', () => {
    assert.deepEqual(outcomesOf('VOICE_CALL')!.outcomes, ['COMPLETED', 'FAILED', 'DNP']);
    assert.ok(outcomesOf('VOICE_CALL')!.labels.includes('VOICEMAIL'));
    assert.deepEqual(outcomesOf('APPLICATION')!.outcomes, ['success', 'failure']);
    assert.deepEqual(outcomesOf('CONDITIONAL', { conditions: [] })!.outcomes, ['true', 'false']);
    assert.deepEqual(outcomesOf('CONDITIONAL', { condition_field: 's', branches: ['A', 'B', 'A'] })!.outcomes, [
      'A',
      'B',
    ]);
    assert.equal(outcomesOf('CONDITIONAL', {}), undefined);
    assert.equal(outcomesOf('TIME')!.unlabelledOnly, true);
    assert.equal(outcomesOf('DROPPED')!.terminal, true);
    assert.equal(outcomesOf('VOICECALL'), undefined);
    assert.deepEqual(labelsFor('CONDITIONAL'), ['true', 'false']);
  });
  test('misspelled labels find their outcome (swaps count once, case ignored)', () => {
    assert.equal(closestLabel('ture', ['true', 'false']), 'true');
    assert.equal(closestLabel('completed', ['COMPLETED', 'FAILED']), 'COMPLETED');
    assert.equal(closestLabel('sucess', ['success', 'failure']), 'success');
    assert.equal(closestLabel('ANSWERED', ['COMPLETED', 'FAILED', 'DNP']), undefined);
    assert.equal(closestName('qualifed', ['qualified', 'dropped']), 'qualified');
  });
});

describe('known variables', () => {
  test('origins: declared, leads, remote, built-in, agent default; phone_number never', () => {
    const text =
      'version: 1\ntitle: t\nvariables: [customer_name, phone_number]\nleads: ./l.csv\nnodes:\n  c: { type: VOICE_CALL, config: { agent_id: agt_1, from_phone_number: "+912234567890" } }\n';
    const a = analyze(text);
    const k = knownVariables(a.model!, {
      leads: { path: './l.csv', columns: ['phone_number', 'city', 'customer_name'] },
      online: {
        agents: new Map([['agt_1', { id: 'agt_1', published: true, defaultVariables: ['tone'] }]]),
        phoneNumbers: new Map(),
        remoteVariableKeys: ['loan'],
      },
    });
    assert.equal(k.complete, true);
    assert.deepEqual(
      k.byName.get('customer_name')!.map((v) => v.origin),
      ['declared', 'leads'],
    );
    assert.equal(k.byName.get('city')![0].origin, 'leads');
    assert.equal(k.byName.get('loan')![0].origin, 'remote');
    assert.equal(k.byName.get('call_id')![0].origin, 'builtin');
    assert.deepEqual(k.byName.get('tone'), [{ name: 'tone', origin: 'agent-default', agentId: 'agt_1' }]);
    assert.equal(k.has('phone_number'), false);
    assert.match(
      describeVariable(k.byName.get('customer_name')!),
      /declared in `variables`; a column of the leads file \.\/l\.csv/,
    );
    assert.equal(
      text.slice(k.byName.get('customer_name')![0].span!.start, k.byName.get('customer_name')![0].span!.end),
      'customer_name',
    );
  });
  test('a leads file the caller did not read makes the set incomplete', () => {
    const a = analyze('version: 1\ntitle: t\nleads: ./l.csv\nnodes:\n  d: { type: DROPPED }\n');
    assert.equal(knownVariables(a.model!, {}).complete, false);
    assert.equal(knownVariables(a.model!, { leads: { path: './l.csv', problem: 'unreadable' } }).complete, false);
  });
});

describe('graph algorithms', () => {
  test('Tarjan is iterative: a 200,000-node chain and cycle do not overflow the stack', () => {
    const n = 200_000;
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    assert.equal(stronglyConnected(chain).count, n);
    const cycle = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    const r = stronglyConnected(cycle);
    assert.equal(r.count, 1);
  });
  test('components come in reverse topological order and respect keep()', () => {
    // 0 → 1 ⇄ 2 → 3
    const succ = [[1], [2], [1, 3], []];
    const { comp, count } = stronglyConnected(succ);
    assert.equal(count, 3);
    assert.equal(comp[1], comp[2]);
    assert.ok(comp[3] < comp[1] && comp[1] < comp[0]);
    const kept = stronglyConnected(succ, (i) => i !== 2);
    assert.equal(kept.comp[2], -1);
    assert.equal(kept.count, 3);
  });
  test('entry: terminals are never candidates, self-loops do not count as incoming', () => {
    const a = analyze(
      'version: 1\ntitle: t\nnodes:\n  c: { type: VOICE_CALL, config: { agent_id: a, from_phone_number: "+912234567890" }, next: [{ on: DNP, to: c }, { to: d }] }\n  d: { type: DROPPED }\n  spare: { type: CONVERTED }\n',
    );
    assert.equal(a.graph!.entry, 'c');
    assert.deepEqual(a.graph!.roots, ['c', 'spare']);
  });
});

function mapAt(doc: ReturnType<typeof parseDocument>, path: string[]): YAMLMap {
  const n = doc.getIn(path, true);
  assert.ok(isMap(n));
  return n as YAMLMap;
}
function seqAt(doc: ReturnType<typeof parseDocument>, path: string[]): YAMLSeq {
  const n = doc.getIn(path, true);
  assert.ok(isSeq(n));
  return n as YAMLSeq;
}
function run(
  text: string,
  edit: (
    src: { text: string; lines: LineIndex },
    doc: ReturnType<typeof parseDocument>,
  ) => ReturnType<typeof insertPairs>,
): string {
  const lines = new LineIndex(text);
  const e = edit({ text, lines }, parseDocument(text));
  assert.ok(e, 'an edit');
  return applyEdits(text, lines, [e!]);
}

describe('edit helpers', () => {
  test("insertPairs: block at the keys' indentation, before a named key; flow with commas; empty flow map", () => {
    assert.equal(
      run('a:\n  x: 1\n  next: []\n', (s, d) => insertPairs(s, mapAt(d, ['a']), [{ key: 'y', flow: '2' }], ['next'])),
      'a:\n  x: 1\n  y: 2\n  next: []\n',
    );
    assert.equal(
      run('a:\n  x: 1  # c\n', (s, d) => insertPairs(s, mapAt(d, ['a']), [{ key: 'y', flow: '[1]', block: ['- 1'] }])),
      'a:\n  x: 1  # c\n  y:\n    - 1\n',
    );
    assert.equal(
      run('a: { x: 1 }\n', (s, d) => insertPairs(s, mapAt(d, ['a']), [{ key: 'y', flow: '2' }])),
      'a: { x: 1, y: 2 }\n',
    );
    assert.equal(
      run('a: {}\n', (s, d) => insertPairs(s, mapAt(d, ['a']), [{ key: 'y', flow: '2' }])),
      'a: { y: 2 }\n',
    );
    assert.equal(
      run('a:\r\n  x: 1\r\n', (s, d) => insertPairs(s, mapAt(d, ['a']), [{ key: 'y', flow: '2' }])),
      'a:\r\n  x: 1\r\n  y: 2\r\n',
    );
  });
  test("deletePair: whole lines in block style, comma in flow style, pulls a list item's next key up", () => {
    assert.equal(
      run('a:\n  x: 1\n  y:\n    - 2\n  z: 3\n', (s, d) => deletePair(s, mapAt(d, ['a']), 'y')),
      'a:\n  x: 1\n  z: 3\n',
    );
    assert.equal(
      run('a: { x: 1, y: 2 }\n', (s, d) => deletePair(s, mapAt(d, ['a']), 'y')),
      'a: { x: 1 }\n',
    );
    assert.equal(
      run('a: { x: 1, y: 2 }\n', (s, d) => deletePair(s, mapAt(d, ['a']), 'x')),
      'a: { y: 2 }\n',
    );
    const t = 'l:\n  - on: A\n    to: b\n';
    const lines = new LineIndex(t);
    const doc = parseDocument(t);
    const item = seqAt(doc, ['l']).items[0] as YAMLMap;
    assert.equal(applyEdits(t, lines, [deletePair({ text: t, lines }, item, 'on')!]), 'l:\n  - to: b\n');
  });
  test('deleteSeqItem: block lines, flow commas, the last item leaves []', () => {
    assert.equal(
      run('l:\n  - a\n  - b  # c\n  - c\n', (s, d) => deleteSeqItem(s, seqAt(d, ['l']), 1)),
      'l:\n  - a\n  - c\n',
    );
    assert.equal(
      run('l:\n  - a\n  - b', (s, d) => deleteSeqItem(s, seqAt(d, ['l']), 1)),
      'l:\n  - a',
    );
    assert.equal(
      run('l: [a, b, c]\n', (s, d) => deleteSeqItem(s, seqAt(d, ['l']), 2)),
      'l: [a, b]\n',
    );
    assert.equal(
      run('l: [a, b, c]\n', (s, d) => deleteSeqItem(s, seqAt(d, ['l']), 0)),
      'l: [b, c]\n',
    );
    assert.equal(
      run('l: [a]\n', (s, d) => deleteSeqItem(s, seqAt(d, ['l']), 0)),
      'l: []\n',
    );
  });
  test('appendEdges: creates next, extends block and flow lists, fills an empty list', () => {
    assert.equal(
      run('n:\n  type: TIME\n', (s, d) => appendEdges(s, mapAt(d, ['n']), [{ to: 'x' }])),
      'n:\n  type: TIME\n  next:\n    - to: x\n',
    );
    assert.equal(
      run('n:\n  next:\n    - to: a\n', (s, d) => appendEdges(s, mapAt(d, ['n']), [{ on: 'true', to: 'x' }])),
      'n:\n  next:\n    - to: a\n    - on: "true"\n      to: x\n',
    );
    assert.equal(
      run('n:\n  next:\n    - { to: a }\n', (s, d) => appendEdges(s, mapAt(d, ['n']), [{ on: 'B', to: 'x' }])),
      'n:\n  next:\n    - { to: a }\n    - { on: B, to: x }\n',
    );
    assert.equal(
      run('n: { next: [] }\n', (s, d) => appendEdges(s, mapAt(d, ['n']), [{ to: 'x' }])),
      'n: { next: [{ to: x }] }\n',
    );
  });
  test('yamlString quotes what would not read back as the same string', () => {
    assert.equal(yamlString('agt_abc123'), 'agt_abc123');
    assert.equal(yamlString('true'), '"true"');
    assert.equal(yamlString('+912234567890'), '"+912234567890"');
    assert.equal(yamlString(''), '""');
    assert.equal(yamlString('NO'), '"NO"');
  });
});
