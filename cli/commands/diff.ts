// `callflow diff OLD NEW`: a semantic diff of two workflow files; each side may be a file or a
// git revision `REV:PATH` (read with `git show`, PATH relative to the current folder).
// Exit: 0 (whether or not the files differ; --exit-code makes a difference exit 1, like git diff),
// 2 could not run (bad arguments, unreadable file, unknown revision, a file that does not parse).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from './index';
import { diffWorkflows, renderDiffText } from '../../core/diff';
import { defineCommand, parseArgs, printHelp } from '../args';
import { readTextFile } from '../files';
import { CliError, EXIT } from '../io';

export const DIFF_SPEC = defineCommand({
  name: 'diff',
  summary:
    'Semantic diff of two workflow files: header changes; nodes added, removed, renamed, changed field by field; edges added, removed, reordered. OLD or NEW may be REV:PATH (e.g. HEAD:flows/a.workflow.yaml).',
  positionals: { name: 'OLD NEW', min: 2, max: 2 },
  flags: {
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'output format' },
    'exit-code': { type: 'boolean', description: 'exit 1 when the workflows differ' },
  },
  notes: 'exit codes: 0 done, 1 differences found (only with --exit-code), 2 could not run',
});

/** A side is a git revision when it is not an existing file and looks like REV:PATH. */
export function readSide(spec: string, cwd = process.cwd()): string {
  if (existsSync(path.resolve(cwd, spec))) return readTextFile(spec, cwd);
  const m = /^([^:]+):(.+)$/.exec(spec);
  if (!m || /^[A-Za-z]$/.test(m[1])) return readTextFile(spec, cwd);
  const [, rev, file] = m;
  if (rev.startsWith('-')) throw new CliError(`bad revision "${rev}"`, EXIT.usage);
  // git resolves "./x" against its working folder: run it in the nearest existing folder of the path.
  let dir = path.dirname(path.resolve(cwd, file));
  while (!existsSync(dir) || !statSync(dir).isDirectory()) dir = path.dirname(dir);
  const rel = path.relative(dir, path.resolve(cwd, file)).split(path.sep).join('/');
  try {
    return execFileSync('git', ['show', `${rev}:./${rel}`], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: string; code?: string; message: string };
    const why = err.code === 'ENOENT' ? 'git is not installed' : (err.stderr ?? err.message).trim().split('\n')[0];
    throw new CliError(`cannot read ${spec} from git: ${why}`, EXIT.usage);
  }
}

export const diff: Command = {
  summary: 'semantic diff of two workflow files or git revisions',
  async run(argv) {
    const args = parseArgs(DIFF_SPEC, argv);
    if (args.help) return printHelp(DIFF_SPEC);
    const [a, b] = args.positionals;
    const result = diffWorkflows(readSide(a), readSide(b));
    if ('error' in result)
      throw new CliError(result.error.replace(/^old:/, `${a}:`).replace(/^new:/, `${b}:`), EXIT.usage);
    process.stdout.write(
      args.flags.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderDiffText(result),
    );
    return args.flags['exit-code'] && !result.equal ? EXIT.problems : EXIT.ok;
  },
};
