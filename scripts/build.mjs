// One esbuild command for every entry point; entries not written yet are skipped.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
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
    external: ['better-sqlite3'],
  },
  { in: 'server/main.ts', out: 'dist/server.js', ...node, external: ['better-sqlite3'] },
  { in: 'emulator/main.ts', out: 'dist/emulator.js', ...node, external: ['better-sqlite3'] },
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

mkdirSync(path.join(root, 'dist'), { recursive: true });
const t0 = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(path.join(root, e.in)))
    .map(({ in: input, out, ...opts }) => build({ ...opts, absWorkingDir: root, entryPoints: [input], outfile: out })),
);
// The schema ships beside the bundles so the CLI and server can point other tools at it.
if (existsSync(path.join(root, 'schemas'))) {
  mkdirSync(path.join(root, 'dist/schemas'), { recursive: true });
  for (const f of readdirSync(path.join(root, 'schemas')))
    copyFileSync(path.join(root, 'schemas', f), path.join(root, 'dist/schemas', f));
}
if (!process.env.CALLFLOW_QUIET_BUILD)
  console.error(`build: ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
