// Canonical layout of a workflow file (workflow-file.md "Canonical form"; the style is documented
// in docs/format.md). Works on the yaml Document so comments, anchors and quoting survive; a file
// that does not parse is never rewritten, and a result that would change the data or drop a
// comment is refused rather than written.
import { isCollection, isMap, isScalar, isSeq, Lexer, parseDocument, type Document, type Node as YNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseText } from './parse';

export type FormatResult = { text: string; changed: boolean } | { error: string };

/** Top-level keys in the order of the field table; a blank line separates the groups. */
const TOP_ORDER = ['version', 'title', 'description', 'variables', 'leads', 'settings', 'entry', 'nodes'];
const TOP_GROUP: Record<string, number> = { version: 0, title: 0, description: 0, variables: 1, leads: 1, settings: 2, entry: 3, nodes: 4 };
const NODE_ORDER = ['type', 'label', 'position', 'config', 'next'];
const EDGE_ORDER = ['on', 'to'];
const POSITION_ORDER = ['x', 'y'];
const SETTINGS_ORDER = ['max_concurrent_calls'];

const STRINGIFY = { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: true } as const;

/** Syntax codes that make a file unsafe to rewrite. */
const BLOCKING = new Set(['WF001', 'WF003', 'WF004']);

export function formatWorkflow(text: string): FormatResult {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const crlf = /\r\n/.test(body);
  const lf = crlf ? body.replace(/\r\n/g, '\n') : body;

  const parsed = parseText(lf);
  const blocking = parsed.diagnostics.filter((d) => BLOCKING.has(d.code));
  if (blocking.length > 0) {
    const d = blocking[0];
    return { error: `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}; the file was left as it is` };
  }

  // The layout rules are meant to reach their fixed point in one pass; a second pass costs little
  // and makes idempotence hold even for odd inputs the rules did not foresee.
  let out = lf;
  for (let i = 0; i < 3; i++) {
    let next: string | { error: string };
    try { next = formatOnce(out); } catch (e) {
      // The printer refuses some reorderings (an alias that would come before its anchor).
      next = { error: `cannot format: ${(e as Error).message.split('\n')[0]}` };
    }
    if (typeof next !== 'string') return next;
    if (next === out) break;
    out = next;
  }
  const problem = lossCheck(lf, out);
  if (problem) return { error: `${problem}; the file was left as it is` };
  const final = bom + (crlf ? out.replace(/\n/g, '\r\n') : out);
  return { text: final, changed: final !== text };
}

export function formatOnce(text: string): string | { error: string } {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { error: `YAML syntax error: ${doc.errors[0].message.split('\n')[0]}` };
  if (!isMap(doc.contents)) return { error: 'the top level is not a mapping' };
  reattachTrailingComments(doc, text);
  const top = doc.contents as YAMLMap;
  top.flow = false;

  // A comment above the first key is the file's header: it stays at the top whatever key comes first.
  const first = top.items[0];
  const header = first && isScalar(first.key) ? first.key.commentBefore : undefined;
  if (first && isScalar(first.key)) first.key.commentBefore = undefined;
  sortPairs(top, TOP_ORDER);
  if (header && top.items[0]) {
    const k = top.items[0].key as YNode;
    k.commentBefore = k.commentBefore ? `${header}\n${k.commentBefore}` : header;
  }

  let prevGroup: number | undefined;
  top.items.forEach((p, i) => {
    const name = keyOf(p);
    const group = name !== undefined && name in TOP_GROUP ? TOP_GROUP[name] : 5;
    setSpaceBefore(p, i > 0 && group !== prevGroup);
    prevGroup = group;
    const v = p.value as YNode | null;
    if (name === 'variables' && isSeq(v)) v.flow = !hasInnerComments(v);
    if (name === 'settings' && isMap(v)) { v.flow = false; sortPairs(v, SETTINGS_ORDER); }
    if (name === 'nodes' && isMap(v)) formatNodes(v);
  });
  // Trailing blank lines before a final comment are noise the parser keeps only sometimes.
  return doc.toString(STRINGIFY).replace(/\n+$/, '\n');
}

function formatNodes(nodes: YAMLMap): void {
  nodes.flow = false;
  let prevOneLine = false;
  nodes.items.forEach((np, i) => {
    const node = np.value as YNode | null;
    if (!isMap(node)) { setSpaceBefore(np, i > 0); prevOneLine = false; return; }
    sortPairs(node, NODE_ORDER);
    for (const fp of node.items) {
      setSpaceBefore(fp, false);
      const v = fp.value as YNode | null;
      switch (keyOf(fp)) {
        case 'position':
          if (isMap(v)) { sortPairs(v, POSITION_ORDER); v.flow = !hasInnerComments(v); }
          break;
        case 'config':
          // The author's flow style is kept for a small config of scalars (`{ delay_hours: 48 }`);
          // a config holding lists or maps is a block, so one changed entry is one changed line.
          if (isMap(v) && v.flow && (v.items.some((p) => isCollection(p.value)) || hasInnerComments(v))) v.flow = false;
          break;
        case 'next':
          if (isSeq(v)) formatEdges(v);
          break;
      }
    }
    // A node holding only scalars (a terminal, typically) is one line; any other node is a block.
    node.flow = node.items.every((fp) => !isCollection(fp.value)) && !hasInnerComments(node);
    // A blank line between nodes, except within a run of one-line nodes.
    setSpaceBefore(np, i > 0 && !(node.flow && prevOneLine));
    prevOneLine = node.flow;
  });
}

function formatEdges(seq: YAMLSeq): void {
  seq.flow = false;
  for (const item of seq.items) {
    const edge = item as YNode | null;
    if (edge) edge.spaceBefore = false;
    if (!isMap(edge)) continue;
    sortPairs(edge, EDGE_ORDER);
    edge.flow = false;
    for (const ep of edge.items) setSpaceBefore(ep, false);
  }
}

