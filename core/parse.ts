// YAML text → one document with positions, plus the syntax diagnostics WF001, WF003, WF004.
import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  parseAllDocuments,
  visit,
  type Node as YNode,
} from 'yaml';
import type { Diagnostic, Span } from './diagnostic';
import { quote } from './strings';
import { LineIndex } from './text';
import { resolveAlias } from './yaml-access';

/** Aliases may expand to at most this many nodes in total: a billion-laughs file stops here. */
export const MAX_ALIAS_EXPANSION = 10_000;

/**
 * Deepest nesting of collections accepted. The format needs about ten levels; every walk over the
 * tree (ours, the yaml library's toJS, the schema checker) recurses, so a file nested thousands deep
 * would overflow the stack. Deeper files get one WF001 and are not analysed further.
 */
export const MAX_DEPTH = 256;

const TOO_DEEP = `YAML nesting deeper than ${MAX_DEPTH} levels; the file is refused (a workflow needs about ten)`;

/** Most YAML nodes one document may hold: a work budget that bounds every later pass. */
export const MAX_TREE_NODES = 2_000_000;

/**
 * The one set of yaml options every parse of a workflow uses (full and incremental must agree).
 * Duplicate keys are found by `inspectTree` with a set per mapping: the library's own check
 * compares each key with every earlier one (quadratic in a mapping's size).
 */
export const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false,
  strict: true,
  keepSourceTokens: false,
  logLevel: 'error',
} as const;

export interface ParsedText {
  text: string;
  lines: LineIndex;
  /** The single workflow document, or null when the text holds none usable (WF004 said why). */
  doc: Document.Parsed | null;
  /** The document as plain data (aliases expanded), or undefined when it could not be made safely. */
  data: unknown;
  diagnostics: Diagnostic[];
}

function diag(lines: LineIndex, code: string, message: string, span: Span): Diagnostic {
  return { code, severity: 'error', message, range: lines.range(span) };
}

const YAML_MESSAGES: Record<string, string> = {
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tabs are not allowed as indentation; use spaces',
  MISSING_CHAR: 'missing character',
  MULTILINE_IMPLICIT_KEY: 'an implicit key must be on one line (did you forget a ":" or quotes?)',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be used as a key',
};

function messageOf(code: string, raw: string): string {
  const first = raw.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const hint = YAML_MESSAGES[code];
  if (!hint) return `YAML syntax error: ${first}`;
  // Where the parser already says what the hint says, the hint (which adds the remedy) replaces it.
  const gist = hint.split(/[;(]/)[0].trim().toLowerCase();
  const said = first.toLowerCase();
  if (said.includes(gist) || sameWords(said, gist)) return `YAML syntax error: ${hint}`;
  return `YAML syntax error: ${first} (${hint})`;
}

function sameWords(a: string, b: string): boolean {
  const words = (s: string) =>
    new Set(
      s
        .replace(/[^a-z ]/g, ' ')
        .split(/\s+/)
        .filter((w) => w.length > 3)
        .map((w) => w.replace(/s$/, '')),
    );
  const wa = words(a);
  const wb = words(b);
  let common = 0;
  for (const w of wb) if (wa.has(w)) common++;
  return wb.size > 0 && common / wb.size >= 0.6;
}

/** What one iterative walk of a document finds: repeated keys, excessive nesting or size, aliases. */
export interface TreeFacts {
  /** Each repeated key (every occurrence after the first), in document order. */
  duplicates: YNode[];
  /** The first collection nested deeper than MAX_DEPTH, if any. */
  tooDeep?: YNode;
  /** True when the document holds more than MAX_TREE_NODES nodes (the walk stopped there). */
  tooBig: boolean;
  nodes: number;
  aliases: number;
}

/**
 * Walks a document once, without recursion (so nesting depth cannot overflow the stack), in
 * linear time: keys are compared through one set per mapping, as YAML's rule (same scalar value)
 * says, and a mapping's non-scalar keys are never equal to another key. `depth` is the nesting
 * of the document's root in the whole file (core/incremental.ts parses a part of a file on its own).
 */
export function inspectTree(doc: Document, depth = 0): TreeFacts {
  const facts: TreeFacts = { duplicates: [], tooBig: false, nodes: 0, aliases: 0 };
  const stack: { n: unknown; depth: number }[] = [{ n: doc.contents, depth }];
  while (stack.length) {
    const { n, depth } = stack.pop()!;
    if (!n || typeof n !== 'object') continue;
    if (++facts.nodes > MAX_TREE_NODES) {
      facts.tooBig = true;
      break;
    }
    if (isAlias(n)) {
      facts.aliases++;
      continue;
    }
    if (!isCollection(n)) continue;
    if (depth >= MAX_DEPTH) {
      facts.tooDeep ??= n as YNode;
      continue;
    }
    const items = (n as { items: unknown[] }).items;
    const seen = isMap(n) ? new Set<unknown>() : undefined;
    // Pushed in reverse so that items pop in document order (duplicates are then reported in order).
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i];
      if (isPair(it)) {
        stack.push({ n: it.value, depth: depth + 1 }, { n: it.key, depth: depth + 1 });
      } else stack.push({ n: it, depth: depth + 1 });
    }
    if (seen)
      for (const it of items) {
        const k = isPair(it) ? it.key : undefined;
        if (!isScalar(k)) continue;
        if (seen.has(k.value)) facts.duplicates.push(k);
        else seen.add(k.value);
      }
  }
  return facts;
}

