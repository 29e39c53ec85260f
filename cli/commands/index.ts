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
import { serve } from './serve';
import { test } from './test';
import { validate } from './validate';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

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
