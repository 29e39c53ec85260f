// `callflow pull WORKFLOW_ID [-o FILE]`: an existing remote workflow as a canonical
// .workflow.yaml plus its state, so a dashboard-built workflow moves into git and the next push
// makes no write.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, parseArgs, printHelp } from '../args';
import { CliError, EXIT } from '../io';
import { apiFailure, openPlatform, PLATFORM_NOTES } from '../platform-context';
import { keyFromLabel, remoteToWorkflow } from '../../core/remote';
import { readRemote } from '../../platform/remote-read';
import { deriveTarget, readState, serializeState, statePathFor, writeStateFile } from '../../platform/state';
import type { Command } from './index';

const SPEC = defineCommand({
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
    target: {
      type: 'string',
      valueName: 'NAME',
      description: 'target from callflow.config.yaml (default: default_target, else local)',
    },
    force: { type: 'boolean', description: 'overwrite FILE when it exists' },
  },
  notes: PLATFORM_NOTES,
});

export const pull: Command = {
  summary: 'write a remote workflow as a .workflow.yaml (and its state)',
  async run(argv) {
    const args = parseArgs(SPEC, argv);
    if (args.help) return printHelp(SPEC);
    const id = args.positionals[0];
    if (!/^[A-Za-z0-9_-]+$/.test(id))
      throw new CliError(`pull: "${id}" is not a workflow id (like wfl_m3v7zb9rk2px)`, EXIT.usage);
    const outDir = args.flags.output ? path.dirname(path.resolve(args.flags.output)) : process.cwd();
    const ctx = await openPlatform(outDir, { targetName: args.flags.target, isDir: true });
    try {
      let remote;
      let keys: string[] | undefined;
      try {
        remote = await readRemote(ctx.client, id);
        if (remote) {
          const v = await ctx.client
            .get<{ keys?: string[] } | string[]>(`/workflows/${encodeURIComponent(id)}/leads/variable-keys`)
            .catch(() => undefined);
          keys = Array.isArray(v) ? v : v?.keys;
        }
      } catch (e) {
        throw apiFailure(e, 'reading the workflow failed');
      }
      if (!remote) throw new CliError(`workflow ${id} does not exist on target ${ctx.target.name}`, EXIT.problems);
      const rendering = remoteToWorkflow({
        workflow: remote.workflow,
        nodes: remote.nodes,
        edges: remote.edges,
        variables: keys?.length ? [...keys].sort() : undefined,
      });
      const file =
        args.flags.output ?? `${keyFromLabel(remote.workflow.title, 'workflow').replace(/_/g, '-')}.workflow.yaml`;
      if (existsSync(file) && !args.flags.force)
        throw new CliError(`${file} exists: choose another file with -o, or pass --force to overwrite it`, EXIT.usage);
      if (rendering.skippedEdges.length)
        process.stderr.write(
          `callflow: ${rendering.skippedEdges.length} edge(s) point at nodes outside the workflow and were left out\n`,
        );
      try {
        writeFileSync(file, rendering.text);
      } catch (e) {
        throw new CliError(`cannot write ${file}: ${(e as Error).message}`, EXIT.usage);
      }
      const stateFile = statePathFor(file);
      let state;
      try {
        state = readState(stateFile);
      } catch (e) {
        throw apiFailure(e, 'reading the state failed');
      }
      state.targets.set(ctx.target.name, deriveTarget(remote, rendering.idByKey, []));
      writeStateFile(stateFile, serializeState(state, file));
      process.stdout.write(
        `Pulled workflow ${id} (${remote.nodes.length} nodes, ${remote.edges.length} edges) from target ${ctx.target.name} into ${file}; ids in ${stateFile}.\n`,
      );
      return EXIT.ok;
    } finally {
      await ctx.close();
    }
  },
};
