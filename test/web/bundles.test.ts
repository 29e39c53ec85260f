// The web extension's bundles as built (their esbuild metafiles): nothing of Node reached, the
// server's disk modules replaced by their browser twins, the client free of the desktop's server
// host; and package.json's `browser` entry and `when` clauses as client/manifest.mjs writes them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ensureBrowserServer, root } from './worker-page';

const inputs = (bundle: string) =>
  Object.keys(
    (JSON.parse(readFileSync(path.join(root, 'dist/browser', `${bundle}.meta.json`), 'utf8')) as { inputs: object })
      .inputs,
  ).map((f) => f.replace(/^(\.\.\/)+main\//, ''));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

before(() => ensureBrowserServer());

test('dist/browser/server.js: the engine with the browser twins, no Node built-in', () => {
  const ins = inputs('server');
  assert.ok(ins.includes('server/engine.ts'));
  assert.ok(ins.includes('server/browser/workspace.ts'));
  for (const gone of ['server/workspace.ts', 'platform/workspace-files.ts', 'server/online.ts', 'server/plan.ts'])
    assert.ok(!ins.includes(gone), `${gone} is not in the browser server`);
  assert.ok(!ins.some((f) => f.includes('node_modules/vscode-languageserver/lib/node/')), 'the browser LSP library');
  assert.deepEqual(
    ins.filter((f) => builtins.has(f)),
    [],
  );
});

test('dist/browser/extension.js: the browser language client, none of the desktop server host', () => {
  const ins = inputs('extension');
  assert.ok(ins.some((f) => f.includes('node_modules/vscode-languageclient/lib/browser/')));
  for (const gone of ['client/lsp.ts', 'client/extension.ts', 'client/targets.ts', 'platform/git.ts'])
    assert.ok(!ins.includes(gone), `${gone} is not in the web extension`);
  assert.deepEqual(
    ins.filter((f) => builtins.has(f)),
    [],
  );
});

test('package.json: the browser entry; platform commands and the remote view hidden in the web', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.browser, './dist/browser/extension.js');
  const palette = new Map<string, string>(
    pkg.contributes.menus.commandPalette.map((m: { command: string; when?: string }) => [m.command, m.when ?? '']),
  );
  for (const id of ['callflow.push', 'callflow.activate', 'callflow.uploadLeads', 'callflow.setApiKey'])
    assert.match(palette.get(id)!, /!callflow\.web/, id);
  for (const id of ['callflow.showPreview', 'callflow.compareWithHead', 'callflow.exportMermaid'])
    assert.doesNotMatch(palette.get(id)!, /callflow\.web/, id);
  const remote = pkg.contributes.views.explorer.find((v: { id: string }) => v.id === 'callflow.remote');
  assert.equal(remote.when, '!callflow.web');
  for (const menu of ['editor/title', 'editor/context'])
    for (const m of pkg.contributes.menus[menu] as { command: string; when: string }[])
      if (['callflow.push', 'callflow.activate', 'callflow.showPlan', 'callflow.uploadLeads'].includes(m.command))
        assert.match(m.when, /!callflow\.web/, `${menu} ${m.command}`);
});
