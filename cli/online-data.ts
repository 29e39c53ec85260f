// The WF2xx facts `callflow validate --online` adds: from the file's target (its nearest
// callflow.config.yaml's default target, or the local emulator). A module of its own, imported only
// with --online, so the offline validate path (a pre-commit hook, CI) holds no platform client.
import type { OnlineData } from '../core/options';
import { gatherOnlineDataForFile } from '../platform/online';
import { CliError, EXIT } from './io';
import { apiFailure, withPlatform } from './platform-context';

/** Any failure to get them means the command could not run as asked: exit 2. */
export async function onlineData(file: string): Promise<OnlineData> {
  try {
    return await withPlatform(file, {}, (ctx) => gatherOnlineDataForFile(ctx.target, file, ctx.client));
  } catch (e) {
    const err = apiFailure(e, `${file}: online checks failed`);
    throw new CliError(err.message, EXIT.usage);
  }
}
