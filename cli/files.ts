// The CLI's file system side: finding workflow files, reading them, writing them back safely, and
// gathering the facts the rules need from disk (leads CSV header, workspace limit).
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  chmodSync,
  unlinkSync,
} from 'node:fs';
import path from 'node:path';
import { leadsInfoFromCsv } from '../core/leads';
import type { LeadsInfo, ValidateOptions } from '../core/options';
import { findConfig, readConfig, TargetError } from '../platform/targets';
import { CliError, EXIT } from './io';

export const WORKFLOW_SUFFIX = '.workflow.yaml';

/**
 * Workflow files named by the arguments, each spelled as given: a file as typed, a folder's files
 * as `folder/sub/x.workflow.yaml` (relative when the folder was given relative). Folders are
 * searched recursively, skipping node_modules and dot folders; files come sorted. No argument
 * means the current folder. A path that does not exist is a usage error (exit 2).
 */
export function findWorkflowFiles(args: readonly string[], cwd = process.cwd(), suffix = WORKFLOW_SUFFIX): string[] {
  const roots = args.length ? args : ['.'];
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const k = path.resolve(cwd, p);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  };
  for (const given of roots) {
    const abs = path.resolve(cwd, given);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new CliError(`path not found: ${given}`, EXIT.usage);
    }
    if (st.isDirectory()) {
      for (const rel of walk(abs, '', suffix)) add(given === '.' ? rel : joinAsGiven(given, rel));
    } else add(given);
  }
  return out;
}

function joinAsGiven(given: string, rel: string): string {
  return given.endsWith('/') || given.endsWith(path.sep) ? given + rel : `${given}/${rel}`;
}

/** Relative paths (with `/`) of the workflow files under a folder. */
function walk(dir: string, prefix = '', suffix = WORKFLOW_SUFFIX): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new CliError(`cannot read folder ${dir}: ${(e as Error).message}`, EXIT.usage);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(...walk(path.join(dir, e.name), `${prefix}${e.name}/`, suffix));
    } else if (e.isFile() && e.name.endsWith(suffix)) out.push(prefix + e.name);
  }
  return out;
}

/** A text file's content; unreadable → CliError with exit 2 and the reason. */
export function readTextFile(file: string, cwd = process.cwd()): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a folder'
            : (e as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`, EXIT.usage);
  }
}

/** Replaces a file's content through a temporary file and a rename, keeping its mode: never half-written. */
export function writeTextFileAtomic(file: string, text: string, cwd = process.cwd()): void {
  const abs = path.resolve(cwd, file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    const mode = statSync(abs).mode & 0o7777;
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, abs);
  } catch (e) {
    try {
      if (existsSync(tmp)) unlinkSync(tmp);
    } catch {
      /* nothing more to clean */
    }
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`, EXIT.usage);
  }
}

/** The header is all the rules need; a huge lead file is not read whole. */
const LEADS_HEAD_BYTES = 64 * 1024;

export function readLeadsInfo(workflowFile: string, leadsPath: string, cwd = process.cwd()): LeadsInfo {
  const abs = path.resolve(path.dirname(path.resolve(cwd, workflowFile)), leadsPath);
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const buf = Buffer.alloc(LEADS_HEAD_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return leadsInfoFromCsv(leadsPath, buf.subarray(0, n).toString('utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      path: leadsPath,
      error:
        code === 'ENOENT'
          ? 'file not found'
          : code === 'EISDIR'
            ? 'is a folder'
            : code === 'EACCES'
              ? 'permission denied'
              : (e as Error).message,
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The workspace limit WF105 checks offline: `max_concurrent_calls` of the default target in the
 * nearest callflow.config.yaml (cli.md "Targets"; platform/targets.ts reads the file). No config or
 * no default target (the `local` target): no limit. A config that cannot be read gives a note on
 * stderr and no limit: it stops push and plan, not validation.
 */
export function readWorkspaceLimit(
  workflowFile: string,
  cwd = process.cwd(),
  warn: (m: string) => void = (m) => process.stderr.write(`callflow: ${m}\n`),
): number | undefined {
  const config = findConfig(path.dirname(path.resolve(cwd, workflowFile)));
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

/** ValidateOptions from disk for one workflow file (offline facts only); `data` is its parsed content. */
export function gatherValidateOptions(file: string, data: unknown, cwd = process.cwd()): ValidateOptions {
  const options: ValidateOptions = {};
  const leads = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).leads : undefined;
  if (typeof leads === 'string' && leads.trim() !== '') options.leads = readLeadsInfo(file, leads, cwd);
  const limit = readWorkspaceLimit(file, cwd);
  if (limit !== undefined) options.workspaceLimit = limit;
  return options;
}
