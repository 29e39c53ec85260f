// The legend under the toolbar. In changes mode: what each colour means (added, changed, renamed,
// moved edge, new edge), the counts since the base revision and what was removed (removed nodes and
// edges are not in the drawing). In any mode: a key for the red marks when the graph has ghost
// nodes or edge problems.
import type { GraphMessage } from '../messages';
import { html } from './dom';

interface Swatch {
  cls: string;
  text: string;
}

export function renderLegend(legend: HTMLElement, msg: GraphMessage | undefined, changesMode: boolean): void {
  const parts: HTMLElement[] = [];
  if (msg && changesMode) {
    const c = msg.changes;
    if (!c) parts.push(html('p', {}, msg.changesNote ?? 'No base revision to compare with.'));
    else {
      const statuses = Object.values(c.nodes);
      const count = (s: string) => statuses.filter((x) => x === s).length;
      const edgeStatuses = Object.values(c.edges);
      parts.push(
        swatches(
          [
            { cls: 'sw-node change-added', text: `added (${count('added')})` },
            { cls: 'sw-node change-changed', text: `changed (${count('changed')})` },
            { cls: 'sw-node change-renamed', text: `renamed (${count('renamed')})` },
            { cls: 'sw-edge change-added', text: `new edge (${edgeStatuses.filter((s) => s === 'added').length})` },
            {
              cls: 'sw-edge change-moved',
              text: `edge moved in order (${edgeStatuses.filter((s) => s === 'moved').length})`,
            },
          ],
          `Since ${c.base}:`,
        ),
      );
      if (c.removedNodes.length) parts.push(html('p', {}, `Removed nodes: ${c.removedNodes.join(', ')}`));
      if (c.removedEdges.length)
        parts.push(
          html(
            'p',
            {},
            `Removed edges: ${c.removedEdges.map((r) => `${r.from} —${r.edge.on ?? 'any'}→ ${r.edge.to}`).join(', ')}`,
          ),
        );
      if (!statuses.length && !c.removedNodes.length && !edgeStatuses.length && !c.removedEdges.length)
        parts.push(html('p', {}, `No changes since ${c.base}.`));
    }
  }
  if (msg) {
    const ghosts = msg.layout.nodes.filter((n) => n.ghost).length;
    const marked = msg.layout.edges.filter((e) => e.mark).length;
    const items: Swatch[] = [];
    if (ghosts) items.push({ cls: 'sw-node ghost', text: `unknown node (${ghosts})` });
    if (marked) items.push({ cls: 'sw-edge diag-error', text: `edge with a problem (${marked}); hover for details` });
    if (items.length) parts.push(swatches(items));
  }
  legend.hidden = parts.length === 0;
  legend.replaceChildren(...parts);
}

function swatches(items: Swatch[], lead?: string): HTMLElement {
  const p = html('p', { class: 'swatches' });
  if (lead) p.append(html('span', {}, lead));
  for (const i of items) {
    const s = html('span', { class: 'swatch' });
    s.append(html('span', { class: i.cls, 'aria-hidden': 'true' }), document.createTextNode(i.text));
    p.append(s);
  }
  return p;
}
