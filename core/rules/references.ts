// WF110 (a `to:` or `entry:` naming no node) and WF117 (no entry node can be determined).
import type { Diagnostic, Fix } from '../diagnostic';
import { innerSpan, insertPairs, replaceSpan } from '../fixes';
import { makeSuggester } from '../typo';
import { TERMINAL_TYPES } from '../vocabulary';
import type { RuleContext } from './context';
import { edgeValue, topMap } from '../yaml-access';
import { fix, report, src } from './report';
import { hasDuplicateNodeKeys, hasNearMissKey } from './skip';
import { quoteList } from '../strings';

function unknownNode(name: string, suggestion: string | undefined): string {
  return suggestion !== undefined
    ? `unknown node "${name}" (did you mean "${suggestion}"?)`
    : `unknown node "${name}": no node in "nodes" has this key`;
}

export function referenceRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { model, graph } = ctx;
  const s = src(ctx);
  for (const [e, suggestion] of graph.dangling) {
    const n = model.nodeByKey.get(e.from)!;
    // A number or boolean in `to:` is a type error (WF002), not a name to look up.
    if (typeof edgeValue(n, e, 'to') !== 'string') continue;
    const span = innerSpan(ctx.text, e.to!.span);
    out.push(
      report(ctx, 'WF110', unknownNode(e.to!.value, suggestion), span, {
        fixes:
          suggestion !== undefined ? [fix(`Change to "${suggestion}"`, [replaceSpan(s, span, suggestion)], true)] : [],
        data: { node: e.from, to: e.to!.value, suggestion },
      }),
    );
  }
  if (
    model.entry &&
    graph.entryProblem === 'unknown' &&
    typeof (ctx.data as { entry?: unknown } | undefined)?.entry !== 'number'
  ) {
    const suggestion = makeSuggester(graph.keys)(model.entry.value);
    const span = innerSpan(ctx.text, model.entry.span);
    out.push(
      report(ctx, 'WF110', unknownNode(model.entry.value, suggestion), span, {
        fixes:
          suggestion !== undefined ? [fix(`Change to "${suggestion}"`, [replaceSpan(s, span, suggestion)], true)] : [],
        data: { entry: model.entry.value, suggestion },
      }),
    );
  }
  // WF117: only when the graph as written can be trusted; an unreadable edge may be the missing link.
  if (
    (graph.entryProblem === 'none' || graph.entryProblem === 'several') &&
    graph.unresolved === 0 &&
    model.nodesKeySpan &&
    !hasNearMissKey(topMap(ctx.doc), 'entry') &&
    !hasDuplicateNodeKeys(ctx)
  ) {
    const top = topMap(ctx.doc);
    const candidates =
      graph.entryProblem === 'several'
        ? graph.entryCandidates
        : model.nodes
            .filter((n) => !TERMINAL_TYPES.has(n.type?.value ?? ''))
            .slice(0, 1)
            .map((n) => n.key);
    const fixes: (Fix | undefined)[] = candidates
      .slice(0, 5)
      .map((k, i) =>
        fix(
          `Set entry: ${k}`,
          [top ? insertPairs(s, top, [{ key: 'entry', flow: k }], ['nodes']) : undefined],
          i === 0 && graph.entryProblem === 'none',
        ),
      );
    const message =
      graph.entryProblem === 'several'
        ? `no entry node: ${graph.entryCandidates.length} nodes have no incoming edge (${quoteList(graph.entryCandidates)}); set "entry:" to the node leads start at`
        : 'no entry node: every non-terminal node has an incoming edge, so none is where leads start; set "entry:" to the node leads start at';
    out.push(report(ctx, 'WF117', message, model.nodesKeySpan, { fixes, data: { candidates: graph.entryCandidates } }));
  }
  return out;
}
