import type { Command } from './index';
import { CliError } from '../io';

export const graph: Command = {
  summary: 'not implemented yet',
  async run() { throw new CliError('graph is not implemented yet'); },
};
