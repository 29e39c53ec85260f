// The command factory: what every `callflow` command does around its own logic, in one place.
// A file under cli/commands/ declares its flags and positionals (cli/args.ts), says which target it
// opens if any, and holds its logic; `command()` turns that into what the table runs:
//   - the subcommand word of a two-word command (`leads upload`, `api serve`), with suggestions;
//   - argument parsing and its usage errors (a mistyped flag suggests through core/typo.ts);
//   - `--help` on stdout, exit 0;
//   - for a platform command, its target opened before and closed after (cli/platform-command.ts,
//     kept apart so that offline commands' bundles hold no platform client);
//   - core's crash reports on stderr (cli/report/crashes.ts), which make the exit status at least 2;
//   - a CliError as `callflow: message` on stderr and its exit code; anything else as an internal
//     error (exit 2);
//   - the closing summary line, when the command returns one.
// Everything here runs inside the command's own bundle (cli/bundle-loader.ts): the crash sink and
// the error classes it checks are the ones the command's code uses.
import { helpText, parseArgs, type CommandSpec, type ParsedArgs } from './args';
import { closestName } from '../core/typo';
import { CliError, EXIT } from './io';
import { reportCrashesTo } from './report/crashes';

/** What the command table loads and main.ts runs. */
export interface Command {
  run(argv: string[]): Promise<number>;
}

/** A command's result: its exit status, and a last line saying what was done. */
export interface Outcome {
  exit: number;
  summary?: string;
  /** Default stdout; stderr when stdout carries a machine-readable report. */
  summaryOn?: 'stdout' | 'stderr';
}

export interface OfflineCommand<S extends CommandSpec> {
  spec: S;
  run(args: ParsedArgs<S>): Promise<number | Outcome>;
}

/** Flags parsed by the command itself (`api serve` hands them to emulator/cli.ts); help from `help()`. */
export interface RawCommand {
  name: string;
  help(): string;
  run(argv: string[]): Promise<number>;
}

export function command<const S extends CommandSpec>(def: OfflineCommand<S>): Command;
export function command(def: RawCommand): Command;
export function command(def: OfflineCommand<CommandSpec> | RawCommand): Command {
  const name = 'spec' in def ? def.spec.name : def.name;
  return {
    async run(argv) {
      const crashes = reportCrashesTo((line) => process.stderr.write(line));
      let code: number;
      try {
        const rest = subcommand(name, argv, () => ('spec' in def ? helpText(def.spec) : def.help()));
        code = typeof rest === 'number' ? rest : await runParsed(def, rest);
      } catch (e) {
        code = failed(e);
      }
      return crashes.exitCode(code);
    },
  };
}

async function runParsed(def: OfflineCommand<CommandSpec> | RawCommand, argv: string[]): Promise<number> {
  if (!('spec' in def)) return def.run(argv);
  const args = parseArgs(def.spec, argv);
  if (args.help) {
    process.stdout.write(helpText(def.spec));
    return EXIT.ok;
  }
  return finish(await def.run(args));
}

/**
 * For a two-word command (`leads upload`): checks and drops the word, or answers `--help` / a
 * missing or mistyped word. Returns the remaining arguments, or the exit status when done.
 */
function subcommand(name: string, argv: string[], help: () => string): string[] | number {
  const words = name.split(' ');
  if (words.length === 1) return argv;
  const [group, sub] = words;
  const [given, ...rest] = argv;
  if (given === sub) return rest;
  if (given === '--help' || given === '-h' || given === 'help') {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (given === undefined) throw new CliError(`${group}: missing subcommand (${sub})\n\n${help().trimEnd()}`);
  const guess = closestName(given, [sub]);
  throw new CliError(
    `${group}: unknown subcommand "${given}" (${guess ? `did you mean ${guess}?` : sub})\n\n${help().trimEnd()}`,
  );
}

function finish(r: number | Outcome): number {
  if (typeof r === 'number') return r;
  if (r.summary !== undefined) (r.summaryOn === 'stderr' ? process.stderr : process.stdout).write(`${r.summary}\n`);
  return r.exit;
}

/** A CliError is the command's message and status; anything else is a bug, said as one (exit 2). */
function failed(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(`callflow: ${e.message}\n`);
    return e.exitCode;
  }
  process.stderr.write(`callflow: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.usage;
}
