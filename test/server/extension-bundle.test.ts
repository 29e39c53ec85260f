// The thin client, checked on what is actually shipped: the inputs esbuild put into
// dist/extension.js (scripts/build.mjs writes its metafile beside it). The extension host holds no
// layout engine, parser or schema checker (the language server answers for them: protocol/index.ts),
// and the language-client library and the YAML reader are separate files loaded when first needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lsp-client';

const META = path.join(ROOT, 'dist/extension.meta.json');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The extension bundle's inputs, as paths relative to the repository (node_modules/<pkg>/… for packages). */
function inputs(): string[] {
  const sources = Math.max(
    ...['client', 'core', 'platform', 'protocol', 'scripts'].map((d) => newest(path.join(ROOT, d))),
  );
  if (!existsSync(META) || statSync(META).mtimeMs < sources)
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CALLFLOW_QUIET_BUILD: '1' },
    });
  const meta = JSON.parse(readFileSync(META, 'utf8')) as { inputs: Record<string, unknown> };
  return Object.keys(meta.inputs).map((f) => {
    const i = f.lastIndexOf('node_modules/');
    return i >= 0 ? f.slice(i) : path.relative(ROOT, path.resolve(ROOT, f));
  });
}

const from = (list: string[], prefixes: string[]) => list.filter((f) => prefixes.some((p) => f.startsWith(p)));

test('dist/extension.js holds no layout engine and no language-client library', () => {
  const all = inputs();
  assert.ok(
    all.some((f) => f === 'client/extension.ts'),
    'the metafile is the extension bundle',
  );
  assert.deepEqual(
    from(all, ['node_modules/elkjs/', 'core/layout.ts', 'core/layered-layout.ts', 'core/export.ts']),
    [],
  );
  // Loaded when the server starts, from dist/language-client.js.
  assert.deepEqual(
    from(all, [
      'node_modules/vscode-languageclient/',
      'node_modules/vscode-jsonrpc/',
      'node_modules/vscode-languageserver-protocol/',
    ]),
    [],
  );
});

test('dist/extension.js holds no schema checker, parser or rules engine', () => {
  const all = inputs();
  // platform/prepare.ts → desired.ts → core/graph.ts brings the small graph helpers (and the
  // one-mistake skip rules they use); the parser, the schema check and the rules are the server's.
  assert.deepEqual(
    from(all, [
      'node_modules/ajv/',
      'core/parse.ts',
      'core/validate.ts',
      'core/incremental.ts',
      'core/schema-check.ts',
      'core/rules/index.ts',
      'core/format.ts',
      'core/remote.ts',
      'core/diff.ts',
    ]),
    [],
  );
});

test('dist/extension.js holds no YAML library: platform/yaml-load.ts requires dist/yaml.js on first use', () => {
  const all = inputs();
  assert.deepEqual(from(all, ['node_modules/yaml/', 'core/yaml-access.ts', 'core/rules/', 'core/graph.ts']), []);
  // The one way in: a require() call inside platform/yaml-load.ts (run when a state, config or
  // credentials file is read), never an import statement that activation would run.
  const meta = JSON.parse(readFileSync(META, 'utf8')) as {
    inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  };
  const ways = Object.entries(meta.inputs).flatMap(([f, i]) =>
    i.imports
      .filter((m) => /(^|\/)yaml(\.js)?$|node_modules\/yaml\//.test(m.path))
      .map((m) => `${f} ${m.kind} ${m.path}`),
  );
  assert.deepEqual(ways, ['platform/yaml-load.ts require-call ./yaml.js']);
});
