// WF101 WF102 WF103 WF105: what the platform's activate checks offline (edges, agent, number, limit).
import { isMap, type YAMLMap } from 'yaml';
import type { Diagnostic, Fix, Span } from '../diagnostic';
import { addNode, appendEdges, innerSpan, insertPairs, replaceSpan, yamlString, type NewEdge } from '../fixes';
import { type NodeDecl } from '../model';
import { TERMINAL_TYPES } from '../vocabulary';
import { outcomesOf } from '../outcomes';
import type { RuleContext } from './context';
import { configMap, keySpanOf, nodePair, topMap, valueSpanOf } from '../yaml-access';
import { fix, report, src } from './report';
import { hasNearMissKey, duplicatedNodeKeys, configMisplaced } from './skip';
import { knownType } from '../vocabulary';
import { duplicateDeps, eachNode, NodeCheck } from './memo';

export const E164 = /^\+[0-9]{8,15}$/;

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The edges that give a node a route to `to`: one unlabelled edge, or one per outcome for a CONDITIONAL. */
function routeEdges(n: NodeDecl, to: string): NewEdge[] | undefined {
  const t = knownType(n);
  if (t !== 'CONDITIONAL') return [{ to }];
  const spec = outcomesOf(t, n.config?.value);
  return spec ? spec.outcomes.map((on) => ({ on, to })) : undefined;
}

function freshKey(ctx: RuleContext, base: string): string {
  if (!ctx.model.nodeByKey.has(base)) return base;
  for (let i = 2; ; i++) if (!ctx.model.nodeByKey.has(`${base}_${i}`)) return `${base}_${i}`;
}

function wf101(ctx: RuleContext, out: Diagnostic[]): void {
  const dups = duplicatedNodeKeys(ctx);
  // What the fixes offer is looked up only when a node has no edge (rare; each pass would scan every node).
  let routes: { terminals: NodeDecl[]; nodesVal: YAMLMap | undefined } | undefined;
  const fixTargets = () =>
    (routes ??= {
      terminals: ctx.model.nodes
        .filter((n) => TERMINAL_TYPES.has(knownType(n) ?? ''))
        .sort((a, b) => (a.type!.value === 'DROPPED' ? 0 : 1) - (b.type!.value === 'DROPPED' ? 0 : 1)),
      nodesVal: nodePairTop(ctx, 'nodes'),
    });
  eachNode(ctx.model.nodes, NodeCheck.Wf101, out, duplicateDeps(dups), (n) => {
    const t = knownType(n);
    if (dups.has(n.key)) return;
    if (
      !t ||
      TERMINAL_TYPES.has(t) ||
      n.next.length > 0 ||
      ctx.graph.opaqueNext.has(n.key) ||
      hasNearMissKey(n.node, 'next')
    )
      return;
    const fixes: (Fix | undefined)[] = [];
    const { terminals, nodesVal } = fixTargets();
    for (const term of terminals.slice(0, 3)) {
      const edges = routeEdges(n, term.key);
      if (edges)
        fixes.push(
          fix(
            `Route "${n.key}" to ${term.type!.value} node "${term.key}"`,
            [appendEdges(src(ctx), n.node, edges)],
            fixes.length === 0,
          ),
        );
    }
    if (!terminals.some((x) => x.type!.value === 'DROPPED') && nodesVal) {
      const key = freshKey(ctx, 'dropped');
      const edges = routeEdges(n, key);
      if (edges)
        fixes.push(
          fix(
            `Add a DROPPED node "${key}" and route "${n.key}" to it`,
            [appendEdges(src(ctx), n.node, edges), addNode(src(ctx), nodesVal, key, '{ type: DROPPED }')],
            fixes.length === 0,
          ),
        );
    }
    out.push(
      report(
        ctx,
        'WF101',
        `${t} node "${n.key}" has no outgoing edge: leads that reach it would stop here; add a "next" edge (a terminal CONVERTED or DROPPED node ends a lead's journey)`,
        n.keySpan,
        { fixes, data: { node: n.key } },
      ),
    );
  });
}

function nodePairTop(ctx: RuleContext, key: string): YAMLMap | undefined {
  const v = topMap(ctx.doc)?.items.find((p) => (p.key as { value?: unknown } | null)?.value === key)?.value;
  return isMap(v) ? v : undefined;
}

interface FieldRule {
  code: 'WF102' | 'WF103';
  field: 'agent_id' | 'from_phone_number';
  what: string;
  valid: (v: string) => boolean;
}
const FIELD_RULES: FieldRule[] = [
  { code: 'WF102', field: 'agent_id', what: 'agent', valid: (v) => v.trim() !== '' },
  { code: 'WF103', field: 'from_phone_number', what: 'outbound phone number', valid: (v) => E164.test(v) },
];

