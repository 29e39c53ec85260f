import type { Command } from './index';
import { CliError } from '../io';

export const pull: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('pull is not implemented yet'); },
};
