// WF111 WF112 WF113 WF115 WF118: each node's `next` list read the way the platform routes:
// edges tried in order, the first whose label equals the outcome wins, an unlabelled edge matches all.
import type { Diagnostic, Fix } from '../diagnostic';
import { deletePair, deleteSeqItem, innerSpan, insertPairs, replaceSpan, yamlString } from '../fixes';
import { type EdgeDecl, type NodeDecl } from '../model';
import { TERMINAL_TYPES } from '../vocabulary';
import { closestLabel, outcomesOf } from '../outcomes';
import type { RuleContext } from './context';
import { edgeItem, edgeSpan, nextSeq } from '../yaml-access';
import { fix, lineOf, report, src } from './report';
import { labelUncertain } from './skip';
import { knownType } from '../vocabulary';
import { quoteList } from '../strings';
import { isMap } from 'yaml';
import { eachNode, NodeCheck } from './memo';

export interface DeadEdge {
  kind: 'duplicate' | 'shadowed';
  by: EdgeDecl;
}

/**
 * Edges of one node that can never fire: a duplicate (same target and label as an earlier edge,
 * which the platform refuses with 409) or one shadowed by an earlier unlabelled or same-label edge.
 */
const deadCache = new WeakMap<NodeDecl, Map<EdgeDecl, DeadEdge>>();
export function deadEdges(n: NodeDecl): Map<EdgeDecl, DeadEdge> {
  const cached = deadCache.get(n);
  if (cached) return cached;
  const dead = new Map<EdgeDecl, DeadEdge>();
  deadCache.set(n, dead);
  if (n.next.length < 2) return dead;
  let catchAll: EdgeDecl | undefined;
  const firstByLabel = new Map<string, EdgeDecl>();
  const firstByPair = new Map<string, EdgeDecl>();
  for (const e of n.next) {
    if (!e.to || labelUncertain(n, e)) continue; // `to` missing, or a label that cannot be read: WF002
    const label = e.on?.value;
    const pairKey = `${label === undefined ? '\u0000' : `=${label}`}\u0001${e.to.value}`;
    const twin = firstByPair.get(pairKey);
    if (twin) dead.set(e, { kind: 'duplicate', by: twin });
    else {
      firstByPair.set(pairKey, e);
      const by = catchAll ?? (label !== undefined ? firstByLabel.get(label) : undefined);
      if (by) dead.set(e, { kind: 'shadowed', by });
    }
    if (label === undefined) catchAll ??= e;
    else if (!firstByLabel.has(label)) firstByLabel.set(label, e);
  }
  return dead;
}

function describe(e: EdgeDecl): string {
  return e.on === undefined
    ? `the unlabelled edge to "${e.to?.value}"`
    : `the edge on "${e.on.value}" to "${e.to?.value}"`;
}

