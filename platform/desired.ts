// What the file asks the platform to hold, in the API's own terms. Labels default to the node key;
// positions the file leaves out are laid out here (only used when a node is created: an absent
// position is not managed, so the dashboard may move such a node freely).
import { buildGraph } from '../core/graph';
import type { WorkflowModel } from '../core/model';
import type { DesiredNode, DesiredWorkflow } from './desired-workflow';

// The shape lives in ./desired-workflow.ts (no core import), so the extension host, which receives
// it as data from the language server, does not load the graph code that computes it here.
export { autoPositionKeys, type DesiredEdge, type DesiredNode, type DesiredWorkflow } from './desired-workflow';

const COLUMN = 280;
const ROW = 160;

export function desiredFromModel(model: WorkflowModel): DesiredWorkflow {
  const depth = layoutDepths(model);
  const rows = new Map<number, number>();
  const nodes: DesiredNode[] = model.nodes.map((n) => {
    const d = depth.get(n.key) ?? 0;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    const pos = n.position?.value;
    const position = pos && typeof pos.x === 'number' && typeof pos.y === 'number' ? { x: pos.x, y: pos.y } : undefined;
    return {
      key: n.key,
      type: n.type?.value ?? '',
      label: n.label?.value ?? n.key,
      config: stripAnnotations(n.config?.value ?? {}) as Record<string, unknown>,
      position,
      autoPosition: { x: d * COLUMN, y: row * ROW },
      next: n.next
        .filter((e) => e.to)
        .map((e) => (e.on ? { to: e.to!.value, label: e.on.value } : { to: e.to!.value })),
    };
  });
  return {
    title: model.title?.value ?? '',
    description: model.description?.value ?? '',
    maxConcurrentCalls: model.maxConcurrentCalls?.value ?? null,
    nodes,
  };
}

/** Breadth-first depth from the entry (or the roots); nodes never reached go one column further. */
function layoutDepths(model: WorkflowModel): Map<string, number> {
  const graph = buildGraph(model);
  const depth = new Map<string, number>();
  const start = graph.entry ? [graph.entry] : graph.roots;
  const queue = [...start];
  for (const s of start) depth.set(s, 0);
  while (queue.length) {
    const k = queue.shift()!;
    for (const e of graph.out.get(k) ?? []) {
      const to = e.to?.value;
      if (to && model.nodeByKey.has(to) && !depth.has(to)) {
        depth.set(to, depth.get(k)! + 1);
        queue.push(to);
      }
    }
  }
  const max = Math.max(0, ...depth.values());
  for (const n of model.nodes) if (!depth.has(n.key)) depth.set(n.key, max + 1);
  return depth;
}

/**
 * `x-` keys are a team's own annotations: ignored by every tool, so never sent. The copy has a null
 * prototype, so keys such as `__proto__` or `constructor` are data like any other (on a plain
 * object, assigning `__proto__` would set the prototype and the key would silently vanish).
 */
export function stripAnnotations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripAnnotations);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (!k.startsWith('x-')) out[k] = stripAnnotations(x);
    return out;
  }
  return v;
}
