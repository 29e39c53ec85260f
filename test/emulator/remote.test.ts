// core/remote.ts: a remote workflow rendered as workflow text that core reads back to the same graph.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatWorkflow } from '../../core/format';
import { buildModel } from '../../core/model';
import { parseText } from '../../core/parse';
import { keyFromLabel, remoteToWorkflow, type RemoteGraph } from '../../core/remote';
import { validate } from '../../core/validate';

const REMOTE: RemoteGraph = {
  workflow: {
    id: 'wfl_aaaaaaaaaaaa',
    title: '30-day lead nurture',
    description: 'Calls leads',
    max_concurrent_calls: 10,
  },
  nodes: [
    {
      id: 'node_call00000001',
      node_type: 'VOICE_CALL',
      label: 'Initial outreach call',
      position_x: 100,
      position_y: 200,
      config: { agent_id: 'agt_abc123', from_phone_number: '+912234567890' },
    },
    {
      id: 'node_wait00000001',
      node_type: 'TIME',
      label: 'Wait 2 days',
      position_x: 100,
      position_y: 320,
      config: { delay_hours: 48 },
    },
    {
      id: 'node_cond00000001',
      node_type: 'CONDITIONAL',
      label: 'Loan above 5 lakh?',
      position_x: 300,
      position_y: 200,
      config: { logic: 'AND', conditions: [{ field: 'loan_amount', operator: 'greater_than', value: 500000 }] },
    },
    {
      id: 'node_conv00000001',
      node_type: 'CONVERTED',
      label: 'converted',
      position_x: 500,
      position_y: 200,
      config: {},
    },
    { id: 'node_drop00000001', node_type: 'DROPPED', label: '', position_x: 500, position_y: 400, config: {} },
  ],
  edges: [
    { id: 'edge_1', from_node_id: 'node_call00000001', to_node_id: 'node_cond00000001', label: 'COMPLETED' },
    { id: 'edge_2', from_node_id: 'node_wait00000001', to_node_id: 'node_call00000001', label: null },
    { id: 'edge_3', from_node_id: 'node_cond00000001', to_node_id: 'node_conv00000001', label: 'true' },
    { id: 'edge_4', from_node_id: 'node_call00000001', to_node_id: 'node_wait00000001', label: 'DNP' },
    { id: 'edge_5', from_node_id: 'node_cond00000001', to_node_id: 'node_drop00000001', label: 'false' },
    { id: 'edge_6', from_node_id: 'node_call00000001', to_node_id: 'node_drop00000001' },
  ],
};

describe('keyFromLabel', () => {
  it('makes snake_case keys matching [a-z][a-z0-9_]*', () => {
    assert.equal(keyFromLabel('Initial outreach call', 'VOICE_CALL'), 'initial_outreach_call');
    assert.equal(keyFromLabel('Loan above 5 lakh?', 'CONDITIONAL'), 'loan_above_5_lakh');
    assert.equal(keyFromLabel('  Café — Réunion  ', 'TIME'), 'cafe_reunion');
    assert.equal(keyFromLabel('sendEmail', 'APPLICATION'), 'send_email');
    assert.equal(keyFromLabel('2nd call', 'VOICE_CALL'), 'voice_call_2nd_call');
    assert.equal(keyFromLabel('', 'DROPPED'), 'dropped');
    assert.equal(keyFromLabel(null, 'TIME'), 'time');
    assert.equal(keyFromLabel('!!!', 'CONVERTED'), 'converted');
    assert.equal(keyFromLabel('Yes', 'CONVERTED'), 'yes_node');
    assert.equal(keyFromLabel('null', 'CONVERTED'), 'null_node');
    const long = keyFromLabel('A very long label that keeps going well past any sensible key length', 'TIME');
    assert.ok(long.length <= 40, long);
    assert.match(long, /^[a-z][a-z0-9_]*[a-z0-9]$/);
    for (const label of ['日本語', '___', '9', 'x'.repeat(100), 'Ünïcödé', 'a-b-c', 'ALL CAPS LABEL']) {
      assert.match(keyFromLabel(label, 'VOICE_CALL'), /^[a-z][a-z0-9_]*$/, label);
    }
  });
});

