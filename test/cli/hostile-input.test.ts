// `callflow validate` on hostile files, as a process (issue 9 items 7 and 8): a file nested
// thousands deep is one WF001 and the other files are still reported; file values holding line
// breaks, escapes and GitHub workflow commands come out escaped in every report format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli';
import { formatGithub } from '../../cli/report/github';
import { formatText } from '../../cli/report/text';

const GOOD =
  'version: 1\ntitle: ok\nnodes:\n  call:\n    type: TIME\n    config: { delay_hours: 1 }\n    next: [{ to: nowhere }]\n  done: { type: CONVERTED }\n';
const DEEP = `version: 1\ntitle: deep\nx-deep: ${'['.repeat(3000)}${']'.repeat(3000)}\nnodes: {}\n`;
const HOSTILE =
  'version: 1\ntitle: t\nentry: "start\\n::add-mask::x\\n::error::pwned\\e[31m"\nnodes:\n  a: { type: CONVERTED }\n';

function withFiles(files: Record<string, string>, run: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-hostile-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a file nested 3,000 deep is one WF001; the other files are still reported', () => {
  withFiles({ 'a.workflow.yaml': GOOD, 'deep.workflow.yaml': DEEP }, (dir) => {
    const r = runCli(['validate', '--format', 'json', 'a.workflow.yaml', 'deep.workflow.yaml'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const files = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; message: string }[] }[];
    const byFile = new Map(files.map((f) => [f.file, f.diagnostics]));
    assert.deepEqual(
      byFile.get('deep.workflow.yaml')?.map((d) => d.code),
      ['WF001'],
    );
    assert.match(byFile.get('deep.workflow.yaml')![0].message, /nesting deeper than/);
    assert.ok(byFile.get('a.workflow.yaml')?.some((d) => d.code === 'WF110'));
  });
});

test('github and text reports of a hostile value: one line per problem, no raw control character', () => {
  withFiles({ 'h.workflow.yaml': HOSTILE }, (dir) => {
    const gh = runCli(['validate', '--format', 'github', 'h.workflow.yaml'], { cwd: dir });
    const lines = gh.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 1);
    for (const l of lines) assert.match(l, /^::(error|warning|notice) file=h\.workflow\.yaml,/);
    assert.ok(!gh.stdout.includes('\u001b'));
    assert.ok(!/\n::add-mask::/.test(gh.stdout), 'no line starts a workflow command');
    const text = runCli(['validate', 'h.workflow.yaml'], { cwd: dir, env: { NO_COLOR: '1' } });
    assert.ok(!text.stdout.includes('\u001b'), 'no escape character reaches the terminal');
    assert.ok(!/\n::/.test(text.stdout), 'no line starts a workflow command');
  });
});

test('the reporters escape by themselves too (defence in depth)', () => {
  const d = {
    code: 'WF110',
    severity: 'error' as const,
    message: 'raw\n::add-mask::secret\r\u001b[2J%',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  };
  const gh = formatGithub([{ file: 'x,y:z\n.yaml', text: 'a\u001b[2J\n', diagnostics: [d] }]);
  assert.equal(gh.split('\n').length, 2, 'one annotation line');
  assert.match(gh, /file=x%2Cy%3Az%0A\.yaml,/);
  assert.match(gh, /raw%0A::add-mask::secret%0D\\u001b\[2J%25\n$/);
  const text = formatText([{ file: 'f.yaml', text: 'a\u001b[2J\tb\n', diagnostics: [d] }], {
    color: false,
    version: '0',
  });
  assert.ok(!text.includes('\u001b') && !text.includes('\r'));
  assert.ok(text.includes('raw\\n::add-mask::secret\\r\\u001b[2J%'));
  assert.ok(text.includes('a\uFFFD[2J\tb'), 'the code frame shows the control character as one replacement');
});
