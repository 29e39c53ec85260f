// A semantic diff of two workflow files: what a reviewer needs to know, not which lines moved.
// Works on the parsed data, so formatting, comments and key order never show up as changes.
import { deepEqual } from './format';
import { parseText } from './parse';

export interface FieldChange {
  /** Dotted path with [i] for list items, e.g. `config.action_config.subject`, `variables[2]`. */
  path: string;
  /** Absent when the field was added. */
  old?: unknown;
  /** Absent when the field was removed. */
  new?: unknown;
}

export interface EdgeRef {
  on?: string;
  to: string;
}

export interface EdgeChange {
  kind: 'added' | 'removed';
  edge: EdgeRef;
  /** Position in the node's `next` list (old list for removed, new list for added). */
  index: number;
}

export interface NodeDiff {
  /** The key in the new file (the old key for a removed node). */
  key: string;
  status: 'added' | 'removed' | 'renamed' | 'changed';
  /** The old key of a renamed node. */
  from?: string;
  type?: string;
  fields: FieldChange[];
  edges: EdgeChange[];
  /** Set when the edges both files share are in another routing order. */
  reordered?: { old: EdgeRef[]; new: EdgeRef[] };
}

export interface WorkflowDiff {
  /** Changes outside `nodes`: title, description, variables, leads, settings, entry, version, x- keys. */
  header: FieldChange[];
  /** Added, removed, renamed and changed nodes (unchanged nodes are left out), in new-file order, removed ones last. */
  nodes: NodeDiff[];
  equal: boolean;
}

export type DiffResult = WorkflowDiff | { error: string };

interface NodeData {
  type?: string;
  fields: Record<string, unknown>;
  edges: EdgeRef[];
}

function readWorkflow(
  text: string,
  which: string,
): { top: Record<string, unknown>; nodes: Map<string, NodeData> } | { error: string } {
  const p = parseText(text);
  const bad = p.diagnostics.find((d) => d.code === 'WF001' || d.code === 'WF003' || d.code === 'WF004');
  if (bad || !p.doc || !isObject(p.data)) {
    return {
      error: `${which}: cannot read the workflow${bad ? ` (${bad.range.start.line + 1}:${bad.range.start.character + 1} ${bad.code} ${bad.message})` : ''}`,
    };
  }
  const top: Record<string, unknown> = {};
  const nodes = new Map<string, NodeData>();
  for (const [k, v] of Object.entries(p.data)) {
    if (k !== 'nodes') {
      top[k] = v;
      continue;
    }
    if (!isObject(v)) {
      top[k] = v;
      continue;
    }
    for (const [key, raw] of Object.entries(v)) {
      const n = isObject(raw) ? raw : {};
      const fields: Record<string, unknown> = {};
      for (const [f, fv] of Object.entries(n)) if (f !== 'next') fields[f] = fv;
      const edges: EdgeRef[] = [];
      if (Array.isArray(n.next))
        for (const e of n.next) {
          if (!isObject(e)) continue;
          edges.push({ ...(e.on !== undefined && e.on !== null ? { on: String(e.on) } : {}), to: String(e.to ?? '') });
        }
      nodes.set(key, { type: typeof n.type === 'string' ? n.type : undefined, fields, edges });
    }
  }
  return { top, nodes };
}

