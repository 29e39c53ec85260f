import type { Command } from './index';
import { CliError } from '../io';

export const validate: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('validate is not implemented yet'); },
};
