// Finding every *.workflow.yaml under the workspace folders, once at start (asynchronously, so the
// server answers while it scans); file watching keeps the index current afterwards.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { walkWorkflowFilesAsync } from '../platform/workspace-files';

export function isWorkflowUri(uri: string): boolean {
  return uri.endsWith('.workflow.yaml');
}

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

/** The workflow files under a workspace folder: the walk the CLI uses (platform/workspace-files.ts). */
export function scanFolder(root: string, limit: number): Promise<string[]> {
  return walkWorkflowFilesAsync(root, { limit });
}