export function edgeRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const s = src(ctx);
  // Silence depends on the node and on which of its edges name no node (WF110 speaks for those).
  const dangling = ctx.graph.dangling;
  const deps = (n: NodeDecl): string | number => {
    if (dangling.size === 0) return 0;
    let d = '';
    for (const e of n.next) d += dangling.has(e) ? '1' : '0';
    return d;
  };
  eachNode(ctx.model.nodes, NodeCheck.Edges, out, deps, (n) => {
    const t = knownType(n);
    if (t && TERMINAL_TYPES.has(t)) {
      if (n.next.length > 0 && n.nextKeySpan) {
        out.push(
          report(
            ctx,
            'WF112',
            `${t} node "${n.key}" is terminal: a lead's journey ends here, so its ${n.next.length === 1 ? 'edge' : `${n.next.length} edges`} can never be taken; remove "next"`,
            n.nextKeySpan,
            {
              fixes: [fix(`Remove "next" from "${n.key}"`, [n.node ? deletePair(s, n.node, 'next') : undefined], true)],
              data: { node: n.key },
            },
          ),
        );
      }
      return;
    }
    const seq = nextSeq(n);
    const dead = deadEdges(n);
    const reported = new Set<EdgeDecl>();
    for (const [e, d] of dead) {
      if (ctx.graph.dangling.has(e)) continue; // WF110 is the edge's problem
      const removeFix = fix('Remove this edge', [seq ? deleteSeqItem(s, seq, e.index) : undefined], true);
      const related = [
        {
          message: d.kind === 'duplicate' ? 'the first of the two edges' : 'the earlier edge that takes its leads',
          span: edgeSpan(n, d.by),
        },
      ];
      if (d.kind === 'duplicate') {
        out.push(
          report(
            ctx,
            'WF111',
            `duplicate edge: "${n.key}" already has ${describe(d.by)} (line ${lineOf(ctx, d.by.span)}); the platform refuses a second edge with the same source, target and label`,
            edgeSpan(n, e),
            { related, fixes: [removeFix], data: { node: n.key, index: e.index, twin: d.by.index } },
          ),
        );
        reported.add(e);
        continue;
      }
      // An unlabelled edge out of a CONDITIONAL is WF113 already; labelling it is the fix, not removing what follows.
      if (t === 'CONDITIONAL' && d.by.on === undefined) continue;
      const why =
        d.by.on === undefined
          ? `${describe(d.by)} before it (line ${lineOf(ctx, d.by.span)}) matches every outcome; move this edge above it or remove it`
          : `an earlier edge of "${n.key}" already takes outcome "${d.by.on.value}" (line ${lineOf(ctx, d.by.span)}); remove this edge or change its label`;
      out.push(
        report(ctx, 'WF118', `this edge can never fire: ${why}`, edgeSpan(n, e), {
          related,
          fixes: [removeFix],
          data: { node: n.key, index: e.index, shadowedBy: d.by.index },
        }),
      );
      reported.add(e);
    }
    if (!t) return; // type unknown or missing (WF002): label rules depend on it
    const spec = outcomesOf(t, n.config?.value);
    if (t === 'CONDITIONAL') {
      const used = new Set(n.next.map((e) => e.on?.value).filter((x): x is string => x !== undefined));
      const free = (spec?.outcomes ?? []).filter((o) => !used.has(o));
      for (const e of n.next) {
        if (e.on !== undefined || labelUncertain(n, e) || ctx.graph.dangling.has(e)) continue;
        const item = edgeItem(n, e.index);
        const fixes: (Fix | undefined)[] = free
          .slice(0, 4)
          .map((o, i) =>
            fix(
              `Label this edge "${o}"`,
              [isMap(item) ? insertPairs(s, item, [{ key: 'on', flow: yamlString(o) }], ['to']) : undefined],
              i === 0,
            ),
          );
        const choices = spec ? ` with one of ${quoteList(spec.outcomes)}` : '';
        out.push(
          report(
            ctx,
            'WF113',
            `an edge out of CONDITIONAL node "${n.key}" needs a label: add "on:"${choices}, the outcome it routes`,
            edgeSpan(n, e),
            { fixes, data: { node: n.key, index: e.index } },
          ),
        );
        reported.add(e);
      }
    }
    if (!spec) return;
    for (const e of n.next) {
      if (!e.on || reported.has(e) || ctx.graph.dangling.has(e)) continue;
      const label = e.on.value;
      const span = innerSpan(ctx.text, e.on.span);
      if (spec.unlabelledOnly) {
        const item = edgeItem(n, e.index);
        out.push(
          report(
            ctx,
            'WF115',
            `a ${t} node emits no outcome label: its edge is taken when the wait ends, so an edge labelled "${label}" can never fire; remove "on:"`,
            span,
            {
              fixes: [fix('Remove the label', [isMap(item) ? deletePair(s, item, 'on') : undefined], true)],
              data: { node: n.key, index: e.index, label },
            },
          ),
        );
        continue;
      }
      if (spec.labels.includes(label)) continue;
      const suggestion = closestLabel(label, spec.labels);
      const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : '';
      out.push(
        report(
          ctx,
          'WF115',
          `"${label}" is not an outcome of ${t} node "${n.key}"${hint}, so this edge can never fire; its outcomes are ${quoteList(spec.labels, 8)}`,
          span,
          {
            fixes:
              suggestion !== undefined
                ? [
                    fix(
                      `Change the label to "${suggestion}"`,
                      [replaceSpan(s, span, span === e.on.span ? yamlString(suggestion) : suggestion)],
                      true,
                    ),
                  ]
                : [],
            data: { node: n.key, index: e.index, label, suggestion },
          },
        ),
      );
    }
  });
  return out;
}
