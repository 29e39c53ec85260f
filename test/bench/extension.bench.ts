// Start-up, side by side with its targets (issue 13): bundle sizes as `npm run package` builds them
// (scripts/build.mjs --production into a scratch folder, so dist/ is untouched), the .vsix size,
// the language server from spawn to `initialize` answered (beside its floors and the engine loaded
// eagerly), and, in a real VS Code (test/vscode/run.mjs, activation tests only), activate() time and
// open → first diagnostics. (CLI start-up: cli-startup.bench.ts.) Prints a markdown table; never
// fails on a figure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'callflow-ext-bench-'));
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const rows: [string, string, string, string][] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Spawns a server on stdio, sends `initialize`; wall time to the answer and the process's CPU then. */
function initializeOnce(script: string): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [script, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    p.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let out = '';
    p.on('error', reject);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('"id":1')) return;
      const wall = performance.now() - t0;
      // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second).
      const f = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      p.kill();
      resolve({ wall, cpu: (Number(f[11]) + Number(f[12])) * 10 });
    });
  });
}

async function main(): Promise<void> {
  const dist = path.join(tmp, 'dist');
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CALLFLOW_DIST: dist, CALLFLOW_QUIET_BUILD: '1', CALLFLOW_BENCH_SERVERS: '1' },
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
  bundle('yaml.js', '', 'yaml, loaded by the host when it first reads a state, config or credentials file');
  bundle('server.js', '', 'the language server');
  bundle('cli.js', '', 'the CLI dispatcher; each command is a bundle of its own (cli-startup bench)');
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

  // CLI start-up (`callflow validate FILE` against `node -e 0`): test/bench/cli-startup.bench.ts.

  // The language server: spawn → `initialize` answered, interleaved with what it is made of: Node
  // answering with no library, vscode-languageserver alone, and the engine loaded before answering
  // (as it was before the lazy engine). Wall clock and the process's CPU when the answer arrives.
  const servers: [string, string][] = [
    ['Node, no library (floor)', path.join(root, 'test/bench/servers/bare.js')],
    ['vscode-languageserver alone', path.join(dist, 'bench/server-library-only.js')],
    ['engine loaded before answering (before)', path.join(dist, 'bench/server-eager.js')],
    ['dist/server.js: engine after answering (shipped)', path.join(dist, 'server.js')],
  ];
  const startTimes = servers.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let round = 0; round < 11; round++)
    for (const [i, [, script]] of servers.entries()) {
      const r = await initializeOnce(script);
      startTimes[i].wall.push(r.wall);
      startTimes[i].cpu.push(r.cpu);
    }
  for (const [i, [name]] of servers.entries())
    rows.push([
      `language server spawn → \`initialize\` answered: ${name}`,
      `${median(startTimes[i].wall).toFixed(0)} ms wall (min ${Math.min(...startTimes[i].wall).toFixed(0)}), ${mean(startTimes[i].cpu).toFixed(0)} ms CPU`,
      i === servers.length - 1 ? '≤ 100 ms' : '',
      'median wall / mean CPU of 11 interleaved rounds (CPU in 10 ms ticks from /proc)',
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
