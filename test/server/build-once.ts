// Builds dist/server.js when it is missing or older than any source it bundles, so the tests
// always drive the server as built from the current tree.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SERVER } from './lsp-client';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const sources = Math.max(
    ...['server', 'core', 'platform', 'schemas'].map((d) =>
      existsSync(path.join(ROOT, d)) ? newest(path.join(ROOT, d)) : 0,
    ),
  );
  if (existsSync(SERVER) && statSync(SERVER).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
  });
}
