// The push state file: platform ids per target, committed beside the workflow file
// (`flows/x.workflow.yaml` → `flows/x.workflow.state.yaml`). Stable, sorted, one fact per line, so
// a review shows exactly which ids changed. Written atomically (temp file + rename).
//
// The `local` target's ids (the emulator on this machine) are not committed: they live in
// `.callflow/state/<path>.state.yaml` under the project root (.callflow/ is git-ignored), and
// readState/saveState merge and split them.
//
// A push writes the whole file twice (before the first call, every planned call listed as pending;
// after the last, the final state) and in between appends one line per successful call to a
// journal beside it (`….state.yaml.journal`): O(1) per call, so a push is linear, and a push
// killed at any point leaves the file plus a journal that together say exactly what happened.
// readState replays a journal it finds (and the next save folds it in and removes it).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from './yaml-load';
import { normLabel, nodeHashFor, fingerprint, workflowHash, type Snapshot } from './snapshot';
import { LOCAL_TARGET, projectRoot } from './targets';

/** An API call that was planned and not yet seen to succeed: it may or may not have happened. */
export type PendingOp =
  | { op: 'create-workflow'; title: string; /** When the push started (orphan adoption window). */ at?: string }
  | { op: 'patch-workflow'; hash: string }
  | { op: 'create-node'; key: string; hash: string }
  | { op: 'patch-node'; key: string; id: string; hash: string }
  | { op: 'delete-node'; id: string }
  | { op: 'create-edge'; from: string; to: string; label?: string }
  | { op: 'delete-edge'; id: string };

export interface StateEdge {
  from: string;
  index: number;
  to: string;
  label?: string;
  id: string;
}

export interface TargetState {
  workflowId?: string;
  workflowHash?: string;
  /** Of the remote graph as of the last successful call (see snapshot.ts fingerprint). */
  fingerprint?: string;
  /** `auto`: the file leaves the node's position to the dashboard, so the hash leaves it out. */
  nodes: Map<string, { id: string; hash: string; auto?: boolean }>;
  edges: StateEdge[];
  pending: PendingOp[];
}

export interface StateFile {
  targets: Map<string, TargetState>;
}

export class StateError extends Error {}

export function statePathFor(workflowFile: string): string {
  const dir = path.dirname(workflowFile);
  const base = path.basename(workflowFile).replace(/\.ya?ml$/i, '');
  return path.join(dir, `${base}.state.yaml`);
}

export const emptyTarget = (): TargetState => ({ nodes: new Map(), edges: [], pending: [] });

/**
 * The state of a workflow file: the committed file (state path), the `local` target's file under
 * .callflow/, each with its unfinished push's journal replayed.
 */
export function readState(file: string): StateFile {
  const state = readStateFile(file);
  state.targets.delete(LOCAL_TARGET);
  const committedLocal = readStateFile(file, false).targets.get(LOCAL_TARGET);
  const localFile = localStatePath(file);
  const local = readStateFile(localFile).targets.get(LOCAL_TARGET) ?? committedLocal;
  if (local) state.targets.set(LOCAL_TARGET, local);
  return state;
}

/** One state file as written, its journal replayed (unless `journal` is false). */
function readStateFile(file: string, journal = true): StateFile {
  const state = parseStateFile(file);
  if (journal) replayJournal(journalPath(file), state);
  return state;
}

function parseStateFile(file: string): StateFile {
  if (!existsSync(file)) return { targets: new Map() };
  return parseState(readFileSync(file, 'utf8'), file);
}

/** A state file's text (from disk or a git revision); `file` names it in errors. */
export function parseState(text: string, file: string): StateFile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new StateError(`the state file ${file} cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  const bad = (why: string) =>
    new StateError(
      `the state file ${file} is damaged (${why}); restore it from git or delete it and use \`callflow pull\``,
    );
  if (data === null || data === undefined) return { targets: new Map() };
  if (typeof data !== 'object' || Array.isArray(data)) throw bad('not a mapping');
  const targets = new Map<string, TargetState>();
  const rawTargets = (data as Record<string, unknown>).targets ?? {};
  if (typeof rawTargets !== 'object' || Array.isArray(rawTargets)) throw bad('`targets` is not a mapping');
  for (const [name, raw] of Object.entries(rawTargets as Record<string, unknown>)) {
    if (name === '__proto__' || name === 'constructor') throw bad(`target name ${name} is not allowed`);
    if (!raw || typeof raw !== 'object') throw bad(`target ${name} is not a mapping`);
    const t = raw as Record<string, unknown>;
    const ts = emptyTarget();
    if (typeof t.workflow === 'string') ts.workflowId = t.workflow;
    if (typeof t.workflow_hash === 'string') ts.workflowHash = t.workflow_hash;
    if (typeof t.fingerprint === 'string') ts.fingerprint = t.fingerprint;
    for (const [key, v] of Object.entries((t.nodes ?? {}) as Record<string, unknown>)) {
      const n = v as Record<string, unknown> | null;
      if (!n || typeof n.id !== 'string') throw bad(`node ${key} has no id`);
      if (ts.nodes.has(key)) throw bad(`node ${key} appears twice`);
      ts.nodes.set(key, {
        id: n.id,
        hash: typeof n.hash === 'string' ? n.hash : '',
        ...(n.position === 'auto' ? { auto: true } : {}),
      });
    }
    for (const v of (Array.isArray(t.edges) ? t.edges : []) as Record<string, unknown>[]) {
      if (!v || typeof v.id !== 'string' || typeof v.from !== 'string' || typeof v.to !== 'string')
        throw bad('an edge lacks from, to or id');
      ts.edges.push({
        from: v.from,
        index: Number(v.index ?? 0),
        to: v.to,
        id: v.id,
        ...(typeof v.on === 'string' ? { label: v.on } : {}),
      });
    }
    for (const v of (Array.isArray(t.pending) ? t.pending : []) as PendingOp[])
      if (v && typeof v.op === 'string') ts.pending.push(v);
    targets.set(name, ts);
  }
  return { targets };
}

