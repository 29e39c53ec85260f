// What is at a place in a workflow file: a node key, a reference to one (`to:` / `entry:`), a
// variable (declared or used in a template), an edge label, a node type, or a plain field.
// Editor-agnostic: the language server and the CLI both ask these questions in offsets.
import { isMap, isPair, isScalar, isSeq, type Node as YNode } from 'yaml';
import type { Span } from './diagnostic';
import type { NodeDecl, WorkflowModel } from './model';
import type { Analysis } from './validate';

export type Target =
  | { kind: 'nodeKey'; key: string; span: Span; node: NodeDecl }
  | { kind: 'nodeRef'; key: string; span: Span; via: 'to' | 'entry' }
  | { kind: 'variable'; name: string; span: Span; declaration: boolean }
  | { kind: 'label'; label: string; span: Span; nodeKey: string }
  | { kind: 'type'; value: string; span: Span; nodeKey: string }
  | { kind: 'field'; path: (string | number)[]; span: Span; onKey: boolean };

export const NODE_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const within = (s: Span | undefined, o: number): s is Span => !!s && s.start <= o && o <= s.end;

/** The node whose `key: value` entry holds the offset. */
export function nodeAt(model: WorkflowModel, offset: number): NodeDecl | undefined {
  let lo = 0,
    hi = model.nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = model.nodes[mid];
    if (offset < n.span.start) hi = mid - 1;
    else if (offset > n.span.end) lo = mid + 1;
    else return n;
  }
  return undefined;
}

export function targetAt(a: Analysis, offset: number): Target | undefined {
  const model = a.model;
  if (!model) return undefined;
  if (within(model.entry?.span, offset))
    return { kind: 'nodeRef', key: model.entry!.value, span: model.entry!.span, via: 'entry' };
  for (const v of model.variables)
    if (within(v.span, offset)) return { kind: 'variable', name: v.value, span: v.span, declaration: true };
  const node = nodeAt(model, offset);
  if (node) {
    if (within(node.keySpan, offset)) return { kind: 'nodeKey', key: node.key, span: node.keySpan, node };
    if (within(node.type?.span, offset))
      return { kind: 'type', value: node.type!.value, span: node.type!.span, nodeKey: node.key };
    for (const e of node.next) {
      if (within(e.to?.span, offset)) return { kind: 'nodeRef', key: e.to!.value, span: e.to!.span, via: 'to' };
      if (within(e.on?.span, offset)) return { kind: 'label', label: e.on!.value, span: e.on!.span, nodeKey: node.key };
    }
    for (const t of model.templates)
      if (t.nodeKey === node.key && within(t.span, offset))
        return { kind: 'variable', name: t.name, span: t.span, declaration: false };
  }
  return fieldAt(a, offset);
}

/** The key path of the innermost field at the offset, e.g. ['nodes', 'first_call', 'config', 'agent_id']. */
export function fieldAt(a: Analysis, offset: number): Target | undefined {
  const doc = a.parsed.doc;
  if (!doc) return undefined;
  let found: Target | undefined;
  const walk = (n: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 40 || !n) return;
    if (isMap(n)) {
      for (const p of n.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const k = String(p.key.value);
        const ks = (p.key as YNode).range;
        if (ks && ks[0] <= offset && offset <= ks[1]) {
          found = { kind: 'field', path: [...path, k], span: { start: ks[0], end: ks[1] }, onKey: true };
          return;
        }
        const vr = (p.value as YNode | null)?.range;
        if (vr && vr[0] <= offset && offset <= vr[1]) {
          if (isScalar(p.value)) {
            found = { kind: 'field', path: [...path, k], span: { start: vr[0], end: vr[1] }, onKey: false };
            return;
          }
          walk(p.value, [...path, k], depth + 1);
          return;
        }
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => {
        const r = (item as YNode | null)?.range;
        if (r && r[0] <= offset && offset <= r[1]) {
          if (isScalar(item))
            found = { kind: 'field', path: [...path, i], span: { start: r[0], end: r[1] }, onKey: false };
          else walk(item, [...path, i], depth + 1);
        }
      });
    }
  };
  walk(doc.contents, [], 0);
  return found;
}

/** Every place a node key is written: its declaration, then each `to:` and `entry:` naming it. */
export function nodeKeyOccurrences(model: WorkflowModel, key: string): { span: Span; declaration: boolean }[] {
  const out: { span: Span; declaration: boolean }[] = [];
  const decl = model.nodeByKey.get(key);
  if (decl) out.push({ span: decl.keySpan, declaration: true });
  if (model.entry?.value === key) out.push({ span: model.entry.span, declaration: false });
  for (const n of model.nodes)
    for (const e of n.next) if (e.to?.value === key) out.push({ span: e.to.span, declaration: false });
  return out;
}

/** Every place a variable is written: its declaration in `variables`, then each template using it. */
export function variableOccurrences(model: WorkflowModel, name: string): { span: Span; declaration: boolean }[] {
  const out: { span: Span; declaration: boolean }[] = [];
  for (const v of model.variables) if (v.value === name) out.push({ span: v.span, declaration: true });
  for (const t of model.templates) if (t.name === name) out.push({ span: t.span, declaration: false });
  return out;
}

/**
 * The node key of the block holding an offset, read from the text alone so it also works while
 * the file does not parse: the nearest line above indented like the first node key.
 */
export function enclosingNodeKey(text: string, offset: number): string | undefined {
  const nodesAt = text.search(/^nodes:[ \t]*(#.*)?$/m);
  if (nodesAt < 0 || offset < nodesAt) return undefined;
  const first = /\n( +)[^\s#-][^\n]*/g;
  first.lastIndex = nodesAt;
  const m = first.exec(text);
  if (!m) return undefined;
  const indent = m[1].length;
  const re = new RegExp(`^ {${indent}}(?:"([^"\\n]+)"|'([^'\\n]+)'|([A-Za-z_][A-Za-z0-9_-]*))\\s*:`, 'gm');
  let key: string | undefined;
  re.lastIndex = nodesAt;
  for (let k = re.exec(text); k && k.index <= offset; k = re.exec(text)) key = k[1] ?? k[2] ?? k[3];
  return key;
}
