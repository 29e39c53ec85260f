// `callflow push FILE`: make the remote workflow equal to the file with the fewest API calls.
import type { Outcome } from '../command';
import { platformCommand, platformSpec } from '../platform-command';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, loadWorkflow, type LoadedWorkflow, type PlatformContext } from '../platform-context';
import type { ApplyResult } from '../../platform/apply';
import { changesStateOnly, isEmptyPlan } from '../../platform/plan';
import { applyPrepared, preparePush, type Prepared } from '../../platform/prepare';
import { planCounts, renderPlan } from '../../platform/render';

const SPEC = platformSpec({
  name: 'push',
  summary: 'make the remote workflow equal to the file with the fewest API calls',
  positionals: { name: 'FILE', min: 1, max: 1 },
  flags: {
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
    'allow-active': {
      type: 'boolean',
      description: 'push even though the workflow is active (better: pause, push, resume)',
    },
    force: {
      type: 'boolean',
      description: 'push even though the remote workflow drifted since the last push (its changes are overwritten)',
    },
    concurrency: { type: 'number', valueName: 'N', min: 1, description: 'API requests in flight at once (default 6)' },
  },
});

export interface PushFlags {
  yes: boolean;
  allowActive: boolean;
  force: boolean;
  /** `activate` has no --allow-active to suggest. */ forActivate?: boolean;
}

export interface PushOutcome {
  prepared: Prepared;
  applied?: ApplyResult;
  workflowId: string | undefined;
  idByKey: Map<string, string>;
}

/**
 * Plans and, when there is something to do, confirms and applies. Refusals (drift without
 * --force, an active workflow without --allow-active) throw CliError with exit 1. `extraQuestion`
 * lets activate ask one question for both the push and the activation.
 */
export async function pushFile(
  ctx: PlatformContext,
  loaded: LoadedWorkflow,
  flags: PushFlags,
  question?: string,
): Promise<PushOutcome> {
  let prepared: Prepared;
  try {
    prepared = await preparePush(ctx.client, loaded.file, ctx.target.name, loaded.desired);
  } catch (e) {
    throw apiFailure(e, 'reading the remote workflow failed');
  }
  const { plan, drift } = prepared;
  if (isEmptyPlan(plan)) {
    const done = await applyPrepared(ctx.client, ctx.target.name, loaded.file, loaded.desired, prepared);
    if (changesStateOnly(plan))
      process.stdout.write(renderPlan(plan, { file: loaded.file, target: ctx.target.name, drift }));
    return { prepared, ...done };
  }
  process.stdout.write(renderPlan(plan, { file: loaded.file, target: ctx.target.name, drift }));
  if (drift && !flags.force) {
    throw new CliError(
      `refusing to push: ${drift.message}. Review the changes (\`callflow pull ${plan.workflowId} -o other.workflow.yaml\` shows the remote), then push with --force to overwrite them`,
      EXIT.problems,
    );
  }
  const status = plan.status;
  if ((status === 'active' || status === 'running') && !flags.allowActive) {
    const advice = `Pause it first (\`callflow pause ${loaded.file}\`), push, then \`callflow resume\``;
    throw new CliError(
      flags.forActivate
        ? `workflow ${plan.workflowId} is already active, and the file has changes that would reach leads at the next scheduling tick. ${advice}`
        : `refusing to push: workflow ${plan.workflowId} is active and edits would reach leads at the next scheduling tick. ${advice}; or pass --allow-active`,
      EXIT.problems,
    );
  }
  const n = planCounts(plan);
  const ok = await confirm(
    question ??
      `Make ${plan.calls.length} API calls (${n.create} create, ${n.update} update, ${n.delete} delete) on target ${ctx.target.name}?`,
    flags.yes,
  );
  if (!ok) throw new CliError('cancelled: nothing was changed', EXIT.problems);
  const tty = !!process.stderr.isTTY;
  let last = 0;
  let done;
  try {
    done = await applyPrepared(
      ctx.client,
      ctx.target.name,
      loaded.file,
      loaded.desired,
      prepared,
      tty && plan.calls.length >= 20
        ? (n, total) => {
            const now = Date.now();
            if (now - last < 100 && n < total) return;
            last = now;
            process.stderr.write(`\rpushing: ${n}/${total} calls${n === total ? '\n' : ''}`);
          }
        : undefined,
    );
  } catch (e) {
    if (tty) process.stderr.write('\n');
    const err = apiFailure(e, 'push stopped');
    err.message += `\nThe state file ${prepared.stateFile} records every call that succeeded: run \`callflow push ${loaded.file}\` again to finish.`;
    throw err;
  }
  return { prepared, ...done };
}

export const push = platformCommand({
  spec: SPEC,
  target: (args) => ({ file: args.positionals[0] }),
  concurrency: (args) => args.flags.concurrency,
  async run(args, ctx): Promise<Outcome> {
    const file = args.positionals[0];
    const loaded = loadWorkflow(file, ctx.target.maxConcurrentCalls);
    const out = await pushFile(ctx, loaded, {
      yes: args.flags.yes,
      allowActive: args.flags['allow-active'],
      force: args.flags.force,
    });
    const s = ctx.client.stats;
    return {
      exit: EXIT.ok,
      summary: out.applied
        ? pushedLine(out.applied, ctx)
        : `No changes: workflow ${out.workflowId} on target ${ctx.target.name} already matches ${file} (API: ${s.reads} reads, ${s.writes} writes).`,
    };
  },
});

/** What a push did, for its summary (push; activate prints it before activating). */
export function pushedLine(applied: ApplyResult, ctx: PlatformContext): string {
  const s = ctx.client.stats;
  const line = `Pushed ${applied.done} call${applied.done === 1 ? '' : 's'} to workflow ${applied.snapshot.workflow.id} on target ${ctx.target.name} (API: ${s.reads} reads, ${s.writes} writes${s.retries ? `, ${s.retries} retries` : ''}).`;
  const late = applied.late;
  if (!late || late.removed.nodes.length + late.removed.workflows.length === 0) return line;
  return `${line}\nRemoved late copies of lost creates: ${late.removed.nodes.length} node(s), ${late.removed.workflows.length} workflow(s).`;
}
