// Seeded random edits shared by the core incremental test and the LSP edit-stream test.
/** A small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  'a',
  'x',
  '_',
  '1',
  ' ',
  '  ',
  '\n',
  '\n    ',
  '\n  ',
  ':',
  ': ',
  '-',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '|',
  '>',
  'label: new',
  '\n    label: Added',
  'step_1',
  'to: step_2',
  '{{customer_name}}',
  '{{ unknown_var }}',
  'COMPLETED',
  'DROPPED',
  '\n  extra:\n    type: DROPPED\n',
  '\n      - to: dropped',
  'true',
  'null',
  '~',
  '%',
  '\t',
  '\r\n',
  '???',
];

/** One random edit, biased towards the inside of node blocks where incremental work applies. */
export function randomEdit(
  text: string,
  next: () => number,
  noCarriageReturn = false,
): { start: number; end: number; insert: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const snippets = noCarriageReturn ? SNIPPETS.filter((x) => !x.includes('\r')) : SNIPPETS;
  const at = Math.floor(next() * (text.length + 1));
  const r = next();
  if (r < 0.45) return { start: at, end: at, insert: pick(snippets) };
  if (r < 0.8) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(next() * 3)), insert: '' };
  return { start: at, end: Math.min(text.length, at + 1 + Math.floor(next() * 6)), insert: pick(snippets) };
}

/** One ranged change, as a didChange sends it: offsets into the text as it is when the change applies. */
export interface TextChange {
  start: number;
  end: number;
  insert: string;
}

/** Applies changes in order (each one's offsets refer to the text the previous ones left). */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let t = text;
  for (const c of changes) t = t.slice(0, c.start) + c.insert + t.slice(c.end);
  return t;
}

/** The changes that take `applyChanges(text, changes)` back to `text` (an editor's undo). */
export function inverseChanges(text: string, changes: readonly TextChange[]): TextChange[] {
  const out: TextChange[] = [];
  let t = text;
  for (const c of changes) {
    out.unshift({ start: c.start, end: c.start + c.insert.length, insert: t.slice(c.start, c.end) });
    t = t.slice(0, c.start) + c.insert + t.slice(c.end);
  }
  return out;
}

/**
 * The kinds of edit an author makes. All but `char` (random keystrokes anywhere) keep a clean
 * file clean YAML, so from a splicable analysis each of them must be spliced, not re-parsed.
 */
export const EDIT_KINDS = [
  'label',
  'title',
  'description',
  'variable-add',
  'variable-remove',
  'settings',
  'entry',
  'leads',
  'paste',
  'delete',
  'move',
  'comment',
  'comment-top',
  'blank',
  'rename',
  'reference',
  'multi',
  'undo',
  'redo',
  'char',
] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

interface Block {
  key: string;
  start: number;
  end: number;
}

/** The node blocks of a text (lines `  key:` at indent two up to the next such line or top-level line). */
function nodeBlocks(text: string): Block[] {
  const out: Block[] = [];
  const nodesAt = text.search(/^nodes:[ \t]*$/m);
  if (nodesAt < 0) return out;
  const re = /^(?: {2}([A-Za-z_][\w-]*):.*|\S.*)$/gm;
  re.lastIndex = text.indexOf('\n', nodesAt) + 1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (out.length) out[out.length - 1].end = m.index;
    if (!m[1]) {
      if (m[0].startsWith('#')) continue;
      return out;
    }
    out.push({ key: m[1], start: m.index, end: text.length });
  }
  return out;
}

const BLOCKS = [
  (k: string, to: string) =>
    `  ${k}:\n    type: TIME\n    label: Pasted ${k}\n    config: { delay_hours: 2 }\n    next:\n      - to: ${to}\n\n`,
  (k: string, to: string) =>
    `  ${k}:\n    type: VOICE_CALL\n    label: Call {{customer_name}}\n    config: { agent_id: agt_x, from_phone_number: "+912234567890" }\n    next:\n      - { on: COMPLETED, to: ${to} }\n      - to: dropped\n\n`,
  (k: string) => `  ${k}: { type: DROPPED }\n`,
];

/**
 * Random edits of every kind an author makes, with an editor's undo and redo: `next()` returns the
 * changes of one didChange and the text after it. Seeded, so a failure replays from its seed.
 */
