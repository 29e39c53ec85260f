// platform/workspace-files.ts as the browser server sees it (scripts/build.mjs puts this module in
// its place in dist/browser/server.js). server/documents.ts reads the leads header through it only
// for a file with a local path, and in the browser no uri has one (server/browser/workspace.ts):
// these are never called, and say so if they ever are.
import type { LeadsInfo } from '../../core/options';

const NO_DISK = 'files beside a workflow are not read in the browser';

export function leadsPathFromText(_text: string): string | undefined {
  return undefined;
}

export function leadsRoot(_workflowFile: string): string {
  throw new Error(NO_DISK);
}

export class LeadsReader {
  read(_workflowFile: string, _leadsPath: string, _root: string): LeadsInfo {
    throw new Error(NO_DISK);
  }
  clear(): void {}
}
