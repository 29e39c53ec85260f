// Shared by the rules tests: how a fixture's <name>.options.json becomes ValidateOptions, the way
// the CLI would build them (leads CSV read beside the workflow file).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseCsvHeader } from '../../core/leads';
import type { AgentInfo, LeadsProblem, ValidateOptions } from '../../core/options';

/** The codes rule families produce (the catalogue's): each needs a failing and a passing fixture. */
export { RULE_CODES } from '../../core/rules/catalogue';

export interface OptionsJson {
  workspaceLimit?: number;
  /** A CSV path relative to the fixture, a LeadsInfo as is, or null for "the caller did no I/O". */
  leads?: string | { path: string; columns?: string[]; problem?: LeadsProblem } | null;
  online?: {
    agents?: Record<string, Omit<AgentInfo, 'id'> & { id?: string }>;
    phoneNumbers?: Record<string, string>;
    remoteVariableKeys?: string[];
    drift?: { message: string };
  };
  severityOverrides?: ValidateOptions['severityOverrides'];
  only?: string[];
}

/** Reads a leads CSV the way the CLI does: relative to the workflow file; a missing file is an error. */
function readLeads(dir: string, rel: string): NonNullable<ValidateOptions['leads']> {
  const p = path.join(dir, rel);
  if (!existsSync(p)) return { path: rel, problem: 'not-found' };
  return { path: rel, columns: parseCsvHeader(readFileSync(p, 'utf8')) };
}

export function optionsFor(dir: string, text: string, json: OptionsJson | undefined): ValidateOptions {
  const o: ValidateOptions = {};
  if (json?.workspaceLimit !== undefined) o.workspaceLimit = json.workspaceLimit;
  if (json?.severityOverrides) o.severityOverrides = json.severityOverrides;
  if (json?.only) o.only = new Set(json.only);
  if (json && 'leads' in json) {
    if (typeof json.leads === 'string') o.leads = readLeads(dir, json.leads);
    else if (json.leads) o.leads = json.leads;
  } else {
    // As the CLI: a file naming a leads CSV gets it read beside it.
    let leads: unknown;
    try {
      leads = (parseDocument(text).toJS() as { leads?: unknown } | null)?.leads;
    } catch {
      leads = undefined;
    }
    if (typeof leads === 'string') o.leads = readLeads(dir, leads);
  }
  if (json?.online) {
    const agents = new Map<string, AgentInfo>();
    for (const [id, a] of Object.entries(json.online.agents ?? {}))
      agents.set(id, { ...a, id, defaultVariables: a.defaultVariables ?? [] });
    o.online = { agents, phoneNumbers: new Map(Object.entries(json.online.phoneNumbers ?? {})) };
    if (json.online.remoteVariableKeys) o.online.remoteVariableKeys = json.online.remoteVariableKeys;
    if (json.online.drift) o.online.drift = json.online.drift;
  }
  return o;
}

/**
 * A valid workflow of about `n` nodes: rounds of call → wait → call, each round's second call
 * converting or moving on, a retry loop through a TIME node in every round, terminals at the end.
 */
export function bigWorkflow(n: number): string {
  const rounds = Math.max(1, Math.floor((n - 2) / 3));
  const out: string[] = [
    'version: 1',
    `title: Big workflow (${n} nodes)`,
    'variables: [customer_name]',
    'entry: call_0',
    'nodes:',
  ];
  for (let r = 0; r < rounds; r++) {
    const next = r + 1 < rounds ? `call_${r + 1}` : 'dropped';
    out.push(
      `  call_${r}:`,
      '    type: VOICE_CALL',
      '    config:',
      '      agent_id: agt_abc123',
      '      from_phone_number: "+912234567890"',
      '    next:',
      '      - on: COMPLETED',
      '        to: converted',
      '      - on: DNP',
      `        to: wait_${r}`,
      `      - to: ${next}`,
      `  wait_${r}:`,
      '    type: TIME',
      '    config: { delay_hours: 24 }',
      '    next:',
      `      - to: retry_${r}`,
      `  retry_${r}:`,
      '    type: APPLICATION',
      '    config:',
      '      provider_key: resend',
      '      adapter_key: email',
      '      action_key: send_email',
      '      action_config: { subject: "Hello {{customer_name}}" }',
      '    next:',
      '      - on: success',
      `        to: ${next}`,
      '      - on: failure',
      `        to: call_${r}`,
    );
  }
  out.push('  converted: { type: CONVERTED }', '  dropped: { type: DROPPED }', '');
  return out.join('\n');
}
