// The plan as people read it: every API call, grouped create / update / delete, then what changes in
// the state only (renames, adoptions), then drift.
import type { Drift } from './drift';
import { callKind, type Call, type Plan } from './plan';

const q = (s: string) => JSON.stringify(s);

export function describeCall(c: Call, wf = '{workflow}'): { verb: string; path: string; what: string } {
  const w = `/workflows/${wf}`;
  switch (c.kind) {
    case 'create-workflow':
      return { verb: 'POST', path: '/workflows', what: `workflow ${q(c.body.title)}` };
    case 'patch-workflow':
      return { verb: 'PATCH', path: w, what: `workflow: ${c.fields.join(', ')}` };
    case 'create-node':
      return { verb: 'POST', path: `${w}/nodes`, what: `node ${c.key} (${c.body.node_type})` };
    case 'patch-node':
      return { verb: 'PATCH', path: `${w}/nodes/${c.id}`, what: `node ${c.key}: ${c.fields.join(', ')}` };
    case 'delete-node':
      return { verb: 'DELETE', path: `${w}/nodes/${c.id}`, what: `node ${c.name} (${c.type}): ${c.why}` };
    case 'create-edge':
      return {
        verb: 'POST',
        path: `${w}/edges`,
        what: `edge ${c.from} → ${c.to}${c.label !== undefined ? ` [${c.label}]` : ''} (#${c.index + 1} of ${c.from})`,
      };
    case 'delete-edge':
      return {
        verb: 'DELETE',
        path: `${w}/edges/${c.id}`,
        what: `edge ${c.from} → ${c.to}${c.label !== undefined ? ` [${c.label}]` : ''}: ${c.why}`,
      };
  }
}

export function planCounts(p: Plan): { create: number; update: number; delete: number } {
  const n = { create: 0, update: 0, delete: 0 };
  for (const c of p.calls) n[callKind(c)]++;
  return n;
}

export function renderPlan(p: Plan, o: { file: string; target: string; drift?: Drift }): string {
  const out: string[] = [];
  const wf = p.workflowId ?? '{new}';
  out.push(
    `Plan for ${o.file} on target ${o.target}: ${p.workflowId ? `workflow ${p.workflowId} (${p.status ?? 'unknown status'})` : 'a new workflow'}`,
  );
  for (const n of p.notes) out.push(`note: ${n}`);
  const groups: [string, string, Call[]][] = [
    ['create', '+', p.calls.filter((c) => callKind(c) === 'create')],
    ['update', '~', p.calls.filter((c) => callKind(c) === 'update')],
    ['delete', '-', p.calls.filter((c) => callKind(c) === 'delete')],
  ];
  for (const [name, sign, calls] of groups) {
    if (!calls.length) continue;
    out.push('', `${name} (${calls.length})`);
    for (const c of calls) {
      const d = describeCall(c, wf);
      out.push(`  ${sign} ${d.verb.padEnd(6)} ${d.path.padEnd(44)} ${d.what}`);
    }
  }
  const stateOnly = [
    ...p.renames.map((r) => `  = rename node ${r.from} → ${r.to} (${r.id}): same type and config, no API call`),
    ...p.adoptions.map((a) => `  = adopt node ${a.key} (${a.id}): found on the platform, not yet in the state`),
    ...p.dropped.map((d) => `  = forget ${d}: no longer on the platform`),
  ];
  if (stateOnly.length) out.push('', `state only (${stateOnly.length})`, ...stateOnly);
  out.push('', o.drift ? `drift (WF204): ${o.drift.message}` : 'drift: none');
  const n = planCounts(p);
  out.push(
    p.calls.length === 0
      ? 'No changes: the remote workflow matches the file.'
      : `${p.calls.length} call${p.calls.length === 1 ? '' : 's'}: ${n.create} create, ${n.update} update, ${n.delete} delete.`,
  );
  return out.join('\n') + '\n';
}