export class EditSession {
  private readonly undoStack: { before: string; changes: TextChange[] }[] = [];
  private readonly redoStack: { before: string; changes: TextChange[] }[] = [];
  private counter = 0;
  constructor(
    public text: string,
    private readonly rand: () => number,
    private readonly kinds: readonly EditKind[] = EDIT_KINDS,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }

  /** One edit of a random kind from the session's kinds (or of `kind`). */
  next(kind: EditKind = this.pick(this.kinds)): { kind: EditKind; changes: TextChange[]; text: string } {
    const before = this.text;
    if (kind === 'undo' || kind === 'redo') {
      const from = kind === 'undo' ? this.undoStack : this.redoStack;
      const e = from[from.length - 1];
      if (e) {
        const after = applyChanges(e.before, e.changes);
        if ((kind === 'undo' ? after : e.before) === before) {
          from.pop();
          (kind === 'undo' ? this.redoStack : this.undoStack).push(e);
          this.text = kind === 'undo' ? e.before : after;
          return { kind, changes: kind === 'undo' ? inverseChanges(e.before, e.changes) : e.changes, text: this.text };
        }
      }
      // Nothing to undo or redo: a label edit instead.
      kind = 'label';
    }
    let changes = this.changesFor(kind, before);
    // A kind that does not apply to this text (no block left to delete, ...): a label edit, else
    // a blank line (a keystroke only when the session makes keystrokes).
    if (!changes) [kind, changes] = ['label', this.changesFor('label', before)];
    if (!changes) kind = this.kinds.includes('char') ? 'char' : 'blank';
    changes ??= this.changesFor(kind, before)!;
    this.text = applyChanges(before, changes);
    this.undoStack.push({ before, changes });
    if (this.undoStack.length > 20) this.undoStack.shift();
    this.redoStack.length = 0;
    return { kind, changes, text: this.text };
  }

