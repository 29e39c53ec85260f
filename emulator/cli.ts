// `callflow api serve` and `node dist/emulator.js` share this: parse options, start, print the URL
// and key, and shut down cleanly on SIGINT/SIGTERM.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { OutcomesError, readOutcomesFile, type OutcomesSpec } from './outcomes';
import { DEFAULT_DB_PATH, isLoopbackHost, startEmulator } from './server';
import { SeedError } from './seed';

export const KEY_ENV = 'CALLFLOW_EMULATOR_KEY';

export const SERVE_USAGE = `usage: callflow api serve [--port N] [--db FILE] [--seed FILE] [--key KEY | --key-file FILE]
                         [--host HOST] [--clock virtual|real] [--speed N] [--outcomes FILE] [--faults] [--quiet]

  --port N          port to listen on (default 4010; 0 picks a free one)
  --db FILE         SQLite database (default ${DEFAULT_DB_PATH}); kept across restarts
  --seed FILE       workspaces, keys, agents and phone numbers (default: the bundled seed)
  --key KEY         the API key the default workspace accepts (default: ${KEY_ENV} from the
                    environment, else the seed's, else a new one). A key on the command line is
                    visible to other users in the process list: prefer --key-file or ${KEY_ENV}.
                    A key given in any of these ways is never printed
  --key-file FILE   read that key from FILE (its first line)
  --host HOST       interface to bind (default 127.0.0.1). Another interface with the bundled seed's
                    public keys makes the emulator usable by anyone who can reach it: a warning says so
  --clock virtual   (default) time moves only with POST /__emulator/advance {"hours": H}
  --clock real      time moves by itself, N virtual seconds per real second (--speed N, default 1)
  --outcomes FILE   call outcomes per agent id or node id/label (fixed sequences or seeded weights);
                    default: a seeded mix (see docs/emulator.md, "The clock")
  --faults          enable the fault-injection control endpoint /__emulator/faults
  --quiet           no request errors on stderr

Control endpoints (outside /v1; each needs a workspace's key as a Bearer token): GET /__emulator/clock,
POST /__emulator/advance, GET /__emulator/events?workflow_id=ID, GET|DELETE /__emulator/stats,
GET /__emulator/workspaces, and with --faults GET|POST|DELETE /__emulator/faults and
POST /__emulator/faults/release. A fault rule: {method?, path? (regex), nth?, times?, status?,
retryAfter?, latencyMs?, reset?, after?, late?, lateMs?, hold?}; reset drops the connection without
running the request, after runs it then drops the connection, late drops the connection at once and
runs the request lateMs later (a queueing gateway), or, with hold, when /__emulator/faults/release is posted.`;

export interface ServeArgs {
  port: number;
  db: string;
  seed?: string;
  key?: string;
  /** Where the key came from, for the startup line (the key itself is never printed). */
  keySource?: string;
  keyFile?: string;
  clock: 'virtual' | 'real';
  /** Virtual seconds per real second with --clock real. */
  speed: number;
  outcomes?: string;
  host: string;
  faults: boolean;
  quiet: boolean;
}

export class UsageError extends Error {}

export function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const out: ServeArgs = {
    port: 4010,
    db: DEFAULT_DB_PATH,
    host: '127.0.0.1',
    faults: false,
    quiet: false,
    clock: 'virtual',
    speed: 1,
  };
  let speedGiven = false;
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
        out.keySource = '--key';
        break;
      case '--key-file':
        out.keyFile = value();
        break;
      case '--host':
        out.host = value();
        break;
      case '--clock': {
        const v = value();
        if (v !== 'virtual' && v !== 'real') throw new UsageError(`--clock must be virtual or real, not "${v}"`);
        out.clock = v;
        break;
      }
      case '--speed': {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > 1e7)
          throw new UsageError(`--speed must be a number above 0 (virtual seconds per real second), not "${v}"`);
        out.speed = n;
        speedGiven = true;
        break;
      }
      case '--outcomes':
        out.outcomes = value();
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
  if (out.key !== undefined && out.keyFile !== undefined) throw new UsageError('give --key or --key-file, not both');
  if (speedGiven && out.clock !== 'real') throw new UsageError('--speed needs --clock real');
  return out;
}

/**
 * The key from --key-file or the environment when --key is not given (bounded read: the file is a
 * key, not data). The one home of the emulator key's sources, for `callflow api serve` and
 * `node dist/emulator.js` alike.
 */
export function resolveKey(args: ServeArgs, env: NodeJS.ProcessEnv = process.env): void {
  if (args.key !== undefined) return;
  if (args.keyFile !== undefined) {
    let text = '';
    let problem: string | undefined;
    try {
      // A FIFO would block and a device never end: a key file is a small regular file.
      if (!statSync(args.keyFile).isFile()) problem = 'not a regular file';
      else {
        const fd = openSync(args.keyFile, 'r');
        try {
          const buf = Buffer.alloc(4096);
          text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
        } finally {
          closeSync(fd);
        }
      }
    } catch (e) {
      problem = (e as NodeJS.ErrnoException).code ?? 'error';
    }
    if (problem) throw new UsageError(`cannot read --key-file ${args.keyFile}: ${problem}`);
    const key = text.split(/\r?\n/)[0].trim();
    if (!/^\S+$/.test(key)) throw new UsageError(`--key-file ${args.keyFile}: the first line must hold the key`);
    args.key = key;
    args.keySource = '--key-file';
    return;
  }
  const fromEnv = env[KEY_ENV]?.trim();
  if (fromEnv) {
    args.key = fromEnv;
    args.keySource = KEY_ENV;
  }
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
  let outcomes: OutcomesSpec | undefined;
  try {
    resolveKey(parsed);
    if (parsed.outcomes) outcomes = readOutcomesFile(parsed.outcomes);
  } catch (e) {
    if (e instanceof OutcomesError) {
      io.err(`callflow api serve: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`callflow api serve: ${e.message}\n`);
      return 2;
    }
    throw e;
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
      clock: parsed.clock,
      speed: parsed.speed,
      outcomes,
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
  // Said before the URL: whoever reads the URL may stop reading there.
  if (!isLoopbackHost(parsed.host) && emu.publicKeys.length > 0)
    io.err(
      `warning: listening on ${parsed.host}, beyond this machine, while ${emu.publicKeys.length} key(s) of the bundled seed ` +
        `(public, e.g. ${emu.publicKeys[0]}) are accepted: anyone who can reach this port can use the API and ` +
        `/__emulator/*. Give --seed with your own keys, or bind 127.0.0.1.\n`,
    );
  io.out(`Callflow emulator listening on ${emu.url}\n`);
  // A made-up or seed key is printed (cli.md); a key the caller passed may be a real secret: never echoed.
  io.out(`API key: ${parsed.key ? `as given with ${parsed.keySource} (not printed)` : emu.key}\n`);
  if (parsed.faults) io.err('fault injection enabled: POST /__emulator/faults\n');
  return stopped;
}
