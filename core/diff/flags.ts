// The changes that matter at activation, listed before everything else: who calls and from which
// number, template variables the leads must now carry, more concurrent calls, new ways to end a
// lead's journey, nodes cut off, and problems the new version adds (the rules engine's own verdict).
import { TERMINAL_TYPES } from '../model';
import { BUILTIN_VARIABLES } from '../options';
import type { Matching } from './match';
import type { Side } from './read';
import { routeOf, routesOf } from './routing';
import { showValue } from './values';
import type { Flag, NodeDiff } from './types';

/** At most this many "new diagnostic" flags; the rest are counted in one more. */
const MAX_DIAGNOSTIC_FLAGS = 20;

const WATCHED: Record<string, { kind: Flag['kind']; what: string }> = {
  'config.agent_id': { kind: 'agent', what: 'agent' },
  'config.from_phone_number': { kind: 'phone-number', what: 'outbound number' },
};

export function computeFlags(a: Side, b: Side, nodes: NodeDiff[], m: Matching): Flag[] {
  const flags: Flag[] = [];
  const nodeLine = (key: string) => b.nodes.get(key)?.line;

  for (const n of nodes) {
    if ((n.status !== 'changed' && n.status !== 'renamed') || n.type !== 'VOICE_CALL') continue;
    for (const f of n.fields) {
      const w = WATCHED[f.path];
      if (!w) continue;
      flags.push({
        kind: w.kind,
        node: n.key,
        line: n.line,
        message: `${n.key}: ${w.what} ${showValue(f.old)} → ${showValue(f.new)} on a VOICE_CALL`,
      });
    }
  }

  const model = b.analysis?.model;
  if (model) {
    // Built-in variables (caller_number, agent_name, …) come from the platform, not the leads.
    const known = new Set([...BUILTIN_VARIABLES, ...(a.analysis?.model?.templates ?? []).map((t) => t.name)]);
    const lines = b.analysis!.parsed.lines;
    for (const t of model.templates) {
      if (known.has(t.name)) continue;
      known.add(t.name);
      const where = ['config', ...t.path].map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
      flags.push({
        kind: 'new-variable',
        node: t.nodeKey,
        line: lines.position(t.span.start).line + 1,
        message: `new template variable {{${t.name}}} in ${t.nodeKey} (${where.replace(/\.\[/g, '[')}): every lead must carry it`,
      });
    }
  }

  const mcc = (s: Side) => {
    const settings = s.top.settings as Record<string, unknown> | undefined;
    const v = settings && typeof settings === 'object' ? settings.max_concurrent_calls : undefined;
    return typeof v === 'number' ? v : undefined;
  };
  const before = mcc(a),
    after = mcc(b);
  if (after !== undefined && (before === undefined ? a.nodes.size > 0 : after > before)) {
    flags.push({
      kind: 'concurrency',
      message: `max_concurrent_calls raised ${before === undefined ? '(unset)' : before} → ${after}`,
    });
  }

  const ga = a.analysis?.graph,
    gb = b.analysis?.graph;
  const reachableB = (k: string) => !gb?.entry || gb.reachable.has(k);
  const reachableA = (k: string) => !ga?.entry || ga.reachable.has(k);
  if (a.nodes.size > 0) {
    // terminal → source node → outcomes now routed there
    const newPaths = new Map<string, Map<string, string[]>>();
    for (const n of b.nodes.values()) {
      if (!reachableB(n.key)) continue;
      const oldKey = m.toOld.get(n.key);
      const old = oldKey === undefined ? undefined : a.nodes.get(oldKey)!;
      const oldEdges = old?.edges.map((e) => ({ ...e, to: m.toNew.get(e.to) ?? e.to }));
      for (const r of routesOf(n.edges)) {
        if (!TERMINAL_TYPES.has(b.nodes.get(r.to)?.type ?? '')) continue;
        if (oldEdges && reachableA(oldKey!) && routeOf(oldEdges, r.on) === r.to) continue;
        const bySource = newPaths.get(r.to) ?? new Map<string, string[]>();
        bySource.set(n.key, [...(bySource.get(n.key) ?? []), r.on === undefined ? 'any other outcome' : `on ${r.on}`]);
        newPaths.set(r.to, bySource);
      }
    }
    for (const [t, bySource] of newPaths) {
      const via = [...bySource].map(([src, outcomes]) => `${src} (${outcomes.join(', ')})`);
      flags.push({
        kind: 'terminal-path',
        node: t,
        line: nodeLine([...bySource.keys()][0]),
        message: `new path to ${t} (${b.nodes.get(t)!.type}): from ${via.join(', ')}`,
      });
    }

    if (ga?.entry && gb?.entry)
      for (const k of ga.reachable) {
        const nk = m.toNew.get(k);
        if (nk === undefined || gb.reachable.has(nk)) continue;
        flags.push({
          kind: 'unreachable',
          node: nk,
          line: nodeLine(nk),
          message: `${nk} is no longer reachable from the entry (${gb.entry}): leads never get there`,
        });
      }
  }

  const seen = new Map<string, number>();
  for (const d of a.analysis?.diagnostics ?? []) {
    const k = `${d.severity}|${d.code}|${d.message}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  let extra = 0;
  for (const d of b.analysis?.diagnostics ?? []) {
    if (d.severity === 'info') continue;
    const k = `${d.severity}|${d.code}|${d.message}`;
    const c = seen.get(k) ?? 0;
    if (c > 0) {
      seen.set(k, c - 1);
      continue;
    }
    if (flags.filter((f) => f.kind === 'diagnostic').length >= MAX_DIAGNOSTIC_FLAGS) {
      extra++;
      continue;
    }
    flags.push({
      kind: 'diagnostic',
      line: d.range.start.line + 1,
      message: `new ${d.severity} ${d.code}: ${d.message}`,
    });
  }
  if (extra) flags.push({ kind: 'diagnostic', message: `and ${extra} more new diagnostics (run callflow validate)` });
  return flags;
}
