// The push state file: platform ids per target, committed beside the workflow file
// (`flows/x.workflow.yaml` → `flows/x.workflow.state.yaml`). Stable, sorted, one fact per line, so
// a review shows exactly which ids changed. Written atomically (temp file + rename) after every
// successful API call, so a killed push leaves a file that describes what really happened.
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { normLabel, nodeHashFor, fingerprint, workflowHash, type Snapshot } from './snapshot';

/** An API call that was planned and not yet seen to succeed: it may or may not have happened. */
export type PendingOp =
  | { op: 'create-workflow'; title: string }
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

export function readState(file: string): StateFile {
  if (!existsSync(file)) return { targets: new Map() };
  return parseState(readFileSync(file, 'utf8'), file);
}

/** A state file's text (from disk or a git revision); `file` names it in errors. */
export function parseState(text: string, file: string): StateFile {
  let data: unknown;
  try {
    data = parse(text);
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
    if (!raw || typeof raw !== 'object') throw bad(`target ${name} is not a mapping`);
    const t = raw as Record<string, unknown>;
    const ts = emptyTarget();
    if (typeof t.workflow === 'string') ts.workflowId = t.workflow;
    if (typeof t.workflow_hash === 'string') ts.workflowHash = t.workflow_hash;
    if (typeof t.fingerprint === 'string') ts.fingerprint = t.fingerprint;
    for (const [key, v] of Object.entries((t.nodes ?? {}) as Record<string, unknown>)) {
      const n = v as Record<string, unknown> | null;
      if (!n || typeof n.id !== 'string') throw bad(`node ${key} has no id`);
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
