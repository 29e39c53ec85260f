// `callflow` entry: dispatch to one module per command.
import { COMMANDS } from './commands';
import { CliError, EXIT } from './io';
import { reportCrashesTo } from './report/crashes';

const USAGE = `usage: callflow <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Run 'callflow <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.CALLFLOW_VERSION ?? '0.1.0'}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`callflow: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const crashes = reportCrashesTo((line) => process.stderr.write(line));
  return crashes.exitCode(await cmd.run(rest));
}

// A reader that stops early (`callflow validate … | head`) closes the pipe: that ends the output,
// it is not a crash. Any other stream error is reported like every failure.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`callflow: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(
      `callflow: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.usage;
  },
);
