import type { Command } from './index';
import { CliError } from '../io';

export const push: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('push is not implemented yet'); },
};
