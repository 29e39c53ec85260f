// The workflow graph as Mermaid, Graphviz DOT and a self-contained SVG, for docs and pull requests.
// Output is deterministic (file order, no timestamps, integer coordinates) so it can be golden-tested
// and committed without churn.
import type { Graph } from './graph';
import { FONT, layoutGraph, layoutInputFromModel, type Layout } from './layout';
import { TERMINAL_TYPES, type WorkflowModel } from './model';

/** Colours per node type, shared by every drawing (SVG here, the editor's preview). */
export const NODE_STYLE: Record<string, { fill: string; stroke: string }> = {
  VOICE_CALL: { fill: '#e8f0fe', stroke: '#1a73e8' },
  TIME: { fill: '#fef7e0', stroke: '#e37400' },
  CONDITIONAL: { fill: '#f3e8fd', stroke: '#9334e6' },
  APPLICATION: { fill: '#e4f7fb', stroke: '#129eaf' },
  CONVERTED: { fill: '#e6f4ea', stroke: '#1e8e3e' },
  DROPPED: { fill: '#fce8e6', stroke: '#d93025' },
};
const UNKNOWN_STYLE = { fill: '#f1f3f4', stroke: '#5f6368' };
export function nodeStyle(type: string): { fill: string; stroke: string } {
  return NODE_STYLE[type] ?? UNKNOWN_STYLE;
}

interface Drawable {
  title: string;
  nodes: { key: string; label: string; type: string }[];
  edges: { from: string; to: string; label?: string }[];
  entry?: string;
}

function drawable(model: WorkflowModel, graph?: Graph): Drawable {
  // Edges to unknown nodes are left out here; the preview draws them to ghost nodes.
  const input = layoutInputFromModel(model, graph, { ghosts: false });
  return { title: model.title?.value ?? '', nodes: input.nodes, edges: input.edges, entry: input.entry };
}

// ---- Mermaid ----

