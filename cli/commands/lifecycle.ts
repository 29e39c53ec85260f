// `callflow pause|resume|cancel|status FILE`: the lifecycle verbs on the workflow the state file
// records for the target, and its status.
import { getWorkflow } from '../../platform/api';
import { defineCommand, parseArgs, printHelp } from '../args';
import { readTextFile } from '../files';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, openPlatform, PLATFORM_NOTES } from '../platform-context';
import { ApiError } from '../../platform/errors';
import type { RemoteWorkflow } from '../../platform/snapshot';
import { readState, statePathFor } from '../../platform/state';
import type { Command } from './index';

type Verb = 'pause' | 'resume' | 'cancel' | 'status';

const SUMMARY: Record<Verb, string> = {
  pause: 'pause the active workflow (no new steps start)',
  resume: 'resume the paused workflow',
  cancel: 'cancel the workflow for good (asks for confirmation)',
  status: "show the workflow's title, id, status, node and edge counts, enrolled leads",
};

function spec(verb: Verb) {
  return defineCommand({
    name: verb,
    summary: SUMMARY[verb],
    positionals: { name: 'FILE', min: 1, max: 1 },
    flags: {
      target: {
        type: 'string',
        valueName: 'NAME',
        description: 'target from callflow.config.yaml (default: default_target, else local)',
      },
      yes: {
        type: 'boolean',
        short: 'y',
        description: verb === 'cancel' ? 'do not ask for confirmation' : 'accepted for symmetry; nothing to confirm',
      },
    },
    notes: PLATFORM_NOTES,
  });
}

export function lifecycle(verb: Verb): Command {
  const SPEC = spec(verb);
  return {
    summary: SUMMARY[verb],
    async run(argv) {
      const args = parseArgs(SPEC, argv);
      if (args.help) return printHelp(SPEC);
      const file = args.positionals[0];
      readTextFile(file); // an unreadable file is exit 2, as for every command
      const ctx = await openPlatform(file, { targetName: args.flags.target });
      try {
        const stateFile = statePathFor(file);
        let id: string | undefined;
        try {
          id = readState(stateFile).targets.get(ctx.target.name)?.workflowId;
        } catch (e) {
          throw apiFailure(e, 'reading the state failed');
        }
        if (!id)
          throw new CliError(
            `${file} has not been pushed to target ${ctx.target.name} (no workflow id in ${stateFile}): run \`callflow push ${file}\` first`,
            EXIT.problems,
          );
        if (verb === 'status') {
          let w: RemoteWorkflow;
          try {
            w = await getWorkflow(ctx.client, id);
          } catch (e) {
            if (e instanceof ApiError && e.status === 404)
              throw new CliError(
                `workflow ${id} (recorded in ${stateFile}) does not exist on target ${ctx.target.name}`,
                EXIT.problems,
              );
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
          process.stdout.write(`Workflow ${id} on target ${ctx.target.name}: status ${r.status}.\n`);
          return EXIT.ok;
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
          if (e instanceof ApiError && e.status === 404 && !/^Cannot /.test(e.messages[0] ?? '')) {
            throw new CliError(
              `workflow ${id} (recorded in ${stateFile}) does not exist on target ${ctx.target.name}`,
              EXIT.problems,
            );
          }
          throw apiFailure(e, `${verb} failed`);
        }
      } finally {
        await ctx.close();
      }
    },
  };
}
