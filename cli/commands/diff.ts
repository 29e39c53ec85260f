// `callflow diff`: a semantic diff of workflow files, in three shapes.
//   diff OLD NEW              two files; either may be REV:PATH (a git revision, PATH relative to the
//                             current folder) or /dev/null (a file added or deleted)
//   diff BASE..HEAD [PATH…]   every workflow file changed between two commits (BASE...HEAD: since
//                             HEAD forked from BASE), added and deleted files included
//   diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE
//                             git's external diff convention (GIT_EXTERNAL_DIFF, diff.<driver>.command)
// Exit: 0 (whether or not the files differ; --exit-code makes a difference exit 1, like git diff),
// 2 could not run (bad arguments, unreadable file, unknown revision, a file that does not parse).
// As a git driver it always exits 0 (git stops at a failing driver) and falls back to a line diff.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { diffWorkflows, renderDiffMarkdown, renderDiffText, type FileDiff, type WorkflowDiff } from '../../core/diff';
import {
  GitError,
  lineDiffFiles,
  parseRange,
  rangeBase,
  readAtRevision,
  repoRoot,
  resolveCommit,
  toRepoPath,
} from '../../platform/git';
import { diffRange, identityFrom, stateTextAt, stateTextBeside } from '../../platform/review';
import { defineCommand } from '../args';
import { command } from '../command';
import { readTextFile, WORKFLOW_SUFFIX } from '../files';
import { CliError, EXIT } from '../io';

export const DIFF_SPEC = defineCommand({
  name: 'diff',
  summary:
    'Semantic diff of workflow files: flagged changes first (agent or number swapped, new template variables, more concurrent calls, new paths to an end, unreachable nodes, new diagnostics), then nodes added, removed, renamed (even when also edited) and changed, with routing in words. Forms: OLD NEW (files, REV:PATH or /dev/null); BASE..HEAD [PATH…] (every workflow file changed between two commits); and the 7 arguments git passes an external diff driver.',
  positionals: { name: 'OLD NEW | BASE..HEAD [PATH…]', min: 1, max: Infinity },
  flags: {
    format: {
      type: 'string',
      choices: ['text', 'json', 'markdown'],
      default: 'text',
      description: 'output format (markdown: for a pull-request comment)',
    },
    'exit-code': { type: 'boolean', description: 'exit 1 when the workflows differ' },
    'link-base': {
      type: 'string',
      valueName: 'URL',
      description: 'markdown: link lines as URL + PATH + #L<line> (e.g. a blob URL at the head commit)',
    },
  },
  notes: [
    'exit codes: 0 done, 1 differences found (only with --exit-code), 2 could not run',
    '',
    "as git's diff driver (docs/reviewing.md):",
    '  .gitattributes:  *.workflow.yaml diff=callflow',
    '  git config diff.callflow.command "npx callflow diff"',
  ].join('\n'),
});

type Format = 'text' | 'json' | 'markdown';

const DEV_NULL = /^(\/dev\/null|nul)$/i;
const HEX = /^([0-9a-f]{4,64}|\.)$/;
const MODE = /^([0-7]{6}|\.)$/;

function isDriverCall(p: string[]): boolean {
  return (p.length === 7 || p.length === 9) && HEX.test(p[2]) && MODE.test(p[3]) && HEX.test(p[5]) && MODE.test(p[6]);
}

interface Side {
  text?: string;
  state?: string;
}

/** A side is a git revision when it is not an existing file and looks like REV:PATH. */
export async function readSide(spec: string, cwd = process.cwd()): Promise<Side> {
  if (DEV_NULL.test(spec)) return {};
  const abs = path.resolve(cwd, spec);
  const m = /^([^:]+):(.+)$/.exec(spec);
  if (existsSync(abs) || !m || /^[A-Za-z]$/.test(m[1])) {
    return { text: readTextFile(spec, cwd), state: stateTextBeside(abs) };
  }
  const [, rev, file] = m;
  try {
    const root = await repoRoot(cwd);
    if (!root) throw new GitError('not in a git repository');
    const repoPath = toRepoPath(root, path.resolve(cwd, file));
    const text = await readAtRevision(root, rev, repoPath);
    if (text === undefined) throw new GitError(`${repoPath} is not in ${rev}`);
    return { text, state: await stateTextAt(root, rev, repoPath) };
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    throw new CliError(`cannot read ${spec} from git: ${e.message}`, EXIT.usage);
  }
}

function render(format: Format, files: FileDiff[], linkBase?: string): string {
  if (format === 'json')
    return (
      JSON.stringify(
        files.map(({ newText: _t, ...f }) => f),
        null,
        2,
      ) + '\n'
    );
  if (format === 'markdown')
    return renderDiffMarkdown(files, linkBase ? { lineLink: (p, l) => `${linkBase}${encodeURI(p)}#L${l}` } : {});
  if (!files.length) return 'no workflow files changed\n';
  return files
    .map((f) => {
      const title = f.change === 'renamed' ? `${f.oldPath} → ${f.path} (renamed)` : `${f.path} (${f.change})`;
      return `=== ${title}\n${f.error ? `cannot diff: ${f.error}\n` : renderDiffText(f.diff!)}`;
    })
    .join('\n');
}