/** Node keys may be Mermaid keywords (`end`, `graph`) or hold odd characters in a broken file. */
export function mermaidId(key: string): string {
  return 'n_' + [...key].map((c) => (/[A-Za-z0-9_]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`)).join('');
}

function mermaidText(s: string): string {
  return s
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\r?\n/g, ' ');
}

const MERMAID_SHAPE: Record<string, [string, string]> = {
  VOICE_CALL: ['["', '"]'],
  TIME: ['(["', '"])'],
  CONDITIONAL: ['{"', '"}'],
  APPLICATION: ['[["', '"]]'],
  CONVERTED: ['(("', '"))'],
  DROPPED: ['(("', '"))'],
};

export function toMermaid(model: WorkflowModel, graph?: Graph): string {
  const d = drawable(model, graph);
  const out: string[] = [];
  if (d.title) out.push('---', `title: ${JSON.stringify(d.title)}`, '---');
  out.push('flowchart TD');
  if (d.entry) out.push(`  start_(("start")):::start`);
  for (const n of d.nodes) {
    const [open, close] = MERMAID_SHAPE[n.type] ?? ['["', '"]'];
    out.push(`  ${mermaidId(n.key)}${open}${mermaidText(n.label)}<br/><small>${mermaidText(n.type)}</small>${close}`);
  }
  if (d.entry) out.push(`  start_ --> ${mermaidId(d.entry)}`);
  for (const e of d.edges) {
    out.push(
      `  ${mermaidId(e.from)} -->${e.label !== undefined ? `|"${mermaidText(e.label)}"|` : ''} ${mermaidId(e.to)}`,
    );
  }
  out.push('  classDef start fill:#202124,stroke:#202124,color:#ffffff');
  const types = [...new Set(d.nodes.map((n) => n.type))].filter((t) => NODE_STYLE[t]).sort();
  for (const t of types) {
    const s = NODE_STYLE[t];
    out.push(
      `  classDef ${t.toLowerCase()} fill:${s.fill},stroke:${s.stroke}${TERMINAL_TYPES.has(t) ? ',stroke-width:2px' : ''}`,
    );
    out.push(
      `  class ${d.nodes
        .filter((n) => n.type === t)
        .map((n) => mermaidId(n.key))
        .join(',')} ${t.toLowerCase()}`,
    );
  }
  return out.join('\n') + '\n';
}

// ---- Graphviz DOT ----

function dotString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n') + '"';
}

const DOT_SHAPE: Record<string, string> = {
  VOICE_CALL: 'box',
  TIME: 'box',
  CONDITIONAL: 'diamond',
  APPLICATION: 'component',
  CONVERTED: 'doubleoctagon',
  DROPPED: 'octagon',
};

export function toDot(model: WorkflowModel, graph?: Graph): string {
  const d = drawable(model, graph);
  const out = ['digraph workflow {'];
  if (d.title) out.push(`  label=${dotString(d.title)};`, '  labelloc=t;');
  out.push(
    '  rankdir=TB;',
    '  node [fontname="Helvetica", fontsize=11, style="rounded,filled"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  );
  if (d.entry) out.push('  "__start" [shape=point, width=0.15, label=""];');
  for (const n of d.nodes) {
    const s = nodeStyle(n.type);
    out.push(
      `  ${dotString(n.key)} [label=${dotString(`${n.label}\n${n.type}`)}, shape=${DOT_SHAPE[n.type] ?? 'box'}, fillcolor=${dotString(s.fill)}, color=${dotString(s.stroke)}${n.key === d.entry ? ', penwidth=2' : ''}];`,
    );
  }
  if (d.entry) out.push(`  "__start" -> ${dotString(d.entry)};`);
  for (const e of d.edges)
    out.push(
      `  ${dotString(e.from)} -> ${dotString(e.to)}${e.label !== undefined ? ` [label=${dotString(e.label)}]` : ''};`,
    );
  out.push('}');
  return out.join('\n') + '\n';
}

// ---- SVG ----

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function toSvg(model: WorkflowModel, graph?: Graph): Promise<string> {
  return renderSvg(await layoutGraph(layoutInputFromModel(model, graph, { ghosts: false })), model.title?.value);
}

/** Draws a computed layout: boxes with label and type, orthogonal arrows with their labels. */
export function renderSvg(layout: Layout, title?: string): string {
  const w = Math.max(layout.width, 40),
    h = Math.max(layout.height, 40);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img"${title ? ` aria-label="${xml(title)}"` : ''}>`,
  );
  if (title) out.push(`  <title>${xml(title)}</title>`);
  out.push(
    '  <defs>',
    '    <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker>',
    '  </defs>',
    '  <style>',
    `    text { font-family: ${FONT.family}; fill: #202124; }`,
    `    .label { font-size: ${FONT.labelSize}px; font-weight: 600; }`,
    `    .type { font-size: ${FONT.typeSize}px; fill: #5f6368; letter-spacing: 0.04em; }`,
    `    .edge { fill: none; stroke: #5f6368; stroke-width: 1.4; }`,
    `    .edge-label { font-size: ${FONT.edgeSize}px; fill: #3c4043; }`,
    '  </style>',
    `  <rect width="${w}" height="${h}" fill="#ffffff"/>`,
  );
  out.push('  <g class="edges">');
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
    out.push(
      `    <path class="edge" data-from="${xml(e.from)}" data-to="${xml(e.to)}" d="${d}" marker-end="url(#arrow)"/>`,
    );
    if (e.label !== undefined && e.labelBox) {
      const b = e.labelBox;
      out.push(
        `    <rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
      );
      out.push(
        `    <text class="edge-label" x="${b.x + b.width / 2}" y="${b.y + b.height - 4}" text-anchor="middle">${xml(e.label)}</text>`,
      );
    }
  }
  out.push('  </g>', '  <g class="nodes">');
  for (const n of layout.nodes) {
    const s = nodeStyle(n.type);
    const terminal = TERMINAL_TYPES.has(n.type);
    out.push(`    <g class="node" data-key="${xml(n.key)}" data-type="${xml(n.type)}">`);
    out.push(
      `      <rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="${terminal ? n.height / 2 : 6}" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${n.entry ? 3 : terminal ? 2 : 1.4}"/>`,
    );
    const cx = n.x + n.width / 2;
    out.push(`      <text class="label" x="${cx}" y="${n.y + 21}" text-anchor="middle">${xml(n.label)}</text>`);
    out.push(`      <text class="type" x="${cx}" y="${n.y + 37}" text-anchor="middle">${xml(n.type)}</text>`);
    // The entry is marked like a state machine's initial state: a dot with a short stem.
    if (n.entry)
      out.push(
        `      <circle class="entry" cx="${cx}" cy="${n.y - 13}" r="5" fill="#202124"/><line x1="${cx}" y1="${n.y - 8}" x2="${cx}" y2="${n.y}" stroke="#202124" stroke-width="1.4"/>`,
      );
    out.push('    </g>');
  }
  out.push('  </g>', '</svg>');
  return out.join('\n') + '\n';
}