export function diffWorkflows(oldText: string, newText: string): DiffResult {
  const a = readWorkflow(oldText, 'old');
  if ('error' in a) return a;
  const b = readWorkflow(newText, 'new');
  if ('error' in b) return b;

  const header: FieldChange[] = [];
  diffValue('', a.top, b.top, header);

  const removed = [...a.nodes.keys()].filter((k) => !b.nodes.has(k));
  const added = [...b.nodes.keys()].filter((k) => !a.nodes.has(k));
  const renames = findRenames(a.nodes, b.nodes, removed, added);
  const renamedFrom = new Map([...renames].map(([o, n]) => [n, o]));
  const mapTo = (e: EdgeRef): EdgeRef => ({ ...e, to: renames.get(e.to) ?? e.to });

  const nodes: NodeDiff[] = [];
  for (const [key, nb] of b.nodes) {
    const oldKey = a.nodes.has(key) ? key : renamedFrom.get(key);
    if (oldKey === undefined) {
      nodes.push({
        key,
        status: 'added',
        type: nb.type,
        fields: [],
        edges: nb.edges.map((edge, index) => ({ kind: 'added', edge, index })),
      });
      continue;
    }
    const na = a.nodes.get(oldKey)!;
    const fields: FieldChange[] = [];
    diffValue('', na.fields, nb.fields, fields);
    fields.sort((x, y) => fieldRank(x.path) - fieldRank(y.path));
    const { edges, reordered } = diffEdges(na.edges.map(mapTo), nb.edges);
    const status = oldKey !== key ? 'renamed' : 'changed';
    if (status === 'changed' && fields.length === 0 && edges.length === 0 && !reordered) continue;
    nodes.push({
      key,
      status,
      ...(oldKey !== key ? { from: oldKey } : {}),
      type: nb.type,
      fields,
      edges,
      ...(reordered ? { reordered } : {}),
    });
  }
  for (const key of removed) {
    if (renames.has(key)) continue;
    const na = a.nodes.get(key)!;
    nodes.push({
      key,
      status: 'removed',
      type: na.type,
      fields: [],
      edges: na.edges.map((edge, index) => ({ kind: 'removed', edge, index })),
    });
  }
  return { header, nodes, equal: header.length === 0 && nodes.length === 0 };
}

/**
 * A removed node and an added node are one renamed node when they have the same type, the same
 * config and the same edges (targets compared through the renames found so far, so chains and
 * renamed neighbours still match). Only unambiguous pairs count: when one removed node matches
 * several added ones (or the reverse), they stay a removal and additions.
 */
function findRenames(
  a: Map<string, NodeData>,
  b: Map<string, NodeData>,
  removed: string[],
  added: string[],
): Map<string, string> {
  const renames = new Map<string, string>();
  for (let round = 0; round < 8; round++) {
    let found = false;
    const freeOld = removed.filter((k) => !renames.has(k));
    const taken = new Set(renames.values());
    const freeNew = added.filter((k) => !taken.has(k));
    const same = (o: string, n: string): boolean => {
      const x = a.get(o)!,
        y = b.get(n)!;
      if (x.type !== y.type || !deepEqual(x.fields.config, y.fields.config)) return false;
      const mapped = x.edges.map((e) => ({ ...e, to: e.to === o ? n : (renames.get(e.to) ?? e.to) }));
      return deepEqual(mapped, y.edges);
    };
    for (const o of freeOld) {
      const matches = freeNew.filter((n) => same(o, n));
      if (matches.length !== 1) continue;
      const n = matches[0];
      if (freeOld.filter((o2) => same(o2, n)).length !== 1) continue;
      renames.set(o, n);
      found = true;
    }
    if (!found) break;
  }
  return renames;
}

const edgeId = (e: EdgeRef): string => `${e.on ?? ''}\u0000${e.to}`;

function diffEdges(
  oldEdges: EdgeRef[],
  newEdges: EdgeRef[],
): { edges: EdgeChange[]; reordered?: NodeDiff['reordered'] } {
  const oldIds = oldEdges.map(edgeId),
    newIds = newEdges.map(edgeId);
  const edges: EdgeChange[] = [];
  oldEdges.forEach((edge, index) => {
    if (!newIds.includes(oldIds[index])) edges.push({ kind: 'removed', edge, index });
  });
  newEdges.forEach((edge, index) => {
    if (!oldIds.includes(newIds[index])) edges.push({ kind: 'added', edge, index });
  });
  const keptOld = oldEdges.filter((_, i) => newIds.includes(oldIds[i]));
  const keptNew = newEdges.filter((_, i) => oldIds.includes(newIds[i]));
  const reordered =
    keptOld.map(edgeId).join('\n') !== keptNew.map(edgeId).join('\n') ? { old: keptOld, new: keptNew } : undefined;
  return { edges, reordered };
}

