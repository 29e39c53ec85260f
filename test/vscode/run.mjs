#!/usr/bin/env node
// Runs the in-editor suite inside a real VS Code: the VS Code server shipped in the npm package
// code-server (set up by setup-code-server.sh), its web workbench loaded in Debian's headless chromium
// through playwright-core. The suite is an ordinary extensionTestsPath module (run(): Promise<void>),
// the same contract as with @vscode/test-electron, so it also runs in a desktop VS Code.
// Usage: node test/vscode/run.mjs [--no-build] [--timeout ms] [--grep text] [--keep] [--packaged]
// --packaged tests what users install: `npm run package`, the .vsix installed into VS Code's
// extensions folder (Callflow is not loaded from a development path: that path is a small empty
// harness, test/vscode/harness, which VS Code needs to run a test module at all), a workspace
// holding the repository's examples/ as a git repository, and packaged-suite.ts instead of
// suite.ts. Before VS Code starts, the unpacked .vsix alone (no node_modules beside or above
// it) must start its emulator.
// Prints the suite's "N passed, N failed" line and exits non-zero on any failure or timeout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { ensureBuilt, root, scratchWorkspace } from './prepare.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const VERSION = process.env.CALLFLOW_VSCODE_VERSION ?? '4.100.3';
const hostDir = process.env.CALLFLOW_VSCODE_DIR ?? path.join(os.homedir(), '.cache/callflow-vscode-test', VERSION);
const timeoutMs = Number(opt('--timeout', 300000));
const chromiumPath = process.env.CALLFLOW_CHROMIUM ?? '/usr/bin/chromium';
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (m) => console.log(`[vscode-test ${elapsed()}] ${m}`);

if (!existsSync(chromiumPath)) {
  console.error(`vscode-test: ${chromiumPath} not found (apt-get install chromium)`);
  process.exit(1);
}

// 1. The VS Code host (skipped by the script itself when already present).
const setup = spawnSync('bash', [path.join(root, 'test/vscode/setup-code-server.sh'), hostDir, VERSION], {
  stdio: 'inherit',
});
if (setup.status !== 0) {
  console.error('vscode-test: setting up code-server failed');
  process.exit(1);
}
const serverMain = path.join(hostDir, 'node_modules/code-server/lib/vscode/out/server-main.js');
log('VS Code host ready');

// 2. Build the extension and the suite, unless the bundles are newer than every source (npm test has
//    just built them).
if (!argv.includes('--no-build')) {
  try {
    if (ensureBuilt()) log('built');
  } catch {
    console.error('vscode-test: build failed');
    process.exit(1);
  }
}
const packaged = argv.includes('--packaged');
const testsJs = path.join(root, 'dist/test/vscode/index.js');
if (!existsSync(testsJs)) {
  console.error(`vscode-test: ${testsJs} missing`);
  process.exit(1);
}

// 3. A scratch copy of the fixture workspace, as a git repo.
const { tmp, ws } = packaged
  ? scratchWorkspace([[path.join(root, 'examples'), 'examples']], 'callflow-packaged-')
  : scratchWorkspace(path.join(root, 'test/vscode/workspace'));
if (packaged) {
  try {
    installPackage(tmp);
  } catch (e) {
    console.error(`vscode-test: ${e.message}`);
    rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  }
}

/**
 * `npm run package`, then: the .vsix unpacked into a folder with no node_modules anywhere above it
 * must start its emulator on its own; then it is installed into the extensions folder the VS Code
 * server will use.
 */