/** Values of a field used by other VOICE_CALL nodes in the file, most used first, with one node using each. */
function knownValues(ctx: RuleContext, r: FieldRule, except: string): { value: string; node: string }[] {
  const count = new Map<string, { n: number; node: string }>();
  for (const n of ctx.model.nodes) {
    if (n.key === except || knownType(n) !== 'VOICE_CALL') continue;
    const v = n.config?.value[r.field];
    if (typeof v !== 'string' || !r.valid(v)) continue;
    const c = count.get(v);
    if (c) c.n++;
    else count.set(v, { n: 1, node: n.key });
  }
  return [...count.entries()].sort((a, b) => b[1].n - a[1].n).map(([value, c]) => ({ value, node: c.node }));
}

function wf102103(ctx: RuleContext, out: Diagnostic[]): void {
  const dups = duplicatedNodeKeys(ctx);
  eachNode(ctx.model.nodes, NodeCheck.Wf102103, out, duplicateDeps(dups), (n) => {
    if (dups.has(n.key)) return;
    if (knownType(n) !== 'VOICE_CALL') return;
    const cfgPair = nodePair(n, 'config');
    const cfg = configMap(ctx.doc, n);
    if (cfgPair && !cfg) return; // config is not a mapping: WF002
    if (!cfgPair && configMisplaced(n)) return;
    for (const r of FIELD_RULES) {
      const v = cfg ? n.config?.value[r.field] : undefined;
      if (!blank(v)) continue; // present; a non-string is WF002, a malformed number WF121
      if (hasNearMissKey(cfg, r.field)) continue;
      const fieldPair = cfg?.items.find((p) => (p.key as { value?: unknown } | null)?.value === r.field);
      const valueSpan = valueSpanOf(fieldPair as never);
      let span: Span;
      let message: string;
      if (fieldPair) {
        span = valueSpan ? innerSpan(ctx.text, valueSpan) : keySpanOf(fieldPair as never)!;
        message = `VOICE_CALL node "${n.key}" has an empty ${r.field}: set it to the ${r.what} that places its calls`;
      } else {
        span = cfgPair ? keySpanOf(cfgPair)! : n.keySpan;
        message = `VOICE_CALL node "${n.key}" has no ${r.what}: set config.${r.field}${r.code === 'WF103' ? ' (E.164, e.g. "+912234567890")' : ''}`;
      }
      const fixes: (Fix | undefined)[] = [];
      const known = knownValues(ctx, r, n.key).slice(0, 3);
      const choices = [
        ...known.map((k) => ({
          value: k.value,
          title: `Use ${r.field} ${JSON.stringify(k.value)} (as in "${k.node}")`,
        })),
        ...(fieldPair ? [] : [{ value: '', title: `Add an empty ${r.field} to fill in` }]),
      ];
      for (const c of choices) {
        let edit;
        if (fieldPair) edit = valueSpan ? replaceSpan(src(ctx), valueSpan, yamlString(c.value)) : undefined;
        else if (cfg)
          edit = insertPairs(
            src(ctx),
            cfg,
            [{ key: r.field, flow: yamlString(c.value) }],
            r.field === 'agent_id' ? ['from_phone_number'] : [],
          );
        else {
          // No config at all: create it with every missing field, so applying one fix never needs a second config.
          const fields = FIELD_RULES.map(
            (f) => [f.field, f === r ? c.value : (knownValues(ctx, f, n.key)[0]?.value ?? '')] as const,
          );
          edit = n.node
            ? insertPairs(
                src(ctx),
                n.node,
                [
                  {
                    key: 'config',
                    flow: `{ ${fields.map(([k, v]) => `${k}: ${yamlString(v)}`).join(', ')} }`,
                    block: fields.map(([k, v]) => `${k}: ${yamlString(v)}`),
                  },
                ],
                ['next'],
              )
            : undefined;
        }
        fixes.push(fix(c.title, [edit], fixes.length === 0 && c.value !== ''));
      }
      out.push(report(ctx, r.code, message, span, { fixes, data: { node: n.key, field: r.field } }));
    }
  });
}

function wf105(ctx: RuleContext, out: Diagnostic[]): void {
  const limit = ctx.options.workspaceLimit;
  const m = ctx.model.maxConcurrentCalls;
  if (limit === undefined || !m || !(m.value > limit)) return;
  out.push(
    report(
      ctx,
      'WF105',
      `max_concurrent_calls is ${m.value} but the workspace allows at most ${limit} simultaneous calls; lower it to ${limit} or less`,
      m.span,
      {
        fixes: [fix(`Set max_concurrent_calls to ${limit}`, [replaceSpan(src(ctx), m.span, String(limit))], true)],
        data: { limit, value: m.value },
      },
    ),
  );
}

export function preactivationRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  wf101(ctx, out);
  wf102103(ctx, out);
  wf105(ctx, out);
  return out;
}
