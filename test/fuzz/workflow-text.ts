// Random workflow-shaped YAML text for the property and fuzz tests: the workflow vocabulary in any
// key order, written in every layout an author (or a tool) might use — block and flow styles, odd
// indentation, comments in every position, blank lines, anchors and aliases, multi-line and block
// scalars, quoting, tags, document markers, CRLF, a BOM and trailing whitespace.
//
// Every decision reads one number in [0, 1) from `next`. A seeded PRNG (test/support/random-edits
// rng) gives reproducible files from a seed; a fast-check array of numbers (`tape`) gives files
// that shrink: when the tape runs out every decision takes its simplest option (0 means "no",
// "the first choice", "the smallest"), so a shorter or smaller tape is a simpler file.

export type Next = () => number;

/** Decisions read from a list of integers (fast-check `fc.array(fc.nat(...))`), then all zeros. */
export function tape(values: readonly number[], scale = 1000): Next {
  let i = 0;
  return () => (i < values.length ? (values[i++] % scale) / scale : 0);
}

interface Deco {
  /** Lines before the entry: a comment (its text, and its indentation relative to the entry) or a blank line. */
  before: ({ comment: string; shift: number } | { blank: string })[];
  /** A comment at the end of the entry's line (a scalar's line, or the key line of a block). */
  trailing?: { gap: string; text: string };
}
type Props = { anchor?: string; tag?: string; wantAnchor?: boolean };
type Scalar = { t: 'scalar'; src: string; lines?: string[]; block?: { header: string; lines: string[] } };
type Val =
  | ((Scalar | { t: 'null'; src: string } | { t: 'alias'; name: string; pick: number }) & Props)
  | ({ t: 'map'; flow: boolean; multiline?: boolean; entries: Entry[]; step: number } & Props)
  | ({ t: 'seq'; flow: boolean; multiline?: boolean; items: Item[]; step: number; indentless?: boolean } & Props);
interface Entry {
  key: string;
  value: Val;
  deco: Deco;
}
interface Item {
  value: Val;
  deco: Deco;
  pad: number;
}

const WORDS = ['hello', 'agt_abc123', 'COMPLETED', 'Call the lead', 'step two', 'x', 'Ünï code', 'a-b', 'wait 2 days'];
const NUMBERS = ['48', '-3', '1.5', '0', '1e3', '0x1F', '.inf', '0012', '123456789012345678901234567890', '-0'];
const SPECIAL = ['true', 'false', 'null', '~', 'yes', 'no', '2024-01-01', 'on', 'TRUE'];
const DOUBLE = [
  '"+14155550100"',
  '"0012"',
  '"yes"',
  '""',
  '"a \\"quoted\\" word"',
  '"tab\\there"',
  '"# not a comment"',
  '"a: b"',
  '"Hi {{customer_name}}, about {{ loan_amount }}"',
  '"  padded  "',
  '"bell\\u0007"',
  '"line\\nbreak"',
  '"[not, a, list]"',
  '"ünï"',
];
const SINGLE = ["'it''s'", "'a: b'", "''", "'{{city}}'", "'#x'", "'  lead '"];
const COMMENTS = [
  ' note',
  'tight',
  ' callflow-disable-line WF114',
  ' callflow-disable-next-line WF118',
  '',
  ' a: b',
  ' - not a list',
  ' #double',
  ' ünï',
  '   indented words',
];
const NODE_TYPES = ['VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION', 'CONVERTED', 'DROPPED', 'SMS'];
const OUTCOMES = ['COMPLETED', 'DNP', '"true"', '"false"', 'success', 'failure', 'true'];

