// callflow/workflowTests over stdio with a real client: the editor's Testing view gets the same
// results `callflow test` prints (one function, core/workflow-test-run.ts), reads an open workflow's
// unsaved text, and never reads a workflow outside the workspace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runWorkflowTest } from '../../core/workflow-test-run';
import type { WorkflowTestsRequest } from '../../protocol';
import { ensureBuilt } from './build-once';
import { ROOT, TestClient } from './lsp-client';

const EXAMPLE = readFileSync(path.join(ROOT, 'examples/lead-nurture.workflow.yaml'), 'utf8');
const TESTS = readFileSync(path.join(ROOT, 'examples/lead-nurture.workflow.test.yaml'), 'utf8');
let dir: string;
let c: TestClient;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();
const ask = (name: string, text: string) =>
  c.request<WorkflowTestsRequest.Result>('callflow/workflowTests', { uri: uriOf(name), text });

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-wt-'));
  writeFileSync(path.join(dir, 'lead-nurture.workflow.yaml'), EXAMPLE);
  c = new TestClient({ workspaceFolder: dir, settings: { validate: { debounceMs: 0 } } });
  await c.initialize();
  await c.serverReady();
});
after(async () => {
  await c.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('callflow/workflowTests', () => {
  test('the example cases pass, with the same results as core gives the CLI', async () => {
    const r = await ask('lead-nurture.workflow.test.yaml', TESTS);
    assert.equal(r.ran, true);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.workflowUri, uriOf('lead-nurture.workflow.yaml'));
    const direct = runWorkflowTest(TESTS, (p) => ({ path: p, text: EXAMPLE }));
    assert.deepEqual(
      r.cases.map((x) => [x.name, x.status, x.range, x.expectRange]),
      direct.cases.map((x) => [x.name, x.status, x.range, x.expectRange]),
    );
    assert.ok(r.cases.length >= 5 && r.cases.every((x) => x.status === 'pass'));
    assert.deepEqual(r.cases[0].actual, {
      path: ['first_call', 'wait_two_days', 'second_call', 'qualified', 'notify_sales', 'converted'],
      ends: 'CONVERTED',
      elapsedHours: 48,
      calls: 2,
    });
  });

  test('a failing case carries each failure at its expectation', async () => {
    const text = TESTS.replace(
      'elapsed_hours: 48\n      calls: 2\n      rendered',
      'elapsed_hours: 24\n      calls: 2\n      rendered',
    );
    const r = await ask('lead-nurture.workflow.test.yaml', text);
    const failed = r.cases.find((x) => x.status === 'fail')!;
    assert.equal(failed.name, 'picks up on the second try and qualifies');
    assert.deepEqual(
      failed.failures.map((f) => [f.field, f.expected, f.actual, text.split('\n')[f.range.start.line].trim()]),
      [['elapsed_hours', 24, 48, 'elapsed_hours: 24']],
    );
  });

  test("an open workflow's unsaved text is what the cases run against", async () => {
    const uri = uriOf('lead-nurture.workflow.yaml');
    c.open(uri, EXAMPLE.replace('delay_hours: 48', 'delay_hours: 72'));
    const r = await ask('lead-nurture.workflow.test.yaml', TESTS);
    const first = r.cases[0];
    assert.equal(first.status, 'fail');
    assert.equal(first.actual?.elapsedHours, 72);
    void c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('a bad test file lists its cases as not run, with diagnostics at their places', async () => {
    const text =
      'workflow: lead-nurture.workflow.yaml\ncases:\n  one:\n    outcomes: { frist_call: [DNP] }\n    expect: { calls: 1 }\n';
    const r = await ask('bad.workflow.test.yaml', text);
    assert.equal(r.ran, false);
    assert.deepEqual(
      r.cases.map((x) => [x.name, x.status]),
      [['one', 'not-run']],
    );
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['WT004', 3, 16]],
    );
  });

  test('a workflow outside the workspace is refused without being read', async () => {
    const text = 'workflow: ../../../../../../etc/x.workflow.yaml\ncases:\n  one: { expect: { calls: 0 } }\n';
    const r = await ask('out.workflow.test.yaml', text);
    assert.equal(r.ran, false);
    assert.match(r.diagnostics[0].message, /outside the test file's repository/);
  });
});
