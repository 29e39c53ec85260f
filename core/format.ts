// Canonical layout of a workflow file (workflow-file.md "Canonical form"; the style is documented
// in docs/format.md). Works on the yaml Document so comments, anchors and quoting survive; a file
// that does not parse is never rewritten, and a result that would change the data or drop a
// comment is refused rather than written.
import {
  Composer,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  parseDocument,
  type Document,
  type Node as YNode,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { TextEdit } from './diagnostic';
import { parseText } from './parse';
import { minimalEdits } from './text-edits';
import { NODE_FIELDS, POSITION_FIELDS, SETTINGS_FIELDS, TOP_FIELDS } from './vocabulary';

export type FormatResult = { text: string; changed: boolean } | { error: string };

/** Top-level keys in the order of the field table; a blank line separates the groups. */
/** Field orders are the schema's (core/vocabulary.ts), except an edge's: `on` reads before `to`. */
const TOP_ORDER = TOP_FIELDS;
const TOP_GROUP: Record<string, number> = {
  version: 0,
  title: 0,
  description: 0,
  variables: 1,
  leads: 1,
  settings: 2,
  entry: 3,
  nodes: 4,
};
const NODE_ORDER = NODE_FIELDS;
const EDGE_ORDER = ['on', 'to'];
const POSITION_ORDER = POSITION_FIELDS;
const SETTINGS_ORDER = SETTINGS_FIELDS;

/** Marks a line comment with the spaces the author put before its `#` (see keepCommentGaps). */
const GAP = /^\u0000(\d+)\u0000/;
function commentString(c: string): string {
  const m = GAP.exec(c);
  // The printer's own rule: each comment line gets a `#`, replacing one leading space.
  // Trailing whitespace after a comment is dropped (the safety check compares comments without it).
  const text = (m ? c.slice(m[0].length) : c).replace(/^(?!$)(?: $)?/gm, '#').replace(/[ \t]+$/gm, '');
  return m ? ' '.repeat(Number(m[1]) - 1) + text : text;
}

const STRINGIFY = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
  commentString,
} as const;

/** Passes before a text that keeps changing is refused (the rules settle in one or two). */
const MAX_PASSES = 4;

/** Syntax codes that make a file unsafe to rewrite. */
const BLOCKING = new Set(['WF001', 'WF003', 'WF004']);

export function formatWorkflow(text: string): FormatResult {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const crlf = body.includes('\r\n');
  const lf = crlf ? body.replace(/\r\n/g, '\n') : body;

  // The usual file parses cleanly, without aliases: one lexer-fed parse gives the tree, the data
  // and the comments. Anything else goes through parseText, which says what is wrong (WF001/3/4)
  // and bounds alias expansion.
  const quick = parseLexed(lf);
  const comments = quick.comments;
  let doc: Document, data: unknown;
  if (quick.doc && !quick.aliases) {
    doc = quick.doc;
    data = quick.data;
    quick.doc = undefined; // a large tree: not kept alive once the first pass has used it
  } else {
    const parsed = parseText(lf);
    const blocking = parsed.diagnostics.filter((d) => BLOCKING.has(d.code));
    if (blocking.length > 0 || !parsed.doc) {
      const d = blocking[0] ?? parsed.diagnostics[0];
      return {
        error: d
          ? `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}; the file was left as it is`
          : 'the file holds no workflow; the file was left as it is',
      };
    }
    doc = parsed.doc;
    data = parsed.data;
  }

  // Each pass parses once: the input's parse (above) feeds the first pass, and the parse of a
  // pass's output is both the safety check (same data, same comments) and the next pass's input.
  // The layout rules reach their fixed point in one pass, so a canonical file costs one parse and a
  // changed one two (plus, when the text-reading rules ran, a confirming pass); the later passes
  // are there for odd inputs the rules did not foresee.
  let out = lf;
  const stats: { multiline?: boolean } = {};
  // Only a fixed point is returned: `fmt` on its own output changes nothing, so `fmt --check`
  // passes after `fmt`. A text that has not settled after the last pass is refused, not returned.
  let settled = false;
  for (let i = 0; i < MAX_PASSES && !settled; i++) {
    let next: string | { error: string };
    try {
      next = formatDoc(doc, out, stats);
    } catch (e) {
      // The printer refuses some reorderings (an alias that would come before its anchor).
      next = { error: `cannot format: ${(e as Error).message.split('\n')[0]}` };
    }
    if (typeof next !== 'string') return next;
    if (next === out) {
      settled = true;
      break;
    }
    const check = parseLexed(next);
    const problem = !check.doc
      ? 'formatting produced a file that does not parse (a formatter bug)'
      : !deepEqual(data, check.data)
        ? 'formatting would change the data (an anchor would come after its alias?)'
        : check.comments !== comments
          ? 'formatting would lose or alter a comment'
          : undefined;
    if (problem) return { error: `${problem}; the file was left as it is` };
    doc = check.doc!;
    out = next;
    // Without comments, multi-line scalars, anchors, aliases or tags no rule reads the text: every
    // decision is made on the tree, which reads back from the output as it was printed, so the
    // first pass is the fixed point and a second one would only print the same text again (the
    // idempotence property test holds this to account). The safety check above has still run.
    if (i === 0 && comments === '' && !quick.aliases && !stats.multiline) settled = true;
  }
  if (!settled) return { error: 'formatting does not settle (a formatter bug); the file was left as it is' };
  const final = bom + (crlf ? out.replace(/\n/g, '\r\n') : out);
  return { text: final, changed: final !== text };
}

