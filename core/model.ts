// The workflow as the rules see it: every field with the span it came from. Built from the
// YAML tree (not from plain data) so that each fact keeps its exact place in the text.
import { Document, isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Node as YNode, type Pair } from 'yaml';
import type { Span } from './diagnostic';
import { findTemplates, type TemplateRef } from './templates';
import { keyText, pairSpan, pairs, resolveNode, scalarText, spanOf } from './yaml-access';

// The vocabulary's home is core/vocabulary.ts; re-exported for the modules that read it with the model.
export { NODE_TYPES, TERMINAL_TYPES, type NodeType } from './vocabulary';

export interface Located<T> {
  value: T;
  span: Span;
}

export interface EdgeDecl {
  from: string;
  /** Position in the node's `next` list: routing order. */
  index: number;
  to?: Located<string>;
  /** The outcome label; unquoted YAML booleans and numbers read as their text. */
  on?: Located<string>;
  span: Span;
}

export interface NodeDecl {
  key: string;
  keySpan: Span;
  /** The whole `key: {...}` entry, from the key to the end of its value. */
  span: Span;
  type?: Located<string>;
  label?: Located<string>;
  position?: Located<{ x: unknown; y: unknown }>;
  /** The config mapping as plain data (aliases expanded) with its YAML node for exact places. */
  config?: Located<Record<string, unknown>> & { node: YAMLMap };
  /** The `next` key, when present. */
  nextKeySpan?: Span;
  next: EdgeDecl[];
  /** The node's value mapping; undefined when the value is not a mapping. */
  node?: YAMLMap;
}

export interface WorkflowModel {
  title?: Located<string>;
  description?: Located<string>;
  version?: Located<unknown>;
  variables: Located<string>[];
  variablesSpan?: Span;
  leads?: Located<string>;
  maxConcurrentCalls?: Located<number>;
  entry?: Located<string>;
  /** In file order; a duplicated key appears once (the first), WF003 reports the rest. */
  nodes: NodeDecl[];
  nodeByKey: Map<string, NodeDecl>;
  nodesSpan?: Span;
  /** The `nodes:` key itself. */
  nodesKeySpan?: Span;
  templates: TemplateRef[];
  /** Top-level pairs by key, for rules that point at a field. */
  topKeys: Map<string, { keySpan: Span; valueSpan?: Span }>;
}

function located(doc: Document, n: unknown, want: 'string'): Located<string> | undefined;
function located(doc: Document, n: unknown, want: 'any'): Located<unknown> | undefined;
function located(doc: Document, n: unknown, want: 'string' | 'any'): Located<unknown> | undefined {
  const span = spanOf(n as YNode);
  const r = resolveNode(doc, n);
  if (!span) return undefined;
  if (want === 'string') {
    const t = scalarText(r);
    return t === undefined ? undefined : { value: t, span };
  }
  return { value: isScalar(r) ? r.value : ((r as YNode | null)?.toJSON?.() ?? null), span };
}

/**
 * A declaration to use instead of building one for a `nodes` entry, or undefined to build it.
 * core/incremental.ts passes one that hands back the previous model's (shifted) declarations
 * for every entry an edit did not touch.
 */
export type NodeReuse = (np: Pair<unknown, unknown>) => NodeDecl | undefined;

/** The template references found under each declaration's config, so a reused one is not rescanned. */
const nodeTemplates = new WeakMap<NodeDecl, TemplateRef[]>();

