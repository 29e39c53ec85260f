// `callflow pause|resume|cancel|status FILE`: the lifecycle verbs on the workflow the state file
// records for the target, and its status.
import { getWorkflow } from '../../platform/api';
import type { Command } from '../command';
import { platformCommand, platformSpec } from '../platform-command';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, pushedWorkflowId, type PlatformContext } from '../platform-context';
import { ApiError } from '../../platform/errors';
import type { RemoteWorkflow } from '../../platform/snapshot';
import { statePathFor } from '../../platform/state';

type Verb = 'pause' | 'resume' | 'cancel' | 'status';

const SUMMARY: Record<Verb, string> = {
  pause: 'pause the active workflow (no new steps start)',
  resume: 'resume the paused workflow',
  cancel: 'cancel the workflow for good (asks for confirmation)',
  status: "show the workflow's title, id, status, node and edge counts, enrolled leads",
};

function spec(verb: Verb) {
  return platformSpec({
    name: verb,
    summary: SUMMARY[verb],
    positionals: { name: 'FILE', min: 1, max: 1 },
    flags: {
      yes: {
        type: 'boolean',
        short: 'y',
        description: verb === 'cancel' ? 'do not ask for confirmation' : 'accepted for symmetry; nothing to confirm',
      },
    },
  });
}

function missing(id: string, file: string, ctx: PlatformContext): CliError {
  return new CliError(
    `workflow ${id} (recorded in ${statePathFor(file)}) does not exist on target ${ctx.target.name}`,
    EXIT.problems,
  );
}

async function status(id: string, file: string, ctx: PlatformContext): Promise<number> {
  let w: RemoteWorkflow;
  try {
    w = await getWorkflow(ctx.client, id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw missing(id, file, ctx);
    throw apiFailure(e, 'status failed');
  }
  const rows: [string, string][] = [
    ['title', String(w.title ?? '')],
    ['id', w.id],
    ['target', ctx.target.name],
    ['status', String(w.status ?? 'unknown')],
    ['nodes', String(w.node_count ?? '?')],
    ['edges', String(w.edge_count ?? '?')],
    ['enrolled leads', String(w.enrolled_leads ?? '?')],
  ];
  process.stdout.write(rows.map(([k, v]) => `${(k + ':').padEnd(16)}${v}`).join('\n') + '\n');
  return EXIT.ok;
}

export function lifecycle(verb: Verb): Command {
  return platformCommand({
    spec: spec(verb),
    target: (args) => ({ file: args.positionals[0] }),
    async run(args, ctx) {
      const file = args.positionals[0];
      const id = pushedWorkflowId(ctx, file);
      if (verb === 'status') return status(id, file, ctx);
      if (
        verb === 'cancel' &&
        !(await confirm(
          `Cancel workflow ${id} on target ${ctx.target.name}? This is final: it cannot be activated again`,
          args.flags.yes,
        ))
      ) {
        throw new CliError('not cancelled', EXIT.problems);
      }
      try {
        const r = await ctx.client.lifecycle(id, verb);
        return { exit: EXIT.ok, summary: `Workflow ${id} on target ${ctx.target.name}: status ${r.status}.` };
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          const hint =
            verb === 'resume'
              ? 'only a paused workflow can be resumed'
              : verb === 'pause'
                ? 'only an active workflow can be paused'
                : 'it is already final';
          throw new CliError(
            `cannot ${verb} workflow ${id}: ${e.messages.length ? e.messages.join('; ') : hint}`,
            EXIT.problems,
          );
        }
        if (e instanceof ApiError && e.status === 404 && !/^Cannot /.test(e.messages[0] ?? ''))
          throw missing(id, file, ctx);
        throw apiFailure(e, `${verb} failed`);
      }
    },
  });
}
