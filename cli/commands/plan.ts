// `callflow plan FILE`: every API call a push would make, grouped create / update / delete, and drift.
import { defineCommand, parseArgs, printHelp } from '../args';
import { readTextFile } from '../files';
import { EXIT } from '../io';
import { apiFailure, loadWorkflow, openPlatform, PLATFORM_NOTES } from '../platform-context';
import { preparePush } from '../../platform/prepare';
import { renderPlan } from '../../platform/render';
import type { Command } from './index';

const SPEC = defineCommand({
  name: 'plan',
  summary: 'show what a push would do: each API call, grouped create / update / delete, and drift',
  positionals: { name: 'FILE', min: 1, max: 1 },
  flags: {
    target: {
      type: 'string',
      valueName: 'NAME',
      description: 'target from callflow.config.yaml (default: default_target, else local)',
    },
  },
  notes: PLATFORM_NOTES,
});

export const plan: Command = {
  summary: 'show the API calls a push would make, and drift',
  async run(argv) {
    const args = parseArgs(SPEC, argv);
    if (args.help) return printHelp(SPEC);
    const file = args.positionals[0];
    readTextFile(file); // an unreadable file stops here, before any emulator starts (exit 2)
    const ctx = await openPlatform(file, { targetName: args.flags.target });
    try {
      const loaded = loadWorkflow(file, ctx.target.maxConcurrentCalls);
      let prepared;
      try {
        prepared = await preparePush(ctx.client, file, ctx.target.name, loaded.desired);
      } catch (e) {
        throw apiFailure(e, 'reading the remote workflow failed');
      }
      process.stdout.write(renderPlan(prepared.plan, { file, target: ctx.target.name, drift: prepared.drift }));
      return EXIT.ok;
    } finally {
      await ctx.close();
    }
  },
};
