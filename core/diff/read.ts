// One side of a diff: the workflow's data split into header fields and nodes, with the analysis
// (model, graph, diagnostics) the flags need. A missing side (a file added or deleted) is empty.
import type { Analysis } from '../validate';
import { analyze } from '../validate';
import { isPlainObject } from '../model';
import type { EdgeRef } from './types';

export interface NodeData {
  key: string;
  type?: string;
  label?: string;
  config?: Record<string, unknown>;
  /** Every field but `next`, for the field-by-field comparison. */
  fields: Record<string, unknown>;
  edges: EdgeRef[];
  /** 1-based line of the key. */
  line?: number;
}

export interface Side {
  top: Record<string, unknown>;
  /** In file order. */
  nodes: Map<string, NodeData>;
  analysis?: Analysis;
}

export const EMPTY_SIDE: Side = { top: {}, nodes: new Map() };

const FATAL = new Set(['WF001', 'WF003', 'WF004']);

export function readSide(text: string | undefined, which: string): Side | { error: string } {
  if (text === undefined) return EMPTY_SIDE;
  const analysis = analyze(text);
  const p = analysis.parsed;
  const bad = p.diagnostics.find((d) => FATAL.has(d.code));
  if (bad || !p.doc || !isPlainObject(p.data)) {
    const where = bad
      ? ` (${bad.range.start.line + 1}:${bad.range.start.character + 1} ${bad.code} ${bad.message})`
      : '';
    return { error: `${which}: cannot read the workflow${where}` };
  }
  const top: Record<string, unknown> = {};
  const nodes = new Map<string, NodeData>();
  for (const [k, v] of Object.entries(p.data)) {
    if (k !== 'nodes' || !isPlainObject(v)) {
      top[k] = v;
      continue;
    }
    for (const [key, raw] of Object.entries(v)) {
      const n = isPlainObject(raw) ? raw : {};
      const fields: Record<string, unknown> = {};
      for (const [f, fv] of Object.entries(n)) if (f !== 'next') fields[f] = fv;
      const edges: EdgeRef[] = [];
      if (Array.isArray(n.next))
        for (const e of n.next) {
          if (!isPlainObject(e)) continue;
          edges.push({ ...(e.on !== undefined && e.on !== null ? { on: String(e.on) } : {}), to: String(e.to ?? '') });
        }
      const decl = analysis.model?.nodeByKey.get(key);
      nodes.set(key, {
        key,
        type: typeof n.type === 'string' ? n.type : undefined,
        label: typeof n.label === 'string' ? n.label : undefined,
        config: isPlainObject(n.config) ? n.config : undefined,
        fields,
        edges,
        line: decl ? p.lines.position(decl.keySpan.start).line + 1 : undefined,
      });
    }
  }
  return { top, nodes, analysis };
}
