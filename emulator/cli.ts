// `callflow api serve` and `node dist/emulator.js` share this: parse options, start, print the URL
// and key, and shut down cleanly on SIGINT/SIGTERM.
import { DEFAULT_DB_PATH, startEmulator } from './server';
import { SeedError } from './seed';

export const SERVE_USAGE = `usage: callflow api serve [--port N] [--db FILE] [--seed FILE] [--key KEY] [--host HOST] [--faults] [--quiet]

  --port N      port to listen on (default 4010; 0 picks a free one)
  --db FILE     SQLite database (default ${DEFAULT_DB_PATH}); kept across restarts
  --seed FILE   workspaces, keys, agents and phone numbers (default: the bundled seed)
  --key KEY     the API key the default workspace accepts (default: the seed's, else a new one;
                a key given here is never printed)
  --host HOST   interface to bind (default 127.0.0.1)
  --faults      enable the fault-injection control endpoint /__emulator/faults
  --quiet       no request errors on stderr`;

export interface ServeArgs {
  port: number;
  db: string;
  seed?: string;
  key?: string;
  host: string;
  faults: boolean;
  quiet: boolean;
}

export class UsageError extends Error {}

export function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const out: ServeArgs = { port: 4010, db: DEFAULT_DB_PATH, host: '127.0.0.1', faults: false, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535)
          throw new UsageError(`--port must be a number from 0 to 65535, not "${v}"`);
        out.port = Number(v);
        break;
      }
      case '--db':
        out.db = value();
        break;
      case '--seed':
        out.seed = value();
        break;
      case '--key':
        out.key = value();
        break;
      case '--host':
        out.host = value();
        break;
      case '--faults':
        out.faults = true;
        break;
      case '--quiet':
        out.quiet = true;
        break;
      default:
        throw new UsageError(`unknown option "${a}"`);
    }
  }
  return out;
}

/** Runs in the foreground until SIGINT/SIGTERM; resolves with the exit code. */
export async function serveForeground(
  args: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let parsed: ServeArgs | 'help';
  try {
    parsed = parseServeArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`callflow api serve: ${e.message}\n\n${SERVE_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    io.out(`${SERVE_USAGE}\n`);
    return 0;
  }
  // Signal handlers go in before the URL is printed: whoever reads the URL may stop us at once.
  let signalled = false;
  let onSignal = () => {
    signalled = true;
  };
  const handler = () => onSignal();
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  const detach = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  let emu;
  try {
    emu = await startEmulator({
      port: parsed.port,
      host: parsed.host,
      dbPath: parsed.db,
      seedPath: parsed.seed,
      key: parsed.key,
      faults: parsed.faults,
      quiet: parsed.quiet,
    });
  } catch (e) {
    detach();
    const msg =
      e instanceof SeedError
        ? e.message
        : (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? `port ${parsed.port} is already in use`
          : (e as Error).message;
    io.err(`callflow api serve: ${msg}\n`);
    return 2;
  }
  const running = emu;
  const stopped = new Promise<number>((resolve) => {
    onSignal = () => {
      detach();
      running.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
  });
  if (signalled) onSignal();
  io.out(`Callflow emulator listening on ${emu.url}\n`);
  // A made-up or seed key is printed (cli.md); a key the caller passed may be a real secret: never echoed.
  io.out(`API key: ${parsed.key ? 'as given with --key (not printed)' : emu.key}\n`);
  if (parsed.faults) io.err('fault injection enabled: POST /__emulator/faults\n');
  return stopped;
}
