// `callflow plan FILE`: every API call a push would make, grouped create / update / delete, and drift.
import { platformCommand, platformSpec } from '../platform-command';
import { EXIT } from '../io';
import { apiFailure, loadWorkflow } from '../platform-context';
import { preparePush } from '../../platform/prepare';
import { renderPlan } from '../../platform/render';

const SPEC = platformSpec({
  name: 'plan',
  summary: 'show what a push would do: each API call, grouped create / update / delete, and drift',
  positionals: { name: 'FILE', min: 1, max: 1 },
  flags: {},
});

export const plan = platformCommand({
  spec: SPEC,
  target: (args) => ({ file: args.positionals[0] }),
  async run(args, ctx) {
    const file = args.positionals[0];
    const loaded = loadWorkflow(file, ctx.target.maxConcurrentCalls);
    let prepared;
    try {
      prepared = await preparePush(ctx.client, file, ctx.target.name, loaded.desired);
    } catch (e) {
      throw apiFailure(e, 'reading the remote workflow failed');
    }
    process.stdout.write(renderPlan(prepared.plan, { file, target: ctx.target.name, drift: prepared.drift }));
    return EXIT.ok;
  },
});
