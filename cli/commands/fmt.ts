import type { Command } from './index';
import { CliError } from '../io';

export const fmt: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('fmt is not implemented yet'); },
};
