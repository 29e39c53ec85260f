import type { Command } from './index';
import { CliError } from '../io';

export const plan: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('plan is not implemented yet'); },
};
