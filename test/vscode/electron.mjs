#!/usr/bin/env node
// `npm run test:electron`: the in-editor suite (the same extensionTestsPath module, test/vscode/
// index.ts) in a desktop VS Code through @vscode/test-electron's runTests, the ecosystem's
// standard runner. It downloads VS Code where the network allows, or uses the one named by
// VSCODE_EXECUTABLE_PATH. Where neither works it fails with one line saying why (no stack trace).
// CI's default stays the code-server runner (run.mjs), which needs no download and no display.
// Usage: node test/vscode/electron.mjs [--grep text]   (Linux without a display: under xvfb-run)
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, root, scratchWorkspace } from './prepare.mjs';

const VERSION = process.env.CALLFLOW_VSCODE_ELECTRON_VERSION ?? '1.100.3';
const argv = process.argv.slice(2);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : '';
const oneLine = (e) =>
  String(e?.message ?? e)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l) ?? 'unknown error';
const fail = (why) => {
  console.error(`test:electron: ${why}`);
  process.exit(1);
};
// Anything the library leaves unhandled is still one line.
process.on('unhandledRejection', (e) => fail(oneLine(e)));
process.on('uncaughtException', (e) => fail(oneLine(e)));

let lib;
try {
  lib = await import('@vscode/test-electron');
} catch (e) {
  fail(`@vscode/test-electron is not installed (npm ci): ${oneLine(e)}`);
}

let executable = process.env.VSCODE_EXECUTABLE_PATH;
if (executable) {
  if (!existsSync(executable)) fail(`VSCODE_EXECUTABLE_PATH is ${executable}, which does not exist`);
} else {
  try {
    executable = await lib.downloadAndUnzipVSCode({
      version: VERSION,
      timeout: 20000,
      reporter: new lib.SilentReporter(),
    });
  } catch (e) {
    fail(
      `cannot download VS Code ${VERSION} (${oneLine(e)}); set VSCODE_EXECUTABLE_PATH to a desktop VS Code, or run the default runner: node test/vscode/run.mjs`,
    );
  }
}

try {
  ensureBuilt();
} catch (e) {
  fail(oneLine(e));
}
const { tmp, ws } = scratchWorkspace(path.join(root, 'test/vscode/workspace'), 'callflow-electron-');
let code = 1;
try {
  code = await lib.runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist/test/vscode/index.js'),
    launchArgs: [
      ws,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
    ],
    extensionTestsEnv: {
      CALLFLOW_TEST_GREP: grep,
      CALLFLOW_TEST_OUTPUT: path.join(root, 'test-output'),
    },
  });
} catch (e) {
  // runTests rejects with "Failed" (or the exit code) when a test fails; the suite printed why.
  console.error(`test:electron: the suite failed in VS Code ${VERSION}: ${oneLine(e)}`);
  code = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code === 0 ? 0 : 1);
