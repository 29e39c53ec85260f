// What plan, push and activate share: read the state and the remote, detect drift, compute the plan.
import type { ApiClient } from './client';
import type { DesiredWorkflow } from './desired';
import { detectDrift, type Drift } from './drift';
import { computePlan, type Plan } from './plan';
import { findOrphanWorkflow, readRemote } from './remote-read';
import type { Snapshot } from './snapshot';
import { emptyTarget, readState, statePathFor, type StateFile, type TargetState } from './state';

export interface Prepared {
  stateFile: string;
  state: StateFile;
  target: TargetState;
  remote?: Snapshot;
  drift?: Drift;
  plan: Plan;
}

export async function preparePush(client: ApiClient, workflowFile: string, targetName: string, desired: DesiredWorkflow): Promise<Prepared> {
  const stateFile = statePathFor(workflowFile);
  const state = readState(stateFile);
  const target = state.targets.get(targetName) ?? emptyTarget();
  let workflowId = target.workflowId;
  const notes: string[] = [];
  if (!workflowId && target.pending.some((p) => p.op === 'create-workflow')) {
    // The last push was stopped while creating the workflow: it may exist without its id recorded.
    const orphan = await findOrphanWorkflow(client, desired.title, desired.description);
    if (orphan) { workflowId = orphan.id; notes.push(`adopting workflow ${orphan.id}, created by an unfinished push`); }
  }
  const remote = workflowId ? await readRemote(client, workflowId) : undefined;
  const drift = detectDrift(target, remote);
  const plan = computePlan(desired, remote, target);
  plan.notes.unshift(...notes);
  return { stateFile, state, target, remote, drift, plan };
}
