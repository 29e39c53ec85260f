import type { Command } from './index';
import { CliError } from '../io';

export const activate: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('activate is not implemented yet'); },
};
