// One small flag parser for every command, so all of them accept the same shapes and fail the
// same way. A command declares its flags and positionals once; the same spec yields both the
// parsed values and the `--help` text.
//
//   const SPEC = defineCommand({
//     name: 'validate', summary: 'validate workflow files', positionals: { name: 'PATH…', min: 0, max: Infinity },
//     flags: {
//       format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'report format' },
//       'max-warnings': { type: 'number', valueName: 'N', description: 'fail when there are more warnings' },
//       online: { type: 'boolean', description: 'add the WF2xx checks' },
//     },
//   });
//   const args = parseArgs(SPEC, argv);       // throws CliError (exit 2) with a clear message
//   if (args.help) return printHelp(SPEC);    // exit 0
//   args.flags.format;                        // typed: string ('text' when not given)
//
// Accepted: `--flag value`, `--flag=value`, `-x value` (a flag's `short`), boolean `--flag`
// (and `--no-flag` to turn one off), `--` ends the flags, `-h`/`--help` anywhere asks for help.
// A flag given twice keeps the last value. Unknown flags and missing or invalid values are usage
// errors naming the command and, for a likely typo, the flag that was meant.
import { closestName as closest } from '../core/typo';
import { CliError, EXIT } from './io';

export interface BooleanFlag {
  type: 'boolean';
  short?: string;
  description: string;
}
export interface StringFlag {
  type: 'string';
  short?: string;
  description: string;
  valueName?: string;
  choices?: readonly string[];
  default?: string;
}
export interface NumberFlag {
  type: 'number';
  short?: string;
  description: string;
  valueName?: string;
  default?: number;
  /** Default 0. */ min?: number;
  integer?: boolean;
}
export type FlagSpec = BooleanFlag | StringFlag | NumberFlag;

export interface CommandSpec {
  /** As typed after `callflow`, e.g. `validate` or `api serve`. */
  name: string;
  summary: string;
  positionals: { name: string; min: number; max: number };
  flags: Record<string, FlagSpec>;
  /** Extra help text after the flag list (exit codes, examples). */
  notes?: string;
}

type ValueOf<F extends FlagSpec> = F extends BooleanFlag
  ? boolean
  : F extends StringFlag
    ? F extends { default: string }
      ? string
      : string | undefined
    : F extends NumberFlag
      ? F extends { default: number }
        ? number
        : number | undefined
      : never;

export interface ParsedArgs<S extends CommandSpec> {
  help: boolean;
  flags: { [K in keyof S['flags']]: ValueOf<S['flags'][K]> };
  positionals: string[];
}

/** Identity helper that keeps the literal types of a spec (for typed `flags`). */
export function defineCommand<const S extends CommandSpec>(spec: S): S {
  return spec;
}

function usageError(spec: CommandSpec, message: string): CliError {
  return new CliError(`${spec.name}: ${message}\nRun 'callflow ${spec.name} --help' for its options.`, EXIT.usage);
}

export function parseArgs<const S extends CommandSpec>(spec: S, argv: readonly string[]): ParsedArgs<S> {
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec.flags)) flags[name] = f.type === 'boolean' ? false : f.default;
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(spec.flags)
      .filter(([, f]) => f.short)
      .map(([n, f]) => [f.short!, n]),
  );
  let help = false;
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }

    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const short = arg.slice(1, 2);
      const long = byShort.get(short);
      if (!long) throw usageError(spec, `unknown option ${arg}`);
      name = long;
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
    }

    const spec1 = spec.flags[name];
    if (!spec1 && name.startsWith('no-') && spec.flags[name.slice(3)]?.type === 'boolean' && inline === undefined) {
      flags[name.slice(3)] = false;
      continue;
    }
    if (!spec1) {
      const guess = closest(name, Object.keys(spec.flags));
      throw usageError(spec, `unknown option --${name}${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    if (spec1.type === 'boolean') {
      if (inline !== undefined) {
        if (!/^(true|false)$/.test(inline)) throw usageError(spec, `--${name} takes no value (got "${inline}")`);
        flags[name] = inline === 'true';
      } else flags[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw usageError(
          spec,
          `--${name} needs a value${spec1.type === 'string' && spec1.choices ? ` (one of ${spec1.choices.join(', ')})` : ''}`,
        );
      }
      value = next;
      i++;
    }
    flags[name] = convert(spec, name, spec1, value);
  }

  if (!help) {
    const { min, max, name } = spec.positionals;
    if (positionals.length < min) throw usageError(spec, `missing ${name}`);
    if (positionals.length > max) {
      throw usageError(
        spec,
        max === 0
          ? `takes no arguments (got "${positionals[0]}")`
          : `too many arguments (expected ${name}, got ${positionals.map((p) => `"${p}"`).join(' ')})`,
      );
    }
  }
  return { help, flags: flags as ParsedArgs<S>['flags'], positionals };
}

function convert(spec: CommandSpec, name: string, f: StringFlag | NumberFlag, value: string): string | number {
  if (f.type === 'string') {
    if (f.choices && !f.choices.includes(value)) {
      const guess = closest(value, f.choices);
      throw usageError(
        spec,
        `--${name} must be one of ${f.choices.join(', ')} (got "${value}"${guess ? `; did you mean ${guess}?` : ''})`,
      );
    }
    return value;
  }
  const n = Number(value);
  const min = f.min ?? 0;
  if (value.trim() === '' || !Number.isFinite(n) || (f.integer !== false && !Number.isInteger(n)) || n < min) {
    throw usageError(
      spec,
      `--${name} must be ${f.integer !== false ? 'an integer' : 'a number'} ≥ ${min} (got "${value}")`,
    );
  }
  return n;
}

export function helpText(spec: CommandSpec): string {
  const lines = [
    `usage: callflow ${spec.name}${Object.keys(spec.flags).length ? ' [options]' : ''}${spec.positionals.max > 0 ? ` ${spec.positionals.name}` : ''}`,
    '',
    spec.summary,
  ];
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const value =
      f.type === 'boolean'
        ? ''
        : ` ${f.type === 'string' && f.choices ? f.choices.join('|') : (f.valueName ?? (f.type === 'number' ? 'N' : 'VALUE'))}`;
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${value}`;
    const def = f.type !== 'boolean' && f.default !== undefined ? ` (default: ${f.default})` : '';
    return [left, f.description + def] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  lines.push('', 'options:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`));
  if (spec.notes) lines.push('', spec.notes.trimEnd());
  return lines.join('\n') + '\n';
}

/** Prints a command's help on stdout (it is what was asked for) and returns exit 0. */
export function printHelp(spec: CommandSpec): number {
  process.stdout.write(helpText(spec));
  return EXIT.ok;
}
