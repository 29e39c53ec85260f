// `callflow test [PATH…]`: runs the cases of workflow test files (`*.workflow.test.yaml`) with the one
// interpreter (core/interpret.ts through core/workflow-test-run.ts) and reports them as text, JSON,
// JUnit XML or TAP; `--coverage` adds the edges and outcomes no case exercises. Exit 0: every case
// passed; 1: a case failed; 2: could not run (bad arguments, no test files, a file unreadable, a test
// file with errors, a workflow that cannot be read or run).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../args';
import { command } from '../command';
import { findWorkflowFiles, forEachReadable, readTextFile, WORKFLOW_SUFFIX } from '../files';
import { CliError, EXIT, useColor } from '../io';
import { leadsRoot } from '../../platform/workspace-files';
import { TEST_SUFFIX } from '../../core/workflow-test';
import { runWorkflowTest, type WorkflowSource } from '../../core/workflow-test-run';
import { renderTestReport, TEST_FORMATS, type TestFileReport, type TestFormat } from './test-report';

export const TEST_SPEC = defineCommand({
  name: 'test',
  summary:
    'Runs workflow test files (*.workflow.test.yaml). Folders are searched recursively (node_modules and dot folders skipped); a .workflow.yaml PATH runs the test file beside it; no PATH: the current folder.',
  positionals: { name: '[PATH…]', min: 0, max: Infinity },
  flags: {
    format: { type: 'string', choices: TEST_FORMATS, default: 'text', description: 'report format on stdout' },
    coverage: { type: 'boolean', description: 'also list the edges and outcomes of each workflow no case exercises' },
  },
  notes: 'exit codes: 0 every case passed, 1 a case failed, 2 could not run (bad test file, unreadable workflow, …)',
});

/** The test files the arguments name: folders searched, a workflow file mapped to its test file. */
function testFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const direct: string[] = [];
  for (const a of args.length ? args : ['.']) {
    if (a.endsWith(WORKFLOW_SUFFIX)) {
      const t = a.slice(0, -WORKFLOW_SUFFIX.length) + TEST_SUFFIX;
      try {
        out.push(...findWorkflowFiles([t], process.cwd(), TEST_SUFFIX));
      } catch {
        throw new CliError(`no test file for ${a}: expected ${t}`, EXIT.usage);
      }
    } else direct.push(a);
  }
  if (direct.length) out.push(...findWorkflowFiles(direct, process.cwd(), TEST_SUFFIX));
  return [...new Set(out)];
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * A loader for one test file's `workflow:` value: relative to the test file, never outside its
 * repository (symlinks resolved), shown relative to the current folder.
 */
function workflowLoader(testFile: string): (ref: string) => WorkflowSource {
  return (ref) => {
    const abs = path.resolve(path.dirname(path.resolve(testFile)), ref);
    const shown = path.relative(process.cwd(), abs).split(path.sep).join('/') || ref;
    if (path.isAbsolute(ref) || /^[a-z]+:/i.test(ref))
      return { path: ref, error: 'the path must be relative to the test file' };
    // The same confinement as a workflow's `leads:` file: its repository, else the workspace.
    const root = leadsRoot(testFile);
    // Checked on the path as written first, so nothing is learnt about files outside (not even
    // whether they exist), then on the real path, so a symlink cannot lead out either.
    if (!inside(root, abs)) return { path: ref, error: "it is outside the test file's repository" };
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return { path: shown, error: 'no such file' };
    }
    let realRoot = root;
    try {
      realRoot = realpathSync(root);
    } catch {
      /* the root exists: it holds the test file */
    }
    if (!inside(realRoot, real)) return { path: shown, error: "it is outside the test file's repository" };
    try {
      return { path: shown, text: readTextFile(real) };
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      return { path: shown, error: e.message.replace(/^cannot read [^:]*: /, '') };
    }
  };
}

export const test = command({
  spec: TEST_SPEC,
  async run(args) {
    const files = testFiles(args.positionals);
    if (files.length === 0)
      throw new CliError(
        `no *${TEST_SUFFIX} files found in ${args.positionals.length ? args.positionals.join(', ') : 'the current folder'}`,
        EXIT.usage,
      );
    const reports: TestFileReport[] = [];
    const unreadable = await forEachReadable(files, (file, text) => {
      reports.push({ file, text, result: runWorkflowTest(text, workflowLoader(file)) });
    });
    const format = args.flags.format as TestFormat;
    process.stdout.write(
      renderTestReport(format, reports, { color: useColor(process.stdout), coverage: args.flags.coverage }),
    );
    if (unreadable > 0 || reports.some((r) => !r.result.ran)) return EXIT.usage;
    return reports.some((r) => r.result.cases.some((c) => c.status === 'fail')) ? EXIT.problems : EXIT.ok;
  },
});
