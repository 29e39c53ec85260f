// Facts the rules need from disk, read one way for the CLI and the language server alike: the
// leads CSV's header, the workspace concurrency limit, and the walk that finds workflow files.
// Every repository file is untrusted input, so each read is confined and bounded:
//
// - `leads:` must be a relative path that stays inside the root (the repository or workspace
//   folder). Absolute paths, `..` escapes, symbolic links resolving outside the root and anything
//   that is not a regular file (a folder, FIFO, device such as /dev/zero, socket) are refused
//   without opening them. Only the header is read: at most LEADS_HEAD_BYTES, stopping at the end
//   of the first record. The result is structured (core/options.ts LeadsInfo: `columns`, or a
//   `problem` kind); core's WF125 words the one message both the CLI and the editor show, and
//   never quotes the file's content beyond column names that are valid variable names.
// - The walk skips dependency, build and dot folders, never follows symbolic links and stops at
//   a depth and a file count, so a hostile tree costs bounded work.
//
// API (everything else here is internal):
//   leadsRoot(workflowFile, { workspaceFolders?, cwd? })  → the folder `leads:` must stay in
//   readLeadsHeader(workflowFile, leadsPath, root)        → LeadsInfo (never throws)
//   new LeadsReader().read(workflowFile, leadsPath, root) → the same, cached by path/mtime/size
//   leadsPathFromData(data) / leadsPathFromText(text)     → the `leads:` value of a file
//   readWorkspaceLimit(workflowFile, warn?)               → WF105's limit from callflow.config.yaml
//   gatherValidateOptions(workflowFile, data, o?)         → offline ValidateOptions for one file
//   walkWorkflowFiles(dir, o?) / walkWorkflowFilesAsync(dir, o?) → workflow files under a folder
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { leadsInfoFromCsv } from '../core/leads';
import type { LeadsInfo, LeadsProblem, ValidateOptions } from '../core/options';
import { findConfig, readConfig, repositoryRoot, TargetError } from './targets';

export const WORKFLOW_SUFFIX = '.workflow.yaml';

/** The header is all the rules need; a huge (or endless) file is never read whole. */
export const LEADS_HEAD_BYTES = 64 * 1024;

// ---- The leads file ----

/**
 * The folder a workflow file's `leads:` must stay inside: the repository holding the file (the
 * nearest folder with `.git`), else the workspace folder holding it, else `cwd` when it holds
 * the file, else the file's own folder.
 */
export function leadsRoot(
  workflowFile: string,
  o: { workspaceFolders?: readonly string[]; cwd?: string } = {},
): string {
  const abs = path.resolve(o.cwd ?? process.cwd(), workflowFile);
  const dir = path.dirname(abs);
  const repo = repositoryRoot(dir);
  if (repo) return repo;
  const inside = (root: string) => isInside(path.resolve(root), abs);
  const folder = (o.workspaceFolders ?? []).filter(inside).sort((a, b) => b.length - a.length)[0];
  if (folder) return path.resolve(folder);
  if (o.cwd !== undefined && inside(o.cwd)) return path.resolve(o.cwd);
  if (o.cwd === undefined && inside(process.cwd())) return process.cwd();
  return dir;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

type Located = { abs: string; real: string; size: number; mtimeMs: number } | { problem: LeadsProblem };

/** Where `leadsPath` points, or why it may not be read. Opens nothing. */
function locate(workflowFile: string, leadsPath: string, root: string): Located {
  if (leadsPath.includes('\0')) return { problem: 'outside-root' };
  if (path.isAbsolute(leadsPath) || /^[A-Za-z]:[\\/]/.test(leadsPath) || leadsPath.startsWith('~'))
    return { problem: 'absolute' };
  const abs = path.resolve(path.dirname(path.resolve(workflowFile)), leadsPath);
  const rootAbs = path.resolve(root);
  if (!isInside(rootAbs, abs)) return { problem: 'outside-root' };
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A dangling link is "not found" only when it would land inside the root.
      try {
        lstatSync(abs);
        return { problem: 'outside-root' };
      } catch {
        return { problem: 'not-found' };
      }
    }
    return { problem: code === 'EACCES' ? 'permission-denied' : code === 'ELOOP' ? 'outside-root' : 'unreadable' };
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(rootAbs);
  } catch {
    realRoot = rootAbs;
  }
  if (!isInside(realRoot, real)) return { problem: 'outside-root' };
  let st;
  try {
    st = statSync(real);
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission-denied' : 'unreadable' };
  }
  if (st.isDirectory()) return { problem: 'folder' };
  if (!st.isFile()) return { problem: 'not-regular' };
  return { abs, real, size: st.size, mtimeMs: st.mtimeMs };
}

