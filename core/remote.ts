// A remote workflow (the API's workflow, nodes and edges) rendered as workflow text, so that the
// one rules engine can judge what the platform holds: the emulator's activate check, `pull` and
// drift detection all go through here. Pure: no I/O.
import { Document, isMap, type YAMLMap } from 'yaml';
import { formatWorkflow } from './format';

export interface RemoteWorkflowHeader {
  id?: string;
  title?: string | null;
  description?: string | null;
  max_concurrent_calls?: number | null;
}

export interface RemoteNode {
  id: string;
  node_type: string;
  label?: string | null;
  position_x?: number | null;
  position_y?: number | null;
  config?: Record<string, unknown> | null;
}

export interface RemoteEdge {
  id: string;
  from_node_id: string;
  to_node_id: string;
  label?: string | null;
}

export interface RemoteGraph {
  workflow: RemoteWorkflowHeader;
  /** In creation order. */
  nodes: RemoteNode[];
  /** In creation order: that is the routing order of each node's edges. */
  edges: RemoteEdge[];
  /** Optional `variables:` list (e.g. the workflow's Get Variable Keys, for `pull`). */
  variables?: string[];
}

export interface RemoteEdgeKey {
  from: string;
  /** Position in the source node's `next` list. */
  index: number;
  to: string;
  on?: string;
}

export interface RemoteRendering {
  text: string;
  keyById: Map<string, string>;
  idByKey: Map<string, string>;
  edgeKeyById: Map<string, RemoteEdgeKey>;
  /** Edges that could not be rendered (an endpoint is not among the nodes). */
  skippedEdges: RemoteEdge[];
}

const KEY_MAX = 40;
// Words a YAML 1.1 reader (or a human) would take for something else than a name.
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** A node key from a label: snake_case, `[a-z][a-z0-9_]*`, falling back to the node type. */
export function keyFromLabel(label: string | null | undefined, nodeType: string): string {
  const fromText = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  let key = fromText(label ?? '');
  if (key.length > KEY_MAX) key = key.slice(0, KEY_MAX).replace(/_[^_]*$/, '') || key.slice(0, KEY_MAX);
  key = key.replace(/_+$/, '');
  if (!/^[a-z]/.test(key)) {
    const base = fromText(nodeType) || 'node';
    key = key ? `${base}_${key}` : base;
  }
  if (RESERVED.has(key)) key = `${key}_node`;
  return key;
}

export interface RenderOptions {
  /** Run the text through core/format (default true): what `pull` writes. The emulator's checks skip it. */
  canonical?: boolean;
  /** Keys to keep for known ids (a state file's), instead of deriving them from labels. */
  keyById?: ReadonlyMap<string, string>;
}

export function remoteToWorkflow(remote: RemoteGraph, options: RenderOptions = {}): RemoteRendering {
  const keyById = new Map<string, string>();
  const idByKey = new Map<string, string>();
  const kept = options.keyById;
  if (kept)
    for (const n of remote.nodes) {
      const key = kept.get(n.id);
      if (key && /^[a-z][a-z0-9_]*$/.test(key) && !RESERVED.has(key) && !idByKey.has(key)) {
        keyById.set(n.id, key);
        idByKey.set(key, n.id);
      }
    }
  for (const n of remote.nodes) {
    if (keyById.has(n.id)) continue;
    const base = keyFromLabel(n.label, n.node_type);
    let key = base;
    for (let i = 2; idByKey.has(key); i++) key = `${base}_${i}`;
    keyById.set(n.id, key);
    idByKey.set(key, n.id);
  }

  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  root.set('version', 1);
  root.set('title', remote.workflow.title ?? '');
  if (remote.workflow.description) root.set('description', remote.workflow.description);
  if (remote.variables && remote.variables.length > 0)
    root.set('variables', doc.createNode([...remote.variables], { flow: true }));
  if (typeof remote.workflow.max_concurrent_calls === 'number') {
    root.set('settings', doc.createNode({ max_concurrent_calls: remote.workflow.max_concurrent_calls }));
  }

  const edgeKeyById = new Map<string, RemoteEdgeKey>();
  const skippedEdges: RemoteEdge[] = [];
  const nextByKey = new Map<string, { on?: string; to: string }[]>();
  for (const e of remote.edges) {
    const from = keyById.get(e.from_node_id);
    const to = keyById.get(e.to_node_id);
    if (!from || !to) {
      skippedEdges.push(e);
      continue;
    }
    const list = nextByKey.get(from) ?? [];
    const on = e.label === null || e.label === undefined || e.label === '' ? undefined : e.label;
    edgeKeyById.set(e.id, { from, index: list.length, to, ...(on !== undefined ? { on } : {}) });
    list.push(on !== undefined ? { on, to } : { to });
    nextByKey.set(from, list);
  }

  const nodes = doc.createNode({}) as YAMLMap;
  for (const n of remote.nodes) {
    const key = keyById.get(n.id)!;
    const node = doc.createNode({}) as YAMLMap;
    node.set('type', n.node_type);
    // An empty label is written too: left out, the file's label would be its key, and the next
    // push would rename the node (the fuzz stage's pull round trip found it).
    if (typeof n.label === 'string' && n.label !== key) node.set('label', n.label);
    if (typeof n.position_x === 'number' && typeof n.position_y === 'number') {
      node.set('position', doc.createNode({ x: n.position_x, y: n.position_y }, { flow: true }));
    }
    if (n.config && typeof n.config === 'object' && Object.keys(n.config).length > 0)
      node.set('config', doc.createNode(n.config));
    const next = nextByKey.get(key);
    if (next && next.length > 0) node.set('next', doc.createNode(next));
    nodes.set(key, node);
  }
  root.set('nodes', isMap(nodes) && nodes.items.length === 0 ? doc.createNode({}, { flow: true }) : nodes);

  const raw = doc.toString({ indent: 2, indentSeq: true, lineWidth: 0 });
  // In canonical form (docs/format.md), so that a pulled file is already what `callflow fmt` writes.
  const formatted = options.canonical === false ? undefined : formatWorkflow(raw);
  const text = formatted && 'text' in formatted ? formatted.text : raw;
  return { text, keyById, idByKey, edgeKeyById, skippedEdges };
}
