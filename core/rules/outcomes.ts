// WF114: an outcome the node can emit has no edge that takes it (no edge with its label and no
// unlabelled edge), so leads with that outcome would stop at the node.
import type { Diagnostic, Fix } from '../diagnostic';
import { appendEdges } from '../fixes';
import { closestLabel, outcomesOf } from '../outcomes';
import type { RuleContext } from './context';
import { fix, report, src } from './report';
import { knownType } from '../vocabulary';
import { labelUncertain, duplicatedNodeKeys } from './skip';
import { quoteList } from '../strings';
import { duplicateDeps, eachNode, NodeCheck } from './memo';

export function outcomeRules(ctx: RuleContext): Diagnostic[] {
  const dups = duplicatedNodeKeys(ctx);
  const out: Diagnostic[] = [];
  const s = src(ctx);
  // The first DROPPED node, for the fixes: looked up only when a node reports (each pass would scan every node).
  let droppedKey: { key: string | undefined } | undefined;
  const droppedNode = () => (droppedKey ??= { key: ctx.model.nodes.find((n) => knownType(n) === 'DROPPED')?.key }).key;
  eachNode(ctx.model.nodes, NodeCheck.Wf114, out, duplicateDeps(dups), (n) => {
    const t = knownType(n);
    if (dups.has(n.key)) return;
    if (t !== 'VOICE_CALL' && t !== 'APPLICATION' && t !== 'CONDITIONAL') return;
    // No edges at all is WF101; an unreadable `next` is WF002.
    if (n.next.length === 0 || !n.nextKeySpan || ctx.graph.opaqueNext.has(n.key)) return;
    const spec = outcomesOf(t, n.config?.value);
    if (!spec) return;
    if (n.next.some((e) => labelUncertain(n, e))) return; // a label WF002 says cannot be read might be the missing one
    if (n.next.some((e) => e.on === undefined)) return; // an unlabelled edge takes every outcome
    const covered = new Set<string>();
    for (const e of n.next) {
      const label = e.on!.value;
      covered.add(label);
      // A misspelled label (WF115 says "did you mean") was meant for the outcome it resembles.
      if (!spec.labels.includes(label)) {
        const m = closestLabel(label, spec.labels);
        if (m !== undefined) covered.add(m);
      }
    }
    const missing = spec.outcomes.filter((o) => !covered.has(o));
    if (missing.length === 0) return;
    const severity = t === 'CONDITIONAL' ? 'error' : 'warning';
    const what = missing.length === 1 ? `outcome "${missing[0]}"` : `outcomes ${quoteList(missing, 10)}`;
    const advice =
      t === 'CONDITIONAL'
        ? `add an edge with "on:" for ${missing.length === 1 ? 'it' : 'each'}`
        : `add an edge with "on:" for ${missing.length === 1 ? 'it' : 'each'}, or an unlabelled edge last as a catch-all`;
    const targets: string[] = [];
    const dropped = droppedNode();
    if (dropped && dropped !== n.key) targets.push(dropped);
    const last = [...n.next].reverse().find((e) => e.to && ctx.model.nodeByKey.has(e.to.value))?.to?.value;
    if (last && !targets.includes(last)) targets.push(last);
    const fixes: (Fix | undefined)[] = targets.map((to, i) =>
      fix(
        `Route ${what} to "${to}"`,
        [
          appendEdges(
            s,
            n.node,
            missing.map((on) => ({ on, to })),
          ),
        ],
        i === 0,
      ),
    );
    out.push(
      report(
        ctx,
        'WF114',
        `${t} node "${n.key}" has no route for ${what}: leads with ${missing.length === 1 ? 'that outcome' : 'those outcomes'} would stop here; ${advice}`,
        n.nextKeySpan,
        {
          severity,
          fixes,
          data: { node: n.key, missing },
        },
      ),
    );
  });
  return out;
}
