import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findWorkflowFiles,
  gatherValidateOptions,
  readLeadsInfo,
  readWorkspaceLimit,
  writeTextFileAtomic,
} from '../../cli/files';
import { CliError } from '../../cli/io';

function tree(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'callflow-files-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    writeFileSync(path.join(d, p), text);
  }
  return d;
}

test('findWorkflowFiles: recursive, sorted, skips node_modules and dot folders, paths as given', (t) => {
  const d = tree(t, {
    'b.workflow.yaml': '',
    'a/z.workflow.yaml': '',
    'a/deep/y.workflow.yaml': '',
    'a/notes.yaml': '',
    'node_modules/p/x.workflow.yaml': '',
    '.git/x.workflow.yaml': '',
    'a/.cache/x.workflow.yaml': '',
  });
  assert.deepEqual(findWorkflowFiles([], d), ['a/deep/y.workflow.yaml', 'a/z.workflow.yaml', 'b.workflow.yaml']);
  assert.deepEqual(findWorkflowFiles(['a/', 'b.workflow.yaml'], d), [
    'a/deep/y.workflow.yaml',
    'a/z.workflow.yaml',
    'b.workflow.yaml',
  ]);
  assert.deepEqual(
    findWorkflowFiles(['./a', 'a/z.workflow.yaml'], d),
    ['./a/deep/y.workflow.yaml', './a/z.workflow.yaml'],
    'each file once',
  );
  assert.deepEqual(
    findWorkflowFiles([path.join(d, 'a', 'notes.yaml')], d),
    [path.join(d, 'a', 'notes.yaml')],
    'a file named explicitly is taken as is',
  );
  assert.throws(
    () => findWorkflowFiles(['missing'], d),
    (e: unknown) => e instanceof CliError && e.exitCode === 2 && e.message === 'path not found: missing',
  );
});

test('leads header read relative to the workflow file; problems become LeadsInfo.problem', (t) => {
  const d = tree(t, {
    'flows/a.workflow.yaml': '',
    'data/leads.csv': '\uFEFFphone_number,"customer name",city\r\n+1,Ana,Pune\n',
  });
  assert.deepEqual(readLeadsInfo('flows/a.workflow.yaml', '../data/leads.csv', d), {
    path: '../data/leads.csv',
    columns: ['phone_number', 'customer name', 'city'],
  });
  assert.deepEqual(readLeadsInfo('flows/a.workflow.yaml', 'nope.csv', d), {
    path: 'nope.csv',
    problem: 'not-found',
  });
  assert.deepEqual(readLeadsInfo('flows/a.workflow.yaml', '../data', d), { path: '../data', problem: 'folder' });
});

test('workspace limit from the nearest callflow.config.yaml default target', (t) => {
  const d = tree(t, {
    'callflow.config.yaml':
      'targets:\n  staging: { url: "https://s.example/v1", key_env: K, max_concurrent_calls: 25 }\n  prod: { url: "https://p.example/v1", key_env: K2, max_concurrent_calls: 40 }\ndefault_target: staging\n',
    'team/callflow.config.yaml':
      'targets:\n  only: { url: "https://o.example/v1", key_env: K, max_concurrent_calls: 7 }\n',
    'broken/callflow.config.yaml': 'targets: [\n',
    'a.workflow.yaml': '',
    'team/sub/b.workflow.yaml': '',
    'broken/c.workflow.yaml': '',
  });
  assert.equal(readWorkspaceLimit('a.workflow.yaml', d), 25);
  assert.equal(
    readWorkspaceLimit('team/sub/b.workflow.yaml', d),
    undefined,
    'nearest config wins; without default_target the target is local: no limit',
  );
  const notes: string[] = [];
  assert.equal(
    readWorkspaceLimit('broken/c.workflow.yaml', d, (m) => notes.push(m)),
    undefined,
  );
  assert.match(notes[0], /callflow\.config\.yaml: .*WF105 is skipped/);
  const opts = gatherValidateOptions('a.workflow.yaml', { leads: 'missing.csv' }, d);
  assert.deepEqual(opts, { leads: { path: 'missing.csv', problem: 'not-found' }, workspaceLimit: 25 });
});

test('writeTextFileAtomic replaces content and leaves no temporary file', (t) => {
  const d = tree(t, { 'x.workflow.yaml': 'old\n' });
  writeTextFileAtomic('x.workflow.yaml', 'new\n', d);
  assert.equal(readFileSync(path.join(d, 'x.workflow.yaml'), 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(d), ['x.workflow.yaml']);
  assert.throws(() => writeTextFileAtomic('no/such/dir.yaml', 'x', d), CliError);
});