describe('remoteToWorkflow', () => {
  const r = remoteToWorkflow(REMOTE);

  it('maps ids to unique keys and back', () => {
    assert.deepEqual(
      [...r.keyById.values()],
      ['initial_outreach_call', 'wait_2_days', 'loan_above_5_lakh', 'converted', 'dropped'],
    );
    for (const [id, key] of r.keyById) assert.equal(r.idByKey.get(key), id);
    const twins = remoteToWorkflow({
      workflow: { title: 't' },
      nodes: [1, 2, 3].map((i) => ({ id: `n${i}`, node_type: 'DROPPED', label: 'End' })),
      edges: [],
    });
    assert.deepEqual([...twins.keyById.values()], ['end', 'end_2', 'end_3']);
  });

  it('writes text core reads back as the same graph, edges in creation order', () => {
    const parsed = parseText(r.text);
    assert.deepEqual(parsed.diagnostics, []);
    const model = buildModel(parsed.doc!, parsed.text);
    assert.equal(model.title?.value, '30-day lead nurture');
    assert.equal(model.maxConcurrentCalls?.value, 10);
    assert.deepEqual(
      model.nodes.map((n) => n.key),
      [...r.keyById.values()],
    );
    const call = model.nodeByKey.get('initial_outreach_call')!;
    assert.deepEqual(
      call.next.map((e) => [e.on?.value, e.to?.value]),
      [
        ['COMPLETED', 'loan_above_5_lakh'],
        ['DNP', 'wait_2_days'],
        [undefined, 'dropped'],
      ],
    );
    const cond = model.nodeByKey.get('loan_above_5_lakh')!;
    assert.deepEqual(
      cond.next.map((e) => [e.on?.value, e.to?.value]),
      [
        ['true', 'converted'],
        ['false', 'dropped'],
      ],
    );
    assert.deepEqual(cond.config?.value, REMOTE.nodes[2].config);
    assert.equal(call.label?.value, 'Initial outreach call');
    assert.equal(model.nodeByKey.get('converted')!.label, undefined, 'a label equal to its key is left out');
    assert.deepEqual((parsed.data as any).nodes.initial_outreach_call.position, { x: 100, y: 200 });
    assert.deepEqual(r.edgeKeyById.get('edge_4'), {
      from: 'initial_outreach_call',
      index: 1,
      to: 'wait_2_days',
      on: 'DNP',
    });
    assert.deepEqual(r.edgeKeyById.get('edge_6'), { from: 'initial_outreach_call', index: 2, to: 'dropped' });
    // "true"/"false" labels stay strings (quoted), not YAML booleans.
    assert.match(r.text, /on: "true"/);
  });

  it('is valid for the schema and already in canonical form', () => {
    const codes = validate(r.text).map((d) => d.code);
    assert.ok(!codes.some((c) => c <= 'WF004' || c === 'WF002'), codes.join(' '));
    const f = formatWorkflow(r.text);
    assert.ok('text' in f && !f.changed, 'fmt leaves it unchanged');
    assert.match(r.text, /^version: 1\ntitle: 30-day lead nurture\ndescription: Calls leads\n/);
  });

  it('adds variables when given, and leaves out edges whose nodes are missing', () => {
    const v = remoteToWorkflow({
      ...REMOTE,
      variables: ['customer_name', 'loan_amount'],
      edges: [...REMOTE.edges, { id: 'edge_x', from_node_id: 'node_call00000001', to_node_id: 'node_gone' }],
    });
    assert.deepEqual((parseText(v.text).data as any).variables, ['customer_name', 'loan_amount']);
    assert.deepEqual(
      v.skippedEdges.map((e) => e.id),
      ['edge_x'],
    );
    assert.equal(v.edgeKeyById.has('edge_x'), false);
  });

  it('renders an empty workflow', () => {
    const e = remoteToWorkflow({
      workflow: { title: 'Empty', description: null, max_concurrent_calls: null },
      nodes: [],
      edges: [],
    });
    const parsed = parseText(e.text);
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(parsed.data, { version: 1, title: 'Empty', nodes: {} });
  });
});

describe('remoteToWorkflow without formatting', () => {
  it('gives the same data and ids when canonical is false', () => {
    const a = remoteToWorkflow(REMOTE);
    const b = remoteToWorkflow(REMOTE, { canonical: false });
    assert.deepEqual(parseText(b.text).data, parseText(a.text).data);
    assert.deepEqual([...b.idByKey], [...a.idByKey]);
  });
});
