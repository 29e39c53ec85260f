// Incremental re-validation: after an edit inside one node's block, re-parse only that block,
// splice it into the previous YAML tree (shifting every later offset), then run the same
// schema check and rules as a full validation on the updated tree. Whenever the edit is not
// provably local the text is parsed again in full, so the result always equals `analyze(text)`.
//
// A node's block is the text from the start of the line holding `  key:` up to (not including)
// the first later line that is not blank and is indented no deeper than the key: in a clean
// block mapping that line ends the node, in the full parse and in a standalone parse alike.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node as YNode,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { LineIndex } from './text';
import type { ValidateOptions } from './options';
// The same composition options as a full parse, so a block parses exactly as in context.
import { inspectTree, PARSE_OPTIONS, parseText, type ParsedText } from './parse';
import { shiftNodeDecl, type NodeReuse, type WorkflowModel } from './model';
import { analyzeParsed, type Analysis } from './validate';

export interface IncrementalAnalysis extends Analysis {
  /** How this analysis was produced, and, for a full parse after an edit, why. */
  mode: 'full' | 'incremental' | 'unchanged';
  reason?: string;
  /** Facts about the tree that decide whether the next edit may be spliced. */
  splicable: boolean;
}

/** A full validation that remembers what a later incremental step needs. */
export function analyzeIncremental(text: string, options: ValidateOptions = {}, reason?: string): IncrementalAnalysis {
  const parsed = parseText(text);
  return { ...analyzeParsed(parsed, options), mode: 'full', reason, splicable: isSplicable(parsed) };
}

/**
 * The analysis of `text`, reusing `prev` (the analysis of an earlier text of the same document)
 * when the change between the two lies inside one node block. `prev` must not be used after
 * this call: its tree is updated in place.
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
  const attempt = prev.splicable ? trySplice(old, text) : 'the previous text could not be spliced into';
  if (typeof attempt === 'string') return analyzeIncremental(text, options, attempt);
  const schemaValidBefore = prev.schemaValid ? { changedNode: attempt.key } : undefined;
  return {
    ...analyzeParsed(attempt.parsed, options, { nodes: reuseNodes(prev.model, attempt), schemaValidBefore, prev }),
    mode: 'incremental',
    splicable: true,
  };
}

/**
 * The previous model's declarations for every node entry the splice left in place (the same Pair
 * object in the tree), their offsets moved as the tree's were; the new entry is built afresh.
 * A splicable tree has no duplicate node keys, so a key names one entry in both models.
 */
