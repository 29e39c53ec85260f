import type { Command } from './index';
import { CliError } from '../io';

export function lifecycle(verb: 'pause' | 'resume' | 'cancel' | 'status'): Command {
  return { summary: 'not implemented yet', async run() { throw new CliError(`${verb} is not implemented yet`); } };
}
