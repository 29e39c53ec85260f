// `callflow api serve`: the local platform emulator in the foreground (emulator/cli.ts does the work).
import type { Command } from './index';
import { serveForeground, SERVE_USAGE } from '../../emulator/cli';
import { EXIT } from '../io';

export const serve: Command = {
  summary: 'api serve: run the local platform API emulator',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'serve') return serveForeground(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(`${SERVE_USAGE}\n`);
      return EXIT.ok;
    }
    process.stderr.write(
      `callflow api: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n\n${SERVE_USAGE}\n`,
    );
    return EXIT.usage;
  },
};
