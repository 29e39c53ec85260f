// `callflow pull WORKFLOW_ID [-o FILE]`: an existing remote workflow as a canonical
// .workflow.yaml plus its state, so a dashboard-built workflow moves into git and the next push
// makes no write.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { platformCommand, platformSpec } from '../platform-command';
import { CliError, EXIT } from '../io';
import { apiFailure } from '../platform-context';
import { pullDestination, pullWorkflow, recordPull, writePulled } from '../../platform/pull';
import { renderPull } from '../../platform/pull-render';
import { statePathFor } from '../../platform/state';

const SPEC = platformSpec({
  name: 'pull',
  summary: 'write an existing remote workflow as a canonical .workflow.yaml (and its state)',
  positionals: { name: 'WORKFLOW_ID', min: 1, max: 1 },
  flags: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      description: 'where to write (default: <title>.workflow.yaml in the current folder)',
    },
    force: { type: 'boolean', description: 'overwrite FILE when it exists' },
  },
});

export const pull = platformCommand({
  spec: SPEC,
  target(args) {
    const id = args.positionals[0];
    if (!/^[A-Za-z0-9_-]+$/.test(id))
      throw new CliError(`pull: "${id}" is not a workflow id (like wfl_m3v7zb9rk2px)`, EXIT.usage);
    // The target of the folder the file goes to.
    return { dir: args.flags.output ? path.dirname(path.resolve(args.flags.output)) : process.cwd() };
  },
  async run(args, ctx) {
    const id = args.positionals[0];
    const given = args.flags.output;
    let pulled;
    try {
      pulled = await pullWorkflow(ctx.client, id, {
        target: ctx.target.name,
        stateFile: given && existsSync(given) ? statePathFor(given) : undefined,
        render: renderPull,
      });
    } catch (e) {
      throw apiFailure(e, 'reading the workflow failed');
    }
    if (!pulled) throw new CliError(`workflow ${id} does not exist on target ${ctx.target.name}`, EXIT.problems);
    // platform/pull.ts decides: a named file that exists needs --force; the default name is numbered.
    const dest = pullDestination(pulled, { dir: process.cwd(), output: given, force: args.flags.force });
    if ('exists' in dest)
      throw new CliError(
        `${dest.exists} exists: choose another file with -o, or pass --force to overwrite it`,
        EXIT.usage,
      );
    const file = given ?? path.relative(process.cwd(), dest.file);
    for (const o of pulled.omitted) process.stderr.write(`callflow: left out: ${o}\n`);
    for (const e of pulled.errors) process.stderr.write(`callflow: ${file}: ${e}\n`);
    try {
      writePulled(file, pulled, !!given);
    } catch (e) {
      throw new CliError(`cannot write ${file}: ${(e as Error).message}`, EXIT.usage);
    }
    let stateFile;
    try {
      ({ stateFile } = recordPull(file, ctx.target.name, pulled));
    } catch (e) {
      throw apiFailure(e, 'recording the state failed');
    }
    const { remote } = pulled;
    return {
      exit: pulled.errors.length ? EXIT.problems : EXIT.ok,
      summary: `Pulled workflow ${id} (${remote.nodes.length} nodes, ${remote.edges.length} edges) from target ${ctx.target.name} into ${file}; ids in ${stateFile}.`,
    };
  },
});