/** The bytes of the first CSV record (quoted line breaks included), at most LEADS_HEAD_BYTES. */
function readHead(real: string): { text: string } | { problem: LeadsProblem } {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO swapped in after the check cannot hang the open; O_NOFOLLOW: nor a link.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
    if (!fstatSync(fd).isFile()) return { problem: 'not-regular' };
    const buf = Buffer.alloc(LEADS_HEAD_BYTES);
    let len = 0;
    let quoted = false;
    let content = false; // blank leading lines (and a BOM) carry no record
    for (;;) {
      const n = readSync(fd, buf, len, Math.min(4096, buf.length - len), len);
      if (n <= 0) break;
      for (let i = len; i < len + n; i++) {
        const c = buf[i];
        if (c === 0) return { problem: 'not-text' };
        if (c === 0x22) quoted = !quoted;
        if ((c === 0x0a || c === 0x0d) && !quoted) {
          if (content) return { text: buf.subarray(0, i).toString('utf8') };
        } else if (c !== 0x20 && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf) content = true;
      }
      len += n;
      if (len >= buf.length) return { problem: 'header-too-long' };
    }
    return { text: buf.subarray(0, len).toString('utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'EACCES' || code === 'EPERM'
          ? 'permission-denied'
          : code === 'ELOOP'
            ? 'outside-root'
            : code === 'EISDIR'
              ? 'folder'
              : 'unreadable',
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The leads file's header as the rules need it. `leadsPath` is the value written in the workflow
 * file (relative to it); `root` the folder it must stay inside (see leadsRoot). Never throws.
 */
export function readLeadsHeader(workflowFile: string, leadsPath: string, root: string): LeadsInfo {
  const where = locate(workflowFile, leadsPath, root);
  if ('problem' in where) return { path: leadsPath, problem: where.problem };
  const head = readHead(where.real);
  if ('problem' in head) return { path: leadsPath, problem: head.problem };
  return leadsInfoFromCsv(leadsPath, head.text);
}

/** readLeadsHeader with a cache by resolved path, mtime and size (the language server's use). */
export class LeadsReader {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; info: LeadsInfo }>();

  read(workflowFile: string, leadsPath: string, root: string): LeadsInfo {
    const where = locate(workflowFile, leadsPath, root);
    if ('problem' in where) return { path: leadsPath, problem: where.problem };
    const key = `${where.real}\0${leadsPath}`;
    const hit = this.cache.get(key);
    if (hit && hit.mtimeMs === where.mtimeMs && hit.size === where.size) return hit.info;
    const head = readHead(where.real);
    const info =
      'problem' in head ? { path: leadsPath, problem: head.problem } : leadsInfoFromCsv(leadsPath, head.text);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { mtimeMs: where.mtimeMs, size: where.size, info });
    return info;
  }

  /** A CSV changed on disk. */
  clear(): void {
    this.cache.clear();
  }
}

/** Where a workflow's `leads:` file is (its real path, inside `root`), or why it may not be read. Opens nothing. */
export function locateLeadsFile(
  workflowFile: string,
  leadsPath: string,
  root: string,
): { path: string; size: number } | { problem: LeadsProblem } {
  const where = locate(workflowFile, leadsPath, root);
  return 'problem' in where ? where : { path: where.real, size: where.size };
}

/** The `leads:` value of a parsed workflow file, when it is a non-empty string. */
export function leadsPathFromData(data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const v = Object.prototype.hasOwnProperty.call(data, 'leads') ? (data as { leads?: unknown }).leads : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * The `leads:` value of a workflow file's text without parsing it (a top-level `leads:` line,
 * plain or quoted), for callers that need it before an analysis exists.
 */
export function leadsPathFromText(text: string): string | undefined {
  const m = /^leads:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(text);
  const v = m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : '';
  return v || undefined;
}

// ---- The workspace limit ----

/**
 * The workspace limit WF105 checks offline: `max_concurrent_calls` of the default target in the
 * nearest callflow.config.yaml (cli.md "Targets"; platform/targets.ts reads the file). No config or
 * no default target (the `local` target): no limit. A config that cannot be read gives a note
 * through `warn` and no limit: it stops push and plan, not validation.
 */
export function readWorkspaceLimit(workflowFile: string, warn: (m: string) => void = () => {}): number | undefined {
  const config = findConfig(path.dirname(path.resolve(workflowFile)));
  if (!config) return undefined;
  try {
    const cfg = readConfig(config);
    return cfg.defaultTarget ? cfg.targets.get(cfg.defaultTarget)?.max_concurrent_calls : undefined;
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    warn(`${e.message}; WF105 is skipped`);
    return undefined;
  }
}

/** Offline ValidateOptions for one workflow file (leads header, workspace limit); `data` is its parsed content. */
export function gatherValidateOptions(
  workflowFile: string,
  data: unknown,
  o: { root?: string; warn?: (m: string) => void; leads?: LeadsReader } = {},
): ValidateOptions {
  const options: ValidateOptions = {};
  const leads = leadsPathFromData(data);
  if (leads) {
    const root = o.root ?? leadsRoot(workflowFile);
    options.leads = o.leads ? o.leads.read(workflowFile, leads, root) : readLeadsHeader(workflowFile, leads, root);
  }
  const limit = readWorkspaceLimit(workflowFile, o.warn);
  if (limit !== undefined) options.workspaceLimit = limit;
  return options;
}

// ---- Finding workflow files ----

/** Folders never searched: dependencies, build output, and dot folders (.git, .callflow, .vscode-test…). */
export function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name === 'dist' || name === 'out' || name.startsWith('.');
}