  private changesFor(kind: EditKind, t: string): TextChange[] | undefined {
    const at = (re: RegExp): RegExpExecArray | null => re.exec(t);
    const lineEnd = (i: number) => {
      const e = t.indexOf('\n', i);
      return e < 0 ? t.length : e;
    };
    switch (kind) {
      case 'char': {
        const e = randomEdit(t, this.rand, true);
        return [{ start: e.start, end: e.end, insert: e.insert }];
      }
      case 'label': {
        const all = [...t.matchAll(/^ {4}label: .+$/gm)];
        if (!all.length) return undefined;
        const m = this.pick(all);
        const end = m.index + m[0].length;
        return this.rand() < 0.6
          ? [{ start: end, end, insert: this.pick(['x', ' a', '1']) }]
          : [{ start: end - 1, end, insert: '' }];
      }
      case 'title':
      case 'description': {
        const m = at(new RegExp(`^${kind}: .+$`, 'm'));
        if (!m) return undefined;
        const end = m.index + m[0].length;
        return this.rand() < 0.6 ? [{ start: end, end, insert: 'x' }] : [{ start: end - 1, end, insert: '' }];
      }
      case 'variable-add':
      case 'variable-remove': {
        const m = at(/^variables: \[(.*)\]$/m);
        if (!m) return undefined;
        const close = m.index + m[0].length - 1;
        if (kind === 'variable-add') return [{ start: close, end: close, insert: `, v_${++this.counter}` }];
        const comma = t.lastIndexOf(',', close);
        if (comma < m.index) return undefined;
        return [{ start: comma, end: close, insert: '' }];
      }
      case 'settings': {
        const m = at(/^ {2}max_concurrent_calls: (\d+)$/m);
        if (!m) return undefined;
        const s = m.index + m[0].length - m[1].length;
        return [{ start: s, end: s + m[1].length, insert: String(1 + Math.floor(this.rand() * 50)) }];
      }
      case 'entry': {
        const m = at(/^entry: (\S+)$/m);
        const blocks = nodeBlocks(t);
        if (!m || !blocks.length) return undefined;
        const s = m.index + m[0].length - m[1].length;
        const to = this.rand() < 0.8 ? this.pick(blocks).key : 'no_such_node';
        return [{ start: s, end: s + m[1].length, insert: to }];
      }
      case 'leads': {
        const m = at(/^leads: .*\n/m);
        if (m) return [{ start: m.index, end: m.index + m[0].length, insert: '' }];
        const e = at(/^(entry|nodes):/m);
        if (!e) return undefined;
        return [{ start: e.index, end: e.index, insert: 'leads: leads.csv\n' }];
      }
      case 'paste': {
        const blocks = nodeBlocks(t);
        if (!blocks.length) return undefined;
        const n = 1 + Math.floor(this.rand() * 3);
        let text = '';
        for (let i = 0; i < n; i++) text += this.pick(BLOCKS)(`pasted_${++this.counter}`, this.pick(blocks).key);
        // Before a node, or after the last one (the end of the file in a generated workflow).
        const atEnd = this.rand() < 0.15;
        const last = blocks[blocks.length - 1];
        const where = atEnd ? last.end : this.pick(blocks).start;
        if (atEnd && t.charCodeAt(where - 1) !== 10) return undefined;
        return [{ start: where, end: where, insert: text }];
      }
      case 'delete': {
        const blocks = nodeBlocks(t);
        if (blocks.length < 4) return undefined;
        const i = Math.floor(this.rand() * (blocks.length - 1));
        const n = Math.min(blocks.length - 2 - i, 1 + Math.floor(this.rand() * 2));
        if (n < 1) return undefined;
        return [{ start: blocks[i].start, end: blocks[i + n - 1].end, insert: '' }];
      }
      case 'move': {
        const blocks = nodeBlocks(t);
        if (blocks.length < 3) return undefined;
        const i = Math.floor(this.rand() * (blocks.length - 1));
        let j = Math.floor(this.rand() * (blocks.length - 1));
        if (j === i || j === i + 1) j = i + 1 < blocks.length - 1 ? i + 2 : 0;
        if (j === i || j === i + 1) return undefined;
        const b = blocks[i];
        const body = t.slice(b.start, b.end);
        if (!body.endsWith('\n')) return undefined;
        const dest = blocks[j].start;
        // Cut, then paste: two ranged changes in one didChange, the second in the text the first left.
        const cut = { start: b.start, end: b.end, insert: '' };
        const pasteAt = dest > b.start ? dest - body.length : dest;
        return [cut, { start: pasteAt, end: pasteAt, insert: body }];
      }
      case 'comment':
      case 'blank': {
        const starts = [0];
        for (let i = t.indexOf('\n'); i >= 0 && i + 1 < t.length; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
        const s = this.pick(starts);
        const indent = /^ */.exec(t.slice(s, lineEnd(s)))![0];
        return [{ start: s, end: s, insert: kind === 'blank' ? '\n' : `${indent}# note ${++this.counter}\n` }];
      }
      case 'comment-top':
        return t.startsWith('# ')
          ? [{ start: 0, end: lineEnd(0) + 1, insert: '' }]
          : [{ start: 0, end: 0, insert: '# top comment\n' }];
      case 'rename': {
        const blocks = nodeBlocks(t);
        if (!blocks.length) return undefined;
        const b = this.pick(blocks);
        const end = b.start + 2 + b.key.length;
        return b.key.endsWith('z') ? [{ start: end - 1, end, insert: '' }] : [{ start: end, end, insert: 'z' }];
      }
      case 'reference': {
        const all = [...t.matchAll(/to: ([a-z_0-9]+)/g)];
        if (!all.length) return undefined;
        const m = this.pick(all);
        const end = m.index + m[0].length;
        return m[1].endsWith('x') ? [{ start: end - 1, end, insert: '' }] : [{ start: end, end, insert: 'x' }];
      }
      case 'multi': {
        // Several ranged changes in one didChange, each in the text the ones before it left.
        const parts: TextChange[] = [];
        let cur = t;
        const n = 2 + Math.floor(this.rand() * 3);
        for (let i = 0; i < n; i++) {
          const c = this.changesFor(
            this.pick(['label', 'title', 'reference', 'comment', 'blank', 'variable-add', 'rename'] as const),
            cur,
          );
          if (!c) continue;
          parts.push(...c);
          cur = applyChanges(cur, c);
        }
        return parts.length ? parts : undefined;
      }
      default:
        return undefined;
    }
  }
}
