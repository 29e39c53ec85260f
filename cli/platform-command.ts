// The command factory's platform half (cli/command.ts is the rest): a platform command's target is
// opened before its logic runs and always closed after. The workflow file is read first, so an
// unreadable one is exit 2 before any emulator starts; then the target is resolved (--target, else
// callflow.config.yaml's default_target, else `local`) and its API client opened, the `local`
// target's embedded emulator started (cli/platform-context.ts).
import type { CommandSpec, ParsedArgs } from './args';
import { defineCommand } from './args';
import { command, type Command, type Outcome } from './command';
import { readTextFile } from './files';
import { openPlatform, type PlatformContext } from './platform-context';

/** `--target NAME`, which every platform command takes (added by `platformSpec`). */
export const TARGET_FLAG = {
  type: 'string',
  valueName: 'NAME',
  description: 'target from callflow.config.yaml (default: default_target, else local)',
} as const;

/** The notes of every platform command's help. */
export const PLATFORM_NOTES = `exit codes: 0 done, 1 refused or problems found, 2 could not run (bad arguments,
unreadable file, unreachable API, bad credentials). Targets come from callflow.config.yaml (the nearest
one above the file); without one the target is \`local\`, the embedded emulator.`;

/** A platform command's spec: `--target` first, and the platform notes unless it has its own. */
export function platformSpec<const S extends CommandSpec>(
  spec: S,
): S & { flags: { target: typeof TARGET_FLAG } & S['flags'] } {
  return defineCommand({ ...spec, flags: { target: TARGET_FLAG, ...spec.flags }, notes: spec.notes ?? PLATFORM_NOTES });
}

export interface PlatformCommand<S extends CommandSpec> {
  spec: S;
  /**
   * Where the target is resolved from: the workflow file, or a folder. Checks that need no target
   * may throw here (a usage error), before anything is opened.
   */
  target(args: ParsedArgs<S>): { file: string } | { dir: string };
  /** HTTP requests in flight at once, when the command takes a flag for it. */
  concurrency?(args: ParsedArgs<S>): number | undefined;
  run(args: ParsedArgs<S>, ctx: PlatformContext): Promise<number | Outcome>;
}

export function platformCommand<const S extends CommandSpec & { flags: { target: typeof TARGET_FLAG } }>(
  def: PlatformCommand<S>,
): Command {
  return command({
    spec: def.spec,
    async run(args) {
      const at = def.target(args);
      if ('file' in at) readTextFile(at.file);
      const ctx = await openPlatform('file' in at ? at.file : at.dir, {
        targetName: args.flags.target as string | undefined,
        isDir: 'dir' in at,
        concurrency: def.concurrency?.(args),
      });
      try {
        return await def.run(args, ctx);
      } finally {
        await ctx.close();
      }
    },
  });
}
