// The diff as GitHub-flavoured markdown for a pull-request comment: a summary line, the flagged
// changes in a warning box, a table per node, and a Mermaid graph of the new version with added,
// changed and removed-neighbour nodes styled. Every value is escaped for tables and code spans.
import { mermaidId, toMermaid } from '../export';
import { analyze } from '../validate';
import { summaryText } from './text';
import { edgeFromText, fieldName, flatConfig, outcomeText, showValue } from './values';
import { silentEdgeSentences } from './words';
import type { NodeDiff, WorkflowDiff } from './types';

export interface FileDiff {
  /** Repository-relative path (the new path; the old one for a deleted file). */
  path: string;
  change: 'added' | 'deleted' | 'modified' | 'renamed';
  /** A renamed file's old path. */
  oldPath?: string;
  diff?: WorkflowDiff;
  /** Why no diff could be made (a side that does not parse). */
  error?: string;
  /** The new version's text, for the graph. */
  newText?: string;
}

export interface MarkdownOptions {
  /** A link to a line of a file in the new version (e.g. a blob URL at the head commit). */
  lineLink?: (path: string, line: number) => string;
  /** Graphs of more nodes than this are left out (GitHub's renderer refuses very large ones). */
  maxGraphNodes?: number;
}

/** Escapes text for a markdown table cell or paragraph. */
function md(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** A code span that survives backticks and table pipes inside it. */
function code(s: string): string {
  const t = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const ticks = t.includes('`') ? '``' : '`';
  return ticks.length > 1 ? `${ticks} ${t} ${ticks}` : `${ticks}${t}${ticks}`;
}

const val = (v: unknown): string => (v === undefined ? '—' : code(showValue(v)));

export function renderDiffMarkdown(files: FileDiff[], options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const flagged = files.reduce((n, f) => n + (f.diff?.summary.flagged ?? 0), 0);
  const changed = files.filter((f) => !f.diff?.equal).length;
  out.push(
    `**${changed} workflow file${changed === 1 ? '' : 's'} changed**${flagged ? ` · ⚠️ ${flagged} flagged change${flagged === 1 ? '' : 's'} to check before activating` : ''}`,
  );
  for (const f of files) out.push('', ...fileSection(f, options));
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

function fileSection(f: FileDiff, o: MarkdownOptions): string[] {
  const title =
    f.change === 'renamed' && f.oldPath
      ? `### ${code(f.oldPath)} → ${code(f.path)} (renamed)`
      : `### ${code(f.path)} (${f.change})`;
  const out = [title, ''];
  if (f.error || !f.diff) return [...out, `Cannot diff: ${md(f.error ?? 'unknown error')}`];
  const d = f.diff;
  out.push(md(summaryText(d)));
  if (d.equal) return out;
  const link = (line?: number) =>
    line !== undefined && o.lineLink
      ? ` ([line ${line}](${o.lineLink(f.path, line)}))`
      : line !== undefined
        ? ` (line ${line})`
        : '';
  if (d.flags.length) {
    out.push('', '> [!WARNING]', '> **Check before activating**');
    for (const fl of d.flags) out.push(`> - ${md(fl.message)}${f.change === 'deleted' ? '' : link(fl.line)}`);
  }
  if (d.header.length) {
    out.push('', '| workflow field | before | after |', '|---|---|---|');
    for (const h of d.header) out.push(`| ${code(h.path)} | ${val(h.old)} | ${val(h.new)} |`);
  }
  const tables = d.nodes.flatMap((n) => [
    '',
    ...nodeTable(n, f.change === 'deleted' || n.status === 'removed' ? () => '' : link),
  ]);
  // A whole file added or deleted: every node is new or lost; folded so the comment stays readable.
  if (f.change === 'added' || f.change === 'deleted')
    out.push('', `<details><summary>${d.nodes.length} nodes ${f.change}</summary>`, ...tables, '', '</details>');
  else out.push(...tables);
  if (f.newText !== undefined && f.change !== 'deleted')
    out.push('', ...graphBlock(d, f.newText, o.maxGraphNodes ?? 150));
  return out;
}

function nodeTable(n: NodeDiff, link: (line?: number) => string): string[] {
  const type = n.type ? ` (${n.type})` : '';
  const icon = { added: '➕', removed: '➖', renamed: '✏️', changed: '✏️' }[n.status];
  const what = n.status === 'renamed' ? `renamed from ${code(n.from!)}` : n.status;
  const out = [`#### ${icon} ${code(n.key)} ${what}${type}${link(n.line)}`, ''];
  if (n.status === 'added' || n.status === 'removed') {
    const head = n.status === 'added' ? '| field | value |' : '| lost | value |';
    out.push(head, '|---|---|');
    if (n.label !== undefined) out.push(`| label | ${val(n.label)} |`);
    for (const [p, v] of flatConfig(n.config ?? {})) out.push(`| ${code(fieldName(p))} | ${val(v)} |`);
    for (const r of n.routes)
      out.push(`| ${md(outcomeText(r.on))} | → ${code((n.status === 'added' ? r.new : r.old) ?? '')} |`);
    if (n.status === 'removed') {
      const inc = n.incoming ?? [];
      out.push(
        `| reached from | ${inc.length ? inc.map((e) => md(edgeFromText(e.from, e.on))).join('<br>') : 'nothing'} |`,
      );
    }
    return out;
  }
  out.push('| change | before | after |', '|---|---|---|');
  for (const f of n.fields) out.push(`| ${code(fieldName(f.path))} | ${val(f.old)} | ${val(f.new)} |`);
  for (const r of n.routes)
    out.push(
      `| ${r.only ? 'next step' : md(outcomeText(r.on))}${r.byReorder ? ' (edges reordered: first match wins)' : ''} | ${r.old ? `→ ${code(r.old)}` : 'nowhere'} | ${r.new ? `→ ${code(r.new)}` : 'nowhere'} |`,
    );
  if (n.reordered && !n.reordered.changesRouting) out.push('| edge order | reordered | routing unchanged |');
  for (const s of silentEdgeSentences(n)) out.push(`| edge | ${md(s)} | |`);
  if (n.status === 'renamed' && n.fields.length === 0 && n.routes.length === 0)
    out.push(`| key | ${code(n.from!)} | ${code(n.key)} |`);
  return out;
}

const STYLES = [
  'classDef cfAdded fill:#dafbe1,stroke:#1a7f37,stroke-width:3px',
  'classDef cfChanged fill:#fff8c5,stroke:#9a6700,stroke-width:3px',
  'classDef cfNeighbour stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3',
];

/** The new version's graph with the diff's classes on top of the type colours (later classDefs win). */
export function diffMermaid(d: WorkflowDiff, newText: string): string | undefined {
  const a = analyze(newText);
  if (!a.model || !a.graph) return undefined;
  const keys = new Set(a.model.nodes.map((n) => n.key));
  const added: string[] = [],
    changed: string[] = [],
    neighbours = new Set<string>();
  for (const n of d.nodes) {
    if (n.status === 'added') added.push(n.key);
    else if (n.status === 'changed' || n.status === 'renamed') changed.push(n.key);
    else {
      for (const e of n.incoming ?? []) neighbours.add(e.from);
      for (const r of n.routes) if (r.old) neighbours.add(r.old);
    }
  }
  const touched = new Set([...added, ...changed]);
  const near = [...neighbours].filter((k) => keys.has(k) && !touched.has(k));
  const lines = toMermaid(a.model, a.graph).trimEnd().split('\n');
  lines.push(...STYLES.map((s) => `  ${s}`));
  const cls = (list: string[], c: string) => {
    const ids = list.filter((k) => keys.has(k)).map(mermaidId);
    if (ids.length) lines.push(`  class ${ids.join(',')} ${c}`);
  };
  cls(added, 'cfAdded');
  cls(changed, 'cfChanged');
  cls(near, 'cfNeighbour');
  return lines.join('\n') + '\n';
}

function graphBlock(d: WorkflowDiff, newText: string, max: number): string[] {
  const a = diffMermaid(d, newText);
  if (!a) return [];
  const nodes = (a.match(/^ {2}n_/gm) ?? []).length;
  if (nodes > max) return [`_Graph left out: ${nodes} nodes is more than GitHub renders well (${max})._`];
  return [
    '<details><summary>Graph of the new version (green: added · yellow: changed · dashed red: next to a removed node)</summary>',
    '',
    '```mermaid',
    a.trimEnd(),
    '```',
    '',
    '</details>',
  ];
}