/** One formatting pass over a text (parses it; formatWorkflow is the checked entry point). */
export function formatOnce(text: string): string | { error: string } {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { error: `YAML syntax error: ${doc.errors[0].message.split('\n')[0]}` };
  return formatDoc(doc, text);
}

/** Lays out `doc` (parsed from `text`, without errors; it is changed in place) in canonical form. */
function formatDoc(doc: Document, text: string, stats: { multiline?: boolean } = {}): string | { error: string } {
  if (!isMap(doc.contents)) return { error: 'the top level is not a mapping' };
  reattachTrailingComments(doc, text);
  keepKeyLineComments(doc, text);
  const kept = keepMultilineScalars(doc, text);
  stats.multiline = kept.kept.length > 0;
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
    if (name === 'variables' && isSeq(v)) v.flow = !hasInnerComments(v) && !holdsKept(v);
    if (name === 'settings' && isMap(v)) {
      v.flow = false;
      sortPairs(v, SETTINGS_ORDER);
    }
    if (name === 'nodes' && isMap(v)) formatNodes(v);
  });
  padFlowCollectionsAndCommentGaps(doc, text);
  // Trailing blank lines before a final comment are noise the parser keeps only sometimes.
  return restoreMultilineScalars(doc.toString(STRINGIFY), kept).replace(/\n+$/, '\n');
}

/**
 * A text parsed (as parseText does) with the multiset of its comments and whether it uses aliases,
 * anchors or tags (`aliases`) taken from the same lexing: the parser is fed the lexer's tokens, so the text is scanned once.
 * `doc` only when the text is one mapping without errors.
 */
function parseLexed(text: string): { doc?: Document; data?: unknown; comments: string; aliases: boolean } {
  const found: string[] = [];
  let aliases = false;
  const parser = new Parser();
  function* tokens() {
    for (const lexeme of new Lexer().lex(text)) {
      const c = lexeme.charCodeAt(0);
      if (c === 35 /* # */) found.push(lexeme.trimEnd());
      else if (c === 42 /* * */ || c === 38 /* & */ || c === 33 /* ! */) aliases = true;
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  const docs = [
    ...new Composer({ keepSourceTokens: false, uniqueKeys: true, strict: true, logLevel: 'error' }).compose(
      tokens(),
      true,
      text.length,
    ),
  ];
  const comments = found.sort().join('\n');
  const doc = docs[0];
  if (docs.length !== 1 || doc.errors.length > 0 || !isMap(doc.contents)) return { comments, aliases };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: -1 });
  } catch {
    data = undefined;
  }
  return { doc, data, comments, aliases };
}

/** Every key/value pair of every mapping under `root`, outer pairs first. */
function eachPair(root: unknown, fn: (p: Pair) => void): void {
  if (isMap(root))
    for (const p of root.items) {
      fn(p as Pair);
      eachPair(p.key, fn);
      eachPair(p.value, fn);
    }
  else if (isSeq(root)) for (const it of root.items) eachPair(it, fn);
}

/**
 * Marks on one walk of the tree (and trailing blank lines dropped, see dropTrailingBlankLines). Trailing comments keep the spaces before their `#` (authors
 * align them in columns, and a formatter that collapsed them would rewrite every commented line of
 * every file), measured in the source after the value; a comment that moved away from its value's
 * line keeps one space. And the spec's own style, `[a, b]` for flow lists and `{ a: 1 }` for flow
 * mappings: the printer has one padding switch for both, so each flow collection prints with its own.
 */
