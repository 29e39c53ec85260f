// server/workspace.ts as the browser server sees it (scripts/build.mjs puts this module in its place
// in dist/browser/server.js). In a Web Worker there is no disk: every document is virtual (github.dev's
// vscode-vfs:, vscode.dev's file system access), so no uri is a local path, nothing is indexed and
// the disk facts that need a path (the leads header, the workspace limit) are off.
import type * as NodeWorkspace from '../workspace';

export { isWorkflowUri } from '../workflow-uri';

export function uriToPath(_uri: string): string | undefined {
  return undefined;
}

export function pathToUri(p: string): string {
  throw new Error(`no local paths in the browser (${p})`);
}

/** `relative` beside `uri`, by uri arithmetic (each segment escaped), for the leads link. */
export function siblingUri(uri: string, relative: string): string | undefined {
  try {
    return new URL(relative.split('/').map(encodeURIComponent).join('/'), uri).toString();
  } catch {
    return undefined;
  }
}

export async function scanFolder(_root: string, _limit: number): Promise<string[]> {
  return [];
}

// Kept in step with the module it replaces: a missing or different export fails the typecheck.
({ uriToPath, pathToUri, siblingUri, scanFolder }) satisfies Omit<typeof NodeWorkspace, 'isWorkflowUri'>;
