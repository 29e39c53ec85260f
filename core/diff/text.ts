// The diff as plain text, for a terminal, `git diff` (as an external diff driver) and the editor.
// Flagged changes first, then workflow fields, then one entry per node: a headline with the key and
// its small field changes, then routing in words.
import { edgeFromText, fieldName, flatConfig, outcomeText, showValue } from './values';
import { fieldSentence, routeSentence, silentEdgeSentences } from './words';
import type { NodeDiff, WorkflowDiff } from './types';

/** Field changes fit on the headline when there are few and they are short. */
const INLINE_FIELDS = 3;
const INLINE_WIDTH = 100;

export function summaryText(d: WorkflowDiff): string {
  if (d.equal) return 'no semantic changes';
  const s = d.summary;
  const parts = [
    s.renamed && `${s.renamed} renamed`,
    s.changed && `${s.changed} changed`,
    s.added && `${s.added} added`,
    s.removed && `${s.removed} removed`,
  ].filter(Boolean);
  const nodes = parts.length ? `nodes: ${parts.join(', ')}` : 'no node changes';
  const header = d.header.length ? ` · ${d.header.length} workflow field${d.header.length === 1 ? '' : 's'}` : '';
  return `${nodes}${header}${s.flagged ? ` · ${s.flagged} flagged` : ''}`;
}

export function nodeHeadline(n: NodeDiff): { text: string; inlined: boolean } {
  const t = n.type ? ` (${n.type})` : '';
  let head: string;
  if (n.status === 'added') head = `+ ${n.key}${t} added`;
  else if (n.status === 'removed') head = `- ${n.key}${t} removed`;
  else if (n.status === 'renamed') head = `~ ${n.from} → ${n.key} (renamed)`;
  else head = `~ ${n.key}`;
  if (n.label !== undefined && (n.status === 'added' || n.status === 'removed'))
    head += ` "${n.label.replace(/"/g, '\\"')}"`;
  const inline = n.fields.map(fieldSentence);
  const fits = inline.length > 0 && inline.length <= INLINE_FIELDS && inline.join(' · ').length <= INLINE_WIDTH;
  return { text: fits ? `${head} · ${inline.join(' · ')}` : head, inlined: fits };
}

/** The lines under a node's headline (without indentation). */
export function nodeDetails(n: NodeDiff, inlined: boolean): string[] {
  const out: string[] = [];
  if (!inlined) for (const f of n.fields) out.push(fieldSentence(f));
  if (n.status === 'added' || n.status === 'removed') {
    const cfg = flatConfig(n.config ?? {});
    const verb = n.status === 'added' ? '' : 'lost ';
    for (const [p, v] of cfg) out.push(`${verb}${fieldName(p)}: ${showValue(v)}`);
    const routes = n.routes.map((r) =>
      n.status === 'added' ? `${outcomeText(r.on)} → ${r.new}` : `${verb}route: ${outcomeText(r.on)} → ${r.old}`,
    );
    out.push(...routes);
    if (n.status === 'removed')
      for (const e of n.incoming ?? []) out.push(`was reached from ${edgeFromText(e.from, e.on)}`);
    if (n.status === 'removed' && !(n.incoming ?? []).length) out.push('nothing routed to it');
    return out;
  }
  out.push(...n.routes.map(routeSentence));
  if (n.reordered && !n.reordered.changesRouting) out.push('edges reordered (routing unchanged)');
  out.push(...silentEdgeSentences(n));
  return out;
}

export function renderDiffText(diff: WorkflowDiff): string {
  return renderDiffTextLinked(diff).text;
}

/**
 * The text rendering with, for each line that concerns a place in the new file, that place:
 * `links[i] = { textLine, line }` (0-based line of the text, 1-based line of the new file), so an
 * editor can make every entry a link to its line.
 */
export function renderDiffTextLinked(diff: WorkflowDiff): {
  text: string;
  links: { textLine: number; line: number }[];
} {
  if (diff.equal) return { text: 'no semantic changes\n', links: [] };
  const lines: string[] = [summaryText(diff)];
  const links: { textLine: number; line: number }[] = [];
  const push = (s: string, line?: number) => {
    if (line !== undefined) links.push({ textLine: lines.length, line });
    lines.push(s);
  };
  if (diff.flags.length) {
    lines.push('', 'flagged (check before activating):');
    for (const f of diff.flags) push(`  ! ${f.message}${f.line !== undefined ? ` (line ${f.line})` : ''}`, f.line);
  }
  if (diff.header.length) {
    lines.push('', 'workflow:');
    for (const f of diff.header) push(`  ~ ${fieldSentence(f)}`);
  }
  if (diff.nodes.length) {
    lines.push('', 'nodes:');
    for (const n of diff.nodes) {
      const h = nodeHeadline(n);
      // A removed node's line is in the old file: nothing to link to in the new one.
      const line = n.status === 'removed' ? undefined : n.line;
      push(`  ${h.text}`, line);
      for (const d of nodeDetails(n, h.inlined)) push(`      ${d}`, line);
    }
  }
  return { text: lines.join('\n') + '\n', links };
}
