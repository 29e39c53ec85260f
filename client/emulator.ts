// The `local` target: the platform emulator (dist/emulator.js, the same program as `callflow api
// serve`), started on demand as a child process of the extension host and stopped with it. A child
// process keeps SQLite's native module out of the extension host and a crash of one out of the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { log } from './log';

export const LOCAL_KEY = 'cf_local_dev';

interface Running {
  url: string;
  proc: ChildProcess;
}
const running = new Map<string, Promise<Running>>();

export function startLocalEmulator(extensionPath: string, dbPath: string): Promise<{ url: string; key: string }> {
  let p = running.get(dbPath);
  if (!p) {
    p = spawnEmulator(extensionPath, dbPath);
    running.set(dbPath, p);
    p.catch(() => running.delete(dbPath));
  }
  return p.then((r) => ({ url: r.url, key: LOCAL_KEY }));
}

function spawnEmulator(extensionPath: string, dbPath: string): Promise<Running> {
  mkdirSync(path.dirname(dbPath), { recursive: true });
  const script = path.join(extensionPath, 'dist', 'emulator.js');
  // In a desktop VS Code the extension host is Electron: run it as plain Node.
  const proc = spawn(process.execPath, [script, '--port', '0', '--db', dbPath, '--key', LOCAL_KEY, '--quiet'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`the local emulator did not start within 15 s: ${out.trim()}`));
    }, 15000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        log(`local emulator (pid ${proc.pid}) on ${m[1]}, database ${dbPath}`);
        resolve({ url: m[1], proc });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      running.delete(dbPath);
      reject(new Error(`the local emulator exited (${code}): ${out.trim().split('\n').slice(-3).join(' ')}`));
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
