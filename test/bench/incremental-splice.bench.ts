// The parse/splice half of an edit (issue 11), per kind of edit, at 1,000 and 5,000 nodes: CPU of
// core/incremental.ts `splice` (re-parse the touched entries, move the rest), of a whole
// `reanalyze` (splice + model, graph, schema, rules), and of the full analysis every edit but a
// one-node one cost before (`analyzeIncremental`), all interleaved on the same texts, each as a
// share of the minimum CPU of a bare yaml.parseDocument of the file. The edit-mix bench
// (edit-mix.bench.ts) gives the same edits end to end over LSP against yaml-language-server.
// CALLFLOW_SPLICE_SIZES=1000 for a quick run.
import { parseDocument } from 'yaml';
import { analyzeIncremental, reanalyze, splice } from '../../core/incremental';
import { parseText, type ParsedText } from '../../core/parse';
import { generateWorkflow } from '../support/generate';
import { EditSession, rng, type EditKind } from '../support/random-edits';

const SIZES = (process.env.CALLFLOW_SPLICE_SIZES ?? '1000,5000').split(',').map(Number);
const KINDS: EditKind[] = [
  'label',
  'reference',
  'rename',
  'title',
  'variable-add',
  'variable-remove',
  'settings',
  'paste',
  'delete',
  'move',
  'comment-top',
  'comment',
  'multi',
  'undo',
];
const gc = (globalThis as { gc?: () => void }).gc;

function cpu(f: () => void): number {
  gc?.();
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x: number, parse: number) => `${((x / parse) * 100).toFixed(2)} %`;

console.log('| nodes | edit | splice ms (÷ parse) | reanalyze ms (÷ parse) | full analysis ms (÷ parse) | spliced |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const n of SIZES) {
  const text = generateWorkflow(n);
  const reps = n >= 5000 ? 3 : 7;
  let parse = Infinity;
  for (let i = 0; i < 3; i++)
    parse = Math.min(
      parse,
      cpu(() => parseDocument(text)),
    );
  // Three chains over the same texts: splice alone, a whole incremental analysis, a full one.
  const session = new EditSession(text, rng(n));
  let parsed: ParsedText = parseText(text);
  let a = analyzeIncremental(text);
  for (const kind of KINDS) {
    const s: number[] = [],
      r: number[] = [],
      f: number[] = [];
    let spliced = 0;
    for (let i = 0; i < reps; i++) {
      const e = session.next(kind);
      s.push(
        cpu(() => {
          const p = splice(parsed, e.text);
          parsed = typeof p === 'string' ? parseText(e.text) : p;
        }),
      );
      r.push(cpu(() => (a = reanalyze(a, e.text))));
      if (a.mode === 'incremental') spliced++;
      f.push(cpu(() => analyzeIncremental(e.text)));
    }
    console.log(
      `| ${n} | ${kind} | ${median(s).toFixed(2)} (${pct(median(s), parse)}) | ${median(r).toFixed(2)} (${pct(median(r), parse)}) ` +
        `| ${median(f).toFixed(0)} (${pct(median(f), parse)}) | ${spliced}/${reps} |`,
    );
  }
  console.log(`| ${n} | bare yaml.parseDocument, minimum | ${parse.toFixed(0)} ms CPU | | | |`);
}
