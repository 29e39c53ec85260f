// What a semantic diff needs besides the two texts: the node identities from the state files beside
// the workflow (read from disk or from the same git revision), and, for `diff BASE..HEAD`, every
// workflow file changed between two commits with both its versions.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffWorkflows, type FileDiff, type NodeIdentity } from '../core/diff';
import { changedFiles, readAtRevision, type ChangedFile } from './git';
import { parseState, statePathFor, type StateFile } from './state';
import { WORKFLOW_SUFFIX } from './workspace-files';

/** Most workflow files one range diff reads (a bounded amount of work per review). */
export const MAX_RANGE_FILES = 500;

/** key → `target/id` tokens: two keys sharing a token are the same platform node. */
export function nodeTokens(state: StateFile): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [target, t] of state.targets)
    for (const [key, n] of t.nodes) out.set(key, [...(out.get(key) ?? []), `${target}/${n.id}`]);
  return out;
}

/** Identities from both state texts; undefined when either is missing or damaged (similarity decides then). */
export function identityFrom(oldState: string | undefined, newState: string | undefined): NodeIdentity | undefined {
  if (oldState === undefined || newState === undefined) return undefined;
  try {
    return { old: nodeTokens(parseState(oldState, 'old state')), new: nodeTokens(parseState(newState, 'new state')) };
  } catch {
    return undefined;
  }
}

/** The state file's repository path for a workflow's repository path. */
export function stateRepoPath(repoPath: string): string {
  return statePathFor(repoPath).split(path.sep).join('/');
}

/** The state file beside a workflow file on disk, if any. */
export function stateTextBeside(file: string): string | undefined {
  const s = statePathFor(file);
  return existsSync(s) ? readFileSync(s, 'utf8') : undefined;
}

/** The state file at a revision (undefined when absent or unreadable: it only sharpens the diff). */
export async function stateTextAt(root: string, rev: string, repoPath: string): Promise<string | undefined> {
  try {
    return await readAtRevision(root, rev, stateRepoPath(repoPath));
  } catch {
    return undefined;
  }
}

/** Every workflow file changed between two commits, diffed semantically (added and deleted files too). */
export async function diffRange(
  root: string,
  base: string,
  head: string,
  pathspecs: readonly string[] = [],
): Promise<FileDiff[]> {
  const files = (await changedFiles(root, base, head, pathspecs)).filter(
    (f) => f.path.endsWith(WORKFLOW_SUFFIX) || (f.oldPath !== undefined && f.oldPath.endsWith(WORKFLOW_SUFFIX)),
  );
  if (files.length > MAX_RANGE_FILES)
    throw new Error(`${files.length} workflow files changed: more than ${MAX_RANGE_FILES}; name the paths to diff`);
  const out: FileDiff[] = [];
  for (const f of files) out.push(await diffChanged(root, base, head, f));
  return out;
}

async function diffChanged(root: string, base: string, head: string, f: ChangedFile): Promise<FileDiff> {
  const oldPath = f.oldPath ?? f.path;
  const oldText = f.change === 'added' ? undefined : await readAtRevision(root, base, oldPath);
  const newText = f.change === 'deleted' ? undefined : await readAtRevision(root, head, f.path);
  const identity = identityFrom(await stateTextAt(root, base, oldPath), await stateTextAt(root, head, f.path));
  const d = diffWorkflows(oldText, newText, identity ? { identity } : {});
  const common = { path: f.path, change: f.change, ...(f.oldPath ? { oldPath: f.oldPath } : {}) };
  if ('error' in d)
    return { ...common, error: d.error.replace(/^old:/, `${base}:${oldPath}:`).replace(/^new:/, `${head}:${f.path}:`) };
  return { ...common, diff: d, ...(newText !== undefined ? { newText } : {}) };
}
