// WF104 (unknown template variable), WF123 (phone_number used as a variable), WF124 (declared but
// unused), WF125 (the leads CSV unusable).
import { isSeq, type YAMLSeq } from 'yaml';
import type { Diagnostic, Fix, TextEdit } from '../diagnostic';
import { appendSeqItems, deleteSeqItem, innerSpan, insertPairs, replaceSpan, type Source } from '../fixes';
import { scanTemplates, type TemplateRef } from '../templates';
import { agentIdsOf, knownVariables, RESERVED_VARIABLE } from '../variables';
import { LEADS_PROBLEM_TEXT, quotableColumns } from '../leads';
import { makeSuggester } from '../typo';
import type { RuleContext } from './context';
import { fix, report, src } from './report';
import { hasNearMissKey } from './skip';
import { knownType, TOP_FIELD_SET } from '../vocabulary';
import { topMap } from '../yaml-access';

function variablesSeq(ctx: RuleContext): YAMLSeq | undefined {
  const v = topMap(ctx.doc)?.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'variables')?.value;
  return isSeq(v) ? v : undefined;
}

/** An edit declaring `name` in `variables` (creating the list before leads/settings/entry/nodes when absent). */
export function declareVariable(ctx: RuleContext, s: Source, name: string): TextEdit | undefined {
  const top = topMap(ctx.doc);
  if (!top) return undefined;
  const hasKey = top.items.some((p) => (p.key as { value?: unknown } | null)?.value === 'variables');
  const seq = variablesSeq(ctx);
  if (seq) return appendSeqItems(s, seq, [name], [[name]]);
  if (hasKey) return undefined;
  return insertPairs(s, top, [{ key: 'variables', flow: `[${name}]` }], ['leads', 'settings', 'entry', 'nodes']);
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An unknown top-level field holding a list (`vars: [...]`, WF002 names it) may be the variables. */
function strayTopList(ctx: RuleContext): boolean {
  return !!topMap(ctx.doc)?.items.some((p) => {
    const k = (p.key as { value?: unknown } | null)?.value;
    return typeof k === 'string' && !TOP_FIELD_SET.has(k) && !k.startsWith('x-') && isSeq(p.value);
  });
}

/** Names a condition reads (`conditions[].field`, `condition_field`): a declared variable used there is used. */
function conditionFields(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const n of ctx.model.nodes) {
    if (knownType(n) !== 'CONDITIONAL' || !n.config) continue;
    const c = n.config.value;
    if (typeof c.condition_field === 'string') out.add(c.condition_field);
    if (Array.isArray(c.conditions))
      for (const x of c.conditions) {
        const f = (x as { field?: unknown } | null)?.field;
        if (typeof f === 'string') out.add(f.split(/[.[]/)[0]);
      }
  }
  return out;
}

/** A template under an `x-` key is an annotation, ignored like the key itself. */
function inAnnotation(t: TemplateRef): boolean {
  return t.path.some((p) => typeof p === 'string' && p.startsWith('x-'));
}

export function variableRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { options } = ctx;
  const model = { ...ctx.model, templates: ctx.model.templates.filter((t) => !inAnnotation(t)) };
  const s = src(ctx);
  const top = topMap(ctx.doc);
  const seq = variablesSeq(ctx);

  // WF123: the dial target listed, or used in a template.
  for (const v of model.variables) {
    if (v.value !== RESERVED_VARIABLE) continue;
    const index = seq ? seq.items.findIndex((it) => (it as { range?: number[] }).range?.[0] === v.span.start) : -1;
    out.push(
      report(
        ctx,
        'WF123',
        `"phone_number" cannot be a variable: it is the number each lead is dialled at, never a template value; remove it from "variables"`,
        innerSpan(ctx.text, v.span),
        {
          fixes: [
            fix(
              'Remove phone_number from variables',
              [seq && index >= 0 ? deleteSeqItem(s, seq, index) : undefined],
              true,
            ),
          ],
        },
      ),
    );
  }
  for (const t of model.templates) {
    if (t.name !== RESERVED_VARIABLE) continue;
    out.push(
      report(
        ctx,
        'WF123',
        '{{phone_number}} is not available to templates: phone_number is the dial target, never a variable',
        t.span,
        { data: { node: t.nodeKey } },
      ),
    );
  }

  // WF104: only when every source of names is known (a leads file that was not read could hold any column)
  // and the declaring keys are not misspelled (WF002 names that typo).
  const known = knownVariables(model, options);
  const meant = new Set<string>();
  if (known.complete && !hasNearMissKey(top, 'variables') && !hasNearMissKey(top, 'leads') && !strayTopList(ctx)) {
    const suggest = makeSuggester(known.names());
    for (const t of model.templates) {
      if (t.name === RESERVED_VARIABLE || known.has(t.name)) continue;
      const suggestion = suggest(t.name);
      if (suggestion !== undefined) meant.add(suggestion);
      const sources = [
        'not declared in "variables"',
        ...(model.leads ? ['not a column of the leads file'] : []),
        ...(options.online ? ['not a remote variable key or agent default'] : []),
      ];
      const fixes: (Fix | undefined)[] = [];
      if (suggestion !== undefined)
        fixes.push(fix(`Change to "${suggestion}"`, [replaceSpan(s, t.span, suggestion)], true));
      fixes.push(fix(`Declare "${t.name}" in variables`, [declareVariable(ctx, s, t.name)], suggestion === undefined));
      out.push(
        report(
          ctx,
          'WF104',
          `unknown variable "${t.name}"${suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : ''}: it is ${sources.join(', ')} and not a built-in, so a call would read it out literally`,
          t.span,
          {
            fixes,
            data: { node: t.nodeKey, variable: t.name, suggestion },
          },
        ),
      );
    }
  }

  // WF124: declared, used nowhere this tool can see.
  // A misspelled use (WF104 says "did you mean") counts as a use of the variable it was meant to be.
  const used = new Set([...model.templates.map((t) => t.name), ...meant]);
  for (const f of conditionFields(ctx)) used.add(f);
  const online = options.online;
  // Online with an agent the workspace does not have (WF201): its prompt, which may use any variable, is unknown.
  const promptsUnknown = !!online && agentIdsOf(model).some((id) => !online.agents.has(id));
  if (online)
    for (const id of agentIdsOf(model)) {
      const a = online.agents.get(id);
      for (const text of [a?.prompt, a?.welcomeMessage])
        if (text) for (const r of scanTemplates(text)) used.add(r.name);
    }
  const seen = new Set<string>();
  const hasCalls = model.nodes.some((n) => knownType(n) === 'VOICE_CALL');
  for (const v of model.variables) {
    // A name the platform cannot use is WF002's; "unused" would only repeat it.
    if (
      promptsUnknown ||
      v.value === RESERVED_VARIABLE ||
      !VARIABLE_NAME.test(v.value) ||
      used.has(v.value) ||
      seen.has(v.value)
    )
      continue;
    seen.add(v.value);
    const where = online
      ? 'no template in this file and no prompt of its agents uses it'
      : `no template in this file uses it${hasCalls ? ' (agent prompts are checked only online)' : ''}`;
    out.push(
      report(ctx, 'WF124', `variable "${v.value}" is declared but ${where}`, innerSpan(ctx.text, v.span), {
        data: { variable: v.value },
      }),
    );
  }

  // WF125: the caller read (or tried to read) the leads file; without that I/O nothing is known.
  const info = options.leads;
  if (model.leads && info) {
    const span = innerSpan(ctx.text, model.leads.span);
    const path = model.leads.value;
    if (info.problem !== undefined) {
      out.push(
        report(ctx, 'WF125', `leads file "${path}" cannot be used: ${LEADS_PROBLEM_TEXT[info.problem]}`, span, {
          data: { path },
        }),
      );
    } else if (info.columns && info.columns.length === 0) {
      out.push(
        report(
          ctx,
          'WF125',
          `leads file "${path}" has no header: its first line must name the columns, phone_number among them`,
          span,
          { data: { path } },
        ),
      );
    } else if (info.columns && !info.columns.includes(RESERVED_VARIABLE)) {
      const near = info.columns.find(
        (c) =>
          c
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_') === RESERVED_VARIABLE,
      );
      const hint = near !== undefined ? ` ("${near}" must be spelled exactly phone_number)` : '';
      const { shown, hidden } = quotableColumns(info.columns);
      const listed = [...shown.slice(0, 8), ...(shown.length > 8 ? ['…'] : [])];
      if (hidden) listed.push(`${hidden} not named as variables`);
      out.push(
        report(
          ctx,
          'WF125',
          `leads file "${path}" has no phone_number column${hint}; the platform refuses a lead file without it (columns: ${listed.join(', ')})`,
          span,
          { data: { path, columns: shown } },
        ),
      );
    }
  }
  return out;
}
