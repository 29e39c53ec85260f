// The extension's size and start-up: bundle sizes (as built, and minified as `npm run package`
// builds them, measured in a scratch folder so dist/ is untouched), the .vsix size, and, in a real
// VS Code (test/vscode/run.mjs, activation tests only), activate() time and open → first diagnostics.
// Prints a markdown table; never fails on a figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'callflow-ext-bench-'));
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const rows: [string, string, string][] = [];

async function main(): Promise<void> {
  const bundles: { name: string; entry: string; platform: 'node' | 'browser'; external: string[] }[] = [
    { name: 'dist/extension.js', entry: 'client/extension.ts', platform: 'node', external: ['vscode'] },
    { name: 'dist/server.js', entry: 'server/main.ts', platform: 'node', external: [] },
    { name: 'dist/emulator.js', entry: 'emulator/main.ts', platform: 'node', external: [] },
    { name: 'dist/webview.js', entry: 'client/preview/webview.ts', platform: 'browser', external: [] },
  ];
  for (const b of bundles) {
    const dev = path.join(root, b.name);
    const devSize = existsSync(dev) ? kb(statSync(dev).size) : 'not built';
    const out = path.join(tmp, path.basename(b.name));
    await build({
      entryPoints: [path.join(root, b.entry)],
      outfile: out,
      bundle: true,
      minify: true,
      platform: b.platform,
      format: b.platform === 'node' ? 'cjs' : 'iife',
      target: b.platform === 'node' ? 'node20' : 'es2022',
      external: b.external,
      logLevel: 'silent',
    });
    const min = readFileSync(out);
    rows.push([
      `${b.name} size (dev build / minified)`,
      `${devSize} / ${kb(min.length)}`,
      `gzip ${kb(gzipSync(min).length)}`,
    ]);
  }

  const vsix = path.join(tmp, 'callflow.vsix');
  const pk = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '-o', vsix],
    { cwd: root, encoding: 'utf8' },
  );
  rows.push([
    '.vsix (current dist/, --no-dependencies)',
    existsSync(vsix) ? kb(statSync(vsix).size) : `failed: ${pk.stderr.split('\n')[0]}`,
    '',
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
      rows.push([`activate() in VS Code ${m.vscode} (server starts in the background)`, `${m.activationMs} ms`, '']);
      rows.push(['open file → extension active', `${m.openToActiveMs} ms`, 'first open, cold']);
      rows.push([
        'open file → first diagnostics (after activation)',
        m.openToFirstDiagnosticsMs !== undefined ? `${m.openToFirstDiagnosticsMs} ms` : 'n/a',
        '',
      ]);
      rows.push([
        'editor harness wall time (activation tests only)',
        `${wall} s`,
        'code-server start + chromium + suite',
      ]);
    } else {
      rows.push(['activation in VS Code', 'not measured', `harness exit ${r.status}`]);
    }
  } else {
    rows.push(['activation in VS Code', 'not measured', 'no /usr/bin/chromium']);
  }
  rmSync(tmp, { recursive: true, force: true });
}

main().then(print, (e) => {
  console.error(e);
  process.exit(1);
});

function print(): void {
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}\n`,
  );
  console.log('| measure | value | note |');
  console.log('| --- | --- | --- |');
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
}
