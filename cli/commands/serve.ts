// `callflow api serve`: the local platform emulator in the foreground. Its options, the key (from
// --key, --key-file or CALLFLOW_EMULATOR_KEY) and its help are emulator/cli.ts's, the same code as
// `node dist/emulator.js`; this module only gives it the command's place in the table.
import { serveForeground, SERVE_USAGE } from '../../emulator/cli';
import { command } from '../command';

export const serve = command({
  name: 'api serve',
  help: () => `${SERVE_USAGE}\n`,
  run: (argv) => serveForeground(argv),
});
