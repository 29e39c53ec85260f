// How the built CLI loads a command: dist/cli.js holds only the dispatcher; each command module of
// cli/commands/index.ts is its own bundle, dist/cli/<module>.js, compiled with V8's code cache
// (dist/cli/<module>.js.cache) when there is a valid one. scripts/build.mjs routes the table's
// `import('./validate')` here; run from source (tsx, the tests' own bundles) the import is plain.
//
// Why a code cache: most of a short command's CPU is V8 compiling, on first call, each function it
// runs (the YAML parser, the schema check, the rules), not running them. The build runs the
// offline commands once and saves what V8 compiled (docs/benchmarks.md, CLI start-up).
//
// The cache is code: it is written only by the build, beside the bundle, never at run time. It
// starts with the SHA-256 of the bundle it was made from and is used only for that exact text (V8
// itself checks little more than the length); V8 rejects one from another Node version or other
// flags, and the bundle then compiles as usual.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** Set by scripts/build.mjs when it runs the commands to write their caches. */
export const WRITE_CACHE_ENV = 'CALLFLOW_CLI_WRITE_CODE_CACHE';
const DIGEST_BYTES = 32;

/**
 * The exports of dist/cli/<name>.js. The bundle runs as if it were dist/cli.js: its `require` and
 * `__dirname` are the entry's, so it finds dist/elk.js and the SQLite .wasm where they ship.
 */
export function loadBundle(name: string): unknown {
  const dir = __dirname;
  const file = path.join(dir, 'cli', `${name}.js`);
  const source = readFileSync(file, 'utf8');
  const digest = createHash('sha256').update(source).digest();
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(cacheFile);
    if (cache.subarray(0, DIGEST_BYTES).equals(digest)) cachedData = cache.subarray(DIGEST_BYTES);
  } catch {
    // no cache: compile as usual
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(path.join(dir, 'cli.js')), module, file, dir);
  if (process.env[WRITE_CACHE_ENV] === '1') {
    // After the command ran, so the cache holds every function it compiled, not only the top level.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
      renameSync(tmp, cacheFile);
    });
  }
  return module.exports;
}
