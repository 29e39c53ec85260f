// Finding every *.workflow.yaml under the workspace folders, once at start (asynchronously, so the
// server answers while it scans); file watching keeps the index current afterwards.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.callflow', '.vscode-test']);

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

export async function scanFolder(root: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (out.length >= limit || depth > 20) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) await walk(path.join(dir, e.name), depth + 1);
      } else if (e.isFile() && e.name.endsWith('.workflow.yaml')) out.push(path.join(dir, e.name));
    }
  };
  await walk(root, 0);
  return out;
}
