// Shared by the platform tests: the real emulator as a child process over its SQLite file, the
import { canonicalJson } from '../../platform/snapshot';
// built CLI as a child process, and a temporary project with a callflow.config.yaml naming them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../platform/client';
import type { RemoteEdge, RemoteNode } from '../../core/remote';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
export const EMULATOR = path.join(ROOT, 'dist/emulator.js');
/** Distinctive, so a leak anywhere is found by a plain text search. */
export const SECRET_KEY = 'cfk_TEST_s3cr3t_9f8e7d6c5b4a';
export const KEY_ENV = 'CALLFLOW_TEST_KEY';

export interface Emu {
  url: string;
  root: string;
  dbPath: string;
  proc: ChildProcess;
  stats(): Promise<{ reads: number; writes: number; byRoute: Record<string, number> }>;
  resetStats(): Promise<void>;
  faults(rules: Record<string, unknown>[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** The late fault's counters (queued includes held). */
  late(): Promise<{ queued: number; held: number; processed: number }>;
  /** Processes every held late request, then waits until none is queued (state, not time). */
  releaseLate(): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and database (after a kill). */
  restart(): Promise<void>;
  client(concurrency?: number): ApiClient;
}

async function spawnEmulator(
  dbPath: string,
  port: number,
  seed?: string,
): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(
    process.execPath,
    [
      EMULATOR,
      '--port',
      String(port),
      '--db',
      dbPath,
      '--key',
      SECRET_KEY,
      '--faults',
      '--quiet',
      ...(seed ? ['--seed', seed] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`emulator did not start: ${out} ${err}`)), 15000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (d) => {
      err += d;
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`emulator exited ${code}: ${err}`));
    });
  });
  proc.removeAllListeners('exit');
  return { proc, url };
}

export async function startEmu(dir = mkdtempSync(path.join(tmpdir(), 'cf-emu-')), seed?: string): Promise<Emu> {
  const dbPath = path.join(dir, 'emulator.sqlite');
  let { proc, url } = await spawnEmulator(dbPath, 0, seed);
  const port = Number(new URL(url).port);
  const root = () => url.replace(/\/v1$/, '');
  const ctl = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(root() + p, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET_KEY}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const emu: Emu = {
    get url() {
      return url;
    },
    get root() {
      return root();
    },
    dbPath,
    get proc() {
      return proc;
    },
    stats: () => ctl('GET', '/__emulator/stats'),
    resetStats: async () => {
      await ctl('DELETE', '/__emulator/stats');
    },
    faults: async (rules) => {
      await ctl('POST', '/__emulator/faults', { rules });
    },
    clearFaults: async () => {
      await ctl('DELETE', '/__emulator/faults');
    },
    late: async () => (await ctl('GET', '/__emulator/faults')).late,
    releaseLate: async () => {
      const { released } = await ctl('POST', '/__emulator/faults/release');
      for (;;) {
        const late = (await ctl('GET', '/__emulator/faults')).late;
        if (late.queued === 0) return released;
        await new Promise((r) => setImmediate(r));
      }
    },
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
    restart: async () => {
      ({ proc, url } = await spawnEmulator(dbPath, port, seed));
    },
    client: (concurrency?: number) =>
      new ApiClient({
        baseUrl: url,
        key: SECRET_KEY,
        target: 'emu',
        concurrency,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
      }),
  } as Emu;
  return emu;
}