function reuseNodes(prevModel: WorkflowModel | undefined, s: Splice): NodeReuse | undefined {
  if (!prevModel) return undefined;
  return (np) => {
    if (np === s.pair || !isScalar(np.key)) return undefined;
    const decl = prevModel.nodeByKey.get(String(np.key.value));
    return decl && shiftNodeDecl(decl, s.from, s.delta);
  };
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

function isSplicable(parsed: ParsedText): boolean {
  const doc = parsed.doc;
  if (!doc || parsed.diagnostics.length > 0 || doc.errors.length > 0 || doc.warnings.length > 0) return false;
  if (parsed.data === undefined || parsed.text.includes('\r') || /^%/m.test(parsed.text)) return false;
  let aliases = false;
  visit(doc, {
    Alias() {
      aliases = true;
      return visit.BREAK;
    },
  });
  return !aliases;
}

interface NodesContext {
  doc: Document.Parsed;
  top: YAMLMap;
  nodesIndex: number;
  nodes: YAMLMap;
  indent: number;
}

function nodesContext(doc: Document.Parsed, text: string): NodesContext | string {
  const top = doc.contents;
  if (!isMap(top) || top.flow) return 'the top level is not a block mapping';
  const nodesIndex = top.items.findIndex((p) => isScalar(p.key) && p.key.value === 'nodes');
  if (nodesIndex < 0) return 'there is no nodes mapping';
  const nodes = top.items[nodesIndex].value;
  if (!isMap(nodes) || nodes.flow || nodes.items.length < 2) return 'nodes is not a block mapping of several nodes';
  const indent = keyIndent(nodes.items[0], text);
  if (indent === undefined || indent === 0) return 'the first node key does not start its line';
  return { doc, top, nodesIndex, nodes, indent };
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

/**
 * The end of the block whose first line starts at `start`: the start of the first later line that
 * is not blank and indented at most `indent` columns; -1 when the block runs to the end of the text.
 */
function blockEnd(text: string, start: number, indent: number): number {
  let line = text.indexOf('\n', start);
  while (line >= 0) {
    const s = line + 1;
    let i = s;
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    const blank = i >= text.length || c === 10;
    if (!blank && i - s <= indent) return s;
    line = text.indexOf('\n', i);
  }
  return -1;
}

/** A spliced tree: `pair` replaced one node entry; offsets at or after `from` moved by `delta`. */
interface Splice {
  parsed: ParsedText;
  pair: Pair<YNode, YNode | null>;
  key: string;
  from: number;
  delta: number;
}

/** The spliced tree for `text`, or the reason the change is not local to one node block. */
function trySplice(old: ParsedText, text: string): Splice | string {
  if (text.includes('\r')) return 'the text has carriage returns';
  const doc = old.doc!;
  const ctx = nodesContext(doc, old.text);
  if (typeof ctx === 'string') return ctx;
  const { nodes, indent } = ctx;
  const region = changedRegion(old.text, text);
  const items = nodes.items as Pair<YNode, YNode | null>[];

  // The node whose first line starts at or before the change (binary search on key offsets).
  let lo = 0,
    hi = items.length - 1;
  const keyStart = (i: number) => items[i].key.range![0];
  if (region.start < lineStartOf(old.text, keyStart(0))) return 'the edit is above the first node';
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStartOf(old.text, keyStart(mid)) <= region.start) lo = mid;
    else hi = mid - 1;
  }
  const i = lo;
  if (i >= items.length - 1) return 'the edit is in the last node (it borders the top level)';
  if (keyIndent(items[i], old.text) !== indent || keyIndent(items[i + 1], old.text) !== indent)
    return 'a node key does not start its line';
  const start = lineStartOf(old.text, keyStart(i));
  const oldEnd = blockEnd(old.text, start, indent);
  if (oldEnd < 0 || oldEnd > lineStartOf(old.text, keyStart(i + 1))) return 'the node block has no clear end';
  if (region.oldEnd > oldEnd || region.start >= oldEnd) return 'the edit crosses node blocks';
  const delta = text.length - old.text.length;
  const newEnd = oldEnd + delta;

  // The new block must still be exactly one node at the same indent, ending where it did.
  const block = text.slice(start, newEnd);
  if (block.includes('\t')) return 'the block holds a tab';
  let k = 0;
  while (k < block.length && block.charCodeAt(k) === 32) k++;
  if (k !== indent || k >= block.length || '#-?\n'.includes(block[k]))
    return 'the block no longer starts with a node key';
  if (block.charCodeAt(block.length - 1) !== 10) return 'the block no longer ends a line';
  if (blockEnd(text, start, indent) !== newEnd) return 'the edit changed where the node ends';
  // A comment closing a block is attached after it in context: the node's end offset would differ.
  const lastLine = block.trimEnd();
  if (lastLine.slice(lastLine.lastIndexOf('\n') + 1).includes('#')) return 'the block ends with a comment';

  const bdoc = parseDocument(block, PARSE_OPTIONS);
  if (bdoc.errors.length || bdoc.warnings.length) return 'the block has syntax problems';
  // Duplicate keys and nesting are checked by parse.ts's walk, not by the yaml options: the same here.
  const facts = inspectTree(bdoc);
  if (facts.duplicates.length || facts.tooDeep || facts.tooBig) return 'the block repeats a key or nests too deeply';
  const bmap = bdoc.contents;
  if (!isMap(bmap) || bmap.flow || bmap.items.length !== 1) return 'the block is not one mapping entry';
  const pair = bmap.items[0] as Pair<YNode, YNode | null>;
  if (
    !isScalar(pair.key) ||
    typeof pair.key.value !== 'string' ||
    !isScalar(items[i].key) ||
    typeof (items[i].key as Scalar).value !== 'string'
  )
    return 'the node key is not a plain string';
  const key = pair.key.value;
  // Integer-like keys are ordered first in a JS object: the spliced data's order could differ.
  if (/^(0|[1-9]\d*)$/.test(key) || /^(0|[1-9]\d*)$/.test(String((items[i].key as Scalar).value)))
    return 'the node key reads as an array index';
  let anchored = false;
  visit(bdoc, {
    Node(_, n) {
      if (isAlias(n) || (n as { anchor?: string }).anchor) {
        anchored = true;
        return visit.BREAK;
      }
    },
  });
  if (anchored) return 'the block holds an anchor or alias';
  for (let j = 0; j < items.length; j++)
    if (j !== i && (items[j].key as Scalar).value === key) return 'the node key is now a duplicate';
  const oldData = old.data as Record<string, unknown> | null;
  const oldNodesData = (oldData && typeof oldData === 'object' ? oldData.nodes : undefined) as
    | Record<string, unknown>
    | undefined;
  const oldKeyText = String((items[i].key as Scalar).value);
  if (
    !oldNodesData ||
    typeof oldNodesData !== 'object' ||
    !Object.prototype.hasOwnProperty.call(oldNodesData, oldKeyText)
  )
    return 'the node data does not match the tree';
  if (key !== oldKeyText && Object.keys(oldNodesData).length !== items.length)
    return 'the node data does not match the tree';
  const blockData = bdoc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;

  // Commit: nothing below can fail on input; the old tree is updated in place.
  const oldKey = items[i].key as Scalar;
  (pair.key as Scalar).spaceBefore = oldKey.spaceBefore;
  (pair.key as Scalar).commentBefore = oldKey.commentBefore;
  shiftNode(pair.key, 0, start);
  shiftNode(pair.value, 0, start);
  if (delta !== 0) {
    for (let j = i + 1; j < items.length; j++) {
      shiftNode(items[j].key, oldEnd, delta);
      shiftNode(items[j].value, oldEnd, delta);
    }
    shiftRange(nodes, oldEnd, delta);
    const topItems = ctx.top.items as Pair<YNode, YNode | null>[];
    for (let j = ctx.nodesIndex + 1; j < topItems.length; j++) {
      shiftNode(topItems[j].key, oldEnd, delta);
      shiftNode(topItems[j].value, oldEnd, delta);
    }
    shiftRange(ctx.top, oldEnd, delta);
    shiftRange(doc, oldEnd, delta);
  }
  items[i] = pair;

  // The plain data: the same node key keeps its place, so the old object is updated in place
  // (it belongs to the tree being updated); a renamed key rebuilds the map in file order.
  let data: Record<string, unknown>;
  if (key === oldKeyText) {
    oldNodesData[key] = blockData[key];
    data = oldData!;
  } else {
    const nodesData: Record<string, unknown> = {};
    for (const k2 in oldNodesData) {
      if (k2 === oldKeyText) nodesData[key] = blockData[key];
      else nodesData[k2] = oldNodesData[k2];
    }
    data = { ...oldData, nodes: nodesData };
  }
  const parsed: ParsedText = {
    text,
    lines: spliceLines(old.lines, text, start, oldEnd, newEnd),
    doc,
    data,
    diagnostics: [],
  };
  return { parsed, pair, key, from: oldEnd, delta };
}

