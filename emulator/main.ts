// dist/emulator.js: the emulator on its own (`node dist/emulator.js [--port N] [--db FILE] ...`).
import { serveForeground } from './cli';

serveForeground(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`emulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
