// Type-checks each layer in its own project (core without DOM or Node types, the webview without
// Node, the extension host without DOM), then the whole tree with the tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const projects = [
  'core',
  'protocol',
  'platform',
  'server',
  'cli',
  'emulator',
  'client',
  'client/preview',
  'client/browser',
  '.',
];
let failed = 0;
for (const p of projects) {
  const r = spawnSync(process.execPath, [tsc, '-p', p, '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`typecheck: ${p} failed`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