function installPackage(dir) {
  const pkg = spawnSync('npm', ['run', '-s', 'package'], { cwd: root, encoding: 'utf8' });
  if (pkg.status !== 0) throw new Error(`npm run package failed:\n${pkg.stdout}${pkg.stderr}`);
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const vsix = path.join(root, `callflow-${version}.vsix`);
  const unpacked = path.join(dir, 'unpacked');
  const unzip = spawnSync('unzip', ['-q', vsix, '-d', unpacked], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unzip ${vsix} failed: ${unzip.stderr}`);
  for (let d = unpacked; d !== path.dirname(d); d = path.dirname(d))
    if (existsSync(path.join(d, 'node_modules')))
      throw new Error(`${d} has a node_modules: the check would prove nothing`);
  const emu = spawnSync(
    process.execPath,
    [
      '-e',
      `const p=require('child_process').spawn(process.execPath,[${JSON.stringify(path.join(unpacked, 'extension/dist/emulator.js'))},'--port','0','--db',${JSON.stringify(path.join(dir, 'alone.sqlite'))},'--quiet'],{stdio:['ignore','pipe','pipe']});let o='';const t=setTimeout(()=>{p.kill();console.log('TIMEOUT '+o);process.exit(1)},20000);p.stdout.on('data',d=>{o+=d;if(/listening on/.test(o)){clearTimeout(t);p.kill();console.log('STARTED');}});p.stderr.on('data',d=>o+=d);p.on('exit',c=>{if(!/listening on/.test(o)){clearTimeout(t);console.log('EXITED '+c+' '+o);process.exit(1)}});`,
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
  );
  if (!/STARTED/.test(emu.stdout))
    throw new Error(
      `the unpacked .vsix alone did not start its emulator: ${emu.stdout.trim().split('\n').slice(0, 3).join(' ')}`,
    );
  log('the unpacked .vsix alone started its emulator');
  const inst = spawnSync(
    process.execPath,
    [
      serverMain,
      '--install-extension',
      vsix,
      '--extensions-dir',
      path.join(dir, 'exts'),
      '--server-data-dir',
      path.join(dir, 'data'),
    ],
    { encoding: 'utf8' },
  );
  if (inst.status !== 0 || !/successfully installed/.test(inst.stdout))
    throw new Error(`installing ${vsix} failed: ${inst.stdout}${inst.stderr}`);
  log(`installed ${path.basename(vsix)} into the VS Code server's extensions folder`);
}
const resultsFile = path.join(tmp, 'results.json');
mkdirSync(path.join(root, 'test-output'), { recursive: true });

// 4. The VS Code server. --enable-smoke-test-driver makes the workbench honour the test payload;
//    the extension host inherits this process's environment (how the suite learns where to write).
const server = spawn(
  process.execPath,
  [
    serverMain,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--server-data-dir',
    path.join(tmp, 'data'),
    '--extensions-dir',
    path.join(tmp, 'exts'),
  ],
  {
    env: {
      ...process.env,
      CALLFLOW_TEST_RESULTS: resultsFile,
      CALLFLOW_TEST_SUITE: packaged ? 'packaged-suite.js' : '',
      CALLFLOW_TEST_GREP: opt('--grep', ''),
      CALLFLOW_TEST_OUTPUT: path.join(root, 'test-output'),
      VSCODE_AGENT_FOLDER: path.join(tmp, 'agent'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  },
);
let serverLog = '';
const port = await new Promise((resolve, reject) => {
  const onData = (d) => {
    serverLog += d;
    const m =
      /Server bound to [^\s:]+:(\d+)/.exec(serverLog) ?? /Extension host agent listening on (\d+)/.exec(serverLog);
    if (m) resolve(Number(m[1]));
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (c) => reject(new Error(`VS Code server exited (${c}):\n${serverLog}`)));
  setTimeout(() => reject(new Error(`VS Code server did not start:\n${serverLog}`)), 30000);
});
log(`VS Code server on port ${port}`);

let exitCode = 1;
let browser;
const cleanup = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  if (!argv.includes('--keep')) rmSync(tmp, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  // The workbench forwards the extension host's output and its exit code through these hooks.
  // Workbench chatter (sockets, the offline gallery, the service worker) is hidden unless CALLFLOW_TEST_VERBOSE.
  const noise =
    /Creating a socket|Resolv(ing|ed) connection token|builtin extensions cache|Service Worker|open-vsx|ENOTFOUND|ChatSessionStore|workbench\.js:\d+|marketplace|\[Extension Host\] Started|Creation of workbench contribution/;
  let inNoisyStack = false;
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const isNoise = noise.test(line) || (inNoisyStack && /^\s+at /.test(line));
      inNoisyStack = isNoise;
      if (isNoise && !process.env.CALLFLOW_TEST_VERBOSE) continue;
      console.log(level === 'error' ? `[ext-host error] ${line}` : line);
      if (line.startsWith('suite finished:')) log('suite finished; waiting for the extension host to exit');
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    log(`extension host exited (${code})`);
    done(code);
  });
  page.on('pageerror', (e) => {
    if (process.env.CALLFLOW_TEST_VERBOSE) console.log(`[page error] ${e.message}`);
  });

  const base = `http://127.0.0.1:${port}`;
  // The workbench's configuration (its remote authority) is in a meta tag of the start page: read it
  // over plain HTTP rather than loading the whole workbench twice.
  const html = await (await fetch(`${base}/`)).text();
  const meta = /<meta id="vscode-workbench-web-configuration" data-settings="([^"]*)"/.exec(html);
  if (!meta) throw new Error('the workbench page has no configuration meta tag');
  const unescape = (t) =>
    t
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const authority = JSON.parse(unescape(meta[1])).remoteAuthority;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(packaged ? path.join(root, 'test/vscode/harness') : root)],
    ['extensionTestsPath', remote(testsJs)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await page.goto(`${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  log('workbench loading; suite starting');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  const code = await Promise.race([finished, timer]);
  if (code === 'timeout') {
    console.error(`vscode-test: timed out after ${timeoutMs} ms`);
    await page.screenshot({ path: path.join(root, 'test-output/vscode-timeout.png') }).catch(() => {});
    exitCode = 1;
  } else {
    exitCode = Number(code) === 0 ? 0 : 1;
  }
  // The suite writes its tally to a file too, so the summary survives a lost log line.
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    if (r.failed > 0 || r.passed === 0) exitCode = 1;
    for (const f of r.failures ?? []) console.log(`  FAILED: ${f.title}\n    ${f.error}`);
    console.log(`${r.passed} passed, ${r.failed} failed`);
    writeFileSync(
      path.join(root, 'test-output/vscode-results.json'),
      JSON.stringify({ ...r, wallSeconds: (Date.now() - t0) / 1000 }, null, 2),
    );
  } else if (code !== 'timeout') {
    console.log(`0 passed, 1 failed (the suite wrote no results; extension host exit code ${code})`);
    exitCode = 1;
  } else {
    console.log('0 passed, 1 failed (timeout)');
  }
} catch (e) {
  console.error(`vscode-test: ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  cleanup();
  log('browser and server closed');
}
log(`done, exit ${exitCode}`);
process.exit(exitCode);
