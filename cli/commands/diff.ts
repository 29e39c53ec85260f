import type { Command } from './index';
import { CliError } from '../io';

export const diff: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('diff is not implemented yet'); },
};
