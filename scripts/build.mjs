// One esbuild command for every entry point; entries not written yet are skipped.
// elkjs (1.4 MB, the layout engine) is its own bundle, dist/elk.js: the server and the CLI load it
// only when a layout is asked for (core/layout.ts imports it dynamically; here that import is
// pointed at the sibling file instead of being inlined), so validating a file never parses it.
// The schema validator is compiled here, at build time (Ajv's standalone code), not by Ajv at every
// start: core/schema-check.ts keeps calling `new Ajv(options).compile(schema)`, and in these bundles
// that `ajv` is a stand-in returning the precompiled function, for exactly that schema and those
// options (anything else throws at once rather than validate differently).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  copyFileSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
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

/** `import('elkjs/lib/elk.bundled.js')` → `import('./elk.js')` beside the bundle, not inlined. */
const lazyElk = {
  name: 'lazy-elk',
  setup(b) {
    b.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: './elk.js', external: true }));
  },
};

/**
 * The extension's client/lsp.ts imports vscode-languageclient dynamically when it starts the server;
 * it lives in dist/language-client.js so that activation does not parse it.
 */
const lazyLanguageClient = {
  name: 'lazy-language-client',
  setup(b) {
    b.onResolve({ filter: /^vscode-languageclient\/node$/ }, () => ({ path: './language-client.js', external: true }));
  },
};

/**
 * The extension host reads YAML only for the platform's small files (platform/yaml-load.ts, a
 * `require('yaml')` on first use): the library lives in dist/yaml.js so that activation does not parse it.
 */
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};

/** The options core/schema-check.ts compiles the workflow schema with (checked by the stand-in). */
const SCHEMA_OPTIONS = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true };
let standalone;
function standaloneValidator() {
  if (standalone) return standalone;
  const require = createRequire(path.join(root, 'package.json'));
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const schema = JSON.parse(readFileSync(path.join(root, 'schemas/workflow.schema.json'), 'utf8'));
  const ajv = new Ajv({ ...SCHEMA_OPTIONS, code: { source: true, esm: true } });
  standalone = standaloneCode(ajv, ajv.compile(schema));
  return standalone;
}
const precompiledSchema = {
  name: 'precompiled-schema',
  setup(b) {
    b.onResolve({ filter: /^ajv$/ }, (args) =>
      args.importer.endsWith(path.join('core', 'schema-check.ts'))
        ? { path: 'ajv', namespace: 'precompiled' }
        : undefined,
    );
    b.onResolve({ filter: /^precompiled:validator$/ }, () => ({ path: 'validator', namespace: 'precompiled' }));
    b.onLoad({ filter: /^validator$/, namespace: 'precompiled' }, () => ({
      contents: standaloneValidator(),
      loader: 'js',
      resolveDir: root,
    }));
    b.onLoad({ filter: /^ajv$/, namespace: 'precompiled' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: `
        import validate from 'precompiled:validator';
        import workflowSchema from './schemas/workflow.schema.json';
        const OPTIONS = ${JSON.stringify(SCHEMA_OPTIONS)};
        export default class PrecompiledAjv {
          constructor(options) {
            if (JSON.stringify(options) !== JSON.stringify(OPTIONS))
              throw new Error('scripts/build.mjs precompiles the schema with other Ajv options: update SCHEMA_OPTIONS');
          }
          compile(schema) {
            if (schema !== workflowSchema) throw new Error('scripts/build.mjs precompiles only schemas/workflow.schema.json');
            return validate;
          }
        }`,
    }));
  },
};

// ---- The web extension (github.dev, vscode.dev): bundles for a browser, Node built-ins refused ----

/** Fails the build on any Node built-in (node:fs, path, …), naming the module that imports it. */
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /.*/ }, (args) =>
      builtins.has(args.path) || args.path.startsWith('node:')
        ? { errors: [{ text: `${args.path} is a Node built-in; ${args.importer} cannot be in a browser bundle` }] }
        : undefined,
    );
  },
};

/**
 * The browser server's stand-ins: the Node LSP library → its browser build; the server's disk
 * modules → server/browser/ twins with the same exports (no disk in a Web Worker); elkjs → a guard
 * that keeps the worker's message handler (server/browser/elk.ts says why).
 */
