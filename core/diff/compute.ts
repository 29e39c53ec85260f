// diffWorkflows: two workflow texts (either may be absent: a file added or deleted) → a WorkflowDiff.
// Works on the parsed data, so formatting, comments and key order never show up as changes.
import { deepEqual } from '../format';
import { isPlainObject } from '../model';
import { computeFlags } from './flags';
import { matchNodes } from './match';
import { readSide, type Side } from './read';
import { compareEdges } from './routing';
import type { DiffOptions, DiffResult, EdgeRef, FieldChange, IncomingEdge, NodeDiff, WorkflowDiff } from './types';

export function diffWorkflows(
  oldText: string | undefined,
  newText: string | undefined,
  options: DiffOptions = {},
): DiffResult {
  const a = readSide(oldText, 'old');
  if ('error' in a) return a;
  const b = readSide(newText, 'new');
  if ('error' in b) return b;
  return diffSides(a, b, options);
}

function diffSides(a: Side, b: Side, options: DiffOptions): WorkflowDiff {
  const header: FieldChange[] = [];
  diffValue('', a.top, b.top, header);

  const match = matchNodes(a, b, options.identity);
  const mapEdge = (e: EdgeRef): EdgeRef => ({ ...e, to: match.toNew.get(e.to) ?? e.to });

  const nodes: NodeDiff[] = [];
  for (const [key, nb] of b.nodes) {
    const oldKey = match.toOld.get(key);
    if (oldKey === undefined) {
      const cmp = compareEdges([], nb.edges);
      nodes.push({
        key,
        status: 'added',
        type: nb.type,
        ...(nb.label !== undefined ? { label: nb.label } : {}),
        ...(nb.line !== undefined ? { line: nb.line } : {}),
        config: nb.config ?? {},
        fields: [],
        edges: cmp.edges,
        routes: cmp.routes,
      });
      continue;
    }
    const na = a.nodes.get(oldKey)!;
    const fields: FieldChange[] = [];
    diffValue('', na.fields, nb.fields, fields);
    fields.sort((x, y) => fieldRank(x.path) - fieldRank(y.path));
    const cmp = compareEdges(na.edges.map(mapEdge), nb.edges);
    const renamed = oldKey !== key;
    if (!renamed && fields.length === 0 && cmp.edges.length === 0 && !cmp.reordered) continue;
    const how = match.how.get(key);
    nodes.push({
      key,
      status: renamed ? 'renamed' : 'changed',
      ...(renamed ? { from: oldKey } : {}),
      ...(renamed && how ? { renamedBy: how } : {}),
      type: nb.type,
      ...(nb.label !== undefined ? { label: nb.label } : {}),
      ...(nb.line !== undefined ? { line: nb.line } : {}),
      fields,
      edges: cmp.edges,
      routes: cmp.routes,
      ...(cmp.reordered ? { reordered: cmp.reordered } : {}),
    });
  }
  for (const [key, na] of a.nodes) {
    if (match.toNew.has(key)) continue;
    const cmp = compareEdges(na.edges.map(mapEdge), []);
    const incoming: IncomingEdge[] = [];
    for (const src of a.nodes.values())
      for (const e of src.edges)
        if (e.to === key && src.key !== key)
          incoming.push({ from: match.toNew.get(src.key) ?? src.key, ...(e.on !== undefined ? { on: e.on } : {}) });
    nodes.push({
      key,
      status: 'removed',
      type: na.type,
      ...(na.label !== undefined ? { label: na.label } : {}),
      ...(na.line !== undefined ? { line: na.line } : {}),
      config: na.config ?? {},
      fields: [],
      edges: cmp.edges,
      routes: cmp.routes,
      incoming,
    });
  }
  const flags = computeFlags(a, b, nodes, match);
  const count = (s: NodeDiff['status']) => nodes.filter((n) => n.status === s).length;
  return {
    header,
    nodes,
    flags,
    summary: {
      added: count('added'),
      removed: count('removed'),
      renamed: count('renamed'),
      changed: count('changed'),
      flagged: flags.length,
    },
    equal: header.length === 0 && nodes.length === 0,
  };
}

const NODE_FIELD_ORDER = ['type', 'label', 'position', 'config'];
/** Node field changes are listed in the canonical field order (stable sort keeps paths within a field in order). */
function fieldRank(p: string): number {
  const i = NODE_FIELD_ORDER.indexOf(p.split(/[.[]/)[0]);
  return i < 0 ? NODE_FIELD_ORDER.length : i;
}

function diffValue(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
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
