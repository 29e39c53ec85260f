// JSON-pointer paths (as the schema validator reports them) → places in the YAML text.
// Built only when there are schema errors; each map's key index and each resolved path prefix is
// memoised, so many errors in a 1,000-node file cost one pass over the maps they touch, not one
// walk from the root per error.
import { isMap, isPair, isScalar, isSeq, type Document, type Pair, type Node as YNode } from 'yaml';
import type { Span } from './diagnostic';
import { resolveNode } from './yaml-access';

export interface Located {
  /** The value as written (an alias stays an alias, so its place is where it is used). */
  valueNode: unknown;
  /** The same value with aliases resolved: what the path walks into. */
  resolved: unknown;
  /** The key whose value this is, when the parent is a mapping. */
  keyNode?: unknown;
  /** The sequence item, when the parent is a list. */
  inList?: boolean;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export class YamlLocator {
  private readonly byPath = new Map<string, Located | null>();
  private readonly keyIndex = new WeakMap<object, Map<string, Pair<unknown, unknown>>>();

  constructor(
    private readonly doc: Document,
    private readonly text: string,
  ) {}

  /** The node at a path, or null when the tree has no such place (the caller falls back to a parent). */
  find(segments: readonly string[]): Located | null {
    const id = segments.join('\u0000');
    const hit = this.byPath.get(id);
    if (hit !== undefined) return hit;
    let found: Located | null;
    if (segments.length === 0) {
      found = { valueNode: this.doc.contents, resolved: resolveNode(this.doc, this.doc.contents) };
    } else {
      const parent = this.find(segments.slice(0, -1));
      found = parent ? this.child(parent.resolved, segments[segments.length - 1]) : null;
    }
    this.byPath.set(id, found);
    return found;
  }

  private child(container: unknown, seg: string): Located | null {
    if (isMap(container)) {
      let index = this.keyIndex.get(container);
      if (!index) {
        index = new Map();
        for (const p of container.items as Pair<unknown, unknown>[]) {
          if (!isPair(p)) continue;
          const k = keyString(p.key);
          if (k !== undefined && !index.has(k)) index.set(k, p);
        }
        this.keyIndex.set(container, index);
      }
      const p = index.get(seg);
      if (!p) return null;
      return { valueNode: p.value, resolved: resolveNode(this.doc, p.value), keyNode: p.key };
    }
    if (isSeq(container) && /^\d+$/.test(seg)) {
      const item = container.items[Number(seg)];
      if (item === undefined) return null;
      return { valueNode: item, resolved: resolveNode(this.doc, item), inList: true };
    }
    return null;
  }

  keySpan(loc: Located): Span | undefined {
    return spanOfNode(loc.keyNode);
  }

  /** The value's text; a block spanning lines shrinks to its key, or to its first line. */
  valueSpan(loc: Located): Span | undefined {
    const v = spanOfNode(loc.valueNode);
    if (!v || v.end <= v.start) return this.keySpan(loc) ?? v;
    if (this.text.slice(v.start, v.end).includes('\n')) return this.keySpan(loc) ?? this.firstLine(v);
    return v;
  }

  /** Where "this mapping lacks a field" is shown: its key, or the first line of a list item. */
  ownerSpan(loc: Located): Span | undefined {
    const k = this.keySpan(loc);
    if (k) return k;
    if (loc.inList) {
      const v = spanOfNode(loc.valueNode);
      return v && this.firstLine(v);
    }
    const root = firstKey(loc.resolved);
    return root ?? spanOfNode(loc.valueNode);
  }

  firstLine(s: Span): Span {
    const nl = this.text.indexOf('\n', s.start);
    let end = nl < 0 || nl > s.end ? s.end : nl;
    while (end > s.start && /[\s\r]/.test(this.text[end - 1])) end--;
    return { start: s.start, end: Math.max(end, s.start + 1) };
  }
}

/** A key as the plain data names it (collection keys are stringified, as yaml's toJS does). */
function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  try {
    return key == null ? undefined : String(key);
  } catch {
    return undefined;
  }
}

function spanOfNode(n: unknown): Span | undefined {
  const r = (n as YNode | null | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

function firstKey(map: unknown): Span | undefined {
  if (!isMap(map)) return undefined;
  const p = map.items[0];
  return p ? spanOfNode(p.key) : undefined;
}
