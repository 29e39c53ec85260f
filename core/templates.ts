// `{{ name.path[0] | filter }}` references inside config strings, with the exact range of `name`.
import { isMap, isPair, isScalar, isSeq, type Node as YNode } from 'yaml';
import type { Span } from './diagnostic';

export interface TemplateRef {
  /** The variable: the first name segment, the only part that must be known. */
  name: string;
  /** Exactly the name's characters in the text. */
  span: Span;
  /** The whole `{{ … }}`. */
  fullSpan: Span;
  /** The node whose config holds it. */
  nodeKey: string;
  /** The config path of the string, e.g. ['action_config', 'subject']. */
  path: (string | number)[];
}

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[[^\]\n]*\])*)\s*(?:\|[^}\n]*)?\}\}/g;

/** Template references in one string as it stands in the source (raw text, offsets relative to it). */
export function scanTemplates(
  raw: string,
): { name: string; start: number; end: number; fullStart: number; fullEnd: number }[] {
  const out: { name: string; start: number; end: number; fullStart: number; fullEnd: number }[] = [];
  TEMPLATE.lastIndex = 0;
  for (let m = TEMPLATE.exec(raw); m; m = TEMPLATE.exec(raw)) {
    const start = m.index + m[0].indexOf(m[1], 2);
    out.push({ name: m[1], start, end: start + m[1].length, fullStart: m.index, fullEnd: m.index + m[0].length });
  }
  return out;
}

export function findTemplates(source: string, config: YNode, nodeKey: string): TemplateRef[] {
  const out: TemplateRef[] = [];
  const walk = (n: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 32 || !n) return;
    if (isScalar(n)) {
      if (typeof n.value !== 'string' || !n.range || !n.value.includes('{{')) return;
      const raw = source.slice(n.range[0], n.range[1]);
      for (const t of scanTemplates(raw)) {
        out.push({
          name: t.name,
          span: { start: n.range[0] + t.start, end: n.range[0] + t.end },
          fullSpan: { start: n.range[0] + t.fullStart, end: n.range[0] + t.fullEnd },
          nodeKey,
          path,
        });
      }
    } else if (isMap(n)) {
      for (const p of n.items)
        if (isPair(p) && isScalar(p.key)) walk(p.value, [...path, String(p.key.value)], depth + 1);
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, [...path, i], depth + 1));
    }
    // Aliases are not followed: the anchor's own text is scanned where it stands.
  };
  walk(config, [], 0);
  return out;
}
