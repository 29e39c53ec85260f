// The `local` target: the platform emulator (dist/emulator.js, the same program as `callflow api
// serve`), started on demand as a child process of the extension host and stopped with it. A child
// process keeps a crash of one out of the other. When it cannot start, the user gets one sentence
// saying why and a *Show Output* button; its whole stderr goes to the output channel, never into
// the message.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { log } from './log';
import { UserError } from './user-error';

export const LOCAL_KEY = 'cf_local_dev';
const START_TIMEOUT_MS = 15000;

interface Running {
  url: string;
  proc: ChildProcess;
}
const running = new Map<string, Promise<Running>>();

/** The emulator did not start; `message` is one sentence, `short` fits a status bar. */
export class EmulatorStartError extends UserError {
  constructor(
    message: string,
    readonly short: string,
  ) {
    super(message, { title: 'Show Output', command: 'callflow.showOutput' });
  }
}

const startedListeners = new Set<() => void>();

/** Called each time a local emulator starts listening: from then on the server's online checks can use it. */
export function onLocalEmulatorStarted(listener: () => void): { dispose(): void } {
  startedListeners.add(listener);
  return { dispose: () => startedListeners.delete(listener) };
}

/** The emulator already running (or starting) on this database; never starts one. */
export async function runningLocalEmulator(dbPath: string): Promise<{ url: string; key: string } | undefined> {
  const r = await running.get(dbPath)?.catch(() => undefined);
  return r && { url: r.url, key: LOCAL_KEY };
}

export function startLocalEmulator(extensionPath: string, dbPath: string): Promise<{ url: string; key: string }> {
  let p = running.get(dbPath);
  if (!p) {
    p = spawnEmulator(extensionPath, dbPath);
    running.set(dbPath, p);
    p.catch(() => running.delete(dbPath));
  }
  return p.then((r) => ({ url: r.url, key: LOCAL_KEY }));
}

/**
 * One sentence for why the emulator stopped, from what it printed. The known causes get their own
 * words; anything else points at the output, where the full text is.
 */
export function whyEmulatorFailed(stderr: string, code: number | null, dbPath: string): string {
  const missing = /Cannot find module '([^']+)'/.exec(stderr);
  if (missing)
    return `The local emulator could not start: this installation of the extension lacks the module "${missing[1]}".`;
  if (/EACCES|EPERM|EROFS/.test(stderr))
    return `The local emulator could not start: it may not write its database ${dbPath}.`;
  if (/SQLITE_CORRUPT|file is not a database|malformed/i.test(stderr))
    return `The local emulator could not start: its database ${dbPath} is damaged (delete it to start afresh).`;
  if (/SQLITE_BUSY|database is locked/i.test(stderr))
    return `The local emulator could not start: its database ${dbPath} is locked by another process.`;
  if (/seed/i.test(stderr) && code === 2) return 'The local emulator could not start: its seed data could not be read.';
  return `The local emulator could not start (it exited with code ${code ?? 'none'}).`;
}

function spawnEmulator(extensionPath: string, dbPath: string): Promise<Running> {
  const script = path.join(extensionPath, 'dist', 'emulator.js');
  try {
    mkdirSync(path.dirname(dbPath), { recursive: true });
  } catch (e) {
    log(`local emulator: cannot create ${path.dirname(dbPath)}: ${(e as Error).message}`);
    return Promise.reject(
      new EmulatorStartError(
        `The local emulator could not start: the folder ${path.dirname(dbPath)} cannot be created.`,
        'emulator not started',
      ),
    );
  }
  // In a desktop VS Code the extension host is Electron: run it as plain Node.
  const proc = spawn(process.execPath, [script, '--port', '0', '--db', dbPath, '--key', LOCAL_KEY, '--quiet'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let settled = false;
    const fail = (e: EmulatorStartError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => {
      proc.kill();
      log(`local emulator did not start within ${START_TIMEOUT_MS / 1000} s`);
      fail(
        new EmulatorStartError(
          `The local emulator did not start within ${START_TIMEOUT_MS / 1000} seconds.`,
          'emulator not started',
        ),
      );
    }, START_TIMEOUT_MS);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        log(`local emulator (pid ${proc.pid}) on ${m[1]}, database ${dbPath}`);
        resolve({ url: m[1], proc });
        // After `running` holds it (resolve above): a listener that asks runningLocalEmulator finds it.
        for (const l of startedListeners) queueMicrotask(l);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => {
      const text = d.toString();
      err += text;
      // Everything it says goes to the output (where "Show Output" leads), not into messages.
      for (const line of text.split('\n')) if (line.trim()) log(`[emulator] ${line}`);
    });
    proc.on('error', (e) => {
      log(`local emulator: cannot run ${process.execPath}: ${e.message}`);
      fail(
        new EmulatorStartError(
          'The local emulator could not start: its process could not be created.',
          'emulator not started',
        ),
      );
    });
    proc.on('exit', (code) => {
      running.delete(dbPath);
      if (settled) {
        log(`local emulator (pid ${proc.pid}) exited (${code})`);
        return;
      }
      fail(new EmulatorStartError(whyEmulatorFailed(err, code, dbPath), 'emulator not started'));
    });
  });
}

export async function stopLocalEmulators(): Promise<void> {
  const all = [...running.values()];
  running.clear();
  await Promise.all(
    all.map(async (p) => {
      try {
        const r = await p;
        await new Promise<void>((resolve) => {
          r.proc.once('exit', () => resolve());
          r.proc.kill('SIGTERM');
          setTimeout(resolve, 2000);
        });
      } catch {
        /* it never started */
      }
    }),
  );
}
