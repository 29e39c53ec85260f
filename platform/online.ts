// Facts from the platform that the WF2xx rules need (core/options.ts OnlineData): agents, phone
// numbers, the remote workflow's variable keys, and drift since the last push.
import { listAgents, listPhoneNumbers, variableKeys } from './api';
import type { AgentInfo, OnlineData } from '../core/options';
import { ApiClient } from './client';
import { detectDrift } from './drift';
import { readRemote } from './remote-read';
import { readState, statePathFor } from './state';
import type { ResolvedTarget } from './targets';

interface RawAgent {
  id: string;
  current_version?: {
    title?: string;
    is_published?: boolean;
    prompts?: {
      prompt_text?: string;
      welcome_message?: string;
      default_dynamic_variables?: Record<string, unknown> | string[] | null;
    };
  } | null;
}
interface RawPhone {
  phone_number: string;
  status: string;
}

export function agentInfo(a: RawAgent): AgentInfo {
  const v = a.current_version ?? undefined;
  const dv = v?.prompts?.default_dynamic_variables;
  return {
    id: a.id,
    name: v?.title,
    published: v?.is_published === true,
    prompt: v?.prompts?.prompt_text ?? undefined,
    welcomeMessage: v?.prompts?.welcome_message ?? undefined,
    defaultVariables: Array.isArray(dv) ? dv.map(String) : dv && typeof dv === 'object' ? Object.keys(dv) : [],
  };
}

/**
 * Reads agents and phone numbers (and, given a workflow id, its variable keys). With `client`
 * given, uses it; otherwise builds one from the target (which must have its url and key).
 */
export async function gatherOnlineData(
  target: ResolvedTarget,
  workflowId?: string,
  client?: ApiClient,
): Promise<OnlineData> {
  const c = client ?? new ApiClient({ baseUrl: target.url!, key: target.key!, target: target.name });
  const [agents, phones, keys] = await Promise.all([
    listAgents<RawAgent>(c),
    listPhoneNumbers<RawPhone>(c),
    workflowId ? variableKeys(c, workflowId) : Promise.resolve(undefined),
  ]);
  const data: OnlineData = {
    agents: new Map(agents.map((a) => [a.id, agentInfo(a)])),
    phoneNumbers: new Map(phones.map((p) => [p.phone_number, p.status])),
  };
  if (keys) data.remoteVariableKeys = keys;
  return data;
}

/** Online data for one workflow file: its state gives the workflow id; drift is checked too. */
export async function gatherOnlineDataForFile(
  target: ResolvedTarget,
  workflowFile: string,
  client?: ApiClient,
): Promise<OnlineData> {
  const c = client ?? new ApiClient({ baseUrl: target.url!, key: target.key!, target: target.name });
  const state = readState(statePathFor(workflowFile)).targets.get(target.name);
  const workflowId = state?.workflowId;
  let remote;
  if (workflowId) remote = await readRemote(c, workflowId);
  const data = await gatherOnlineData(target, remote ? workflowId : undefined, c);
  const drift = state && detectDrift(state, remote);
  if (drift) data.drift = { message: drift.message };
  return data;
}
