// Issue 9 item 1, as reproduced: `leads: /proc/self/environ` made `callflow validate --format github`
// print every environment variable as a pull-request annotation. Now the path is refused and no
// byte of the file reaches any report format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli';

const SECRET = 'ghp_LEAKCHECK_0123456789abcdef';

function project(t: { after: (fn: () => void) => void }, leads: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'callflow-leads-sec-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  mkdirSync(path.join(d, '.git'));
  writeFileSync(path.join(d, 'outside.env'), `GITHUB_TOKEN=${SECRET}\n`);
  mkdirSync(path.join(d, 'repo'));
  writeFileSync(
    path.join(d, 'repo/a.workflow.yaml'),
    `version: 1\ntitle: t\nleads: ${leads}\nnodes:\n  d: { type: DROPPED }\n`,
  );
  return d;
}

for (const leads of ['/proc/self/environ', '/etc/passwd', '/dev/zero', '../../outside.env']) {
  test(`validate refuses leads: ${leads} in every format, printing none of it`, (t) => {
    const d = project(t, leads);
    // The repository is repo/ for the escape case: give it its own .git.
    mkdirSync(path.join(d, 'repo/.git'));
    for (const format of ['github', 'json', 'sarif', 'text']) {
      const r = runCli(['validate', '--format', format, 'repo/a.workflow.yaml'], {
        cwd: d,
        env: { GITHUB_TOKEN: SECRET, CALLFLOW_LEAK_CHECK: SECRET },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!(r.stdout + r.stderr).includes(SECRET), `${format}: secret leaked`);
      assert.ok(!(r.stdout + r.stderr).includes('root:'), `${format}: /etc/passwd leaked`);
      assert.match(r.stdout, /WF125/);
    }
  });
}

test('a symlink inside the repository to a file outside is refused', (t) => {
  const d = project(t, './link.csv');
  symlinkSync(path.join(d, 'outside.env'), path.join(d, 'repo/link.csv'));
  mkdirSync(path.join(d, 'repo/.git'));
  const r = runCli(['validate', '--format', 'json', 'repo/a.workflow.yaml'], { cwd: d });
  assert.ok(!r.stdout.includes(SECRET));
  const [file] = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] }[];
  assert.equal(
    file.diagnostics.find((x) => x.code === 'WF125')?.message,
    'leads file "./link.csv" cannot be used: the path leads outside the repository (or workspace folder); keep the leads file inside it',
  );
});
