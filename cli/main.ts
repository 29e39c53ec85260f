// `callflow` entry: the command table's usage, `--version`, and dispatch to the command's module,
// loaded only when it runs. Everything a command does around its own logic (arguments, help, the
// target, crash reports, error messages, exit codes) is cli/command.ts, inside that module.
import { closestName } from '../core/typo';
import { COMMANDS } from './commands';
import { EXIT } from './io';

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
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    const guess = closestName(name, Object.keys(COMMANDS));
    process.stderr.write(
      `callflow: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}\n\n${USAGE}\n`,
    );
    return EXIT.usage;
  }
  return (await cmd.load()).run(rest);
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
  // Commands report their own failures (cli/command.ts); what reaches here is a bug of the
  // dispatcher or a command module that did not load.
  (err: unknown) => {
    process.stderr.write(
      `callflow: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.usage;
  },
);