export interface WalkOptions {
  /** Stop after this many files (default 100,000). */
  limit?: number;
  /** Deepest folder level searched (default 32). */
  maxDepth?: number;
  /** The file name ending searched for (default `.workflow.yaml`; `callflow test`: `.workflow.test.yaml`). */
  suffix?: string;
}

/**
 * Relative paths (with `/`) of the workflow files under `dir`, sorted, skipping isSkippedFolder
 * folders; symbolic links are not followed. Throws the fs error when `dir` itself is unreadable.
 */
export function walkWorkflowFiles(dir: string, o: WalkOptions = {}): string[] {
  const limit = o.limit ?? 100_000;
  const maxDepth = o.maxDepth ?? 32;
  const suffix = o.suffix ?? WORKFLOW_SUFFIX;
  const out: string[] = [];
  const walk = (abs: string, prefix: string, depth: number, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      if (top) throw e;
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.isDirectory()) {
        if (!isSkippedFolder(e.name) && depth < maxDepth)
          walk(path.join(abs, e.name), `${prefix}${e.name}/`, depth + 1, false);
      } else if (e.isFile() && e.name.endsWith(suffix)) out.push(prefix + e.name);
    }
  };
  walk(dir, '', 0, true);
  return out;
}

/** Absolute paths of the workflow files under `dir` (the language server's scan: never blocks for long). */
export async function walkWorkflowFilesAsync(dir: string, o: WalkOptions = {}): Promise<string[]> {
  const limit = o.limit ?? 100_000;
  const maxDepth = o.maxDepth ?? 32;
  const out: string[] = [];
  const walk = async (abs: string, depth: number): Promise<void> => {
    if (out.length >= limit) return;
    let entries;
    try {
      entries = await fsp.readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.isDirectory()) {
        if (!isSkippedFolder(e.name) && depth < maxDepth) await walk(path.join(abs, e.name), depth + 1);
      } else if (e.isFile() && e.name.endsWith(WORKFLOW_SUFFIX)) out.push(path.join(abs, e.name));
    }
  };
  await walk(dir, 0);
  return out;
}

/** Largest workflow file read (a hostile 10 GB file or a device is refused, not read). */
export const MAX_WORKFLOW_BYTES = 32 * 1024 * 1024;

/** Why a workflow file may not be read as text (undefined: it may). Opens nothing. */
export function workflowFileProblem(file: string): string | undefined {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  }
  if (st.isDirectory()) return 'is a folder';
  if (!st.isFile()) return 'not a regular file';
  if (st.size > MAX_WORKFLOW_BYTES) return `larger than ${MAX_WORKFLOW_BYTES / 1024 / 1024} MiB`;
  return undefined;
}
