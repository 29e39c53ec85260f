// What plan, push and activate share, in the CLI and the editor alike: read the state and the remote,
// detect drift, compute the plan; then apply it (or, for an empty plan, refresh the state).
import { applyPlan, knownWorkflowIds, type ApplyResult } from './apply';
import type { LateLookOptions } from './apply-late';
import type { ApiClient } from './client';
import { autoPositionKeys, type DesiredWorkflow } from './desired-workflow';
import { detectDrift, type Drift } from './drift';
import { computePlan, isEmptyPlan, type Plan } from './plan';
import { findOrphanWorkflow, readRemote } from './remote-read';
import type { Snapshot } from './snapshot';
import {
  deriveTarget,
  emptyTarget,
  readState,
  saveState,
  statePathFor,
  type StateFile,
  type TargetState,
} from './state';

export interface Prepared {
  stateFile: string;
  state: StateFile;
  target: TargetState;
  remote?: Snapshot;
  drift?: Drift;
  plan: Plan;
}

export async function preparePush(
  client: ApiClient,
  workflowFile: string,
  targetName: string,
  desired: DesiredWorkflow,
): Promise<Prepared> {
  const stateFile = statePathFor(workflowFile);
  const state = readState(stateFile);
  const target = state.targets.get(targetName) ?? emptyTarget();
  let workflowId = target.workflowId;
  const notes: string[] = [];
  const lost = target.pending.find((p) => p.op === 'create-workflow');
  if (!workflowId && lost && lost.op === 'create-workflow' && lost.at && Number.isFinite(Date.parse(lost.at))) {
    // The last push was stopped while creating the workflow: it may exist without its id recorded.
    const orphan = await findOrphanWorkflow(client, desired.title, desired.description, {
      since: Date.parse(lost.at),
      exclude: knownWorkflowIds(state),
    });
    if (orphan) {
      workflowId = orphan.id;
      notes.push(`adopting workflow ${orphan.id}: created by the unfinished push, still empty`);
    }
  }
  const remote = workflowId ? await readRemote(client, workflowId) : undefined;
  const drift = detectDrift(target, remote);
  const plan = computePlan(desired, remote, target);
  plan.notes.unshift(...notes);
  return { stateFile, state, target, remote, drift, plan };
}

export interface Applied {
  applied?: ApplyResult;
  workflowId: string | undefined;
  idByKey: Map<string, string>;
}

/**
 * Carries out a prepared plan (the caller has confirmed it). An empty plan makes no call, but the
 * state may still learn renames, adoptions or a fresh fingerprint.
 */
export async function applyPrepared(
  client: ApiClient,
  targetName: string,
  workflowFile: string,
  desired: DesiredWorkflow,
  prepared: Prepared,
  onProgress?: (done: number, total: number) => void,
  late?: LateLookOptions,
): Promise<Applied> {
  const { plan, remote } = prepared;
  const auto = autoPositionKeys(desired);
  if (isEmptyPlan(plan)) {
    if (remote) {
      prepared.state.targets.set(targetName, deriveTarget(remote, plan.idByKey, [], auto));
      saveState(prepared.stateFile, prepared.state, workflowFile);
    }
    return { workflowId: plan.workflowId, idByKey: plan.idByKey };
  }
  const applied = await applyPlan(plan, remote, {
    client,
    targetName,
    workflowFile,
    stateFile: prepared.stateFile,
    state: prepared.state,
    autoPositionKeys: auto,
    onProgress,
    late,
  });
  const idByKey = new Map<string, string>();
  for (const [k, v] of prepared.state.targets.get(targetName)!.nodes) idByKey.set(k, v.id);
  return { applied, workflowId: applied.snapshot.workflow.id, idByKey };
}
