// platform/workspace-files.ts: the leads file is read confined to the repository and bounded, and
// the problem is structured so WF125 says one thing in the CLI and the editor (issue 9 items 1, 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  LEADS_HEAD_BYTES,
  LeadsReader,
  leadsPathFromText,
  leadsRoot,
  readLeadsHeader,
  walkWorkflowFiles,
  walkWorkflowFilesAsync,
  workflowFileProblem,
} from '../../platform/workspace-files';
import { findConfig } from '../../platform/targets';
import { analyze } from '../../core/validate';
import { mapActivationMessages } from '../../platform/activation';

function repo(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'callflow-wsf-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  mkdirSync(path.join(d, 'repo/.git'), { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    writeFileSync(path.join(d, p), text);
  }
  return d;
}

const wf = (d: string) => path.join(d, 'repo/flows/a.workflow.yaml');

test('leadsRoot: the repository, else the workspace folder, else cwd, else the file folder', (t) => {
  const d = repo(t, { 'repo/flows/a.workflow.yaml': '', 'loose/x/b.workflow.yaml': '' });
  assert.equal(leadsRoot(wf(d)), path.join(d, 'repo'));
  const b = path.join(d, 'loose/x/b.workflow.yaml');
  assert.equal(leadsRoot(b, { workspaceFolders: [path.join(d, 'loose')], cwd: '/' }), path.join(d, 'loose'));
  assert.equal(leadsRoot(b, { cwd: path.join(d, 'loose') }), path.join(d, 'loose'));
  assert.equal(leadsRoot(b, { cwd: path.join(d, 'repo') }), path.join(d, 'loose/x'));
});

test('a leads file inside the repository: its header only', (t) => {
  const d = repo(t, {
    'repo/flows/a.workflow.yaml': '',
    'repo/data/leads.csv': '\n\uFEFFphone_number,"first\nname",city\r\n+1,Ana,Pune\n' + 'x,y,z\n'.repeat(100_000),
  });
  const root = leadsRoot(wf(d));
  assert.deepEqual(readLeadsHeader(wf(d), '../data/leads.csv', root), {
    path: '../data/leads.csv',
    columns: ['phone_number', 'first\nname', 'city'],
  });
});

test('refused without reading: absolute, escaping, symlinked out, non-regular', (t) => {
  const d = repo(t, {
    'repo/flows/a.workflow.yaml': '',
    'outside/secret.csv': 'phone_number,TOKEN_abcdef\n',
    'repo/data/ok.csv': 'phone_number\n',
  });
  const root = leadsRoot(wf(d));
  symlinkSync(path.join(d, 'outside/secret.csv'), path.join(d, 'repo/data/link.csv'));
  symlinkSync(path.join(d, 'outside'), path.join(d, 'repo/data/outdir'));
  symlinkSync('/dev/zero', path.join(d, 'repo/data/zero.csv'));
  symlinkSync(path.join(d, 'repo/data/ok.csv'), path.join(d, 'repo/data/inside-link.csv'));
  symlinkSync(path.join(d, 'nowhere.csv'), path.join(d, 'repo/data/dangling.csv'));
  execFileSync('mkfifo', [path.join(d, 'repo/data/fifo.csv')]);
  const cases: [string, string][] = [
    ['/proc/self/environ', 'absolute'],
    ['/etc/passwd', 'absolute'],
    ['~/.env', 'absolute'],
    ['../../outside/secret.csv', 'outside-root'],
    ['../data/../../outside/secret.csv', 'outside-root'],
    ['../data/link.csv', 'outside-root'],
    ['../data/outdir/secret.csv', 'outside-root'],
    ['../data/zero.csv', 'outside-root'],
    ['../data/dangling.csv', 'outside-root'],
    ['../data/fifo.csv', 'not-regular'],
    ['../data', 'folder'],
    ['../data/none.csv', 'not-found'],
  ];
  for (const [p, problem] of cases) assert.deepEqual(readLeadsHeader(wf(d), p, root), { path: p, problem }, p);
  assert.deepEqual(readLeadsHeader(wf(d), '../data/inside-link.csv', root).columns, ['phone_number']);
});

test('bounded: no line end in 64 KiB, NUL bytes', (t) => {
  const d = repo(t, {
    'repo/flows/a.workflow.yaml': '',
    'repo/long.csv': 'a'.repeat(LEADS_HEAD_BYTES * 4),
    'repo/bin.csv': 'phone\0number\n',
  });
  const root = leadsRoot(wf(d));
  assert.equal(readLeadsHeader(wf(d), '../long.csv', root).problem, 'header-too-long');
  assert.equal(readLeadsHeader(wf(d), '../bin.csv', root).problem, 'not-text');
});

test('WF125 never quotes content that is not a column name', (t) => {
  const d = repo(t, {
    'repo/flows/a.workflow.yaml': '',
    'repo/.env': 'API_KEY=sk_live_abcdef123456 other,second\n',
  });
  const info = readLeadsHeader(wf(d), '../.env', leadsRoot(wf(d)));
  const a = analyze('version: 1\ntitle: t\nleads: ../.env\nnodes:\n  d: { type: DROPPED }\n', { leads: info });
  const w = a.diagnostics.find((x) => x.code === 'WF125')!;
  assert.match(w.message, /has no phone_number column/);
  assert.doesNotMatch(w.message, /sk_live|API_KEY/);
  assert.match(w.message, /second, 1 not named as variables/);
});

