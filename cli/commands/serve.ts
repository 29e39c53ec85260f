import type { Command } from './index';
import { CliError } from '../io';

export const serve: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('api serve is not implemented yet'); },
};