const NODE_FIELD_ORDER = ['type', 'label', 'position', 'config'];
/** Node field changes are listed in the canonical field order (stable sort keeps paths within a field in order). */
function fieldRank(p: string): number {
  const i = NODE_FIELD_ORDER.indexOf(p.split(/[.[]/)[0]);
  return i < 0 ? NODE_FIELD_ORDER.length : i;
}

function diffValue(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in b)) out.push({ path: p, old: a[k] });
      else if (!(k in a)) out.push({ path: p, new: b[k] });
      else diffValue(p, a[k], b[k], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffValue(`${path}[${i}]`, x, b[i], out));
    return;
  }
  out.push({ path, old: a, new: b });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- Status map for the editor's "changes since HEAD" graph mode ----

export type ChangeStatus = 'added' | 'removed' | 'renamed' | 'changed' | 'moved';

export interface ChangeStatusMap {
  /** New-file node key → its status; nodes not listed are unchanged. */
  nodes: Record<string, Exclude<ChangeStatus, 'moved'>>;
  /** Old keys of removed nodes (not in the new graph: a front end may draw them as ghosts). */
  removedNodes: string[];
  /** New key → old key of each renamed node (so a drawing can say what it was called). */
  renamedFrom?: Record<string, string>;
  /** `edgeKey(from, edge)` of the new file's edges → added, or moved (its routing position changed). */
  edges: Record<string, 'added' | 'moved'>;
  /** Edges of the old file that are gone, with their (new) source key. */
  removedEdges: { from: string; edge: EdgeRef }[];
}

/** The id a front end uses for an edge: source key, label and target. */
export function edgeKey(from: string, e: EdgeRef): string {
  return `${from}|${e.on ?? ''}|${e.to}`;
}

export function changeStatus(diff: WorkflowDiff): ChangeStatusMap {
  const map: ChangeStatusMap = { nodes: {}, removedNodes: [], edges: {}, removedEdges: [] };
  for (const n of diff.nodes) {
    if (n.status === 'removed') {
      map.removedNodes.push(n.key);
      continue;
    }
    map.nodes[n.key] = n.status;
    if (n.status === 'renamed' && n.from !== undefined) (map.renamedFrom ??= {})[n.key] = n.from;
    for (const e of n.edges) {
      if (e.kind === 'added') map.edges[edgeKey(n.key, e.edge)] = 'added';
      else map.removedEdges.push({ from: n.key, edge: e.edge });
    }
    if (n.reordered)
      n.reordered.new.forEach((e, i) => {
        if (edgeId(e) !== edgeId(n.reordered!.old[i])) map.edges[edgeKey(n.key, e)] ??= 'moved';
      });
  }
  return map;
}

// ---- Text rendering for pull-request reviewers ----

const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));
const edgeText = (e: EdgeRef): string => `${e.on === undefined ? '(any outcome)' : e.on} → ${e.to}`;

export function renderDiffText(diff: WorkflowDiff): string {
  if (diff.equal) return 'no semantic changes\n';
  const lines: string[] = [];
  for (const f of diff.header) lines.push(fieldLine(f, ''));
  if (diff.nodes.length > 0) {
    if (lines.length) lines.push('');
    lines.push('nodes:');
    for (const n of diff.nodes) {
      const t = n.type ? ` (${n.type})` : '';
      if (n.status === 'added') lines.push(`  + ${n.key}${t}`);
      else if (n.status === 'removed') lines.push(`  - ${n.key}${t}`);
      else if (n.status === 'renamed') lines.push(`  ~ ${n.from} → ${n.key}${t} renamed`);
      else lines.push(`  ~ ${n.key}${t}`);
      for (const f of n.fields) lines.push(fieldLine(f, '      '));
      for (const e of n.edges)
        lines.push(`      ${e.kind === 'added' ? '+' : '-'} edge #${e.index + 1}: ${edgeText(e.edge)}`);
      if (n.reordered) {
        lines.push('      edges reordered (routing order changed):');
        lines.push(`        was: ${n.reordered.old.map(edgeText).join(', ')}`);
        lines.push(`        now: ${n.reordered.new.map(edgeText).join(', ')}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function fieldLine(f: FieldChange, indent: string): string {
  if (!('old' in f)) return `${indent}+ ${f.path}: ${show(f.new)}`;
  if (!('new' in f)) return `${indent}- ${f.path}: ${show(f.old)}`;
  return `${indent}~ ${f.path}: ${show(f.old)} → ${show(f.new)}`;
}