/** Known keys first in the given order, then every other key in its original order. */
function sortPairs(map: YAMLMap, order: readonly string[]): void {
  // A comment between "key:" and a block map's first entry is parsed as the map's; it is about
  // that first entry and must travel with it.
  const firstKey = map.items[0]?.key as YNode | null | undefined;
  if (!map.flow && map.commentBefore && firstKey && typeof firstKey === 'object') {
    firstKey.commentBefore = firstKey.commentBefore ? `${map.commentBefore}\n${firstKey.commentBefore}` : map.commentBefore;
    map.commentBefore = undefined;
  }
  const rank = (p: Pair): number => {
    const k = keyOf(p);
    const i = k === undefined ? -1 : order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const indexed = map.items.map((p, i) => ({ p: p as Pair, i, r: rank(p as Pair) }));
  indexed.sort((a, b) => a.r - b.r || a.i - b.i);
  map.items = indexed.map((x) => x.p) as typeof map.items;
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

function setSpaceBefore(p: Pair, on: boolean): void {
  const k = p.key as YNode | null;
  if (k && typeof k === 'object') k.spaceBefore = on;
}

/** Comments on a collection's entries (its own trailing comment fits a flow collection too). */
function hasInnerComments(n: YAMLMap | YAMLSeq): boolean {
  return isMap(n) ? n.items.some((p) => hasComments(p.key) || hasComments(p.value)) : n.items.some(hasComments);
}

function hasComments(n: unknown): boolean {
  if (!n || typeof n !== 'object') return false;
  const node = n as YNode;
  if (node.comment || node.commentBefore) return true;
  if (isMap(node)) return node.items.some((p) => hasComments(p.key) || hasComments(p.value));
  if (isSeq(node)) return node.items.some(hasComments);
  return false;
}

/**
 * The parser hands every comment after the last entry of a block collection to the deepest
 * collection, whatever its indentation: in
 *     a:
 *       x: 1
 *     # about b
 *     b: 2
 * "about b" lands on a's map. A comment indented less than a collection's entries belongs to
 * an outer level: before the next entry there, or at the end of that level. Without this,
 * reordering keys would carry such comments away with the wrong key.
 */
function reattachTrailingComments(doc: Document, text: string): void {
  const walk = (node: unknown, ancestors: { coll: YAMLMap | YAMLSeq; index: number }[]): void => {
    if (!isMap(node) && !isSeq(node)) return;
    const coll = node as YAMLMap | YAMLSeq;
    coll.items.forEach((item, index) => {
      const child = isMap(coll) ? (item as Pair).value : item;
      walk(child, [...ancestors, { coll, index }]);
    });
    if (!coll.comment || coll.flow || !coll.range) return;
    const lines = commentLines(text, coll.range[1], coll.range[2]);
    // Blank lines show up as empty comment lines; they carry no meaning once levels are re-laid.
    const parts = coll.comment.split('\n').filter((p) => p.trim() !== '');
    if (lines.length !== parts.length) return;
    const ownIndent = indentOf(text, coll.range[0]);
    const keep: string[] = [];
    // Lines move outwards, most-outdented level last; each goes to the deepest ancestor it fits.
    const moved: { target: number; text: string }[] = [];
    lines.forEach((l, i) => {
      if (l.indent >= ownIndent) { keep.push(parts[i]); return; }
      let t = ancestors.length - 1;
      while (t > 0 && indentOf(text, ancestors[t].coll.range?.[0] ?? 0) > l.indent) t--;
      moved.push({ target: t, text: parts[i] });
    });
    if (moved.length === 0) return;
    coll.comment = keep.length ? keep.join('\n') : undefined;
    for (let t = ancestors.length - 1; t >= 0; t--) {
      const mine = moved.filter((m) => m.target === t).map((m) => m.text);
      if (mine.length === 0) continue;
      const { coll: a, index } = ancestors[t];
      const nextItem = a.items[index + 1];
      const comment = mine.join('\n');
      if (nextItem !== undefined) {
        const holder = (isMap(a) ? (nextItem as Pair).key : nextItem) as YNode | null;
        if (holder && typeof holder === 'object') { holder.commentBefore = holder.commentBefore ? `${comment}\n${holder.commentBefore}` : comment; continue; }
      }
      a.comment = a.comment ? `${comment}\n${a.comment}` : comment;
    }
  };
  walk(doc.contents, []);
}

function indentOf(text: string, offset: number): number {
  // A block collection starts at its first entry (key or dash): its column is the level's indent.
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function commentLines(text: string, from: number, to: number): { indent: number }[] {
  const out: { indent: number }[] = [];
  for (const line of text.slice(from, to).split('\n')) {
    const m = /^( *)#/.exec(line);
    if (m) out.push({ indent: m[1].length });
  }
  return out;
}

/** Every comment of `before` must still be in `after`, and the data must be the same. */
function lossCheck(before: string, after: string): string | undefined {
  const a = parseText(after);
  if (a.diagnostics.some((d) => BLOCKING.has(d.code)) || !a.doc) return 'formatting produced a file that does not parse (a formatter bug)';
  const b = parseText(before);
  if (!deepEqual(b.data, a.data)) return 'formatting would change the data (an anchor would come after its alias?)';
  const ca = comments(before), cb = comments(after);
  if (ca.join('\n') !== cb.join('\n')) return 'formatting would lose or alter a comment';
  return undefined;
}

function comments(text: string): string[] {
  const out: string[] = [];
  for (const tok of new Lexer().lex(text)) if (tok.startsWith('#')) out.push(tok.trimEnd());
  return out.sort();
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
