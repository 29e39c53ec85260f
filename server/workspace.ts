// Finding every *.workflow.yaml under the workspace folders, once at start (asynchronously, so the
// server answers while it scans); file watching keeps the index current afterwards. The browser
// server is built with server/browser/workspace.ts in its place (no disk; every uri is virtual).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { walkWorkflowFilesAsync } from '../platform/workspace-files';

export { isWorkflowUri } from './workflow-uri';

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** The uri of `relative` (a path a workflow file names, e.g. its `leads:`) beside the file `uri`. */
export function siblingUri(uri: string, relative: string): string | undefined {
  const file = uriToPath(uri);
  return file ? pathToUri(path.resolve(path.dirname(file), relative)) : undefined;
}

/** The workflow files under a workspace folder: the walk the CLI uses (platform/workspace-files.ts). */
export function scanFolder(root: string, limit: number): Promise<string[]> {
  return walkWorkflowFilesAsync(root, { limit });
}