class Gen {
  anchors: string[] = [];
  nodeNames: string[] = [];
  constructor(readonly next: Next) {}
  chance(p: number): boolean {
    return this.next() > 1 - p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  deco(rich: number): Deco {
    const before: Deco['before'] = [];
    if (this.chance(rich)) {
      const n = this.int(1, 3);
      for (let i = 0; i < n; i++) {
        if (this.chance(0.35)) before.push({ blank: this.chance(0.2) ? '  ' : '' });
        else before.push({ comment: this.pick(COMMENTS), shift: this.pick([0, 0, 0, -2, 2, -100, 1]) });
      }
    }
    const trailing = this.chance(rich)
      ? { gap: this.pick([' ', ' ', '   ', '\t', '      ']), text: this.pick(COMMENTS) }
      : undefined;
    return { before, trailing };
  }

  props(v: Val): Val {
    // Names are given in text order once the file's layout is settled (see nameAnchors).
    if (v.t !== 'alias' && this.chance(0.08)) {
      this.anchors.push('');
      v.wantAnchor = true;
    }
    if (v.t === 'scalar' && !v.block && !v.lines && this.chance(0.03)) v.tag = '!!str';
    return v;
  }

  /** A scalar; multi-line forms only where `block` allows them. */
  scalar(kind: 'any' | 'word' | 'number', block: boolean): Val {
    const r = this.next();
    if (kind === 'number' || (kind === 'any' && r < 0.15)) return { t: 'scalar', src: this.pick(NUMBERS) };
    if (kind === 'word' || r < 0.45) return { t: 'scalar', src: this.pick(WORDS) };
    if (r < 0.55) return { t: 'scalar', src: this.pick(SPECIAL) };
    if (r < 0.7) return { t: 'scalar', src: this.pick(DOUBLE) };
    if (r < 0.78) return { t: 'scalar', src: this.pick(SINGLE) };
    if (r < 0.8) return { t: 'scalar', src: 'x'.repeat(this.int(100, 200)) + ' long' };
    if (!block) return { t: 'scalar', src: this.pick(WORDS) };
    if (r < 0.86) {
      // Wrapped by hand: plain or quoted over several lines.
      const q = this.pick(['', '"', "'"]);
      const n = this.int(2, 3);
      const parts = Array.from(
        { length: n },
        (_, i) => this.pick(['word', 'more words', 'end', 'x: y'].slice(0, q ? 4 : 3)) + i,
      );
      return { t: 'scalar', src: q + parts[0], lines: [...parts.slice(1, -1), parts[n - 1] + q] };
    }
    if (r < 0.95) {
      const header = this.pick(['|', '|-', '|+', '>', '>-', '>+', '|2', '>-2']);
      const n = this.int(1, 4);
      const lines: string[] = [];
      for (let i = 0; i < n; i++)
        lines.push(this.pick(['line one', '  indented line', '', '# not a comment', 'Hi {{customer_name}}', 'last']));
      if (lines[0].trim() === '') lines[0] = 'first';
      if (this.chance(0.3)) lines.push('');
      return { t: 'scalar', src: '', block: { header, lines } };
    }
    return { t: 'null', src: this.pick(['', '~', 'null']) };
  }

  /** An alias to an earlier anchor, when there is one. */
  alias(): Val | undefined {
    if (this.anchors.length === 0 || !this.chance(0.1)) return undefined;
    return { t: 'alias', name: '', pick: this.next() };
  }

  step(): number {
    return this.pick([2, 2, 2, 4, 1, 3]);
  }

  map(entries: Entry[], flowChance: number): Val {
    const flow = entries.length === 0 || this.chance(flowChance);
    return { t: 'map', flow, multiline: flow && this.chance(0.1), entries, step: this.step() };
  }
  seq(values: Val[], flowChance: number, rich: number): Val {
    const flow = values.length === 0 || this.chance(flowChance);
    const items = values.map((value) => ({ value, deco: this.deco(rich), pad: this.pick([1, 1, 1, 2, 3]) }));
    return {
      t: 'seq',
      flow,
      multiline: flow && this.chance(0.1),
      items,
      step: this.step(),
      indentless: this.chance(0.15),
    };
  }
  entry(key: string, value: Val, rich: number): Entry {
    return { key, value: this.props(value), deco: this.deco(rich) };
  }

  /** Any value for config and extension keys, `depth` levels at most. */
  anyValue(depth: number, rich: number): Val {
    const a = this.alias();
    if (a) return a;
    const r = this.next();
    if (depth <= 0 || r < 0.6) return this.scalar('any', true);
    if (r < 0.8) {
      const n = this.int(0, 3);
      const entries = Array.from({ length: n }, (_, i) =>
        this.entry(
          this.pick(['k', 'field', 'value', '<<', 'nested', '"quoted key"', '1', 'x-y']).replace(/"?$/, (q) => i + q),
          this.anyValue(depth - 1, rich),
          rich,
        ),
      );
      return this.map(entries, 0.4);
    }
    const n = this.int(0, 3);
    return this.seq(
      Array.from({ length: n }, () => this.props(this.anyValue(depth - 1, rich))),
      0.4,
      rich,
    );
  }

  node(name: string, rich: number): Val {
    const a = this.alias();
    if (a) return a;
    if (this.chance(0.04)) return this.scalar('any', true);
    const fields: Entry[] = [];
    const type = this.pick(NODE_TYPES);
    fields.push(this.entry('type', { t: 'scalar', src: type }, rich));
    if (this.chance(0.5)) fields.push(this.entry('label', this.scalar(this.chance(0.5) ? 'word' : 'any', true), rich));
    if (this.chance(0.7)) fields.push(this.entry('config', this.config(type, rich), rich));
    if (this.chance(0.7)) fields.push(this.entry('next', this.edges(rich), rich));
    if (this.chance(0.2))
      fields.push(
        this.entry(
          'position',
          this.map(
            this.shuffle([
              this.entry('x', this.scalar('number', false), rich),
              this.entry('y', this.scalar('number', false), rich),
            ]),
            0.6,
          ),
          rich,
        ),
      );
    if (this.chance(0.15)) fields.push(this.entry('x-note', this.anyValue(1, rich), rich));
    if (this.chance(0.05)) fields.push(this.entry('unknown_field', this.scalar('any', true), rich));
    return this.map(this.shuffle(fields), 0.25);
  }

  config(type: string, rich: number): Val {
    const a = this.alias();
    if (a) return a;
    const e: Entry[] = [];
    if (type === 'TIME') e.push(this.entry('delay_hours', this.scalar('number', true), rich));
    if (type === 'VOICE_CALL') {
      e.push(this.entry('agent_id', { t: 'scalar', src: 'agt_abc123' }, rich));
      if (this.chance(0.5)) e.push(this.entry('from_phone_number', { t: 'scalar', src: '"+912234567890"' }, rich));
    }
    if (type === 'CONDITIONAL') {
      e.push(this.entry('logic', { t: 'scalar', src: this.pick(['AND', 'OR']) }, rich));
      const cond = () =>
        this.map(
          [
            this.entry('field', { t: 'scalar', src: 'loan_amount' }, rich),
            this.entry('operator', { t: 'scalar', src: 'greater_than' }, rich),
            this.entry('value', this.scalar('any', false), rich),
          ],
          0.5,
        );
      e.push(this.entry('conditions', this.seq([cond(), ...(this.chance(0.3) ? [cond()] : [])], 0.3, rich), rich));
    }
    if (this.chance(0.3)) e.push(this.entry('x-extra', this.anyValue(2, rich), rich));
    return this.map(this.shuffle(e), 0.5);
  }

  edges(rich: number): Val {
    const a = this.alias();
    if (a) return a;
    if (this.chance(0.05)) return { t: 'null', src: '' };
    const n = this.int(0, 3);
    const edges: Val[] = [];
    for (let i = 0; i < n; i++) {
      const e: Entry[] = [];
      if (this.chance(0.6)) e.push(this.entry('on', { t: 'scalar', src: this.pick(OUTCOMES) }, rich));
      e.push(this.entry('to', { t: 'scalar', src: this.nodeNames.length ? this.pick(this.nodeNames) : 'done' }, rich));
      const edge = this.alias() ?? this.map(this.shuffle(e), 0.5);
      edges.push(this.props(edge));
    }
    return this.seq(edges, 0.15, rich);
  }

  shuffle<T>(xs: T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  workflow(rich: number): Val {
    const n = this.int(1, 5);
    this.nodeNames = Array.from({ length: n }, (_, i) => this.pick(['call', 'wait', 'check', 'done', 'n']) + i);
    const top: Entry[] = [];
    top.push(this.entry('version', { t: 'scalar', src: this.pick(['1', '1', '"1"', '2']) }, rich));
    top.push(this.entry('title', this.scalar('word', true), rich));
    if (this.chance(0.4)) top.push(this.entry('description', this.scalar('any', true), rich));
    if (this.chance(0.5))
      top.push(
        this.entry(
          'variables',
          this.seq(
            Array.from({ length: this.int(0, 3) }, () => this.scalar('word', false)),
            0.6,
            rich,
          ),
          rich,
        ),
      );
    if (this.chance(0.2))
      top.push(this.entry('leads', { t: 'scalar', src: this.pick(['leads.csv', '"../x.csv"']) }, rich));
    if (this.chance(0.3))
      top.push(
        this.entry(
          'settings',
          this.map([this.entry('max_concurrent_calls', this.scalar('number', false), rich)], 0.3),
          rich,
        ),
      );
    if (this.chance(0.6)) top.push(this.entry('entry', { t: 'scalar', src: this.nodeNames[0] }, rich));
    const nodes = this.nodeNames.map((name) => this.entry(name, this.node(name, rich), rich));
    top.push(this.entry('nodes', this.map(nodes, 0.05), rich));
    if (this.chance(0.2)) top.push(this.entry('x-meta', this.anyValue(2, rich), rich));
    const ordered = this.chance(0.5) ? top : this.shuffle(top);
    return { t: 'map', flow: this.chance(0.03), entries: ordered, step: this.step() };
  }
}

/**
 * Anchors named in the order the text will show them, and each alias pointed at an anchor that
 * comes before it (never at an enclosing node: no recursive structures); an alias with no anchor
 * before it becomes a plain word.
 */
function nameAnchors(v: Val, defined: string[]): Val {
  if (v.t === 'alias') {
    if (defined.length === 0) return { t: 'scalar', src: 'no_anchor_yet' };
    v.name = defined[Math.floor(v.pick * defined.length)];
    return v;
  }
  if (v.t === 'map') for (const e of v.entries) e.value = nameAnchors(e.value, defined);
  if (v.t === 'seq') for (const it of v.items) it.value = nameAnchors(it.value, defined);
  if (v.wantAnchor) {
    v.anchor = `a${defined.length}`;
    defined.push(v.anchor);
  }
  return v;
}

// ---- rendering -------------------------------------------------------------------------------

const propsText = (v: Val): string => [v.anchor ? `&${v.anchor}` : '', v.tag ?? ''].filter(Boolean).join(' ');

function flowText(v: Val, g: Gen, indent: number): string {
  const p = propsText(v);
  const pre = p ? p + ' ' : '';
  switch (v.t) {
    case 'null':
      return pre + (v.src || 'null');
    case 'alias':
      return `*${v.name}`;
    case 'scalar':
      if (v.block || v.lines) return pre + '"flattened"';
      return (
        pre +
        (/^[\w.+-]/.test(v.src) && /[\s:#,[\]{}]/.test(v.src) && !/^["']/.test(v.src) ? JSON.stringify(v.src) : v.src)
      );
    case 'map':
    case 'seq': {
      const parts =
        v.t === 'map'
          ? v.entries.map((e) => `${e.key}: ${flowText(e.value, g, indent + 2)}`)
          : v.items.map((it) => flowText(it.value, g, indent + 2));
      const [open, close] = v.t === 'map' ? ['{', '}'] : ['[', ']'];
      if (parts.length === 0) return pre + open + close;
      if (v.multiline) {
        const pad = ' '.repeat(indent + 2);
        const sep = g.chance(0.3) ? ', # inside\n' + pad : ',\n' + pad;
        return `${pre}${open}\n${pad}${parts.join(sep)}\n${' '.repeat(indent)}${close}`;
      }
      const space = g.chance(0.7) ? ' ' : '';
      return pre + open + space + parts.join(g.chance(0.8) ? ', ' : ',') + space + close;
    }
  }
}

function trailingText(d: Deco): string {
  return d.trailing ? `${d.trailing.gap}#${d.trailing.text}` : '';
}

function beforeLines(d: Deco, indent: number, out: string[]): void {
  for (const b of d.before) {
    if ('blank' in b) out.push(b.blank);
    else out.push(' '.repeat(Math.max(0, indent + b.shift)) + '#' + b.comment);
  }
}

const isBlock = (v: Val): boolean =>
  (v.t === 'map' && !v.flow && v.entries.length > 0) || (v.t === 'seq' && !v.flow && v.items.length > 0);

/** The text after `key:` or `-` on the same line, and the lines below, for a value at `indent`. */
function valueLines(v: Val, d: Deco, indent: number, g: Gen, out: string[], head: string, childIndent: number): void {
  const p = propsText(v);
  if (isBlock(v)) {
    out.push(head + (p ? ' ' + p : '') + trailingText(d));
    if (v.t === 'map') blockMap(v, childIndent, g, out);
    else if (v.t === 'seq') blockSeq(v, childIndent, g, out);
    return;
  }
  if (v.t === 'scalar' && v.block) {
    out.push(`${head} ${p ? p + ' ' : ''}${v.block.header}${trailingText(d)}`);
    const explicit = /\d/.exec(v.block.header);
    const at = explicit ? indent + Number(explicit[0]) : childIndent;
    for (const l of v.block.lines) out.push(l === '' ? '' : ' '.repeat(at) + l);
    return;
  }
  if (v.t === 'scalar' && v.lines) {
    out.push(`${head} ${p ? p + ' ' : ''}${v.src}`);
    v.lines.forEach((l, i) =>
      out.push(' '.repeat(childIndent) + l + (i === v.lines!.length - 1 ? trailingText(d) : '')),
    );
    return;
  }
  if (v.t === 'null' && v.src === '' && !p) {
    out.push(head + trailingText(d));
    return;
  }
  out.push(`${head} ${flowText(v, g, indent)}${trailingText(d)}`);
}

function blockMap(v: Extract<Val, { t: 'map' }>, indent: number, g: Gen, out: string[]): void {
  for (const e of v.entries) {
    beforeLines(e.deco, indent, out);
    const childIndent =
      indent +
      (e.value.t === 'seq' && e.value.indentless && !e.value.flow ? 0 : ((e.value as { step?: number }).step ?? 2));
    valueLines(e.value, e.deco, indent, g, out, ' '.repeat(indent) + e.key + ':', childIndent);
  }
}

function blockSeq(v: Extract<Val, { t: 'seq' }>, indent: number, g: Gen, out: string[]): void {
  for (const it of v.items) {
    beforeLines(it.deco, indent, out);
    const val = it.value;
    const dash = ' '.repeat(indent) + '-';
    if (
      val.t === 'map' &&
      isBlock(val) &&
      !propsText(val) &&
      !it.deco.trailing &&
      val.entries[0].deco.before.length === 0
    ) {
      // The compact form: the first entry on the dash's line, the others aligned with it.
      const inner = indent + 1 + it.pad;
      const lines: string[] = [];
      blockMap(val, inner, g, lines);
      lines[0] = dash + ' '.repeat(it.pad) + lines[0].slice(inner);
      out.push(...lines);
      continue;
    }
    valueLines(val, it.deco, indent, g, out, dash, indent + (val.t === 'map' || val.t === 'seq' ? val.step : 2));
  }
}

/** One random workflow file. `rich` (0..1) is how often entries carry comments and blank lines. */
export function randomWorkflowText(next: Next, rich = 0.25): string {
  const g = new Gen(next);
  const doc = nameAnchors(g.workflow(rich), []);
  const out: string[] = [];
  if (g.chance(0.2)) out.push('# header comment', ...(g.chance(0.5) ? [''] : []));
  if (g.chance(0.1)) out.push(g.chance(0.3) ? '--- # start' : '---');
  if (doc.t === 'map' && doc.flow) out.push(flowText(doc, g, 0));
  else if (doc.t === 'map') blockMap(doc, 0, g, out);
  if (g.chance(0.15)) out.push(...(g.chance(0.5) ? [''] : []), '# footer');
  if (g.chance(0.05)) out.push('...');
  let lines = out;
  if (g.chance(0.2)) lines = lines.map((l) => (g.chance(0.3) ? l + g.pick([' ', '  ', '\t']) : l));
  let text = lines.join('\n') + g.pick(['\n', '\n', '\n', '', '\n\n', '\n\n\n']);
  if (g.chance(0.15)) text = text.replace(/\n/g, '\r\n');
  if (g.chance(0.05)) text = '\uFEFF' + text;
  return text;
}
