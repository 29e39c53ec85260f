// Starts the REAL emulator as a child process (its bundled entry, built from the current sources)
// on port 0 with a temporary SQLite file, and talks to it over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '../..');
const outDir = path.join(root, 'test-output', `emulator-${process.pid}`);
export const SQLITE_WASM = require.resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm');
const built = new Map<string, Promise<string>>();
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

/** Bundles an entry like scripts/build.mjs does (the SQLite wasm file copied beside it), once per test process. */
export function bundle(entry: 'emulator/main.ts' | 'cli/main.ts'): Promise<string> {
  if (!built.has(entry)) {
    const out = path.join(outDir, path.basename(path.dirname(entry)) + '.js');
    mkdirSync(outDir, { recursive: true });
    built.set(
      entry,
      build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile: out,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        bundle: true,
        logLevel: 'error',
      }).then(() => {
        copyFileSync(SQLITE_WASM, path.join(outDir, path.basename(SQLITE_WASM)));
        return out;
      }),
    );
  }
  return built.get(entry)!;
}

export function tempDb(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'callflow-emu-')), 'emulator.sqlite');
}

export interface Emu {
  url: string;
  key: string;
  origin: string;
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
  /** /__emulator/<p> with the default key (pass `key: null` for none). */
  control(method: string, p: string, body?: unknown, key?: string | null): Promise<ApiResponse>;
  /** fetch under /v1 with the default key (pass `key: null` for none). */
  api(
    method: string,
    p: string,
    opts?: { body?: unknown; key?: string | null; raw?: BodyInit; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export async function startEmu(
  args: string[] = [],
  opts: { entry?: 'emulator/main.ts' | 'cli/main.ts'; db?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Emu> {
  const entry = opts.entry ?? 'emulator/main.ts';
  const script = await bundle(entry);
  const db = opts.db ?? tempDb();
  const argv =
    entry === 'cli/main.ts'
      ? [script, 'api', 'serve', '--port', '0', '--db', db, ...args]
      : [script, '--port', '0', '--db', db, ...args];
  // The database's directory, or its parent when the emulator is to create it (`.callflow/`).
  const cwd = existsSync(path.dirname(db)) ? path.dirname(db) : path.dirname(path.dirname(db));
  const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: opts.env ?? process.env });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c) => {
    out += c;
  });
  proc.stderr!.on('data', (c) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`emulator did not start: ${out} ${err}`)), 45000);
    const check = () => {
      const m = /listening on (\S+)\n[\s\S]*API key: [^\n]+\n/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`emulator exited with ${code}: ${err}`));
    });
  });
  // A key given with --key is not printed: use it as given.
  const keyArg = args.indexOf('--key');
  const key = keyArg >= 0 ? args[keyArg + 1] : /API key: (\S+)/.exec(out)![1];
  const origin = new URL(url).origin;
  const emu: Emu = {
    url,
    key,
    origin,
    proc,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async control(method, p, body, k = key) {
      const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
      if (k !== null) headers.authorization = `Bearer ${k}`;
      const res = await fetch(`${origin}/__emulator/${p}`, {
        method,
        headers,
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async api(method, p, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const k = o.key === undefined ? key : o.key;
      if (k !== null) headers.authorization = `Bearer ${k}`;
      let body: BodyInit | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(url + p, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  return emu;
}

/** Builds a workflow through the API: nodes by local name, edges as [from, to, label?]. */
export async function buildWorkflow(
  emu: Emu,
  spec: {
    title?: string;
    max_concurrent_calls?: number;
    nodes: Record<string, { node_type: string; label?: string; config?: Record<string, unknown> }>;
    edges: [string, string, string?][];
  },
  key?: string,
) {
  const w = await emu.api('POST', '/workflows', {
    body: {
      title: spec.title ?? 'Test workflow',
      description: 'built by a test',
      ...(spec.max_concurrent_calls !== undefined ? { max_concurrent_calls: spec.max_concurrent_calls } : {}),
    },
    key,
  });
  if (w.status !== 201) throw new Error(`create workflow: ${w.status} ${JSON.stringify(w.body)}`);
  const ids: Record<string, string> = {};
  for (const [name, n] of Object.entries(spec.nodes)) {
    const r = await emu.api('POST', `/workflows/${w.body.id}/nodes`, {
      body: { label: name, position_x: 0, position_y: 0, config: {}, ...n },
      key,
    });
    if (r.status !== 201) throw new Error(`create node ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    ids[name] = r.body.id;
  }
  const edgeIds: string[] = [];
  for (const [from, to, label] of spec.edges) {
    const r = await emu.api('POST', `/workflows/${w.body.id}/edges`, {
      body: { from_node_id: ids[from], to_node_id: ids[to], ...(label ? { label } : {}) },
      key,
    });
    if (r.status !== 201) throw new Error(`create edge ${from}->${to}: ${r.status} ${JSON.stringify(r.body)}`);
    edgeIds.push(r.body.id);
  }
  return { id: w.body.id as string, ids, edgeIds };
}

/** A graph that passes the four pre-activation checks against the default seed. */
export const VALID_GRAPH = {
  nodes: {
    first_call: {
      node_type: 'VOICE_CALL',
      label: 'First call',
      config: { agent_id: 'agt_support01', from_phone_number: '+14155550100' },
    },
    converted: { node_type: 'CONVERTED', label: 'Converted' },
    dropped: { node_type: 'DROPPED', label: 'Dropped' },
  },
  edges: [
    ['first_call', 'converted', 'COMPLETED'],
    ['first_call', 'dropped'],
  ] as [string, string, string?][],
};

export function multipartCsv(csv: string, filename = 'leads.csv', field = 'file'): { raw: FormData } {
  const fd = new FormData();
  fd.append(field, new Blob([csv], { type: 'text/csv' }), filename);
  return { raw: fd };
}
