// The command table. Each command lives in its own module.
import { activate } from './activate';
import { diff } from './diff';
import { fmt } from './fmt';
import { graph } from './graph';
import { leads } from './leads';
import { lifecycle } from './lifecycle';
import { plan } from './plan';
import { pull } from './pull';
import { push } from './push';
import { test } from './test';
import { validate } from './validate';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

/**
 * `api serve` runs the emulator, whose SQLite (WebAssembly) is instantiated when its module loads:
 * loaded only when the command runs, so every other command starts without it.
 */
const serve: Command = {
  summary: 'api serve: run the local platform API emulator',
  run: async (args) => (await import('./serve')).serve.run(args),
};

export const COMMANDS: Record<string, Command> = {
  validate,
  test,
  fmt,
  graph,
  diff,
  plan,
  push,
  activate,
  pause: lifecycle('pause'),
  resume: lifecycle('resume'),
  cancel: lifecycle('cancel'),
  status: lifecycle('status'),
  pull,
  leads,
  api: serve,
};