/** `---` with nothing after it: an empty document, not a second workflow. */
function isEmptyDocument(d: Document.Parsed): boolean {
  if (d.errors.length > 0) return false;
  if (d.contents === null) return true;
  return (
    isScalar(d.contents) && d.contents.value === null && !d.contents.source && !d.contents.anchor && !d.contents.tag
  );
}

/**
 * Where nesting that is too deep is reported: the top-level line holding it. The library's own
 * stack overflow happens at a depth that varies from run to run (frame sizes change as the JIT
 * warms up), and sometimes not at all (then inspectTree finds the collection past MAX_DEPTH): at
 * their own positions the CLI and the editor would disagree about one file.
 */
function deepSpan(text: string, lines: LineIndex, at: number): Span {
  let line = lines.position(at).line;
  while (line > 0 && !/^[^\s#]/.test(lines.lineText(line))) line--;
  const start = lines.starts[line];
  return { start, end: Math.min(text.length, Math.max(start + 1, lines.lineEnd(line))) };
}

export function parseText(text: string): ParsedText {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const list = Array.isArray(docs) ? docs : [];
  const content = list.filter((d) => !isEmptyDocument(d));

  const facts = new Map<Document.Parsed, TreeFacts>();
  let overflow: Span | undefined;
  for (const d of list) {
    for (const e of d.errors) {
      // The library reports its own stack overflow on very deep nesting as an error: that is the
      // nesting limit below, said once.
      if (/call stack/i.test(e.message)) {
        overflow ??= deepSpan(text, lines, e.pos[0]);
        continue;
      }
      const span = { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) };
      diagnostics.push(
        diag(
          lines,
          'WF001',
          messageOf(e.code, e.message),
          span.end > span.start ? span : { start: span.start, end: Math.min(text.length, span.start + 1) },
        ),
      );
    }
    const f = inspectTree(d);
    facts.set(d, f);
    for (const k of f.duplicates) {
      const at = k.range?.[0] ?? 0;
      const key = widenKey(text, { start: at, end: at + 1 });
      diagnostics.push(
        diag(
          lines,
          'WF003',
          `duplicate key ${quote(text.slice(key.start, key.end).trim() || '?')}: a key may appear once in a mapping`,
          key,
        ),
      );
    }
  }

  if (overflow) {
    diagnostics.push(diag(lines, 'WF001', TOO_DEEP, overflow));
    return { text, lines, doc: null, data: undefined, diagnostics };
  }

  if (content.length > 1) {
    const second = content[1];
    const start = second.range?.[0] ?? 0;
    diagnostics.push(
      diag(lines, 'WF004', `the file holds ${content.length} YAML documents; a workflow file holds exactly one`, {
        start,
        end: Math.min(text.length, lines.lineEnd(lines.position(start).line)),
      }),
    );
  }

  const doc = content[0] ?? null;
  if (!doc || doc.contents === null) {
    if (diagnostics.length === 0) {
      const end = Math.min(text.length, lines.lineEnd(0));
      diagnostics.push(
        diag(lines, 'WF004', 'the file is empty; a workflow file is a mapping with version, title and nodes', {
          start: 0,
          end,
        }),
      );
    }
    return { text, lines, doc: null, data: undefined, diagnostics };
  }
  if (!isMap(doc.contents)) {
    const r = (doc.contents as YNode).range ?? [0, 0];
    const kind = isCollection(doc.contents) ? 'a list' : isScalar(doc.contents) ? 'a single value' : 'not a mapping';
    diagnostics.push(
      diag(lines, 'WF004', `the top level is ${kind}; a workflow file is a mapping with version, title and nodes`, {
        start: r[0],
        end: Math.min(r[1], lines.lineEnd(lines.position(r[0]).line)),
      }),
    );
    return { text, lines, doc: null, data: undefined, diagnostics };
  }

  const f = facts.get(doc)!;
  if (f.tooDeep || f.tooBig) {
    const r = f.tooDeep?.range ?? [0, 0];
    const message = f.tooDeep
      ? TOO_DEEP
      : `the file holds more than ${MAX_TREE_NODES} YAML values; it is refused as too large to check`;
    diagnostics.push(
      diag(
        lines,
        'WF001',
        message,
        f.tooDeep ? deepSpan(text, lines, r[0]) : { start: r[0], end: Math.min(Math.max(r[1], r[0] + 1), text.length) },
      ),
    );
    return { text, lines, doc: null, data: undefined, diagnostics };
  }

  // Aliases: unknown anchors, and expansion bounded before anything turns the tree into data.
  let unsafe = false;
  const expansion = new Map<YNode, number>();
  const sizeOf = (n: unknown, depth: number): number => {
    if (depth > 64) return Infinity;
    if (isAlias(n)) {
      const target = resolveAlias(doc, n);
      return target ? sizeOf(target, depth + 1) : 1;
    }
    if (!isCollection(n)) return 1;
    const cached = expansion.get(n as YNode);
    if (cached !== undefined) return cached;
    let total = 1;
    for (const item of (n as { items: unknown[] }).items) {
      if (isPair(item)) total += sizeOf(item.key, depth + 1) + sizeOf(item.value, depth + 1);
      else total += sizeOf(item, depth + 1);
      if (total > MAX_ALIAS_EXPANSION) break;
    }
    expansion.set(n as YNode, total);
    return total;
  };
  let expanded = 0;
  if (f.aliases > 0)
    visit(doc, {
      Alias(_, node) {
        const target = resolveAlias(doc, node);
        const r = node.range ?? [0, 0, 0];
        if (!target) {
          diagnostics.push(
            diag(
              lines,
              'WF001',
              `YAML syntax error: unknown anchor ${quote(node.source)} (define it with &${node.source} before using *${node.source})`,
              { start: r[0], end: r[1] },
            ),
          );
          unsafe = true;
          return;
        }
        expanded += sizeOf(target, 0);
        if (expanded > MAX_ALIAS_EXPANSION && !unsafe) {
          unsafe = true;
          diagnostics.push(
            diag(
              lines,
              'WF001',
              `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes; the file is refused as a resource-exhaustion attack`,
              { start: r[0], end: r[1] },
            ),
          );
          return visit.BREAK;
        }
      },
    });
  let data: unknown;
  if (!unsafe) {
    try {
      data = doc.toJS({ maxAliasCount: -1 });
    } catch {
      data = undefined;
    }
  }
  return { text, lines, doc, data, diagnostics };
}

/** yaml marks a duplicate key by its first character; widen to the whole key token on its line. */
function widenKey(text: string, span: Span): Span {
  let end = span.end;
  const lineEnd = text.indexOf('\n', span.start);
  const stop = lineEnd < 0 ? text.length : lineEnd;
  const colon = text.slice(span.start, stop).search(/:(\s|$)/);
  if (colon > 0) end = span.start + colon;
  return { start: span.start, end: Math.max(end, span.start + 1) };
}