/** The line index of the new text: line starts before the block kept, the block's re-scanned, the rest shifted. */
function spliceLines(old: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
  const delta = newEnd - oldEnd;
  const starts: number[] = [];
  const os = old.starts;
  let k = 0;
  while (k < os.length && os[k] <= start) starts.push(os[k++]);
  for (let i = start; i < newEnd; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  while (k < os.length && os[k] <= oldEnd) k++;
  for (; k < os.length; k++) starts.push(os[k] + delta);
  // LineIndex builds its table from the text; this one is built from the old table instead.
  const li = Object.create(LineIndex.prototype) as { text: string; starts: number[] };
  li.text = text;
  li.starts = starts;
  return li as unknown as LineIndex;
}

function shiftRange(n: { range?: [number, number, number] | null }, from: number, delta: number): void {
  const r = n.range;
  if (!r) return;
  for (let k = 0; k < 3; k++) if (r[k] >= from) r[k] += delta;
}

/** Adds `delta` to every offset ≥ `from` in a subtree. */
function shiftNode(n: unknown, from: number, delta: number): void {
  if (!n || typeof n !== 'object') return;
  if (isPair(n)) {
    shiftNode(n.key, from, delta);
    shiftNode(n.value, from, delta);
    return;
  }
  shiftRange(n as YNode, from, delta);
  if (isMap(n) || isSeq(n)) for (const item of n.items) shiftNode(item, from, delta);
}