function padFlowCollectionsAndCommentGaps(doc: Document, text: string): void {
  const mark = (n: YNode) => {
    if (!n.comment || n.comment.includes('\n') || !n.range) return;
    // An empty value (`next:   # why`) starts at its comment: the gap is the one before it.
    const m =
      n.range[0] === n.range[1] && isScalar(n) && text[n.range[0]] === '#'
        ? /(?<=:)[ \t]+#$/.exec(text.slice(text.lastIndexOf('\n', n.range[0]) + 1, n.range[0] + 1))
        : /^[ \t]+#/.exec(text.slice(n.range[1], n.range[2] + 1));
    const gap = m ? m[0].length - 1 : 1;
    if (gap > 1 && !GAP.test(n.comment)) n.comment = `\u0000${gap}\u0000${n.comment}`;
  };
  // Mappings print padded by default (STRINGIFY): only one inside a flow list, whose own setting
  // its printing context inherits, needs its padding back.
  const walk = (n: unknown, inFlowSeq: boolean): void => {
    if (!n || typeof n !== 'object') return;
    dropTrailingBlankLines(n as YNode);
    if (isScalar(n)) {
      mark(n);
      return;
    }
    if (isMap(n)) {
      if (n.flow) {
        mark(n);
        if (inFlowSeq) withPadding(n, ' ');
      } else emptyValuesTakeFollowingComments(n);
      for (const p of n.items) {
        // A blank line after `key:` (the parser gives it to the value when the key is last in its
        // map) would print between the key and whatever entry follows it once keys are reordered.
        if (isScalar(p.value) || isCollection(p.value)) p.value.spaceBefore = false;
        walk(p.key, inFlowSeq);
        walk(p.value, inFlowSeq);
      }
    } else if (isSeq(n)) {
      if (n.flow) {
        mark(n);
        withPadding(n, '');
      }
      for (const it of n.items) walk(it, inFlowSeq || n.flow === true);
    }
  };
  walk(doc.contents, false);
}

/**
 * Comment lines right after an empty value (`next:` with nothing after it) are read back as that
 * value's comment, whichever key they were printed before: once reordering puts a commented key
 * after an empty one, each pass would move its comment lines one step. They are given to the empty
 * value now, which prints them where they were (`next: # c`, or indented below `next:`).
 */
function emptyValuesTakeFollowingComments(map: YAMLMap): void {
  for (let i = 0; i + 1 < map.items.length; i++) {
    const v = map.items[i].value as YNode | null,
      nextKey = map.items[i + 1].key as YNode | null;
    if (!isScalar(v) || v.value !== null || v.source || !isScalar(nextKey) || !nextKey.commentBefore) continue;
    v.comment = v.comment ? `${v.comment}\n${nextKey.commentBefore}` : nextKey.commentBefore;
    nextKey.commentBefore = undefined;
  }
}

/**
 * A node's trailing comment (a block collection's, or an empty value's as in `next:   # c`) holds
 * the blank lines after it, and the next key's own blank line, which the layout rules set, prints
 * after them: every pass would add one more (issue 9). The layout rules own blank lines between
 * entries; and a one-line comment stays on its value's line.
 */
function dropTrailingBlankLines(n: YNode): void {
  if (n.comment && n.comment.endsWith('\n')) n.comment = n.comment.replace(/\n+$/, '') || undefined;
}

function withPadding(node: YAMLMap | YAMLSeq, pad: string): void {
  const proto = Object.getPrototypeOf(node) as { toString: (...a: unknown[]) => string };
  (node as unknown as { toString: (...a: unknown[]) => string }).toString = function (
    ctx?: unknown,
    ...rest: unknown[]
  ) {
    const c = ctx && typeof ctx === 'object' ? { ...(ctx as object), flowCollectionPadding: pad } : ctx;
    return proto.toString.call(this, c, ...rest);
  };
}

/**
 * `next:   # why` puts the comment on the collection below the key, which would print it on a
 * line of its own: it goes back on the key's line (where a `callflow-disable-line` directive must
 * stay). Further comment lines before the first entry stay where they are.
 */
function keepKeyLineComments(doc: Document, text: string): void {
  eachPair(doc.contents, (pair) => {
    const key = pair.key as YNode | null,
      value = pair.value as YNode | null;
    if (
      !isScalar(key) ||
      !key.range ||
      key.comment ||
      !(isMap(value) || isSeq(value)) ||
      value.flow ||
      !value.commentBefore
    )
      return;
    const lineEnd = text.indexOf('\n', key.range[1]);
    const rest = text.slice(key.range[1], lineEnd < 0 ? text.length : lineEnd);
    const m = /^\s*:([ \t]*)#/.exec(rest);
    if (!m) return;
    const [first, ...others] = value.commentBefore.split('\n');
    key.comment = m[1].length > 1 ? `\u0000${m[1].length}\u0000${first}` : first;
    value.commentBefore = others.length ? others.join('\n') : undefined;
  });
}

interface KeptScalar {
  source: string;
  column: number;
}
interface KeptScalars {
  prefix: string;
  kept: KeptScalar[];
}

