// Which `{{variables}}` a workflow's templates may use, and where each comes from. Used by the rules
// (WF104, WF203, WF124) and by the language server's completion and hover.
import type { Span } from './diagnostic';
import type { WorkflowModel } from './model';
import { BUILTIN_VARIABLES, type AgentInfo, type ValidateOptions } from './options';

export type VariableOrigin = 'declared' | 'leads' | 'remote' | 'builtin' | 'agent-default';

export interface KnownVariable {
  name: string;
  origin: VariableOrigin;
  /** Where it is declared in this file (origin `declared`). */
  span?: Span;
  /** The agent whose default it is (origin `agent-default`). */
  agentId?: string;
  /** The leads file it is a column of (origin `leads`). */
  leadsPath?: string;
}

export const RESERVED_VARIABLE = 'phone_number';

export const ORIGIN_DESCRIPTIONS: Readonly<Record<VariableOrigin, string>> = {
  declared: 'declared in `variables`',
  leads: 'a column of the leads file',
  remote: "a variable key of the remote workflow's uploaded leads",
  builtin: 'built in: set by the platform on every call',
  'agent-default': 'a default dynamic variable of the agent',
};

export interface KnownVariables {
  /** Every origin of each name, in the order above (declared first). */
  byName: Map<string, KnownVariable[]>;
  /**
   * False when the file names a leads CSV whose columns the caller did not (or could not) read:
   * any name might be one of its columns, so no template can be called unknown.
   */
  complete: boolean;
  has(name: string): boolean;
  names(): string[];
}

/** The agent ids of every VOICE_CALL node in the file (string values only). */
export function agentIdsOf(model: WorkflowModel): string[] {
  const out: string[] = [];
  for (const n of model.nodes) {
    if (n.type?.value !== 'VOICE_CALL') continue;
    const id = n.config?.value.agent_id;
    if (typeof id === 'string' && id.trim() && !out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * Known variables for templates of this workflow. `agents` limits the agent defaults counted:
 * by default every agent the file's VOICE_CALL nodes use (when online data describes it).
 */
export function knownVariables(model: WorkflowModel, options: ValidateOptions, agents?: AgentInfo[]): KnownVariables {
  const byName = new Map<string, KnownVariable[]>();
  const add = (v: KnownVariable) => {
    if (v.name === RESERVED_VARIABLE) return;
    const list = byName.get(v.name);
    if (list) list.push(v);
    else byName.set(v.name, [v]);
  };
  for (const v of model.variables) add({ name: v.value, origin: 'declared', span: v.span });
  let complete = true;
  if (model.leads) {
    const cols = options.leads?.columns;
    if (cols && !options.leads?.problem)
      for (const c of cols) add({ name: c, origin: 'leads', leadsPath: model.leads.value });
    else complete = false;
  }
  const online = options.online;
  if (online?.remoteVariableKeys) for (const k of online.remoteVariableKeys) add({ name: k, origin: 'remote' });
  for (const b of BUILTIN_VARIABLES) add({ name: b, origin: 'builtin' });
  const agentList =
    agents ??
    (online
      ? agentIdsOf(model)
          .map((id) => online.agents.get(id))
          .filter((a): a is AgentInfo => !!a)
      : []);
  for (const a of agentList)
    for (const d of a.defaultVariables ?? []) add({ name: d, origin: 'agent-default', agentId: a.id });
  return { byName, complete, has: (n) => byName.has(n), names: () => [...byName.keys()] };
}

/** One line saying where a variable comes from, for hover. */
export function describeVariable(list: KnownVariable[]): string {
  return list
    .map((v) =>
      v.origin === 'agent-default'
        ? `${ORIGIN_DESCRIPTIONS[v.origin]} ${v.agentId}`
        : v.origin === 'leads'
          ? `${ORIGIN_DESCRIPTIONS[v.origin]} ${v.leadsPath}`
          : ORIGIN_DESCRIPTIONS[v.origin],
    )
    .join('; ');
}
