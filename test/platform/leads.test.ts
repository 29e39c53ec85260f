// platform/leads.ts: what a lead file must be before it is uploaded (the editor's Upload Leads and
// the CLI's leads upload read it the same way). Messages never quote the file's content.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LeadsFileError, readLeadsFile, readWorkflowLeadsFile } from '../../platform/leads';

const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-leads-'));
const put = (name: string, text: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('rows and columns of a lead file; blank lines are not leads', () => {
  const f = readLeadsFile(put('ok.csv', 'phone_number,name\n+14155550100,"Doe, J"\n\n+14155550101,Ann\n'));
  assert.deepEqual(f.columns, ['phone_number', 'name']);
  assert.equal(f.rows, 2);
});

test('refused: no phone_number column, no rows, binary content, a folder; the content is never quoted', () => {
  assert.throws(
    () => readLeadsFile(put('nophone.csv', 'SECRET_TOKEN=abc,x\n1,2\n')),
    (e: Error) => {
      assert.ok(e instanceof LeadsFileError);
      assert.match(e.message, /^nophone\.csv has no phone_number column/);
      assert.doesNotMatch(e.message, /SECRET_TOKEN/);
      return true;
    },
  );
  assert.throws(() => readLeadsFile(put('empty.csv', 'phone_number,name\n')), /has a header but no lead rows/);
  assert.throws(() => readLeadsFile(put('bin.csv', Buffer.from([0x70, 0, 0x68]))), /not a text CSV file/);
  mkdirSync(path.join(dir, 'folder.csv'), { recursive: true });
  assert.throws(() => readLeadsFile(path.join(dir, 'folder.csv')), /folder\.csv: /);
});

test("a workflow's leads: file is confined to the root like the rules confine it", () => {
  const root = path.join(dir, 'repo');
  mkdirSync(root, { recursive: true });
  const wf = path.join(root, 'a.workflow.yaml');
  writeFileSync(wf, 'version: 1\n');
  writeFileSync(path.join(root, 'leads.csv'), 'phone_number\n+14155550100\n');
  assert.equal(readWorkflowLeadsFile(wf, './leads.csv', root).rows, 1);
  assert.throws(() => readWorkflowLeadsFile(wf, '../ok.csv', root), /outside the repository/);
  assert.throws(() => readWorkflowLeadsFile(wf, '/etc/passwd', root), /absolute path is not allowed/);
  symlinkSync(path.join(dir, 'ok.csv'), path.join(root, 'link.csv'));
  assert.throws(() => readWorkflowLeadsFile(wf, './link.csv', root), /outside the repository/);
});