/** Scalars printed from their source lines: a collection holding one must stay a block. */
const KEPT = new WeakSet<object>();
const holdsKept = (c: YAMLMap | YAMLSeq): boolean =>
  isMap(c) ? c.items.some((p) => KEPT.has(p.value as object)) : c.items.some((it) => KEPT.has(it as object));

/**
 * A plain, quoted or folded (`>`) scalar the author wrapped over several lines keeps its line
 * breaks (printing would join it into one long line). Only in block context, where continuation lines just need to
 * be indented more than their key: they are shifted by however far the scalar's first line moved.
 */
function keepMultilineScalars(doc: Document, text: string): KeptScalars {
  const kept: KeptScalar[] = [];
  // One prefix that occurs nowhere in the text, so that a token is found only where it was put.
  let prefix = 'CALLFLOWKEPT';
  while (text.includes(prefix)) prefix += 'X';
  const walk = (n: unknown): void => {
    if (isMap(n)) {
      if (n.flow) return;
      for (const p of n.items) walk(p.value);
    } else if (isSeq(n)) {
      if (n.flow) return;
      for (const it of n.items) walk(it);
    } else if (
      isScalar(n) &&
      n.range &&
      (n.type === 'PLAIN' || n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE' || n.type === 'BLOCK_FOLDED')
    ) {
      let source = text.slice(n.range[0], n.range[1]);
      if (n.type === 'BLOCK_FOLDED') {
        // `>` and `>-` only: `>+` keeps trailing lines and `>2` fixes the indentation, so moving
        // lines could change them; a comment on the header line is left to the printer too.
        if (!/^>-?[ \t]*\n/.test(source)) return;
        source = source.replace(/\n+$/, '');
      }
      if (!source.includes('\n')) return;
      KEPT.add(n);
      kept.push({ source, column: n.range[0] - (text.lastIndexOf('\n', n.range[0] - 1) + 1) });
      n.value = `${prefix}${kept.length - 1}Y`;
      n.type = 'PLAIN';
    }
  };
  walk(doc.contents);
  return { prefix, kept };
}

function restoreMultilineScalars(out: string, { prefix, kept }: KeptScalars): string {
  if (kept.length === 0) return out;
  // Offsets are those of `out` before any replacement: a kept scalar ends its line (it is never
  // inside a flow collection), so an earlier replacement never shifts a later token's column.
  return out.replace(new RegExp(`${prefix}(\\d+)Y`, 'g'), (token: string, i: string, at: number) => {
    const k = kept[Number(i)];
    if (!k) return token;
    const column = at - (out.lastIndexOf('\n', at - 1) + 1);
    const shift = column - k.column;
    const [first, ...rest] = k.source.split('\n');
    const moved = rest.map((l) => {
      if (l.trim() === '') return '';
      if (shift >= 0) return ' '.repeat(shift) + l;
      const lead = l.length - l.trimStart().length;
      return l.slice(Math.min(lead, -shift));
    });
    return [first, ...moved].join('\n');
  });
}

function formatNodes(nodes: YAMLMap): void {
  nodes.flow = false;
  let prevOneLine = false;
  nodes.items.forEach((np, i) => {
    const node = np.value as YNode | null;
    if (!isMap(node)) {
      setSpaceBefore(np, i > 0);
      prevOneLine = false;
      return;
    }
    sortPairs(node, NODE_ORDER);
    for (const fp of node.items) {
      setSpaceBefore(fp, false);
      const v = fp.value as YNode | null;
      switch (keyOf(fp)) {
        case 'position':
          if (isMap(v)) {
            sortPairs(v, POSITION_ORDER);
            v.flow = !hasInnerComments(v) && !holdsKept(v);
          }
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
    node.flow = node.items.every((fp) => !isCollection(fp.value)) && !hasInnerComments(node) && !holdsKept(node);
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
    firstKey.commentBefore = firstKey.commentBefore
      ? `${map.commentBefore}\n${firstKey.commentBefore}`
      : map.commentBefore;
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
      if (l.indent >= ownIndent) {
        keep.push(parts[i]);
        return;
      }
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
        if (holder && typeof holder === 'object') {
          holder.commentBefore = holder.commentBefore ? `${comment}\n${holder.commentBefore}` : comment;
          continue;
        }
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

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
    return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object),
    kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * Document formatting for an editor: the line edits turning `text` into its canonical form
 * (empty when it is canonical), or why it cannot be formatted (then the editor changes nothing).
 */
export function formatEdits(text: string): { edits: TextEdit[] } | { error: string } {
  const r = formatWorkflow(text);
  return 'error' in r ? r : { edits: r.changed ? minimalEdits(text, r.text) : [] };
}
