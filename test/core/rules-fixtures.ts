// Shared by the rules tests: how a fixture's <name>.options.json becomes ValidateOptions, the way
// the CLI would build them (leads CSV read beside the workflow file).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseCsvHeader } from '../../core/leads';
import type { AgentInfo, ValidateOptions } from '../../core/options';

/** The codes rules.md defines beyond syntax and schema; each needs a failing and a passing fixture. */
export const RULE_CODES = [
  'WF101', 'WF102', 'WF103', 'WF104', 'WF105',
  'WF110', 'WF111', 'WF112', 'WF113', 'WF114', 'WF115', 'WF116', 'WF117', 'WF118', 'WF119', 'WF120',
  'WF121', 'WF122', 'WF123', 'WF124', 'WF125',
  'WF201', 'WF202', 'WF203', 'WF204',
];

export interface OptionsJson {
  workspaceLimit?: number;
  /** A CSV path relative to the fixture, a LeadsInfo as is, or null for "the caller did no I/O". */
  leads?: string | { path: string; columns?: string[]; error?: string } | null;
  online?: { agents?: Record<string, Omit<AgentInfo, 'id'> & { id?: string }>; phoneNumbers?: Record<string, string>; remoteVariableKeys?: string[]; drift?: { message: string } };
  severityOverrides?: ValidateOptions['severityOverrides'];
  only?: string[];
}

/** Reads a leads CSV the way the CLI does: relative to the workflow file; a missing file is an error. */
function readLeads(dir: string, rel: string): NonNullable<ValidateOptions['leads']> {
  const p = path.join(dir, rel);
  if (!existsSync(p)) return { path: rel, error: 'file not found' };
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
    try { leads = (parseDocument(text).toJS() as { leads?: unknown } | null)?.leads; } catch { leads = undefined; }
    if (typeof leads === 'string') o.leads = readLeads(dir, leads);
  }
  if (json?.online) {
    const agents = new Map<string, AgentInfo>();
    for (const [id, a] of Object.entries(json.online.agents ?? {})) agents.set(id, { ...a, id, defaultVariables: a.defaultVariables ?? [] });
    o.online = { agents, phoneNumbers: new Map(Object.entries(json.online.phoneNumbers ?? {})) };
    if (json.online.remoteVariableKeys) o.online.remoteVariableKeys = json.online.remoteVariableKeys;
    if (json.online.drift) o.online.drift = json.online.drift;
  }
  return o;
}

