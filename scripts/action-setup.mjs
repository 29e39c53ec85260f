// The action's first step: make the CLI runnable from the action's own checkout. A release tag
// ships dist/ (nothing to do); a branch checkout installs the pinned dependencies and builds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = process.env.CALLFLOW_ACTION_PATH || path.dirname(path.dirname(new URL(import.meta.url).pathname));
const run = (cmd, args) => {
  console.log(`callflow action: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (existsSync(path.join(root, 'dist/cli.js'))) {
  console.log('callflow action: CLI ready (dist/cli.js)');
} else {
  if (!existsSync(path.join(root, 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund']);
  run(process.execPath, ['scripts/build.mjs']);
}