const SAFE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const YAML_WORDS = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
/** A plain scalar when it cannot be misread, else a JSON (= YAML double-quoted) string. */
function q(s: string): string {
  return SAFE.test(s) && !YAML_WORDS.test(s) ? s : JSON.stringify(s);
}

function pendingLine(p: PendingOp): string {
  const parts = Object.entries(p)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${q(String(v))}`);
  return `{${parts.join(', ')}}`;
}

export function serializeState(state: StateFile, workflowFile: string): string {
  const out = [
    `# Platform ids of ${path.basename(workflowFile)}, per target: kept by \`callflow push\` and \`callflow pull\`.`,
    '# Commit it beside the workflow file; do not edit it by hand.',
    'version: 1',
    'targets:',
  ];
  const names = [...state.targets.keys()].sort();
  if (names.length === 0) out[out.length - 1] = 'targets: {}';
  for (const name of names) {
    const t = state.targets.get(name)!;
    out.push(`  ${q(name)}:`);
    if (t.workflowId) out.push(`    workflow: ${q(t.workflowId)}`);
    if (t.workflowHash) out.push(`    workflow_hash: ${JSON.stringify(t.workflowHash)}`);
    if (t.fingerprint) out.push(`    fingerprint: ${JSON.stringify(t.fingerprint)}`);
    const keys = [...t.nodes.keys()].sort();
    out.push(keys.length ? '    nodes:' : '    nodes: {}');
    for (const k of keys) {
      const n = t.nodes.get(k)!;
      out.push(`      ${q(k)}: {id: ${q(n.id)}, hash: ${JSON.stringify(n.hash)}${n.auto ? ', position: auto' : ''}}`);
    }
    const edges = [...t.edges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.index - b.index));
    out.push(edges.length ? '    edges:' : '    edges: []');
    for (const e of edges) {
      out.push(
        `      - {from: ${q(e.from)}, index: ${e.index}, ${e.label !== undefined ? `on: ${JSON.stringify(e.label)}, ` : ''}to: ${q(e.to)}, id: ${q(e.id)}}`,
      );
    }
    if (t.pending.length) {
      out.push('    pending:  # calls of an unfinished push: each may or may not have happened');
      for (const p of t.pending) out.push(`      - ${pendingLine(p)}`);
    }
  }
  return out.join('\n') + '\n';
}

/** Where the `local` target's state of a (committed) state file lives: under .callflow/, git-ignored. */
export function localStatePath(stateFile: string): string {
  const abs = path.resolve(stateFile);
  const root = projectRoot(path.dirname(abs));
  const rel = path.relative(root, abs);
  const safe = rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(abs) : rel;
  return path.join(root, '.callflow', 'state', safe);
}

export function journalPath(stateFile: string): string {
  return `${stateFile}.journal`;
}

/** The file a target's state (and journal) is written to. */
export function stateFileFor(stateFile: string, targetName: string): string {
  return targetName === LOCAL_TARGET ? localStatePath(stateFile) : stateFile;
}

/**
 * Writes a workflow's whole state: the `local` target to its own file under .callflow/ (with a
 * .gitignore there), every other target to the committed file. Journals are folded in and removed.
 * Returns the number of files written.
 */
export function saveState(file: string, state: StateFile, workflowFile: string): number {
  const committed: StateFile = { targets: new Map([...state.targets].filter(([n]) => n !== LOCAL_TARGET)) };
  let writes = 0;
  if (writeStateFile(file, serializeState(committed, workflowFile))) writes++;
  removeJournal(file);
  const local = state.targets.get(LOCAL_TARGET);
  if (local) {
    const lf = localStatePath(file);
    ensureCallflowDir(path.dirname(lf));
    if (writeStateFile(lf, serializeState({ targets: new Map([[LOCAL_TARGET, local]]) }, workflowFile))) writes++;
    removeJournal(lf);
  }
  return writes;
}

/** Creates a folder under .callflow/ and, once, `.callflow/.gitignore` so none of it is committed. */
function ensureCallflowDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  let d = dir;
  while (path.basename(d) !== '.callflow' && path.dirname(d) !== d) d = path.dirname(d);
  const gi = path.join(d, '.gitignore');
  if (path.basename(d) === '.callflow' && !existsSync(gi))
    writeFileSync(gi, '# Local emulator data and state: never committed.\n*\n');
}

