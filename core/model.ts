// The workflow as the rules see it: every field with the span it came from. Built from the
// YAML tree (not from plain data) so that each fact keeps its exact place in the text.
import { Document, isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Node as YNode, type Pair } from 'yaml';
import type { Span } from './diagnostic';
import { findTemplates, type TemplateRef } from './templates';
import { hasAliases, keyText, pairSpan, pairs, resolveNode, scalarText, spanOf, toData } from './yaml-access';

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
 * core/incremental.ts passes one that hands back the previous model's declaration of every entry
 * an edit did not touch (`declOf`), its offsets already moved with the tree.
 */
export type NodeReuse = (np: Pair<unknown, unknown>) => NodeDecl | undefined;

/**
 * What one incremental step changed between two models of the same document (core/incremental.ts).
 *
 * Every declaration of the new model that is not in `added` is the very object of the previous
 * model (so caches may be keyed by declaration in a WeakMap); its spans, the spans of its template
 * references and the offsets of its YAML nodes have been moved in place to the new text. A cache
 * that holds positions derived from a declaration can tell how far it moved by remembering
 * `keySpan.start` (the delta is the same for the whole declaration); lines move as the
 * declaration's line does.
 */
export interface ModelChange {
  /** Declarations built afresh: new nodes, and nodes whose block text changed (their old ones are in `removed`). */
  added: NodeDecl[];
  /** Declarations of the previous model that are gone (deleted, or replaced by one in `added`). */
  removed: NodeDecl[];
  /**
   * Top-level keys whose entry was re-parsed, added or removed (`title`, `variables`, ...);
   * empty when the edit stayed inside `nodes` or only moved text.
   */
  headerKeys: string[];
  /** The order of the nodes changed (a block moved, or one was inserted or removed). */
  orderChanged: boolean;
}

/** The declaration built for each `nodes` entry (the YAML Pair), so an incremental step can reuse it. */
const declByPair = new WeakMap<object, NodeDecl>();

/** The declaration last built for this `nodes` entry, if any. */
export function declOf(np: Pair<unknown, unknown>): NodeDecl | undefined {
  return declByPair.get(np);
}

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
          let node = reuse?.(np);
          if (!node) {
            node = buildNode(doc, np);
            if (node) declByPair.set(np, node);
          }
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
 * Moves every offset of `decl` by `delta`, in place (core/incremental.ts moves the YAML nodes the
 * declaration points into by the same delta); returns `decl`. Object identity and key order are
 * kept, so the declaration reads exactly like one built afresh from the moved tree.
 */
export function shiftNodeDecl(decl: NodeDecl, delta: number): NodeDecl {
  if (delta === 0) return decl;
  decl.keySpan.start += delta;
  decl.keySpan.end += delta;
  if (decl.span !== decl.keySpan) {
    decl.span.start += delta;
    decl.span.end += delta;
  }
  if (decl.type) shiftSpan(decl.type.span, delta);
  if (decl.label) shiftSpan(decl.label.span, delta);
  if (decl.position) shiftSpan(decl.position.span, delta);
  if (decl.config) shiftSpan(decl.config.span, delta);
  if (decl.nextKeySpan) shiftSpan(decl.nextKeySpan, delta);
  for (const e of decl.next) {
    shiftSpan(e.span, delta);
    if (e.to) shiftSpan(e.to.span, delta);
    if (e.on) shiftSpan(e.on.span, delta);
  }
  const refs = nodeTemplates.get(decl);
  if (refs)
    for (const t of refs) {
      shiftSpan(t.span, delta);
      if (t.fullSpan !== t.span) shiftSpan(t.fullSpan, delta);
    }
  return decl;
}

function shiftSpan(s: Span, delta: number): void {
  s.start += delta;
  s.end += delta;
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
            // toJS would walk the whole document once per alias; the alias map makes it one walk.
            data = ((hasAliases(doc) ? toData(doc, c) : c.toJS(doc, { maxAliasCount: -1 })) ?? {}) as Record<
              string,
              unknown
            >;
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
