// The one git reader: a file's text at a revision, the files changed between two revisions, and
// the revisions a person can pick. Used by the CLI (`diff REV:PATH`, `diff BASE..HEAD`, the git
// driver, the review action) and the editor (Compare with…). git runs with argument arrays, never
// a shell; paths are repository-relative and may not leave the repository; every call is bounded
// in time and output.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export class GitError extends Error {}

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; a non-zero exit is returned, not thrown (callers decide what it means). */
export function runGit(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        encoding: 'utf8',
        timeout: TIMEOUT_MS,
        maxBuffer: MAX_OUTPUT,
        // No pager, no prompt for credentials, no user config deciding the output format.
        env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new GitError('git is not installed (or not on PATH)'));
        if (err && (err as { killed?: boolean }).killed) return reject(new GitError(`git ${args[0]} timed out`));
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        if (err && code === 1 && /maxBuffer/.test(err.message)) return reject(new GitError('git output too large'));
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

const firstLine = (s: string) =>
  s
    .trim()
    .split('\n')[0]
    .replace(/^fatal: /, '');

/** A revision is a name git resolves, never an option: a leading `-` or a control character is refused. */
export function checkRevision(rev: string): void {
  if (!rev || rev.startsWith('-') || /[\u0000-\u001f\u007f]/.test(rev) || rev.length > 256)
    throw new GitError(`bad revision "${rev.replace(/[\u0000-\u001f\u007f]/g, '?')}"`);
}

/** The working tree's top folder for a path inside it (real path), or undefined outside git. */
export async function repoRoot(dirOrFile: string): Promise<string | undefined> {
  let dir = path.resolve(dirOrFile);
  while (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  const r = await runGit(['rev-parse', '--show-toplevel'], dir);
  return r.code === 0 ? realpathSync(r.stdout.trim()) : undefined;
}

/**
 * A file's path relative to the repository root, with `/`. The file need not exist (it may be
 * deleted in the work tree); a path outside the repository is refused.
 */
export function toRepoPath(root: string, file: string): string {
  let abs = path.resolve(file);
  // Resolve symlinks in the part of the path that exists, as git's top level is a real path.
  let existing = abs;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(path.basename(existing));
    const up = path.dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  if (existsSync(existing)) abs = path.join(realpathSync(existing), ...rest);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel))
    throw new GitError(`${file} is not inside the repository ${root}`);
  return rel.split(path.sep).join('/');
}

function checkRepoPath(p: string): void {
  if (!p || p.startsWith('/') || p.split('/').some((s) => s === '..' || s === '') || /[\u0000]/.test(p))
    throw new GitError(`not a repository-relative path: ${p}`);
}

/** The commit a revision names (full hash); GitError when it names none. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  checkRevision(rev);
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], root);
  if (r.code !== 0) throw new GitError(`unknown revision "${rev}"`);
  return r.stdout.trim();
}

/**
 * A file's text at a revision; undefined when the file is not in that revision. GitError when the
 * revision is unknown or the path is not a file there.
 */
export async function readAtRevision(root: string, rev: string, repoPath: string): Promise<string | undefined> {
  checkRepoPath(repoPath);
  const commit = await resolveCommit(root, rev);
  const ls = await runGit(['ls-tree', '-z', commit, '--', repoPath], root);
  if (ls.code !== 0) throw new GitError(`cannot read ${rev}:${repoPath}: ${firstLine(ls.stderr)}`);
  if (!ls.stdout) return undefined;
  const [meta] = ls.stdout.split('\t');
  if (meta.split(' ')[1] !== 'blob') throw new GitError(`${rev}:${repoPath} is not a file`);
  const r = await runGit(['cat-file', 'blob', `${commit}:${repoPath}`], root);
  if (r.code !== 0) throw new GitError(`cannot read ${rev}:${repoPath}: ${firstLine(r.stderr)}`);
  return r.stdout;
}

export interface ChangedFile {
  change: 'added' | 'deleted' | 'modified' | 'renamed';
  /** Repository-relative; the old path for a deleted file. */
  path: string;
  /** A renamed file's old path. */
  oldPath?: string;
}

/**
 * Files that differ between two commits (git's rename detection pairs moved files), limited to
 * pathspecs (repository-relative; none: every file).
 */