function removeJournal(stateFile: string): void {
  try {
    unlinkSync(journalPath(stateFile));
  } catch {
    /* none */
  }
}

// ---- The journal: one JSON line per successful call of a push ----

/** What one successful call changed in a target's state. `p`: the index of its pending op. */
export type JournalEntry = { t: string; p: number } & (
  | { w: { id: string; hash: string; fp?: string } }
  | { n: { key: string; id: string; hash: string; auto?: boolean } }
  | { dn: string; de?: string[] }
  | { e: { from: string; to: string; label?: string; id: string } }
  | { de: string[] }
);

/** Appends one entry (O(1): the state file itself is not rewritten). */
export function appendJournal(stateFile: string, entry: JournalEntry): void {
  appendFileSync(journalPath(stateFile), JSON.stringify(entry) + '\n');
}

/** Applies a journal's entries to the state they were written against. A torn last line is ignored. */
function replayJournal(file: string, state: StateFile): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  const done = new Map<string, Set<number>>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // the line a kill cut short: its call is still pending
    }
    if (!e || typeof e !== 'object' || typeof e.t !== 'string' || typeof e.p !== 'number') continue;
    const t = state.targets.get(e.t);
    if (!t) continue;
    if (!done.has(e.t)) done.set(e.t, new Set());
    done.get(e.t)!.add(e.p);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const w = e.w as Record<string, unknown> | undefined;
    const n = e.n as Record<string, unknown> | undefined;
    const ed = e.e as Record<string, unknown> | undefined;
    if (w && str(w.id)) {
      t.workflowId = str(w.id);
      t.workflowHash = str(w.hash);
      if (str(w.fp)) t.fingerprint = str(w.fp);
    }
    if (n && str(n.key) && str(n.id))
      t.nodes.set(n.key as string, { id: n.id as string, hash: str(n.hash) ?? '', ...(n.auto ? { auto: true } : {}) });
    if (str(e.dn)) for (const [k, v] of t.nodes) if (v.id === e.dn) t.nodes.delete(k);
    if (Array.isArray(e.de)) {
      const gone = new Set(e.de.map(String));
      t.edges = t.edges.filter((x) => !gone.has(x.id));
    }
    if (ed && str(ed.from) && str(ed.to) && str(ed.id))
      t.edges.push({
        from: ed.from as string,
        index: Number.MAX_SAFE_INTEGER,
        to: ed.to as string,
        id: ed.id as string,
        ...(str(ed.label) !== undefined ? { label: ed.label as string } : {}),
      });
  }
  for (const [name, indexes] of done) {
    const t = state.targets.get(name)!;
    t.pending = t.pending.filter((_, i) => !indexes.has(i));
    // Routing order: the recorded edges of each node, then the ones the journal appended.
    const next = new Map<string, number>();
    const ordered = t.edges
      .map((x, i) => ({ x, i }))
      .sort((a, b) => (a.x.from < b.x.from ? -1 : a.x.from > b.x.from ? 1 : a.x.index - b.x.index || a.i - b.i));
    t.edges = ordered.map(({ x }) => {
      const index = next.get(x.from) ?? 0;
      next.set(x.from, index + 1);
      return { ...x, index };
    });
  }
}

/** Writes only when the text changes; temp file + rename, so a reader never sees half a file. */
export function writeStateFile(file: string, text: string): boolean {
  try {
    if (readFileSync(file, 'utf8') === text) return false;
  } catch {
    /* absent: write it */
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  return true;
}

/** The state a target's section records for a remote snapshot and the key ↔ id mapping. */
export function deriveTarget(
  snapshot: Snapshot,
  idByKey: Map<string, string>,
  pending: PendingOp[],
  autoPositionKeys: ReadonlySet<string> = new Set(),
): TargetState {
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const keyById = new Map<string, string>();
  const nodes = new Map<string, { id: string; hash: string; auto?: boolean }>();
  for (const [key, id] of idByKey) {
    const n = byId.get(id);
    if (!n) continue;
    const auto = autoPositionKeys.has(key);
    nodes.set(key, { id, hash: nodeHashFor(n, auto), ...(auto ? { auto } : {}) });
    keyById.set(id, key);
  }
  const counters = new Map<string, number>();
  const edges: StateEdge[] = [];
  for (const e of snapshot.edges) {
    const from = keyById.get(e.from_node_id);
    const to = keyById.get(e.to_node_id);
    if (!from || !to) continue;
    const index = counters.get(from) ?? 0;
    counters.set(from, index + 1);
    const label = normLabel(e.label);
    edges.push({ from, index, to, id: e.id, ...(label !== undefined ? { label } : {}) });
  }
  return {
    workflowId: snapshot.workflow.id,
    workflowHash: workflowHash(snapshot.workflow),
    fingerprint: fingerprint(snapshot, new Set([...nodes.values()].filter((n) => n.auto).map((n) => n.id))),
    nodes,
    edges,
    pending,
  };
}