export function buildModel(doc: Document, text: string, reuse?: NodeReuse): WorkflowModel {
  const model: WorkflowModel = { variables: [], nodes: [], nodeByKey: new Map(), templates: [], topKeys: new Map() };
  for (const p of pairs(doc, doc.contents)) {
    const k = keyText(p);
    const ks = spanOf(p.key as YNode);
    if (k === undefined || !ks) continue;
    if (!model.topKeys.has(k)) model.topKeys.set(k, { keySpan: ks, valueSpan: spanOf(p.value as YNode) });
    else continue;
    switch (k) {
      case 'title':
        model.title =
          typeof (resolveNode(doc, p.value) as Scalar | undefined)?.value === 'string'
            ? located(doc, p.value, 'string')
            : undefined;
        break;
      case 'description':
        model.description = located(doc, p.value, 'string');
        break;
      case 'version':
        model.version = located(doc, p.value, 'any');
        break;
      case 'leads': {
        const v = resolveNode(doc, p.value);
        if (isScalar(v) && typeof v.value === 'string') model.leads = located(doc, p.value, 'string');
        break;
      }
      case 'entry':
        model.entry = located(doc, p.value, 'string');
        break;
      case 'variables': {
        const seq = resolveNode(doc, p.value);
        model.variablesSpan = spanOf(p.value as YNode);
        if (isSeq(seq))
          for (const item of (seq as YAMLSeq).items) {
            const r = resolveNode(doc, item);
            if (isScalar(r) && typeof r.value === 'string') {
              const s = spanOf(item as YNode);
              if (s) model.variables.push({ value: r.value, span: s });
            }
          }
        break;
      }
      case 'settings':
        for (const sp of pairs(doc, p.value)) {
          if (keyText(sp) !== 'max_concurrent_calls') continue;
          const v = resolveNode(doc, sp.value);
          const s = spanOf(sp.value as YNode);
          if (isScalar(v) && typeof v.value === 'number' && s) model.maxConcurrentCalls = { value: v.value, span: s };
        }
        break;
      case 'nodes':
        model.nodesSpan = spanOf(p.value as YNode);
        model.nodesKeySpan = ks;
        for (const np of pairs(doc, p.value)) {
          if (keyText(np)?.startsWith('x-')) continue; // annotations, ignored by every tool
          const node = reuse?.(np) ?? buildNode(doc, np);
          if (node && !model.nodeByKey.has(node.key)) {
            model.nodes.push(node);
            model.nodeByKey.set(node.key, node);
          }
        }
        break;
    }
  }
  for (const n of model.nodes) {
    if (!n.config) continue;
    let refs = nodeTemplates.get(n);
    if (!refs) {
      refs = findTemplates(text, n.config.node, n.key);
      nodeTemplates.set(n, refs);
    }
    model.templates.push(...refs);
  }
  return model;
}

/**
 * Moves every offset at or after `from` in `decl` by `delta`, in place (the same rule the
 * incremental splice applies to the YAML tree, whose nodes the declaration points into and which
 * is updated in place too); returns `decl`. Object identity and key order are kept, so the
 * declaration reads exactly like one built afresh from the updated tree.
 */
export function shiftNodeDecl(decl: NodeDecl, from: number, delta: number): NodeDecl {
  if (delta === 0 || decl.span.end < from) return decl;
  const sh = (s: Span): void => {
    if (s.start >= from) s.start += delta;
    if (s.end >= from) s.end += delta;
  };
  sh(decl.keySpan);
  if (decl.span !== decl.keySpan) sh(decl.span);
  if (decl.type) sh(decl.type.span);
  if (decl.label) sh(decl.label.span);
  if (decl.position) sh(decl.position.span);
  if (decl.config) sh(decl.config.span);
  if (decl.nextKeySpan) sh(decl.nextKeySpan);
  for (const e of decl.next) {
    sh(e.span);
    if (e.to) sh(e.to.span);
    if (e.on) sh(e.on.span);
  }
  for (const t of nodeTemplates.get(decl) ?? []) {
    sh(t.span);
    sh(t.fullSpan);
  }
  return decl;
}

export function buildNode(doc: Document, np: Pair<unknown, unknown>): NodeDecl | undefined {
  const key = keyText(np);
  const keySpan = spanOf(np.key as YNode);
  if (key === undefined || !keySpan) return undefined;
  const value = resolveNode(doc, np.value);
  const node: NodeDecl = {
    key,
    keySpan,
    span: pairSpan(np) ?? keySpan,
    next: [],
    node: isMap(value) ? value : undefined,
  };
  for (const fp of pairs(doc, value)) {
    switch (keyText(fp)) {
      case 'type':
        node.type = located(doc, fp.value, 'string');
        break;
      case 'label':
        node.label = located(doc, fp.value, 'string');
        break;
      case 'position': {
        const s = spanOf(fp.value as YNode);
        const pos = resolveNode(doc, fp.value);
        if (s && isMap(pos))
          node.position = { value: { x: pos.get('x') as unknown, y: pos.get('y') as unknown }, span: s };
        break;
      }
      case 'config': {
        const c = resolveNode(doc, fp.value);
        const s = spanOf(fp.value as YNode);
        if (isMap(c) && s) {
          let data: Record<string, unknown> = {};
          try {
            data = (c.toJS(doc, { maxAliasCount: -1 }) ?? {}) as Record<string, unknown>;
          } catch {
            data = {};
          }
          node.config = { value: data, span: s, node: c };
        }
        break;
      }
      case 'next': {
        node.nextKeySpan = spanOf(fp.key as YNode);
        const seq = resolveNode(doc, fp.value);
        if (!isSeq(seq)) break;
        (seq as YAMLSeq).items.forEach((item, index) => {
          const em = resolveNode(doc, item);
          const span = spanOf(item as YNode);
          if (!span) return;
          const edge: EdgeDecl = { from: key, index, span };
          for (const ep of pairs(doc, em)) {
            const k = keyText(ep);
            if (k === 'to') edge.to = located(doc, ep.value, 'string');
            else if (k === 'on') edge.on = located(doc, ep.value, 'string');
          }
          node.next.push(edge);
        });
        break;
      }
    }
  }
  return node;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
