// WF201–WF204: checks against the live workspace, only when the caller fetched online data.
import type { Diagnostic, Fix } from '../diagnostic';
import { innerSpan, replaceSpan } from '../fixes';
import { makeSuggester } from '../typo';
import { scanTemplates } from '../templates';
import { knownVariables, RESERVED_VARIABLE } from '../variables';
import type { RuleContext } from './context';
import { E164 } from './preactivation';
import { configMap, valueSpanOf } from '../yaml-access';
import { fix, report, src } from './report';
import { knownType } from '../vocabulary';
import { declareVariable } from './variables';

export function onlineRules(ctx: RuleContext): Diagnostic[] {
  const online = ctx.options.online;
  if (!online) return [];
  const out: Diagnostic[] = [];
  const s = src(ctx);
  const suggestAgent = makeSuggester([...online.agents.keys()]);
  for (const n of ctx.model.nodes) {
    if (knownType(n) !== 'VOICE_CALL') continue;
    const cfg = configMap(ctx.doc, n);
    if (!cfg) continue;
    const spanOf = (k: string) => {
      const vs = valueSpanOf(cfg.items.find((p) => (p.key as { value?: unknown } | null)?.value === k) as never);
      return vs ? { outer: vs, inner: innerSpan(ctx.text, vs) } : undefined;
    };
    const agentId = n.config?.value.agent_id;
    const at = spanOf('agent_id');
    if (typeof agentId === 'string' && agentId.trim() && at) {
      const agent = online.agents.get(agentId);
      if (!agent) {
        const sug = suggestAgent(agentId);
        out.push(
          report(
            ctx,
            'WF201',
            `agent "${agentId}" does not exist in the workspace${sug ? ` (did you mean "${sug}"?)` : ''}`,
            at.inner,
            {
              fixes: sug ? [fix(`Change to "${sug}"`, [replaceSpan(s, at.inner, sug)], true)] : [],
              data: { node: n.key, agentId },
            },
          ),
        );
      } else {
        const name = agent.name ? ` ("${agent.name}")` : '';
        if (!agent.published)
          out.push(
            report(
              ctx,
              'WF201',
              `agent "${agentId}"${name} has no published version: publish it before activating`,
              at.inner,
              { data: { node: n.key, agentId } },
            ),
          );
        // WF203: what the agent says must resolve for every lead of this workflow.
        const known = knownVariables(ctx.model, ctx.options, [agent]);
        if (known.complete) {
          const where = new Map<string, string[]>();
          for (const [label, text] of [
            ['prompt', agent.prompt],
            ['welcome message', agent.welcomeMessage],
          ] as const) {
            if (!text) continue;
            for (const r of scanTemplates(text)) {
              if (known.has(r.name)) continue;
              const w = where.get(r.name) ?? [];
              if (!w.includes(label)) w.push(label);
              where.set(r.name, w);
            }
          }
          for (const [v, w] of where) {
            const fixes: (Fix | undefined)[] =
              v === RESERVED_VARIABLE ? [] : [fix(`Declare "${v}" in variables`, [declareVariable(ctx, s, v)], true)];
            const advice =
              v === RESERVED_VARIABLE
                ? 'phone_number is the dial target, never a variable; remove it from the agent'
                : 'declare it in "variables" (a leads column), or give the agent a default for it';
            out.push(
              report(
                ctx,
                'WF203',
                `agent "${agentId}"${name} uses {{${v}}} in its ${w.join(' and ')}, but "${v}" is not a known variable of this workflow: ${advice}`,
                at.inner,
                {
                  fixes,
                  data: { node: n.key, agentId, variable: v },
                },
              ),
            );
          }
        }
      }
    }
    const phone = n.config?.value.from_phone_number;
    const pt = spanOf('from_phone_number');
    if (typeof phone === 'string' && E164.test(phone) && pt) {
      const status = online.phoneNumbers.get(phone);
      if (status === undefined)
        out.push(
          report(ctx, 'WF202', `from_phone_number "${phone}" is not a phone number of this workspace`, pt.inner, {
            data: { node: n.key, phone },
          }),
        );
      else if (status !== 'active')
        out.push(
          report(
            ctx,
            'WF202',
            `from_phone_number "${phone}" is ${status} in this workspace, not active: calls cannot be placed from it`,
            pt.inner,
            { data: { node: n.key, phone, status } },
          ),
        );
    }
  }
  if (online.drift) {
    const title = ctx.model.title?.span ?? ctx.model.topKeys.get('title')?.keySpan;
    const span = title ? innerSpan(ctx.text, title) : { start: 0, end: ctx.lines.lineEnd(0) };
    out.push(
      report(
        ctx,
        'WF204',
        `the remote workflow has changed since the last push from this file (${online.drift.message}); run "callflow plan" to see the differences before pushing`,
        span,
        { data: { drift: online.drift.message } },
      ),
    );
  }
  return out;
}