const browserTwins = {
  name: 'browser-twins',
  setup(b) {
    const twin = {
      [path.join(root, 'server/workspace.ts')]: path.join(root, 'server/browser/workspace.ts'),
      [path.join(root, 'platform/workspace-files.ts')]: path.join(root, 'server/browser/workspace-files.ts'),
    };
    b.onResolve({ filter: /^vscode-languageserver\/node$/ }, (args) =>
      b.resolve('vscode-languageserver/browser', { kind: args.kind, resolveDir: args.resolveDir }),
    );
    b.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, (args) =>
      args.importer.endsWith(path.join('server', 'browser', 'elk.ts'))
        ? undefined
        : { path: path.join(root, 'server/browser/elk.ts') },
    );
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      const hit = twin[target] ?? twin[`${target}.ts`];
      return hit && !args.importer.startsWith(path.join(root, 'server/browser')) ? { path: hit } : undefined;
    });
  },
};
const browser = {
  platform: 'browser',
  target: 'es2022',
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

// ---- The CLI: a lazy command table, a bundle per lazily loaded module, V8 code caches. ----
// dist/cli.js (the package's `bin`) holds the dispatcher only. Every `import()` in cli/ (the command
// table's `import('./validate')`, validate's `--online` facts, the local target's emulator) becomes
// cli/bundle-loader.ts loading dist/cli/<name>.js, built here as a bundle of its own, so
// `callflow validate` never parses the emulator and its SQLite, the platform client, the layout
// engine, the diff or the interpreter. Then the commands a hook or CI runs are run once on
// examples/ to write their bundles' code caches (dist/cli/<name>.js.cache; cli/bundle-loader.ts).
const CLI_WARM_UP = [
  ['validate', 'examples'],
  ['test', 'examples'],
  ['fmt', '--check', 'examples'],
];
/** dist/cli/<name>.js for a module: its name in cli/commands/, else its path with `-` for `/`. */
function bundleName(file) {
  const rel = path.relative(path.join(root, 'cli', 'commands'), file);
  return (rel.startsWith('..') ? path.relative(root, file) : rel).replace(/\.ts$/, '').replaceAll(path.sep, '-');
}
/** An `import()` of one of our modules from cli/ → cli/bundle-loader.ts loading its bundle; records it. */
function lazyBundles(found) {
  return {
    name: 'lazy-bundles',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\//, namespace: 'file' }, (args) => {
        if (args.kind !== 'dynamic-import' || !args.importer.startsWith(path.join(root, 'cli') + path.sep)) return;
        const file = path.resolve(args.resolveDir, `${args.path}.ts`);
        if (!existsSync(file)) throw new Error(`${args.importer}: import('${args.path}') is not a module of ours`);
        found.set(bundleName(file), file);
        return { path: bundleName(file), namespace: 'lazy-bundle' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-bundle' }, (args) => ({
        contents: `module.exports = require('./cli/bundle-loader').loadBundle(${JSON.stringify(args.path)});`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}
/** Writes through a temporary file and a rename: a CLI started during a build reads whole files. */
function writeWhole(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}
async function buildCli({ outfile, ...opts }) {
  const dir = path.join(path.dirname(outfile), 'cli');
  const found = new Map();
  const bundle = (more) =>
    build({
      ...opts,
      ...more,
      write: false,
      metafile: true,
      plugins: [lazyBundles(found), ...opts.plugins],
      // import('./elk.js') becomes require(): a bundle runs in a vm.Script, which has no import().
      supported: { 'dynamic-import': false },
    });
  const built = new Map([['', await bundle({ outfile, banner: { js: '#!/usr/bin/env node' } })]]);
  // Bundles find more lazy imports (validate's --online, the emulator): build until none is new.
  for (let todo = [...found]; todo.length; todo = [...found].filter(([n]) => !built.has(n)))
    await Promise.all(
      todo.map(async ([name, file]) =>
        built.set(name, await bundle({ entryPoints: [file], outfile: path.join(dir, `${name}.js`) })),
      ),
    );
  // The bundles before the dispatcher that loads them; then what earlier builds left.
  for (const [name, r] of [...built].reverse()) {
    for (const f of r.outputFiles) writeWhole(f.path, f.contents);
    if (name) writeWhole(path.join(dir, `${name}.meta.json`), JSON.stringify(r.metafile));
  }
  for (const f of readdirSync(dir))
    if (!found.has(f.replace(/(\.js(\.map|\.cache)?|\.meta\.json)$/, ''))) rmSync(path.join(dir, f), { force: true });
  // A plain `node` (no NODE_OPTIONS): V8 accepts a cache only under the flags it was made with.
  const env = { ...process.env, CALLFLOW_CLI_WRITE_CODE_CACHE: '1', NODE_OPTIONS: '' };
  if (existsSync(path.join(root, 'examples')))
    await Promise.all(
      CLI_WARM_UP.map(
        (args) =>
          new Promise((resolve, reject) =>
            execFile(process.execPath, [outfile, ...args], { cwd: root, env }, (e, _out, err) =>
              e && e.code !== 1 ? reject(new Error(`callflow ${args.join(' ')} (code cache): ${err}`)) : resolve(),
            ),
          ),
      ),
    );
  return built.get('');
}

const entries = [
  {
    in: 'cli/main.ts',
    out: 'dist/cli.js',
    ...node,
    plugins: [lazyElk, precompiledSchema],
    custom: buildCli,
  },
  {
    // The engine (server/engine.ts, reached only through import()) is inlined but evaluated only
    // when loaded, after `initialize` is answered (server/start-gate.ts).
    in: 'server/main.ts',
    out: 'dist/server.js',
    ...node,
    plugins: [lazyElk, precompiledSchema],
  },
  // The benchmark's start-up comparison servers (test/bench/servers/), built like the shipped one.
  ...(process.env.CALLFLOW_BENCH_SERVERS
    ? ['eager', 'library-only'].map((name) => ({
        in: `test/bench/servers/${name}.ts`,
        out: `dist/bench/server-${name}.js`,
        ...node,
        plugins: [lazyElk, precompiledSchema],
      }))
    : []),
  { in: 'node_modules/elkjs/lib/elk.bundled.js', out: 'dist/elk.js', ...node },
  { in: 'emulator/main.ts', out: 'dist/emulator.js', ...node },
  {
    in: 'client/extension.ts',
    out: 'dist/extension.js',
    ...node,
    external: ['vscode'],
    plugins: [lazyLanguageClient, lazyYaml],
    // import() becomes require(): the extension host loads ./language-client.js (and its `vscode`) as CommonJS.
    supported: { 'dynamic-import': false },
    metafile: true,
  },
  { in: 'node_modules/yaml/dist/index.js', out: 'dist/yaml.js', ...node },
  {
    in: 'node_modules/vscode-languageclient/lib/node/main.js',
    out: 'dist/language-client.js',
    ...node,
    external: ['vscode'],
  },
  // The web extension's language server, run in a Web Worker (classic: VS Code creates it from the
  // extension's URL), and its client in the web worker extension host (CommonJS, `vscode` external).
  {
    in: 'server/browser/main.ts',
    out: 'dist/browser/server.js',
    ...browser,
    format: 'iife',
    plugins: [noNodeBuiltins, browserTwins, precompiledSchema],
  },
  {
    in: 'client/browser/extension.ts',
    out: 'dist/browser/extension.js',
    ...browser,
    format: 'cjs',
    external: ['vscode'],
    plugins: [noNodeBuiltins],
  },
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
  {
    in: 'test/vscode/packaged-suite.ts',
    out: 'dist/test/vscode/packaged-suite.js',
    ...node,
    external: ['vscode', 'mocha'],
  },
];

// `--only=a,b` builds just those bundles (by name: emulator, cli, ...); with CALLFLOW_DIST, a test
// builds the shipped emulator alone into a temporary folder.
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const t0 = Date.now();
// CALLFLOW_DIST: build into another folder (the benchmark measures a production build there).
const outDir = process.env.CALLFLOW_DIST ? path.resolve(process.env.CALLFLOW_DIST) : path.join(root, 'dist');
mkdirSync(outDir, { recursive: true });
await Promise.all(
  entries
    .filter((e) => existsSync(path.join(root, e.in)))
    .filter((e) => !only || only.includes(path.basename(e.out, '.js')))
    .map(async ({ in: input, out, custom, ...opts }) => {
      const outfile = path.join(outDir, path.relative('dist', out));
      const r = await (custom ?? build)({ ...opts, absWorkingDir: root, entryPoints: [input], outfile });
      // What went into the bundle (test/server/extension-bundle.test.ts reads the extension's).
      if (r.metafile) writeFileSync(outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(r.metafile));
    }),
);
// The schema ships beside the bundles so the CLI and server can point other tools at it.
if (existsSync(path.join(root, 'schemas'))) {
  mkdirSync(path.join(outDir, 'schemas'), { recursive: true });
  for (const f of readdirSync(path.join(root, 'schemas')))
    copyFileSync(path.join(root, 'schemas', f), path.join(outDir, 'schemas', f));
}
// The emulator's SQLite is WebAssembly: its loader (bundled into cli.js and emulator.js) reads the
// .wasm file from its own directory, so it ships in dist/ beside them (and in the .vsix).
const require = createRequire(import.meta.url);
copyFileSync(
  require.resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'),
  path.join(outDir, 'node-sqlite3-wasm.wasm'),
);
if (!process.env.CALLFLOW_QUIET_BUILD)
  console.error(`build: ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
