// One esbuild command for every entry point; entries not written yet are skipped.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const production = process.argv.includes('--production');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const node = {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const entries = [
  {
    in: 'cli/main.ts',
    out: 'dist/cli.js',
    ...node,
    banner: { js: '#!/usr/bin/env node' },
  },
  { in: 'server/main.ts', out: 'dist/server.js', ...node },
  { in: 'emulator/main.ts', out: 'dist/emulator.js', ...node },
  { in: 'client/extension.ts', out: 'dist/extension.js', ...node, external: ['vscode'] },
  {
    in: 'client/preview/webview.ts',
    out: 'dist/webview.js',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    bundle: true,
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  { in: 'test/vscode/index.ts', out: 'dist/test/vscode/index.js', ...node, external: ['vscode', 'mocha'] },
  { in: 'test/vscode/suite.ts', out: 'dist/test/vscode/suite.js', ...node, external: ['vscode', 'mocha'] },
];

// `--outdir=DIR` writes the bundles into DIR/dist instead (a test builds a dist/ to run it alone);
// `--only=a,b` builds just those bundles (by name: emulator, cli, ...).
const outRoot = path.resolve(process.argv.find((a) => a.startsWith('--outdir='))?.slice(9) ?? root);
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
mkdirSync(path.join(outRoot, 'dist'), { recursive: true });
const t0 = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(path.join(root, e.in)))
    .filter((e) => !only || only.includes(path.basename(e.out, '.js')))
    .map(({ in: input, out, ...opts }) =>
      build({ ...opts, absWorkingDir: root, entryPoints: [input], outfile: path.join(outRoot, out) }),
    ),
);
// The schema ships beside the bundles so the CLI and server can point other tools at it.
if (existsSync(path.join(root, 'schemas'))) {
  mkdirSync(path.join(outRoot, 'dist/schemas'), { recursive: true });
  for (const f of readdirSync(path.join(root, 'schemas')))
    copyFileSync(path.join(root, 'schemas', f), path.join(outRoot, 'dist/schemas', f));
}
// The emulator's SQLite is WebAssembly: its loader (bundled into cli.js and emulator.js) reads the
// .wasm file from its own directory, so it ships in dist/ beside them (and in the .vsix).
const require = createRequire(import.meta.url);
copyFileSync(
  require.resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'),
  path.join(outRoot, 'dist/node-sqlite3-wasm.wasm'),
);
if (!process.env.CALLFLOW_QUIET_BUILD)
  console.error(`build: ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