test('one message in the CLI and the editor for a missing file', () => {
  const a = analyze('version: 1\ntitle: t\nleads: ./missing.csv\nnodes:\n  d: { type: DROPPED }\n', {
    leads: { path: './missing.csv', problem: 'not-found' },
  });
  assert.equal(
    a.diagnostics.find((x) => x.code === 'WF125')?.message,
    'leads file "./missing.csv" cannot be used: file not found',
  );
});

test('LeadsReader caches by mtime and size and re-reads after a change', (t) => {
  const d = repo(t, { 'repo/flows/a.workflow.yaml': '', 'repo/l.csv': 'phone_number,a\n' });
  const r = new LeadsReader();
  const root = leadsRoot(wf(d));
  assert.deepEqual(r.read(wf(d), '../l.csv', root).columns, ['phone_number', 'a']);
  writeFileSync(path.join(d, 'repo/l.csv'), 'phone_number,a,b\n');
  assert.deepEqual(r.read(wf(d), '../l.csv', root).columns, ['phone_number', 'a', 'b']);
  assert.equal(r.read(wf(d), '/etc/passwd', root).problem, 'absolute');
});

test('leadsPathFromText reads the top-level value, quoted or plain, comments dropped', () => {
  assert.equal(leadsPathFromText('title: x\nleads: "./a b.csv"  # c\n'), './a b.csv');
  assert.equal(leadsPathFromText("leads: './x.csv'\n"), './x.csv');
  assert.equal(leadsPathFromText('leads: data/l.csv # c\n'), 'data/l.csv');
  assert.equal(leadsPathFromText('  leads: nested.csv\n'), undefined);
});

test('the walk skips dot, dependency and build folders, never follows links, is bounded', async (t) => {
  const d = repo(t, {
    'repo/a.workflow.yaml': '',
    'repo/sub/b.workflow.yaml': '',
    'repo/node_modules/c.workflow.yaml': '',
    'repo/.callflow/d.workflow.yaml': '',
    'repo/dist/e.workflow.yaml': '',
    'outside/f.workflow.yaml': '',
  });
  symlinkSync(path.join(d, 'outside'), path.join(d, 'repo/linked'));
  symlinkSync(path.join(d, 'repo'), path.join(d, 'repo/sub/loop'));
  const root = path.join(d, 'repo');
  assert.deepEqual(walkWorkflowFiles(root), ['a.workflow.yaml', 'sub/b.workflow.yaml']);
  assert.deepEqual(await walkWorkflowFilesAsync(root), [
    path.join(root, 'a.workflow.yaml'),
    path.join(root, 'sub/b.workflow.yaml'),
  ]);
  assert.deepEqual(walkWorkflowFiles(root, { limit: 1 }), ['a.workflow.yaml']);
  assert.deepEqual(walkWorkflowFiles(root, { maxDepth: 0 }), ['a.workflow.yaml']);
});

test('a workflow file that is a device, FIFO or folder is not read', (t) => {
  const d = repo(t, { 'repo/x.workflow.yaml': 'a' });
  execFileSync('mkfifo', [path.join(d, 'repo/f.workflow.yaml')]);
  assert.equal(workflowFileProblem(path.join(d, 'repo/x.workflow.yaml')), undefined);
  assert.equal(workflowFileProblem(path.join(d, 'repo/f.workflow.yaml')), 'not a regular file');
  assert.equal(workflowFileProblem('/dev/zero'), 'not a regular file');
  assert.equal(workflowFileProblem(path.join(d, 'repo')), 'is a folder');
});

test('the config search stops at the repository root', (t) => {
  const d = repo(t, { 'callflow.config.yaml': 'targets: {}\n', 'repo/flows/a.workflow.yaml': '' });
  assert.equal(findConfig(path.join(d, 'repo/flows')), undefined);
  writeFileSync(path.join(d, 'repo/callflow.config.yaml'), 'targets: {}\n');
  assert.equal(findConfig(path.join(d, 'repo/flows')), path.join(d, 'repo/callflow.config.yaml'));
});

test('activation messages name nodes by key and line (platform/activation.ts)', () => {
  const out = mapActivationMessages(
    [
      'node node_abc123 ("First call"): agent agt_x has no published version',
      'workspace limit exceeded',
      'node_zzz is unknown',
      '[WF203] node node_abc123: the prompt uses {{city}} and {{ plan }}, which no lead variable carries',
    ],
    new Map([['call', 'node_abc123']]),
    (key) => (key === 'call' ? { line: 4, character: 2 } : undefined),
  );
  assert.deepEqual(out, [
    {
      message: 'call (line 5): agent agt_x has no published version',
      keys: ['call'],
      line: 4,
      character: 2,
      variables: [],
    },
    { message: 'workspace limit exceeded', keys: [], variables: [] },
    { message: 'node_zzz is unknown', keys: [], variables: [] },
    {
      message: '[WF203] call (line 5): the prompt uses {{city}} and {{ plan }}, which no lead variable carries',
      keys: ['call'],
      line: 4,
      character: 2,
      variables: ['city', 'plan'],
    },
  ]);
  // A node whose line is unknown is named by its key alone.
  assert.equal(
    mapActivationMessages(['node node_abc123 failed'], new Map([['call', 'node_abc123']]), () => undefined)[0].message,
    'call failed',
  );
});
