// What plan, push and activate share, in the CLI and the editor alike: read the state and the remote,
// detect drift, compute the plan; then apply it (or, for an empty plan, refresh the state).
import { applyPlan, knownWorkflowIds, type ApplyResult } from './apply';
import type { LateLookOptions } from './apply-late';
import type { ApiClient } from './client';
import { autoPositionKeys, type DesiredWorkflow } from './desired-workflow';
import { detectDrift, type Drift } from './drift';
import { computePlan, isEmptyPlan, type Plan } from './plan';
import { deleteWorkflow } from './api';
import { ApiError } from './errors';
import { findOrphanWorkflow, ownEmptyDrafts, readRemote } from './remote-read';
import type { RemoteWorkflow } from './snapshot';
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
  /** Empty drafts that are late copies of the last push's workflow create: applyPrepared deletes them. */
  lateDrafts: RemoteWorkflow[];
}

/**
 * How long after a push started a late copy of its workflow create is still recognised as its own by the
 * next push (a gateway's queue holds a request for seconds or minutes, not longer).
 */
export const LATE_DRAFT_WINDOW_MS = 15 * 60_000;

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
  // The last push made its workflow but a lost attempt of that create may have landed after it ended
  // (apply-late.ts keeps such a doubt pending): an empty draft with its title and description, created
  // within LATE_DRAFT_WINDOW_MS of that push's start and unknown to every state, is its copy.
  const lateDrafts: RemoteWorkflow[] = [];
  if (remote && lost && lost.op === 'create-workflow' && lost.at && Number.isFinite(Date.parse(lost.at))) {
    const at = Date.parse(lost.at);
    lateDrafts.push(
      ...(await ownEmptyDrafts(client, lost.title, remote.workflow.description ?? '', {
        since: at,
        until: at + LATE_DRAFT_WINDOW_MS,
        exclude: new Set([...knownWorkflowIds(state), remote.workflow.id]),
      })),
    );
    for (const w of lateDrafts)
      notes.push(`deleting empty draft ${w.id}: a late copy of the last push's workflow create`);
  }
  const drift = detectDrift(target, remote);
  const plan = computePlan(desired, remote, target);
  plan.notes.unshift(...notes);
  return { stateFile, state, target, remote, drift, plan, lateDrafts };
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
  for (const w of prepared.lateDrafts) {
    try {
      await deleteWorkflow(client, w.id);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
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
