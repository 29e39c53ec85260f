// Multi-root workspaces (issue 9, item 1): a `leads:` path is confined to the workspace folder
// that holds the workflow file — any of the client's folders, not only the first — and never
// reaches into a sibling folder. The built server over stdio; folders without `.git`, outside the
// server's working directory, so the workspace folder is what decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-once';
import { TestClient } from './lsp-client';

const workflow = (leads: string) =>
  `version: 1\ntitle: t\nleads: ${leads}\nvariables: [customer_name]\nentry: done\nnodes:\n  done: { type: CONVERTED }\n`;

test('leads: confined to the workspace folder holding the file, in every root of a multi-root workspace', async () => {
  ensureBuilt();
  const base = mkdtempSync(path.join(os.tmpdir(), 'callflow-roots-'));
  const a = path.join(base, 'a'),
    b = path.join(base, 'b');
  for (const d of [a, path.join(b, 'flows'), path.join(b, 'data')]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(a, 'secret.csv'), 'phone_number,customer_name\n');
  writeFileSync(path.join(b, 'data', 'leads.csv'), 'phone_number,customer_name\n');
  const c = new TestClient({ settings: { validate: { debounceMs: 0 } } });
  try {
    // The client's own initialize: two folders (the helper declares one).
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(a).toString(),
      workspaceFolders: [a, b].map((f, i) => ({ uri: pathToFileURL(f).toString(), name: `ws${i}` })),
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    await c.conn.sendNotification('initialized', {});
    await c.serverReady();
    const wf125 = async (name: string, leads: string) => {
      const uri = pathToFileURL(path.join(b, 'flows', name)).toString();
      c.open(uri, workflow(leads));
      return (await c.diagnosticsFor(uri, 1)).filter((d) => d.code === 'WF125').map((d) => String(d.message));
    };
    // Up one level from flows/ but inside folder b (the second root): read.
    assert.deepEqual(await wf125('inside.workflow.yaml', '../data/leads.csv'), []);
    // Out of b into its sibling root a: refused, whatever other roots the workspace has.
    const out = await wf125('sibling.workflow.yaml', '../../a/secret.csv');
    assert.equal(out.length, 1);
    assert.match(out[0], /outside the repository \(or workspace folder\)/);
  } finally {
    await c.close();
    rmSync(base, { recursive: true, force: true });
  }
});
