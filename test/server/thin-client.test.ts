// The requests that let the extension host hold no parser, schema checker or layout
// (protocol/index.ts), over stdio with a real client: each answer equals what core/ and platform/
// give for the same text, so the editor and the CLI agree by construction.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { changeStatus, diffWorkflows, renderDiffText, renderDiffTextLinked } from '../../core/diff';
import { toDot, toMermaid, toSvg } from '../../core/export';
import { keyFromLabel, remoteToWorkflow } from '../../core/remote';
import { analyze } from '../../core/validate';
import { desiredFromModel } from '../../platform/desired';
import type {
  DiffRequest,
  ExportRequest,
  GraphModel,
  NodeLocationRequest,
  PrePushRequest,
  RenderRemoteRequest,
} from '../../protocol';
import { ensureBuilt } from './build-once';
import { positionAt, ROOT, TestClient } from './lsp-client';

const EXAMPLE = readFileSync(path.join(ROOT, 'examples/lead-nurture.workflow.yaml'), 'utf8');
let dir: string;
let c: TestClient;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-thin-'));
  writeFileSync(
    path.join(dir, 'leads.sample.csv'),
    'phone_number,customer_name,loan_amount,city\n+910000000000,A,1,B\n',
  );
  c = new TestClient({ workspaceFolder: dir, settings: { validate: { debounceMs: 0 } } });
  await c.initialize();
  await c.serverReady();
});
after(async () => {
  await c.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('thin client requests', () => {
  test('callflow/graph: positions, routed edges with label boxes, colours, extent and edge ranges', async () => {
    const uri = uriOf('g.workflow.yaml');
    c.open(uri, EXAMPLE);
    const g = await c.request<GraphModel>('callflow/graph', { uri, layout: true });
    assert.equal(g.ok, true);
    assert.equal(g.title, analyze(EXAMPLE).model!.title!.value);
    assert.equal(g.syntaxError, undefined);
    assert.ok(g.colors.VOICE_CALL);
    assert.ok(g.width! > 0 && g.height! > 0);
    for (const n of g.nodes) assert.ok(n.position!.x + n.size!.width <= g.width!);
    for (const e of g.edges) {
      assert.ok(e.points!.length >= 2, `${e.from}→${e.to} routed`);
      if (e.label !== undefined) assert.ok(e.labelBox, `${e.from}→${e.to} label placed`);
      // Edge ranges are real (the client's old copy left them at 0:0).
      const lines = EXAMPLE.split('\n').slice(e.range.start.line, e.range.end.line + 1);
      assert.ok(e.range.start.line > 0);
      assert.ok(
        lines.some((l) => l.includes(`to: ${e.to}`)),
        lines.join('\n'),
      );
    }
  });

  test('callflow/graph: a YAML syntax error is reported, not drawn', async () => {
    const uri = uriOf('broken.workflow.yaml');
    c.open(uri, EXAMPLE.replace('nodes:', 'nodes: [\n'));
    const g = await c.request<GraphModel>('callflow/graph', { uri, layout: false });
    const want = analyze(EXAMPLE.replace('nodes:', 'nodes: [\n')).parsed.diagnostics.find(
      (d) => d.code === 'WF001' || d.code === 'WF004',
    );
    assert.ok(want);
    assert.deepEqual(g.syntaxError, { line: want.range.start.line, message: want.message });
  });

  test('callflow/export: mermaid, dot and svg equal core/export.ts', async () => {
    const uri = uriOf('e.workflow.yaml');
    c.open(uri, EXAMPLE);
    const a = analyze(EXAMPLE);
    const want = {
      mermaid: toMermaid(a.model!, a.graph),
      dot: toDot(a.model!, a.graph),
      svg: await toSvg(a.model!, a.graph),
    };
    for (const format of ['mermaid', 'dot', 'svg'] as const) {
      const r = await c.request<ExportRequest.Result>('callflow/export', { uri, format });
      assert.deepEqual(r, { ok: true, text: want[format] });
    }
    const bad = uriOf('e2.workflow.yaml');
    c.open(bad, '- a list\n- not a workflow\n');
    const r = await c.request<ExportRequest.Result>('callflow/export', { uri: bad, format: 'mermaid' });
    assert.equal(r.ok, false);
  });

  test('callflow/nodeLocation and callflow/nodeAt map node keys and text positions both ways', async () => {
    const uri = uriOf('n.workflow.yaml');
    c.open(uri, EXAMPLE);
    const model = analyze(EXAMPLE).model!;
    for (const n of model.nodes) {
      const r = await c.request<NodeLocationRequest.Result | null>('callflow/nodeLocation', { uri, key: n.key });
      assert.deepEqual(r?.keyRange.start, positionAt(EXAMPLE, n.keySpan.start));
      assert.deepEqual(r?.range.end, positionAt(EXAMPLE, n.span.end));
      const at = await c.request<{ key?: string }>('callflow/nodeAt', {
        uri,
        position: positionAt(EXAMPLE, n.keySpan.start + 1),
      });
      assert.equal(at.key, n.key);
    }
    assert.equal(await c.request('callflow/nodeLocation', { uri, key: 'no_such_node' }), null);
    assert.deepEqual(await c.request('callflow/nodeAt', { uri, position: { line: 0, character: 0 } }), {});
  });

  test('callflow/diff equals core/diff.ts against a base text', async () => {
    const uri = uriOf('d.workflow.yaml');
    const now = EXAMPLE.replace('to: second_call', 'to: notify_sales');
    c.open(uri, now);
    const want = diffWorkflows(EXAMPLE, now);
    assert.ok(!('error' in want));
    const r = await c.request<DiffRequest.Result>('callflow/diff', { uri, baseText: EXAMPLE });
    assert.deepEqual(r, {
      ok: true,
      equal: want.equal,
      nodes: want.nodes.length,
      text: renderDiffText(want),
      links: renderDiffTextLinked(want).links,
      status: changeStatus(want),
    });
    const bad = await c.request<DiffRequest.Result>('callflow/diff', { uri, baseText: 'nodes: [' });
    assert.equal(bad.ok, false);
  });

  test('callflow/prePush: the DesiredWorkflow of platform/desired.ts, node lines, leads read as the CLI does', async () => {
    const uri = uriOf('p.workflow.yaml');
    c.open(uri, EXAMPLE);
    const r = await c.request<PrePushRequest.Result>('callflow/prePush', { uri, workspaceLimit: 1000 });
    const a = analyze(EXAMPLE);
    assert.equal(r.usable, true);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.desired, JSON.parse(JSON.stringify(desiredFromModel(a.model!))));
    for (const n of a.model!.nodes) assert.equal(r.nodeLines[n.key], positionAt(EXAMPLE, n.keySpan.start).line);
    // The text given wins over the server's copy; a missing leads column is an error here too.
    const broken = EXAMPLE.replace('{{customer_name}}', '{{not_a_column}}');
    const r2 = await c.request<PrePushRequest.Result>('callflow/prePush', { uri, text: broken });
    assert.ok(r2.errors.length > 0, JSON.stringify(r2));
    assert.equal(r2.desired, undefined);
    // The target's concurrency limit applies (WF105).
    const r3 = await c.request<PrePushRequest.Result>('callflow/prePush', { uri, workspaceLimit: 1 });
    const limited = analyze(EXAMPLE, { workspaceLimit: 1 }).diagnostics.some((d) => d.code === 'WF105');
    assert.equal(r3.errors.some((d) => d.code === 'WF105') || r3.warnings.some((d) => d.code === 'WF105'), limited);
  });

  test('callflow/renderRemote renders a pulled workflow as core/remote.ts does for `callflow pull`', async () => {
    const params: RenderRemoteRequest.Params = {
      workflow: { id: 'wfl_1', title: 'Pulled Flow', description: 'd', max_concurrent_calls: 5 },
      nodes: [
        {
          id: 'node_a',
          node_type: 'TIME',
          label: 'Wait a day',
          config: { delay_hours: 24 },
          position_x: 0,
          position_y: 0,
        },
        { id: 'node_b', node_type: 'DROPPED', label: 'Give up', config: {}, position_x: 0, position_y: 200 },
      ],
      edges: [
        { id: 'edge_1', from_node_id: 'node_a', to_node_id: 'node_b', label: null },
        { id: 'edge_2', from_node_id: 'node_a', to_node_id: 'node_elsewhere', label: null },
      ],
      variables: ['city'],
    };
    const want = remoteToWorkflow(params);
    const r = await c.request<RenderRemoteRequest.Result>('callflow/renderRemote', params);
    assert.equal(r.text, want.text);
    assert.deepEqual(r.idByKey, Object.fromEntries(want.idByKey));
    assert.equal(r.fileBase, keyFromLabel('Pulled Flow', 'workflow').replace(/_/g, '-'));
    assert.equal(r.skippedEdges, want.skippedEdges.length);
    assert.equal(r.skippedEdges, 1);
    assert.deepEqual(r.errors, []);
    assert.match(r.text, /wait_a_day:/);
    // Keys a state file records (platform/pull.ts passes them) win over keys from labels.
    const kept = await c.request<RenderRemoteRequest.Result>('callflow/renderRemote', {
      ...params,
      keyById: { node_a: 'pause' },
    });
    assert.match(kept.text, /^ {2}pause:/m);
    assert.equal(kept.idByKey.pause, 'node_a');
  });
});
