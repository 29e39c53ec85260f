// The one pull (platform/pull.ts) on both of its paths, against the emulator over HTTP: the CLI
// renders in process, the editor has the language server render (`callflow/renderRemote`, over
// stdio) and runs the same decisions — invalid lead columns left out and said so, the file
// validates, keys kept from a state file, the one collision policy.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../core/validate';
import { readLeadsFile } from '../../platform/leads';
import { uploadLeads } from '../../platform/api';
import { pullDestination, pullWorkflow } from '../../platform/pull';
import { renderPull } from '../../platform/pull-render';
import { readState, statePathFor } from '../../platform/state';
import type { ResolvedTarget } from '../../platform/targets';
import type { RequestType } from '../../protocol';
import * as ops from '../../client/platform-ops';
import { ensureBuilt } from '../server/build-once';
import { TestClient } from '../server/lsp-client';
import { BASE, cli, makeProject, startEmu, workflowIdOf, type Emu } from './helpers';

const FILE = 'flow.workflow.yaml';

describe('pull: one flow for the CLI and the editor', () => {
  let emu: Emu;
  let server: TestClient;
  let dir: string;
  let id: string;
  before(async () => {
    ensureBuilt();
    emu = await startEmu();
    dir = makeProject(emu, { [FILE]: BASE.replace(/^title: (.*)$/m, `title: $1 pull-${process.pid}`) });
    assert.equal((await cli(['push', FILE, '--yes'], { cwd: dir })).code, 0);
    id = workflowIdOf(dir, FILE)!;
    const csv = path.join(dir, 'dashboard.csv');
    writeFileSync(csv, 'phone_number,first name,e-mail,9lives,city\n+14155550111,A,a@x,1,Pune\n');
    await uploadLeads(emu.client(), id, readLeadsFile(csv));
    server = new TestClient({ workspaceFolder: dir, settings: {} });
    await server.initialize();
    await server.serverReady();
  });
  after(async () => {
    await server.close();
    await emu.kill();
  });
  // The editor's engine and connection, as client/platform-ops.ts receives them.
  const engine: ops.Engine = {
    request: <P, R>(type: RequestType<P, R>, params: P) => server.request<R>(type.method, params),
  };
  const conn = () => ({ client: emu.client(), target: { name: 'emu' } as ResolvedTarget });

  it('the editor path writes a file that validates, leaves out invalid lead columns and says so', async () => {
    const into = mkdtempSync(path.join(tmpdir(), 'cf-pull-'));
    const r = await ops.pullInto(engine, conn(), id, into);
    assert.ok(r);
    const text = readFileSync(r.file, 'utf8');
    assert.deepEqual(
      analyze(text).diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.match(text, /variables: \[city\]/);
    assert.deepEqual(r.pulled.errors, []);
    assert.match(
      r.pulled.omitted.join('\n'),
      /3 lead columns that are not variable names \("first name", "e-mail", "9lives"\)/,
    );
    assert.equal(readState(statePathFor(r.file)).targets.get('emu')?.workflowId, id);
    // The same decisions and the same text as the CLI's in-process rendering.
    const cliSide = await pullWorkflow(emu.client(), id, { target: 'emu', render: renderPull });
    assert.equal(cliSide!.text, text);
    assert.deepEqual(cliSide!.omitted, r.pulled.omitted);
    // A second pull into the same folder is numbered, never over the first.
    const again = await ops.pullInto(engine, conn(), id, into);
    assert.equal(path.basename(again!.file), path.basename(r.file).replace('.workflow.yaml', '-2.workflow.yaml'));
  });

  it('the editor path keeps the node keys a state file records (as the CLI does)', async () => {
    const pulled = await ops.pullRemote(engine, conn(), id, statePathFor(path.join(dir, FILE)));
    for (const key of ['call', 'wait', 'recall']) assert.match(pulled!.text, new RegExp(`^  ${key}:`, 'm'));
    const fresh = await ops.pullRemote(engine, conn(), id);
    assert.doesNotMatch(fresh!.text, /^ {2}call:/m, 'without the state, keys come from labels');
  });

  it('one collision policy: a named file that exists needs force; the default name is numbered', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'cf-pull-dest-'));
    writeFileSync(path.join(d, 'x.workflow.yaml'), '');
    assert.deepEqual(pullDestination({ fileBase: 'x' }, { dir: d, output: 'x.workflow.yaml' }), {
      exists: 'x.workflow.yaml',
    });
    assert.deepEqual(pullDestination({ fileBase: 'x' }, { dir: d, output: 'x.workflow.yaml', force: true }), {
      file: path.join(d, 'x.workflow.yaml'),
    });
    assert.deepEqual(pullDestination({ fileBase: 'x' }, { dir: d }), { file: path.join(d, 'x-2.workflow.yaml') });
    assert.ok(!existsSync(path.join(d, 'x-2.workflow.yaml')));
  });
});
