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