/** A temporary project: callflow.config.yaml with target `emu` (default) pointing at the emulator. */
export function makeProject(emu: Emu, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cf-proj-'));
  writeFileSync(
    path.join(dir, 'callflow.config.yaml'),
    `targets:\n  emu:\n    url: ${emu.url}\n    key_env: ${KEY_ENV}\ndefault_target: emu\n`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cli(
  args: string[],
  o: { cwd: string; env?: Record<string, string | undefined>; onSpawn?: (p: ChildProcess) => void },
): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      [KEY_ENV]: SECRET_KEY,
      NO_COLOR: '1',
      CALLFLOW_API_TIMEOUT_MS: '5000',
      // Look again for late creates once, at once: tests that make a create land late say when it lands.
      CALLFLOW_LATE_LOOK_MS: '0',
      ...o.env,
    };
    const p = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    o.onSpawn?.(p);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface RemoteGraphView {
  title: string;
  nodes: RemoteNode[];
  edges: RemoteEdge[];
}

export async function remoteGraph(emu: Emu, id: string): Promise<RemoteGraphView> {
  const c = emu.client();
  const w = await c.get<{ title: string }>(`/workflows/${id}`);
  return {
    title: w.title,
    nodes: await c.list<RemoteNode>(`/workflows/${id}/nodes`),
    edges: await c.list<RemoteEdge>(`/workflows/${id}/edges`),
  };
}

/** The remote graph in file terms: `label` of each node, and `from -[label]-> to` edges in order. */
export function graphSummary(g: RemoteGraphView): { nodes: string[]; edges: string[] } {
  const label = new Map(g.nodes.map((n) => [n.id, n.label ?? n.id]));
  return {
    nodes: g.nodes.map((n) => `${n.label}:${n.node_type}:${canonicalJson(n.config ?? {})}`).sort(),
    edges: g.edges.map((e) => `${label.get(e.from_node_id)} -${e.label ?? ''}-> ${label.get(e.to_node_id)}`),
  };
}

export function workflowIdOf(dir: string, file: string, target = 'emu'): string | undefined {
  const text = readFileSync(path.join(dir, file.replace(/\.ya?ml$/, '.state.yaml')), 'utf8');
  const section = text.split(/\n {2}(?=\S)/).find((s) => s.startsWith(`${target}:`));
  return section ? /workflow: (\S+)/.exec(section)?.[1] : undefined;
}

/** Every file under a folder, for "the key is written nowhere". */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

export const exists = existsSync;

/** A small valid workflow; labels are explicit so renames are state-only. */
export const BASE = `version: 1
title: Test flow
description: For the platform tests.
nodes:
  call:
    type: VOICE_CALL
    label: First call
    position: { x: 0, y: 0 }
    config:
      agent_id: agt_support01
      from_phone_number: "+14155550100"
    next:
      - on: COMPLETED
        to: check
      - on: DNP
        to: wait
      - to: lost
  wait:
    type: TIME
    label: Wait a day
    position: { x: 300, y: 0 }
    config: { delay_hours: 24 }
    next:
      - to: recall
  recall:
    type: VOICE_CALL
    label: Second call
    position: { x: 600, y: 0 }
    config:
      agent_id: agt_support01
      from_phone_number: "+14155550100"
    next:
      - on: COMPLETED
        to: check
      - to: lost
  check:
    type: CONDITIONAL
    label: Interested?
    position: { x: 300, y: 200 }
    config:
      logic: AND
      conditions:
        - { field: interested, operator: equals, value: "yes" }
    next:
      - on: "true"
        to: won
      - on: "false"
        to: lost
  won:
    type: CONVERTED
    label: Won
    position: { x: 600, y: 200 }
  lost:
    type: DROPPED
    label: Lost
    position: { x: 600, y: 400 }
`;

import { parseText } from '../../core/parse';
import { buildModel } from '../../core/model';
import { desiredFromModel } from '../../platform/desired';

/** What graphSummary must give once the file is pushed. */
export function expectedSummary(text: string): { nodes: string[]; edges: string[] } {
  const parsed = parseText(text);
  const d = desiredFromModel(buildModel(parsed.doc!, text));
  const label = new Map(d.nodes.map((n) => [n.key, n.label]));
  return {
    nodes: d.nodes.map((n) => `${n.label}:${n.type}:${canonicalJson(n.config ?? {})}`).sort(),
    // Remote edges come in creation order; compare per source node, in routing order.
    edges: d.nodes.flatMap((n) => n.next.map((e) => `${n.label} -${e.label ?? ''}-> ${label.get(e.to)}`)),
  };
}

/** Edges grouped by source, each group in order: creation order across nodes is free. */
export function byNode(edges: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of edges) {
    const from = e.split(' -')[0];
    (out[from] ??= []).push(e);
  }
  return out;
}
