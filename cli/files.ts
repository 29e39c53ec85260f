// The CLI's file system side: finding workflow files, reading them, writing them back safely. The
// facts the rules need from disk (leads header, workspace limit) and the folder walk come from
// platform/workspace-files.ts, the one module the language server uses too.
import { chmodSync, existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LeadsInfo, ValidateOptions } from '../core/options';
import {
  gatherValidateOptions as gatherFromDisk,
  leadsRoot,
  readLeadsHeader,
  readWorkspaceLimit as limitFromConfig,
  walkWorkflowFiles,
  workflowFileProblem,
} from '../platform/workspace-files';
import { CliError, EXIT } from './io';

import { WORKFLOW_SUFFIX } from '../platform/workspace-files';
export { WORKFLOW_SUFFIX };
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
      for (const rel of walk(abs, suffix)) add(given === '.' ? rel : joinAsGiven(given, rel));
    } else add(given);
  }
  return out;
}

function joinAsGiven(given: string, rel: string): string {
  return given.endsWith('/') || given.endsWith(path.sep) ? given + rel : `${given}/${rel}`;
}

/** Relative paths (with `/`) of the workflow files under a folder (platform/workspace-files.ts walks). */
function walk(dir: string, suffix: string): string[] {
  try {
    return walkWorkflowFiles(dir, { suffix });
  } catch (e) {
    throw new CliError(`cannot read folder ${dir}: ${(e as Error).message}`, EXIT.usage);
  }
}

/**
 * Hands each readable file's text to `use`, in order; an unreadable one is said on stderr and counted,
 * so one bad file never hides the report on the others. Returns how many could not be read.
 */
export async function forEachReadable(
  files: readonly string[],
  use: (file: string, text: string) => void | Promise<void>,
): Promise<number> {
  let unreadable = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readTextFile(file);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      process.stderr.write(`callflow: ${e.message}\n`);
      unreadable++;
      continue;
    }
    await use(file, text);
  }
  return unreadable;
}

/** A text file's content; unreadable (or a device, a FIFO, a huge file) → CliError with exit 2 and the reason. */
export function readTextFile(file: string, cwd = process.cwd()): string {
  const abs = path.resolve(cwd, file);
  const problem = workflowFileProblem(abs);
  if (problem) throw new CliError(`cannot read ${file}: ${problem}`, EXIT.usage);
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, EXIT.usage);
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

/** The leads header for a workflow file, confined to its repository (or `cwd`): see platform/workspace-files.ts. */
export function readLeadsInfo(workflowFile: string, leadsPath: string, cwd = process.cwd()): LeadsInfo {
  const file = path.resolve(cwd, workflowFile);
  return readLeadsHeader(file, leadsPath, leadsRoot(file, { cwd }));
}

/** WF105's limit (platform/workspace-files.ts readWorkspaceLimit); a broken config is a note on stderr. */
export function readWorkspaceLimit(
  workflowFile: string,
  cwd = process.cwd(),
  warn: (m: string) => void = (m) => process.stderr.write(`callflow: ${m}\n`),
): number | undefined {
  return limitFromConfig(path.resolve(cwd, workflowFile), warn);
}

/** ValidateOptions from disk for one workflow file (offline facts only); `data` is its parsed content. */
export function gatherValidateOptions(file: string, data: unknown, cwd = process.cwd()): ValidateOptions {
  const abs = path.resolve(cwd, file);
  return gatherFromDisk(abs, data, {
    root: leadsRoot(abs, { cwd }),
    warn: (m) => process.stderr.write(`callflow: ${m}\n`),
  });
}