export async function changedFiles(
  root: string,
  base: string,
  head: string,
  pathspecs: readonly string[] = [],
): Promise<ChangedFile[]> {
  const [b, h] = [await resolveCommit(root, base), await resolveCommit(root, head)];
  for (const p of pathspecs) checkRepoPath(p.replace(/^:\(glob\)/, '').replace(/\*+/g, 'x'));
  const r = await runGit(['diff', '--name-status', '-z', '-M', '--no-ext-diff', b, h, '--', ...pathspecs], root);
  if (r.code !== 0) throw new GitError(`git diff failed: ${firstLine(r.stderr)}`);
  const parts = r.stdout.split('\0');
  const out: ChangedFile[] = [];
  for (let i = 0; i < parts.length - 1; ) {
    const status = parts[i++];
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[i++],
        to = parts[i++];
      out.push(status.startsWith('R') ? { change: 'renamed', path: to, oldPath: from } : { change: 'added', path: to });
    } else {
      const p = parts[i++];
      out.push({ change: status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified', path: p });
    }
  }
  return out;
}

/**
 * `A..B` (B against A) or `A...B` (B against where it forked from A); an empty side is HEAD.
 * Undefined for anything else, including paths such as `../x.workflow.yaml` and `REV:PATH`.
 */
export function parseRange(spec: string): { base: string; head: string; symmetric: boolean } | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.includes(':') || /\.ya?ml$/i.test(spec)) return undefined;
  const sym = spec.indexOf('...');
  const at = sym >= 0 ? sym : spec.indexOf('..');
  if (at < 0) return undefined;
  const base = spec.slice(0, at),
    head = spec.slice(at + (sym >= 0 ? 3 : 2));
  if (head.includes('..')) return undefined;
  return { base: base || 'HEAD', head: head || 'HEAD', symmetric: sym >= 0 };
}

/** The commit to diff from for a range: its base, or the merge base for `A...B`. */
export async function rangeBase(
  root: string,
  range: { base: string; head: string; symmetric: boolean },
): Promise<string> {
  if (!range.symmetric) return resolveCommit(root, range.base);
  const [a, b] = [await resolveCommit(root, range.base), await resolveCommit(root, range.head)];
  const r = await runGit(['merge-base', a, b], root);
  if (r.code !== 0) throw new GitError(`${range.base} and ${range.head} have no common ancestor`);
  return r.stdout.trim();
}

export interface Revision {
  /** What to pass back to readAtRevision. */
  rev: string;
  kind: 'branch' | 'remote' | 'tag' | 'commit';
  description?: string;
}

/** Branches, remote branches, tags, then the latest commits: what a "Compare with…" picker offers. */
export async function listRevisions(root: string, commits = 30): Promise<Revision[]> {
  const out: Revision[] = [];
  const refs = await runGit(
    ['for-each-ref', '--format=%(refname)%09%(subject)', '--count=500', 'refs/heads', 'refs/remotes', 'refs/tags'],
    root,
  );
  if (refs.code === 0)
    for (const line of refs.stdout.split('\n').filter(Boolean)) {
      const [ref, subject] = line.split('\t');
      const m = /^refs\/(heads|remotes|tags)\/(.+)$/.exec(ref);
      if (!m || m[2].endsWith('/HEAD')) continue;
      const kind = m[1] === 'heads' ? 'branch' : m[1] === 'remotes' ? 'remote' : 'tag';
      out.push({ rev: m[2], kind, description: subject });
    }
  const log = await runGit(['log', `-n${commits}`, '--format=%h%x09%s', 'HEAD', '--'], root);
  if (log.code === 0)
    for (const line of log.stdout.split('\n').filter(Boolean)) {
      const [hash, subject] = line.split('\t');
      out.push({ rev: hash, kind: 'commit', description: subject });
    }
  return out;
}

/** git's own unified line diff of two files on disk (no external driver, so a driver may call it). */
export async function lineDiffFiles(oldFile: string, newFile: string, cwd = process.cwd()): Promise<string> {
  const r = await runGit(['diff', '--no-index', '--no-ext-diff', '--no-color', '--', oldFile, newFile], cwd);
  return r.stdout;
}
