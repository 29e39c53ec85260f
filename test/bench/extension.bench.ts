// Start-up, side by side with its targets (issue 13): bundle sizes as `npm run package` builds them
// (scripts/build.mjs --production into a scratch folder, so dist/ is untouched), the .vsix size,
// `callflow validate FILE` whole-process CPU against `node -e 0`, the language server from spawn to
// `initialize` answered, and, in a real VS Code (test/vscode/run.mjs, activation tests only),
// activate() time and open → first diagnostics. Prints a markdown table; never fails on a figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { TestClient } from '../server/lsp-client';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'callflow-ext-bench-'));
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const rows: [string, string, string, string][] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** User + system CPU seconds of `runs` runs of a command, from bash's `times` (children's line). */
function cpuOf(command: string, runs: number): number {
  const r = spawnSync('bash', ['-c', `for i in $(seq ${runs}); do ${command} >/dev/null 2>&1; done; times | tail -1`], {
    cwd: root,
    encoding: 'utf8',
  });
  const m = [...r.stdout.matchAll(/(\d+)m([\d.]+)s/g)].map((x) => Number(x[1]) * 60 + Number(x[2]));
  return (m[0] + m[1]) / runs;
}

async function main(): Promise<void> {
  const dist = path.join(tmp, 'dist');
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CALLFLOW_DIST: dist, CALLFLOW_QUIET_BUILD: '1' },
  });
  if (b.status !== 0) throw new Error(`production build failed: ${b.stderr}`);
  const size = (f: string) => (existsSync(path.join(dist, f)) ? readFileSync(path.join(dist, f)) : undefined);
  const bundle = (f: string, target: string, note: string) => {
    const s = size(f);
    rows.push([
      `dist/${f} (minified)`,
      s ? kb(s.length) : 'not built',
      target,
      s ? `gzip ${kb(gzipSync(s).length)}; ${note}` : note,
    ]);
  };
  bundle('extension.js', '≤ 400 KB', 'parsed at activation');
  bundle('language-client.js', '', 'vscode-languageclient, loaded when the server starts (after activate returns)');
  bundle('server.js', '', 'the language server');
  bundle('cli.js', '', 'the CLI');
  bundle('elk.js', '', 'elkjs, loaded by server and CLI on the first layout only');
  bundle('emulator.js', '', '');
  bundle('webview.js', '', 'the preview page');

  const vsix = path.join(tmp, 'callflow.vsix');
  const pk = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '-o', vsix],
    { cwd: root, encoding: 'utf8' },
  );
  rows.push([
    '.vsix (current dist/, --no-dependencies)',
    existsSync(vsix) ? kb(statSync(vsix).size) : `failed: ${pk.stderr.split('\n')[0]}`,
    'recorded',
    '',
  ]);

  // CLI start-up: whole-process CPU (user + sys), alternating rounds so load changes hit both.
  const file = path.join(root, 'examples/appointment-reminder.workflow.yaml');
  const bare: number[] = [];
  const validate: number[] = [];
  for (let round = 0; round < 3; round++) {
    bare.push(cpuOf(`${process.execPath} -e 0`, 10));
    validate.push(cpuOf(`${process.execPath} ${path.join(dist, 'cli.js')} validate ${file}`, 10));
  }
  const ratio = median(validate) / median(bare);
  rows.push([
    '`callflow validate FILE` CPU / `node -e 0` CPU',
    `${ratio.toFixed(2)}× (${(median(validate) * 1000).toFixed(0)} ms / ${(median(bare) * 1000).toFixed(0)} ms)`,
    '≤ 1.5×',
    'median of 3 rounds × 10 runs, examples/appointment-reminder',
  ]);

  // The language server: spawn → initialize answered, beside a bare `node -e 0` as the floor.
  const floor: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    floor.push(performance.now() - t0);
  }
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c = new TestClient({ command: [process.execPath, path.join(dist, 'server.js'), '--stdio'], settings: {} });
    await c.initialize();
    starts.push(performance.now() - t0);
    await c.close();
  }
  rows.push([
    'language server: spawn → `initialize` answered',
    `${median(starts).toFixed(0)} ms`,
    '≤ 100 ms',
    `median of 7, wall clock; \`node -e 0\` alone: ${median(floor).toFixed(0)} ms`,
  ]);

  // Activation in a real VS Code: the suite's first tests write test-output/vscode-metrics.json.
  const metricsFile = path.join(root, 'test-output/vscode-metrics.json');
  if (existsSync('/usr/bin/chromium') && !process.env.CALLFLOW_BENCH_NO_EDITOR) {
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'test/vscode/run.mjs'), '--grep', 'activation and language', '--timeout', '180000'],
      { cwd: root, encoding: 'utf8' },
    );
    const wall = ((Date.now() - t0) / 1000).toFixed(1);
    if (r.status === 0 && existsSync(metricsFile)) {
      const m = JSON.parse(readFileSync(metricsFile, 'utf8'));
      rows.push([
        `activate() in VS Code ${m.vscode} (server starts in the background)`,
        `${m.activationMs} ms`,
        '≤ 50 ms',
        'dev build',
      ]);
      rows.push(['open file → extension active', `${m.openToActiveMs} ms`, '', 'first open, cold']);
      rows.push([
        'open file → first diagnostics (after activation)',
        m.openToFirstDiagnosticsMs !== undefined ? `${m.openToFirstDiagnosticsMs} ms` : 'n/a',
        '',
        '',
      ]);
      rows.push([
        'editor harness wall time (activation tests only)',
        `${wall} s`,
        '',
        'code-server start + chromium + suite',
      ]);
    } else {
      rows.push(['activation in VS Code', 'not measured', '', `harness exit ${r.status}`]);
    }
  } else {
    rows.push(['activation in VS Code', 'not measured', '', 'no /usr/bin/chromium']);
  }
}

main()
  .then(print, (e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));

function print(): void {
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}\n`,
  );
  console.log('| measure | value | target | note |');
  console.log('| --- | --- | --- | --- |');
  for (const [a, b, c, d] of rows) console.log(`| ${a} | ${b} | ${c} | ${d} |`);
}
