// `callflow api serve`: the local platform emulator in the foreground (emulator/cli.ts does the work).
// The key may come from CALLFLOW_EMULATOR_KEY or `--key-file FILE` instead of `--key KEY`, which
// any user on the machine sees in `ps`; this module turns either into the in-memory `--key` the
// emulator reads (never a process argument).
import { readFileSync, statSync } from 'node:fs';
import type { Command } from './index';
import { serveForeground, SERVE_USAGE } from '../../emulator/cli';
import { CliError, EXIT } from '../io';

const KEY_NOTES = `
  The API key can also come from the environment (CALLFLOW_EMULATOR_KEY) or a file
  (--key-file FILE, its first line): unlike --key KEY, neither shows in \`ps\`.`;

/** Replaces `--key-file FILE` (or, with no key option, CALLFLOW_EMULATOR_KEY) by an in-memory `--key`. */
export function keyArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  let key: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--key-file' || a.startsWith('--key-file=')) {
      const file = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!file) throw new CliError('api serve: --key-file needs a value', EXIT.usage);
      try {
        if (!statSync(file).isFile() || statSync(file).size > 64 * 1024) throw new Error('not a small regular file');
        key = readFileSync(file, 'utf8').split(/\r?\n/)[0].trim();
      } catch (e) {
        throw new CliError(`api serve: cannot read the key file ${file}: ${(e as Error).message}`, EXIT.usage);
      }
      if (!key) throw new CliError(`api serve: the key file ${file} is empty`, EXIT.usage);
      continue;
    }
    out.push(a);
  }
  const given = out.some((a) => a === '--key' || a.startsWith('--key='));
  if (key !== undefined) {
    if (given) throw new CliError('api serve: give --key or --key-file, not both', EXIT.usage);
    out.push('--key', key);
  } else if (!given && env.CALLFLOW_EMULATOR_KEY) out.push('--key', env.CALLFLOW_EMULATOR_KEY);
  return out;
}

export const serve: Command = {
  summary: 'api serve: run the local platform API emulator',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'serve') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${SERVE_USAGE}\n${KEY_NOTES}\n`);
        return EXIT.ok;
      }
      return serveForeground(keyArgs(rest));
    }
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(`${SERVE_USAGE}\n${KEY_NOTES}\n`);
      return EXIT.ok;
    }
    process.stderr.write(
      `callflow api: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n\n${SERVE_USAGE}\n`,
    );
    return EXIT.usage;
  },
};
