// Incremental re-validation: after an edit, re-parse only the entries the edit touched (node
// blocks under `nodes`, or top-level entries such as `title` or `variables`), splice them into the
// previous YAML tree, move the offsets of everything after them, then run the same schema check
// and rules as a full validation on the updated tree. Whenever the edit is not provably local the
// text is parsed again in full, so the result always equals `analyze(text)`.
//
// The text of a block mapping whose keys all start their line at one indent (the top level at 0,
// `nodes` at its own) falls into *units*: a unit runs from the start of an entry's key line to the
// start of the next entry's key line (the last one to the end of the mapping). A line that is
// neither blank nor a comment and is indented no deeper than the keys ends any value before it,
// so the units of the new text are found by scanning lines (no parse). A new unit whose text is an
// old unit's text (moved or not, give or take trailing comment lines) is that old entry, moved;
// the others are parsed on their own, which in a clean block mapping gives exactly the tree a full
// parse would give, offsets aside.
import {
  isMap,
  isScalar,
  parseDocument,
  visit,
  type Document,
  type Node as YNode,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { LineIndex } from './text';
import type { ValidateOptions } from './options';
// The same composition options as a full parse, so a block parses exactly as in context.
import { inspectTree, MAX_TREE_NODES, PARSE_OPTIONS, parseText, type ParsedText } from './parse';
import { declOf, shiftNodeDecl, type ModelChange, type NodeDecl, type NodeReuse } from './model';
import { analyzeParsed, type Analysis } from './validate';

export interface IncrementalAnalysis extends Analysis {
  /** How this analysis was produced, and, for a full parse after an edit, why. */
  mode: 'full' | 'incremental' | 'unchanged';
  reason?: string;
  /** Facts about the tree that decide whether the next edit may be spliced. */
  splicable: boolean;
  /** For an incremental step, what it changed in the model (see ModelChange in core/model.ts). */
  change?: ModelChange;
}

/** A full validation that remembers what a later incremental step needs. */
export function analyzeIncremental(text: string, options: ValidateOptions = {}, reason?: string): IncrementalAnalysis {
  const parsed = parseText(text);
  return { ...analyzeParsed(parsed, options), mode: 'full', reason, splicable: isSplicable(parsed) };
}

/**
 * The analysis of `text`, reusing `prev` (the analysis of an earlier text of the same document)
 * for every entry the change did not touch. `prev` must not be used after this call: its tree,
 * data, line index and node declarations are updated in place.
 */
export function reanalyze(prev: IncrementalAnalysis, text: string, options: ValidateOptions = {}): IncrementalAnalysis {
  const old = prev.parsed;
  // The model and graph depend on the tree alone, never on the options.
  if (old.text === text) {
    const schemaValidBefore = prev.schemaValid ? {} : undefined;
    return {
      ...analyzeParsed(old, options, { model: prev.model, graph: prev.graph, schemaValidBefore }),
      mode: 'unchanged',
      splicable: prev.splicable,
    };
  }
  const s = prev.splicable ? trySplice(old, text) : 'the previous text could not be spliced into';
  if (typeof s === 'string') return analyzeIncremental(text, options, s);
  const fresh = s.fresh as Set<object>;
  const reuse: NodeReuse = (np) => (fresh.has(np) ? undefined : declOf(np));
  const a = analyzeParsed(s.parsed, options, { nodes: reuse, schemaValidBefore: schemaReuse(prev, s), prev });
  // The declarations built afresh, in file order (a fresh top-level entry has none).
  const added: NodeDecl[] = [];
  for (const p of s.fresh) {
    const d = declOf(p);
    if (d && a.model?.nodeByKey.get(d.key) === d) added.push(d);
  }
  added.sort((x, y) => x.keySpan.start - y.keySpan.start);
  const change: ModelChange = {
    added,
    removed: s.removed,
    headerKeys: [...s.headerKeys],
    orderChanged: s.orderChanged,
  };
  return { ...a, mode: 'incremental', splicable: true, change };
}

/**
 * What the previous schema result proves (core/validate.ts Reuse): the schema constrains the top
 * level and each node entry on its own (`nodes` needs one entry, which a splice always leaves), so
 * when the rest of the data is unchanged or removed, checking the top level with the node entries
 * parsed afresh (or any one node, when none was) is enough; nothing, when only nodes were removed,
 * moved or kept.
 */
function schemaReuse(prev: IncrementalAnalysis, s: Splice): { changedNodes?: string[] } | undefined {
  if (!prev.schemaValid) return undefined;
  if (s.nodesOnly && s.freshNodes.size === 0) return {};
  // Only header entries changed: an empty list (core/validate.ts checks the top level with one node).
  return { changedNodes: [...s.freshNodes].map((p) => plainKey(p)!) };
}

/**
 * The parse/splice half of `reanalyze` alone (no model, graph, schema or rules): the parsed text
 * of `text` spliced from `old`, or why it cannot be. For test/bench/incremental-splice.bench.ts;
 * `old` must not be used after a success (its tree is updated in place).
 */
export function splice(old: ParsedText, text: string): ParsedText | string {
  const s = trySplice(old, text);
  return typeof s === 'string' ? s : s.parsed;
}

/** Where two texts differ: one region, `[start, oldEnd)` in the old text became `[start, newEnd)`. */
export function changedRegion(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  const min = Math.min(a.length, b.length);
  // Whole chunks first: comparing two substrings is one native call, far cheaper per character
  // than a loop in script over a file of hundreds of kilobytes.
  const CHUNK = 256;
  let p = 0;
  while (p + CHUNK <= min && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < min && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (
    s + CHUNK <= min - p &&
    a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)
  )
    s += CHUNK;
  while (s < min - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
}

type YPair = Pair<YNode, YNode | null>;

/**
 * A block mapping whose text splits into units: its entries' keys are plain strings (no two
 * alike) that start their line at `indent`.
 */
interface Level {
  name: 'top' | 'nodes';
  map: YAMLMap;
  items: YPair[];
  indent: number;
  /** Where the lines before the first key begin (comments and blank lines only): the first unit's text starts here. */
  gapStart: number;
  /** Where the last unit ends in the old text. */
  end: number;
}

/** A clean tree (no syntax problem, no alias, keys as the levels need) that later edits may be spliced into. */
function isSplicable(parsed: ParsedText): boolean {
  const doc = parsed.doc;
  if (!doc || parsed.diagnostics.length > 0 || doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const text = parsed.text;
  if (parsed.data === undefined || text.includes('\r') || text.includes('\t') || /^%/m.test(text)) return false;
  if (text.length >= MAX_TREE_NODES) return false;
  let aliases = false;
  visit(doc, {
    Alias() {
      aliases = true;
      return visit.BREAK;
    },
  });
  if (aliases) return false;
  const levels = levelsOf(doc, text);
  if (typeof levels === 'string') return false;
  for (const level of [levels.top, levels.nodes])
    if (level && !level.items.every((p) => keyIndent(p, text) === level.indent && plainKey(p) !== undefined))
      return false;
  return true;
}

/** The top level and, when it is a block mapping of entries, `nodes`; a reason when the top level cannot be spliced. */
function levelsOf(doc: Document.Parsed, text: string): { top: Level; nodes?: Level; nodesIndex: number } | string {
  const top = doc.contents;
  if (!isMap(top) || top.flow || top.items.length === 0) return 'the top level is not a block mapping';
  const items = top.items as YPair[];
  const topLevel: Level = { name: 'top', map: top, items, indent: 0, gapStart: 0, end: text.length };
  const nodesIndex = items.findIndex((p) => isScalar(p.key) && p.key.value === 'nodes');
  if (nodesIndex < 0) return { top: topLevel, nodesIndex };
  const nodes = items[nodesIndex].value;
  if (!isMap(nodes) || nodes.flow || nodes.items.length === 0) return { top: topLevel, nodesIndex };
  const nitems = nodes.items as YPair[];
  const indent = keyIndent(nitems[0], text);
  if (indent === undefined || indent === 0) return { top: topLevel, nodesIndex };
  // The lines between `nodes:` and the first node key hold only comments: they start after the key's line.
  const keyStart = items[nodesIndex].key.range![0];
  const gapStart = text.indexOf('\n', keyStart) + 1;
  if (gapStart === 0 || gapStart > lineStartOf(text, nitems[0].key.range![0])) return 'nodes has no line of its own';
  const end = nodesIndex + 1 < items.length ? lineStartOf(text, items[nodesIndex + 1].key.range![0]) : text.length;
  const nodesLevel: Level = { name: 'nodes', map: nodes, items: nitems, indent, gapStart, end };
  return { top: topLevel, nodes: nodesLevel, nodesIndex };
}

/** The key of an entry when it is a plain string scalar that is safe as a property name. */
function plainKey(p: YPair): string | undefined {
  const k = p.key;
  if (!isScalar(k) || typeof k.value !== 'string' || k.value === '__proto__') return undefined;
  return k.value;
}

/** Columns of spaces before a pair's key when the key starts its line, else undefined. */
function keyIndent(p: Pair<unknown, unknown>, text: string): number | undefined {
  const start = (p.key as YNode | null)?.range?.[0];
  if (start === undefined) return undefined;
  let i = start;
  while (i > 0 && text.charCodeAt(i - 1) === 32) i--;
  return i === 0 || text.charCodeAt(i - 1) === 10 ? start - i : undefined;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** A spliced tree, and what the splice replaced (over one or several steps). */
interface Splice {
  parsed: ParsedText;
  /** Every step stayed inside `nodes`. */
  nodesOnly: boolean;
  /** Entries parsed afresh and still in the tree. */
  fresh: Set<YPair>;
  /** Those of them that are node entries. */
  freshNodes: Set<YPair>;
  /** Declarations of the node entries that are gone or were re-parsed. */
  removed: NodeDecl[];
  headerKeys: Set<string>;
  orderChanged: boolean;
}

/** One splice of one changed region. */
interface Step {
  parsed: ParsedText;
  level: 'top' | 'nodes';
  fresh: YPair[];
  /** Old entries of the range that no new unit repeats. */
  dropped: YPair[];
  removed: NodeDecl[];
  headerKeys: string[];
  orderChanged: boolean;
}

/** One unit of the new text: where it starts and ends, and the old entry it repeats (if any). */
interface Segment {
  /** Where the unit's text begins: its key line, or for a level's first unit the gap before it. */
  start: number;
  end: number;
  /** The start of the unit's key line. */
  keyAt: number;
  old?: number;
  pair?: YPair;
}

/** Most splices one edit is cut into (separate changes of one didChange, a moved block). */
const MAX_STEPS = 16;

/**
 * The spliced tree for `text`, or the reason the change is not provably local. The region where
 * the texts differ may hold several changes (several ranges of one didChange, a block cut here
 * and pasted there, a header key and a node): it is cut at the first entry line after its start
 * that the new text still holds, and each part is spliced in turn. Every step is checked on its
 * own, so whatever the cut, the tree equals a full parse of each intermediate text, and of `text`.
 */
function trySplice(old: ParsedText, text: string): Splice | string {
  if (text.length >= MAX_TREE_NODES) return 'the text is too large to splice';
  const out: Splice = {
    parsed: old,
    nodesOnly: true,
    fresh: new Set(),
    freshNodes: new Set(),
    removed: [],
    headerKeys: new Set(),
    orderChanged: false,
  };
  let cur = old;
  for (let step = 0; cur.text !== text; step++) {
    if (step >= MAX_STEPS) return 'the edit holds too many separate changes';
    const region = changedRegion(cur.text, text);
    const inserted = text.slice(region.start, region.newEnd);
    if (inserted.includes('\r') || inserted.includes('\t')) return 'the edit adds a carriage return or a tab';
    const levels = levelsOf(cur.doc!, cur.text);
    const cut = cutAt(cur.text, text, region, typeof levels === 'string' ? 0 : (levels.nodes?.indent ?? 0));
    // The part before the cut first; else the part after it (a block moved up would otherwise
    // exist twice in between); else the whole region at once.
    const targets = cut
      ? [
          text.slice(0, cut.newAt) + cur.text.slice(cut.oldAt),
          cur.text.slice(0, cut.oldAt) + text.slice(cut.newAt),
          text,
        ]
      : [text];
    let r: Step | string = 'no change';
    for (const target of targets) {
      r = spliceOnce(cur, target, target === text ? region : changedRegion(cur.text, target));
      if (typeof r !== 'string') break;
    }
    if (typeof r === 'string') return r;
    cur = r.parsed;
    out.parsed = cur;
    if (r.level === 'top') out.nodesOnly = false;
    for (const p of r.dropped) {
      out.fresh.delete(p);
      out.freshNodes.delete(p);
    }
    for (const p of r.fresh) {
      out.fresh.add(p);
      if (r.level === 'nodes') out.freshNodes.add(p);
    }
    out.removed.push(...r.removed);
    for (const k of r.headerKeys) out.headerKeys.add(k);
    out.orderChanged ||= r.orderChanged;
  }
  return out;
}

/**
 * Where to cut the changed region: the first line after its start, in the old text, that could
 * begin an entry (neither blank nor a comment, at column 0 or at `indent`, that of `nodes`) and
 * that the new text holds at or after the region's start. Undefined when no such line lies inside
 * the region (the change is then spliced whole).
 */
function cutAt(
  T: string,
  U: string,
  region: { start: number; oldEnd: number; newEnd: number },
  indent: number,
): { oldAt: number; newAt: number } | undefined {
  // From the start of the line the change begins in: the common prefix may end inside a key.
  const from = lineStartOf(T, region.start);
  let candidates = 0;
  for (let ls = from; ls < region.oldEnd && candidates < 4; ) {
    const nl = T.indexOf('\n', ls);
    if (nl < 0) return undefined;
    let i = ls;
    while (i < nl && T.charCodeAt(i) === 32) i++;
    if (i < nl && T.charCodeAt(i) !== 35 && (i === ls || i - ls === indent)) {
      candidates++;
      const at = U.indexOf(T.slice(ls, nl + 1), from);
      if (at > from && U.charCodeAt(at - 1) === 10 && at <= region.newEnd) return { oldAt: ls, newAt: at };
    }
    ls = nl + 1;
  }
  return undefined;
}

/** The spliced tree for one changed region, or the reason it is not provably local. */
function spliceOnce(
  old: ParsedText,
  text: string,
  region: { start: number; oldEnd: number; newEnd: number },
): Step | string {
  const T = old.text;
  const doc = old.doc!;
  const { start: p, oldEnd: oe } = region;
  const levels = levelsOf(doc, T);
  if (typeof levels === 'string') return levels;
  // The first and last old offsets the change touches. An insertion at the start of a unit may
  // continue the unit before it, so the character before the change counts as touched.
  const a = p > 0 ? p - 1 : 0;
  const b = Math.max(oe - 1, a);
  const nodes = levels.nodes;
  // A change that starts at or after the line below `nodes:` stays inside nodes (an insertion
  // before the first node key included).
  if (nodes && p >= nodes.gapStart && b < nodes.end) {
    const g = nodes.gapStart;
    return spliceLevel(old, text, region, nodes, levels.nodesIndex, Math.max(a, g), Math.max(b, g));
  }
  return spliceLevel(old, text, region, levels.top, levels.nodesIndex, a, b);
}

function spliceLevel(
  old: ParsedText,
  text: string,
  region: { start: number; oldEnd: number; newEnd: number },
  level: Level,
  nodesIndex: number,
  a: number,
  b: number,
): Step | string {
  const T = old.text;
  const doc = old.doc!;
  const D = text.length - T.length;
  const { items } = level;
  const unitStart = (i: number) => (i === 0 ? level.gapStart : lineStartOf(T, items[i].key.range![0]));
  const unitAt = (x: number) => {
    let lo = 0,
      hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (unitStart(mid) <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let first = unitAt(a);
  const last = unitAt(b);
  // A unit whose text ends with a comment line parses differently at the end of a text than
  // before another key (the comment may end the last value's range): such a unit is parsed
  // together with the unit after it, so the range grows until none ends one.
  let plan: Plan | string;
  for (;;) {
    plan = planUnits(T, text, level, nodesIndex, first, last, D, region.newEnd);
    if (typeof plan === 'string') return plan;
    if (plan.widen === 0) break;
    first--;
  }
  ({ first } = plan);
  const { segments, used, rs, reOld, reNew } = plan;

  // Parse each run of unmatched units on its own.
  const fresh: YPair[] = [];
  for (let k = 0; k < segments.length; ) {
    if (segments[k].old !== undefined) {
      k++;
      continue;
    }
    let e = k;
    while (e + 1 < segments.length && segments[e + 1].old === undefined) e++;
    const from = segments[k].keyAt;
    const tail = e === segments.length - 1 ? plan.tail : undefined;
    const pairs = parseRun(text.slice(from, segments[e].end), from, segments.slice(k, e + 1), level.name, tail);
    if (typeof pairs === 'string') return pairs;
    pairs.forEach((pr, j) => (segments[k + j].pair = pr));
    fresh.push(...pairs);
    k = e + 1;
  }

  // Keys: plain strings, none twice in the level.
  const keys: string[] = [];
  for (const s of segments) {
    const pr = s.pair ?? items[s.old!];
    const k = plainKey(pr);
    if (k === undefined) return 'a key is not a plain string';
    keys.push(k);
  }
  const removedKeys = new Set<string>();
  for (let i = first; i <= last; i++) removedKeys.add(plainKey(items[i])!);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) return 'a key is now a duplicate';
    seen.add(k);
    if (!removedKeys.has(k) && hasKeyOutside(level, old, k, first, last)) return 'a key is now a duplicate';
  }
  if (level.name === 'top' && segments.some((s) => s.pair && keys[segments.indexOf(s)] === 'nodes'))
    return 'the edit adds a nodes entry';

  const sameKeys = keys.length === last - first + 1 && keys.every((k, j) => k === plainKey(items[first + j]));
  const orderChanged = !sameKeys;

  // Commit: nothing below can fail on input; the old tree, data and declarations are updated in place.
  const oldPairs = items.slice(first, last + 1);
  const removed: NodeDecl[] = [];
  if (level.name === 'nodes')
    for (let i = first; i <= last; i++)
      if (!used.has(i)) {
        const d = declOf(items[i]);
        if (d) removed.push(d);
      }
  const newPairs = segments.map((s) => {
    if (s.pair) return s.pair;
    const pr = items[s.old!];
    const delta = s.keyAt - keyLineStart(T, pr);
    if (delta !== 0) {
      shiftTree(pr, delta);
      const d = level.name === 'nodes' ? declOf(pr) : undefined;
      if (d) shiftNodeDecl(d, delta);
    }
    return pr;
  });
  const headerKeys: string[] = [];
  if (level.name === 'top') {
    const changed = new Set<string>();
    for (let i = first; i <= last; i++) if (!used.has(i)) changed.add(plainKey(items[i])!);
    segments.forEach((s, j) => s.pair && changed.add(keys[j]));
    headerKeys.push(...changed);
  }
  if (D !== 0) {
    for (let i = last + 1; i < items.length; i++) {
      shiftTree(items[i], D);
      if (level.name === 'nodes') {
        const d = declOf(items[i]);
        if (d) shiftNodeDecl(d, D);
      } else if (i === nodesIndex) shiftAllDecls(items[i], D);
    }
  }
  const rangeEndsLevel = last === items.length - 1;
  items.splice(first, last - first + 1, ...newPairs);
  const map = level.map as { range?: [number, number, number] | null };
  // A block mapping ends where its last entry's value does (trailing comments included): when the
  // range holds the last entry, so does every enclosing node that ended with the mapping.
  const oldEnd = map.range ? [map.range[1], map.range[2]] : undefined;
  const newEnd = rangeEndsLevel && oldEnd ? valueEnd(newPairs[newPairs.length - 1]) : undefined;
  const ancestors: unknown[] = [map];
  if (level.name === 'nodes') {
    const topItems = (doc.contents as YAMLMap).items as YPair[];
    for (let j = nodesIndex + 1; j < topItems.length; j++) shiftTree(topItems[j], D);
    ancestors.push(doc.contents);
  }
  ancestors.push(doc);
  for (const n of ancestors) {
    const r = (n as { range?: number[] | null }).range;
    if (!r) continue;
    for (let k = 1; k < 3; k++) {
      if (newEnd && r[k] === oldEnd![k - 1]) r[k] = newEnd[k - 1];
      else if (r[k] >= reOld) r[k] += D;
    }
    if (r[0] >= reOld) r[0] += D;
  }
  // A mapping (and a document of comments and one mapping) starts at its first key.
  if (first === 0 && map.range) map.range[0] = items[0].key.range![0];
  const docRange = (doc as { range?: [number, number, number] }).range;
  if (level.name === 'top' && first === 0 && docRange) docRange[0] = items[0].key.range![0];

  // The plain data, in file order as toJS builds it.
  const data = old.data as Record<string, unknown>;
  const freshData = new Map<YPair, unknown>();
  for (const s of segments) if (s.pair) freshData.set(s.pair, s.pair.value ? s.pair.value.toJS(doc) : null);
  const target = level.name === 'nodes' ? (data.nodes as Record<string, unknown>) : data;
  let out: Record<string, unknown>;
  if (sameKeys) {
    out = target;
    segments.forEach((s, j) => s.pair && (out[keys[j]] = freshData.get(s.pair)));
  } else {
    out = {};
    for (const pr of items) {
      const k = plainKey(pr)!;
      out[k] = freshData.has(pr) ? freshData.get(pr) : target[k];
    }
  }
  let newData = data;
  if (level.name === 'nodes') data.nodes = out;
  else newData = out;

  const parsed: ParsedText = {
    text,
    lines: spliceLines(old.lines, text, rs, reOld, reNew),
    doc,
    data: newData,
    diagnostics: [],
  };
  const dropped: YPair[] = [];
  for (let i = 0; i < oldPairs.length; i++) if (!used.has(first + i)) dropped.push(oldPairs[i]);
  return { parsed, level: level.name, fresh, dropped, removed, headerKeys, orderChanged };
}

/** The units of the range `first..last` in the new text, matched to old ones. */
interface Plan {
  first: number;
  segments: Segment[];
  /** Old units (indexes into the level) that a new unit repeats. */
  used: Set<number>;
  /** The range: `[rs, reOld)` in the old text became `[rs, reNew)`. */
  rs: number;
  reOld: number;
  reNew: number;
  /** Non-zero when the range must take in the unit before (-1) and be planned again. */
  widen: number;
  /** The key line after the range, parsed with the last run when that ends with a comment. */
  tail?: string;
}

function planUnits(
  T: string,
  text: string,
  level: Level,
  nodesIndex: number,
  first: number,
  last: number,
  D: number,
  newEnd: number,
): Plan | string {
  const { items, indent } = level;
  const unitStart = (i: number) => (i === 0 ? level.gapStart : lineStartOf(T, items[i].key.range![0]));
  const unitEnd = (i: number) => (i + 1 < items.length ? lineStartOf(T, items[i + 1].key.range![0]) : level.end);
  if (level.name === 'top' && first <= nodesIndex && nodesIndex <= last) return 'the edit touches the nodes entry';
  const reOld = unitEnd(last);
  const reNew = reOld + D;
  if (reNew < newEnd || (reNew > 0 && reNew < text.length && text.charCodeAt(reNew - 1) !== 10))
    return 'the edit does not end a line';
  const rs = unitStart(first);
  const segments = scanUnits(text, rs, reNew, indent, level.name === 'top');
  if (typeof segments === 'string') return segments;
  if (segments.length === 0) return 'the edit removes every entry';
  const plan: Plan = { first, segments, used: new Set(), rs, reOld, reNew, widen: 0 };
  // Lines before the first unit belong to the unit before: take it in (at the gap, they are the gap's).
  if (segments[0].keyAt !== rs && first > 0) return { ...plan, widen: -1 };

  // Match new units to the old ones they repeat: the same text, wherever it now stands. A unit
  // ending with a comment is never reused: what follows it decides where its last value ends.
  const oldText = new Map<string, number>();
  for (let i = first; i <= last; i++) oldText.set(T.slice(keyLineStart(T, items[i]), unitEnd(i)), i);
  for (const s of segments) {
    const t = text.slice(s.keyAt, s.end);
    const i = oldText.get(t);
    if (i !== undefined && !plan.used.has(i) && !endsWithComment(t)) {
      s.old = i;
      plan.used.add(i);
    }
  }
  // An unmatched unit that ends with a comment is parsed with the unit after it.
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k];
    if (s.old !== undefined || !endsWithComment(text.slice(s.keyAt, s.end))) continue;
    if (k + 1 < segments.length) {
      const n = segments[k + 1];
      if (n.old !== undefined) plan.used.delete(n.old);
      n.old = undefined;
    } else if (reNew !== text.length) {
      // Parsed with the key line that follows it in the text, so the comment sits as in context.
      let nl = text.indexOf('\n', reNew);
      if (nl < 0) nl = text.length - 1;
      let i = reNew;
      while (i < nl && text.charCodeAt(i) === 32) i++;
      if (i - reNew !== level.indent) return 'the edited entries end with a comment before the end of nodes';
      plan.tail = text.slice(reNew, nl + 1);
    }
  }
  return plan;
}

/** Whether the last line of `t` that is not blank is a comment. */
function endsWithComment(t: string): boolean {
  let end = t.length;
  for (;;) {
    const ls = t.lastIndexOf('\n', end - 2) + 1;
    const line = t.slice(ls, end).trim();
    if (line !== '') return line.startsWith('#');
    if (ls === 0) return false;
    end = ls;
  }
}

/** Where a pair's text ends for its mapping: its value's end with trailing comments, or its key's. */
function valueEnd(p: YPair): [number, number] {
  const r = (p.value ?? p.key).range!;
  return [r[2], r[2]];
}

/** Whether `key` names an entry of the level outside the replaced units `first..last`. */
function hasKeyOutside(level: Level, old: ParsedText, key: string, first: number, last: number): boolean {
  if (level.name === 'nodes') {
    const nodes = (old.data as { nodes?: Record<string, unknown> }).nodes;
    return !!nodes && Object.prototype.hasOwnProperty.call(nodes, key);
  }
  return level.items.some((p, i) => (i < first || i > last) && plainKey(p) === key);
}

function keyLineStart(text: string, p: YPair): number {
  return lineStartOf(text, p.key.range![0]);
}

/**
 * The units of `text[start, end)` at `indent`: each starts at a line that is neither blank nor a
 * comment and indented exactly `indent` (`keyAt`, `start` being where the lines before it that
 * belong to it begin: only the range's first unit has any, the gap before a level's first key).
 * A reason instead when a line would end the level or could not start an entry.
 */
function scanUnits(text: string, start: number, end: number, indent: number, top: boolean): Segment[] | string {
  const out: Segment[] = [];
  let ls = start;
  while (ls < end) {
    let nl = text.indexOf('\n', ls);
    if (nl < 0 || nl >= end) nl = end;
    let i = ls;
    while (i < nl && text.charCodeAt(i) === 32) i++;
    if (i < nl && text.charCodeAt(i) !== 35 /* # */) {
      const col = i - ls;
      if (col < indent) return 'a line is indented less than the entries';
      if (col > indent && out.length === 0) return 'a line continues the entry before the edited ones';
      if (col === indent) {
        const c = text[i];
        if (
          c === '-' ||
          c === '?' ||
          c === ':' ||
          c === '%' ||
          c === '.' ||
          c === '[' ||
          c === '{' ||
          c === '&' ||
          c === '*' ||
          c === '!' ||
          c === '|' ||
          c === '>'
        )
          return 'a line could start something other than an entry';
        if (top && (text.startsWith('---', i) || text.startsWith('...', i))) return 'a document marker';
        if (out.length) out[out.length - 1].end = ls;
        out.push({ start: out.length ? ls : start, end, keyAt: ls });
      }
    }
    ls = nl + 1;
  }
  if (out.length) out[out.length - 1].end = end;
  return out;
}

/**
 * Parses `run` (the units of `segs`, whose first key starts the text at offset `at`) on its own;
 * its entries, their offsets moved to the whole text, or the reason they cannot be spliced.
 */
function parseRun(run: string, at: number, segs: Segment[], level: 'top' | 'nodes', tail = ''): YPair[] | string {
  const bdoc = parseDocument(run + tail, PARSE_OPTIONS);
  if (bdoc.errors.length || bdoc.warnings.length) return 'the edited entries have syntax problems';
  const facts = inspectTree(bdoc, level === 'nodes' ? 1 : 0);
  if (facts.duplicates.length || facts.tooDeep || facts.tooBig || facts.aliases)
    return 'the edited entries repeat a key, nest too deeply or hold an alias';
  const bmap = bdoc.contents;
  if (!isMap(bmap) || bmap.flow || bmap.items.length !== segs.length + (tail ? 1 : 0))
    return 'the edited text is not one entry per unit';
  const pairs = (bmap.items as YPair[]).slice(0, segs.length);
  let anchored = false;
  visit(bdoc, {
    Node(_, n) {
      if ((n as { anchor?: string }).anchor) {
        anchored = true;
        return visit.BREAK;
      }
    },
  });
  if (anchored) return 'the edited entries hold an anchor';
  for (let j = 0; j < pairs.length; j++) {
    const ks = pairs[j].key?.range?.[0];
    if (ks === undefined || lineStartOf(run, ks) !== segs[j].keyAt - at) return 'an entry does not start its unit';
    shiftTree(pairs[j], at);
  }
  return pairs;
}

/** The line index of the new text: line starts before `start` kept, `[start, newEnd)` re-scanned, the rest moved. */
function spliceLines(old: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
  const delta = newEnd - oldEnd;
  // The old index is not used again: its table is edited in place (a move and one add per later line).
  const os = old.starts;
  let lo = 0,
    hi = os.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (os[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  let k = lo;
  while (k < os.length && os[k] <= oldEnd) k++;
  const inner: number[] = [];
  for (let i = text.indexOf('\n', start); i >= 0 && i < newEnd; i = text.indexOf('\n', i + 1)) inner.push(i + 1);
  os.splice(lo, k - lo, ...inner);
  if (delta !== 0) for (let j = lo + inner.length; j < os.length; j++) os[j] += delta;
  return LineIndex.fromStarts(text, os);
}

/** Adds `delta` to every offset in a subtree (an entry wholly after the edit, or moved whole). */
function shiftTree(x: unknown, delta: number): void {
  if (!x || typeof x !== 'object') return;
  const n = x as { range?: number[] | null; items?: unknown[]; key?: unknown; value?: unknown };
  const r = n.range;
  if (r) {
    r[0] += delta;
    r[1] += delta;
    r[2] += delta;
  }
  const items = n.items;
  if (items) for (let i = 0; i < items.length; i++) shiftTree(items[i], delta);
  else if (r === undefined) {
    // A pair: its key and value.
    shiftTree(n.key, delta);
    shiftTree(n.value, delta);
  }
}

/** Moves the declarations of every node of a `nodes` entry (the top-level edit was before it). */
function shiftAllDecls(nodesPair: YPair, delta: number): void {
  const v = nodesPair.value;
  if (!isMap(v)) return;
  for (const np of v.items) {
    const d = declOf(np as YPair);
    if (d) shiftNodeDecl(d, delta);
  }
}
