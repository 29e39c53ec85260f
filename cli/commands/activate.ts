// `callflow activate FILE`: validate (errors stop it), push when the plan is not empty, activate,
// report the new status. A 400 from pre-activation validation is mapped back to the file: each
// message naming a `node_...` id is printed at that node's key.
import { getWorkflow } from '../../platform/api';
import { platformCommand, platformSpec } from '../platform-command';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, loadWorkflow, type LoadedWorkflow } from '../platform-context';
import { mapActivationMessages } from '../../platform/activation';
import { ApiError } from '../../platform/errors';
import { pushedLine, pushFile } from './push';

const SPEC = platformSpec({
  name: 'activate',
  summary: 'validate, push when needed, then activate the workflow',
  positionals: { name: 'FILE', min: 1, max: 1 },
  flags: {
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
    force: { type: 'boolean', description: 'push even though the remote workflow drifted since the last push' },
  },
});

/** `file:line:col: message` for each API message, nodes named by key at their line (platform/activation.ts). */
export function mapMessagesToFile(loaded: LoadedWorkflow, messages: string[], idByKey: Map<string, string>): string[] {
  return mapActivationMessages(messages, idByKey, (key) => {
    const node = loaded.model.nodeByKey.get(key);
    return node ? loaded.analysis.parsed.lines.position(node.keySpan.start) : undefined;
  }).map((p) =>
    p.line !== undefined
      ? `${loaded.file}:${p.line + 1}:${(p.character ?? 0) + 1}: ${p.message}`
      : `${loaded.file}: ${p.message}`,
  );
}

export const activate = platformCommand({
  spec: SPEC,
  target: (args) => ({ file: args.positionals[0] }),
  async run(args, ctx) {
    const file = args.positionals[0];
    const loaded = loadWorkflow(file, ctx.target.maxConcurrentCalls);
    const question = `Push ${file} and activate it on target ${ctx.target.name} (calls start for enrolled leads)?`;
    const pushed = await pushFile(
      ctx,
      loaded,
      { yes: args.flags.yes, allowActive: false, force: args.flags.force, forActivate: true },
      question,
    );
    if (pushed.applied) process.stdout.write(`${pushedLine(pushed.applied, ctx)}\n`);
    if (
      !pushed.applied &&
      !(await confirm(
        `Activate workflow ${pushed.workflowId} on target ${ctx.target.name} (calls start for enrolled leads)?`,
        args.flags.yes,
      ))
    ) {
      throw new CliError('cancelled: nothing was changed', EXIT.problems);
    }
    const id = pushed.workflowId!;
    try {
      const r = await ctx.client.lifecycle(id, 'activate');
      return { exit: EXIT.ok, summary: `Activated workflow ${id} on target ${ctx.target.name}: status ${r.status}.` };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        let status: string | undefined;
        try {
          status = (await getWorkflow(ctx.client, id)).status;
        } catch {
          /* the 409 text is enough */
        }
        if (status === 'paused')
          throw new CliError('the workflow is paused: use `callflow resume` to make it active again', EXIT.problems);
        throw new CliError(
          `cannot activate workflow ${id}: ${status ? `it is ${status}, and only a draft can be activated` : e.messages.join('; ')}`,
          EXIT.problems,
        );
      }
      if (e instanceof ApiError && e.status === 400) {
        const lines = mapMessagesToFile(loaded, e.messages, pushed.idByKey);
        process.stdout.write(lines.join('\n') + '\n');
        throw new CliError(
          `activation refused by the platform's pre-activation checks (${e.messages.length} problem${e.messages.length === 1 ? '' : 's'})`,
          EXIT.problems,
        );
      }
      throw apiFailure(e, 'activate failed');
    }
  },
});
