// Everything a platform command needs for one workflow file: its target, an API client, and for the
// `local` target the embedded emulator, started in this process on demand and closed after.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Diagnostic } from '../core/diagnostic';
import type { WorkflowModel } from '../core/model';
import { parseText } from '../core/parse';
import type { LineIndex } from '../core/text';
import { analyzeParsed, type Analysis } from '../core/validate';
import { desiredFromModel, type DesiredWorkflow } from '../platform/desired';
import { ApiError, NetworkError } from '../platform/errors';
import { readState, statePathFor, StateError } from '../platform/state';
import { gatherValidateOptions, readTextFile } from './files';
import { ApiClient } from '../platform/client';
import { LOCAL_TARGET, resolveTarget, TargetError, type ResolvedTarget } from '../platform/targets';
import { redact } from '../platform/redact';
import { CliError, EXIT } from './io';

export interface PlatformContext {
  target: ResolvedTarget;
  client: ApiClient;
  close(): Promise<void>;
}

export interface OpenOptions {
  targetName?: string;
  isDir?: boolean;
  concurrency?: number;
}

export async function openPlatform(fileOrDir: string, o: OpenOptions = {}): Promise<PlatformContext> {
  let target: ResolvedTarget;
  try {
    target = resolveTarget(fileOrDir, o.targetName, process.env, o.isDir);
  } catch (e) {
    if (e instanceof TargetError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
  let close = async () => {};
  if (target.local) {
    mkdirSync(path.dirname(target.dbPath!), { recursive: true });
    try {
      // Loaded only for `local`: remote targets never load the emulator or SQLite.
      const { LOCAL_DEV_KEY, startEmulator } = await import('../emulator/server');
      const emu = await startEmulator({ port: 0, dbPath: target.dbPath!, key: LOCAL_DEV_KEY, quiet: true });
      target = { ...target, url: emu.url, key: emu.key };
      close = () => emu.close();
    } catch (e) {
      throw new CliError(`could not start the local emulator on ${target.dbPath}: ${(e as Error).message}`, EXIT.usage);
    }
  }
  const debug = process.env.CALLFLOW_DEBUG
    ? (line: string) => process.stderr.write(`debug: ${redact(line)}\n`)
    : undefined;
  const client = new ApiClient({
    baseUrl: target.url!,
    key: target.key!,
    target: target.name,
    debug,
    concurrency: o.concurrency ?? target.httpConcurrency,
    onRetry:
      process.stderr.isTTY || debug
        ? (r) =>
            process.stderr.write(
              `retrying ${r.method} ${r.path} in ${(r.waitMs / 1000).toFixed(1)} s (${redact(r.why)})\n`,
            )
        : undefined,
  });
  return { target, client, close };
}

/** Runs `fn` with an open platform context and always closes it (the local emulator included). */
export async function withPlatform<T>(
  fileOrDir: string,
  o: OpenOptions,
  fn: (ctx: PlatformContext) => Promise<T>,
): Promise<T> {
  const ctx = await openPlatform(fileOrDir, o);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

// ---- What the platform commands share: loading a file, confirming, reporting API failures. ----

export interface LoadedWorkflow {
  file: string;
  text: string;
  analysis: Analysis;
  model: WorkflowModel;
  desired: DesiredWorkflow;
}

/** `file:line:col: severity CODE message` (1-based, as editors and the validate command print them). */
export function formatDiagnostic(file: string, lines: LineIndex, d: Diagnostic): string {
  const head = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`;
  const src = d.range.start.line < lines.lineCount ? lines.lineText(d.range.start.line) : '';
  if (!src.trim()) return head;
  const end = d.range.end.line === d.range.start.line ? d.range.end.character : src.length;
  const width = Math.max(1, end - d.range.start.character);
  return `${head}\n    ${src}\n    ${' '.repeat(d.range.start.character)}${'^'.repeat(width)}`;
}

/**
 * Reads and validates a workflow file (offline rules, leads header, the target's workspace limit).
 * Errors are printed and stop the command (exit 1); warnings are printed on stderr and do not.
 */
export function loadWorkflow(file: string, workspaceLimit?: number): LoadedWorkflow {
  const text = readTextFile(file);
  const parsed = parseText(text);
  const options = gatherValidateOptions(file, parsed.data);
  if (workspaceLimit !== undefined) options.workspaceLimit = workspaceLimit;
  const analysis = analyzeParsed(parsed, options);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  for (const d of analysis.diagnostics)
    if (d.severity !== 'error' || errors.length) process.stderr.write(formatDiagnostic(file, parsed.lines, d) + '\n');
  if (errors.length || !analysis.model) {
    throw new CliError(
      `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} first (\`callflow validate ${file}\`)`,
      EXIT.problems,
    );
  }
  return { file, text, analysis, model: analysis.model, desired: desiredFromModel(analysis.model) };
}

/** Asks on a terminal; without one, `--yes` is required (exit 2 rather than wait). */
export async function confirm(question: string, yes: boolean, flagHint = '--yes'): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError(
      `${question.replace(/\?$/, '')}: confirmation needed and there is no terminal to ask on; pass ${flagHint}`,
      EXIT.usage,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((r) => rl.question(`${question} [y/N] `, r));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * An API failure as a CLI error. The command could not run (exit 2) when the API is unreachable,
 * overloaded or rejects the key; a request the API refuses on its merits (400, 404, 409, 422)
 * is a problem found (exit 1).
 */
export function apiFailure(e: unknown, what: string): CliError {
  if (e instanceof ApiError) {
    const exit = [400, 404, 409, 422].includes(e.status) ? EXIT.problems : EXIT.usage;
    return new CliError(redact(`${what}: ${e.message}`), exit);
  }
  if (e instanceof NetworkError) return new CliError(redact(`${what}: ${e.message}`), EXIT.usage);
  if (e instanceof StateError || e instanceof TargetError) return new CliError(redact(e.message), EXIT.usage);
  if (e instanceof CliError) return e;
  return new CliError(redact(`${what}: ${e instanceof Error ? e.message : String(e)}`), EXIT.usage);
}

/**
 * The id of the workflow `file` was pushed as on the context's target, from its state file; a
 * file never pushed there stops the command (exit 1) with the push to run.
 */
export function pushedWorkflowId(ctx: PlatformContext, file: string): string {
  const stateFile = statePathFor(file);
  let id: string | undefined;
  try {
    id = readState(stateFile).targets.get(ctx.target.name)?.workflowId;
  } catch (e) {
    throw apiFailure(e, 'reading the state failed');
  }
  if (id) return id;
  const t = ctx.target.name;
  throw new CliError(
    `${file} has not been pushed to target ${t} (no workflow id in ${stateFile}): run \`callflow push ${file}${t === LOCAL_TARGET ? '' : ` --target ${t}`}\` first`,
    EXIT.problems,
  );
}