function renderOne(
  format: Format,
  d: WorkflowDiff,
  name: string,
  sides: { old?: string; new?: string },
  linkBase?: string,
): string {
  if (format === 'json') return JSON.stringify(d, null, 2) + '\n';
  const change = sides.old === undefined ? 'added' : sides.new === undefined ? 'deleted' : 'modified';
  if (format === 'markdown') return render('markdown', [{ path: name, change, diff: d, newText: sides.new }], linkBase);
  return renderDiffText(d);
}

/** git's external diff call: print the semantic diff under a header, or a line diff when a side does not parse. */
async function runDriver(p: string[], format: Format): Promise<number> {
  const [name, oldFile, , , newFile] = p;
  const read = (f: string) => (DEV_NULL.test(f) ? undefined : readTextFile(f));
  const renamedTo = p.length === 9 ? p[7] : undefined;
  // GIT_EXTERNAL_DIFF sends every file here: only workflow files get the semantic diff.
  if (!(renamedTo ?? name).endsWith(WORKFLOW_SUFFIX)) return lineDiff(oldFile, newFile);
  const d = diffWorkflows(read(oldFile), read(newFile));
  process.stdout.write(`diff --callflow a/${name} b/${renamedTo ?? name}\n`);
  if (!('error' in d)) {
    process.stdout.write(renderOne(format, d, renamedTo ?? name, { old: read(oldFile), new: read(newFile) }));
    return EXIT.ok;
  }
  process.stdout.write(
    `(${d.error.replace(/^(old|new):/, (w) => (w === 'old:' ? 'old version:' : 'new version:'))}; line diff follows)\n`,
  );
  return lineDiff(oldFile, newFile, true);
}

/** git's own line diff of the two files git handed over. */
async function lineDiff(oldFile: string, newFile: string, skipHeader = false): Promise<number> {
  const out = await lineDiffFiles(oldFile, newFile);
  process.stdout.write(skipHeader ? out.replace(/^diff --git .*\n/, '') : out);
  return EXIT.ok;
}

async function runRange(
  range: { base: string; head: string; symmetric: boolean },
  paths: string[],
  format: Format,
  linkBase?: string,
): Promise<{ out: string; changed: boolean; failed: boolean }> {
  try {
    const root = await repoRoot(process.cwd());
    if (!root) throw new GitError('not in a git repository');
    const base = await rangeBase(root, range);
    const head = await resolveCommit(root, range.head);
    const specs = paths.map((p) => toRepoPath(root, path.resolve(p)));
    const files = await diffRange(root, base, head, specs);
    return {
      out: render(format, files, linkBase),
      changed: files.some((f) => !f.diff?.equal),
      failed: files.some((f) => f.error !== undefined),
    };
  } catch (e) {
    if (e instanceof GitError)
      throw new CliError(`diff ${range.base}${range.symmetric ? '...' : '..'}${range.head}: ${e.message}`, EXIT.usage);
    throw e;
  }
}

export const diff = command({
  spec: DIFF_SPEC,
  async run(args) {
    const format = args.flags.format as Format;
    const p = args.positionals;
    const linkBase = args.flags['link-base'];
    if (isDriverCall(p)) return runDriver(p, format);

    const range = !existsSync(p[0]) ? parseRange(p[0]) : undefined;
    if (range) {
      const r = await runRange(range, p.slice(1), format, linkBase);
      process.stdout.write(r.out);
      if (r.failed) return EXIT.usage;
      return args.flags['exit-code'] && r.changed ? EXIT.problems : EXIT.ok;
    }
    if (p.length !== 2)
      throw new CliError(
        `diff: ${p.length < 2 ? 'missing OLD NEW' : `too many arguments (expected OLD NEW, BASE..HEAD [PATH…] or git's 7 driver arguments)`}\nRun 'callflow diff --help' for its options.`,
        EXIT.usage,
      );
    const [a, b] = p;
    const [sa, sb] = [await readSide(a), await readSide(b)];
    if (sa.text === undefined && sb.text === undefined)
      throw new CliError('diff: both sides are /dev/null', EXIT.usage);
    const identity = identityFrom(sa.state, sb.state);
    const result = diffWorkflows(sa.text, sb.text, identity ? { identity } : {});
    if ('error' in result)
      throw new CliError(result.error.replace(/^old:/, `${a}:`).replace(/^new:/, `${b}:`), EXIT.usage);
    process.stdout.write(renderOne(format, result, b, { old: sa.text, new: sb.text }, linkBase));
    return args.flags['exit-code'] && !result.equal ? EXIT.problems : EXIT.ok;
  },
});
