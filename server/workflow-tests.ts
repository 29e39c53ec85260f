// Answers WorkflowTestsRequest (protocol/index.ts): a workflow test file's diagnostics and case
// results, computed by core/workflow-test-run.ts, the same function `callflow test` runs. The
// workflow a test names is read as the editor holds it (an open document's unsaved text, else the
// indexed disk text, else the file), and only inside the test file's repository or workspace folder
// (platform/workspace-files.ts leadsRoot: the confinement every repository path gets).
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { runWorkflowTest, type WorkflowSource } from '../core/workflow-test-run';
import { leadsRoot, workflowFileProblem } from '../platform/workspace-files';
import { WorkflowTestsRequest } from '../protocol';
import type { DocumentStore } from './documents';
import { onRequest } from './messages';
import { pathToUri, uriToPath } from './workspace';

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The loader for one test file's `workflow:` reference. */
export function workflowLoader(
  testFile: string,
  store: DocumentStore,
  folders: readonly string[],
): (ref: string) => WorkflowSource & { uri?: string } {
  return (ref) => {
    if (path.isAbsolute(ref) || /^[a-z]+:/i.test(ref) || ref.includes('\0'))
      return { path: ref, error: 'the path must be relative to the test file' };
    const abs = path.resolve(path.dirname(testFile), ref);
    const root = leadsRoot(testFile, { workspaceFolders: folders });
    if (!inside(root, abs)) return { path: ref, error: "it is outside the test file's repository" };
    const uri = pathToUri(abs);
    const held = store.text(uri);
    if (held !== undefined) return { path: ref, text: held, uri };
    const problem = workflowFileProblem(abs);
    if (problem) return { path: ref, error: problem };
    if (!inside(realOr(root), realOr(abs))) return { path: ref, error: "it is outside the test file's repository" };
    try {
      return { path: ref, text: readFileSync(abs, 'utf8'), uri };
    } catch (e) {
      return { path: ref, error: (e as Error).message };
    }
  };
}

export function answerWorkflowTests(
  p: WorkflowTestsRequest.Params,
  store: DocumentStore,
  folders: readonly string[],
): WorkflowTestsRequest.Result {
  const file = uriToPath(p.uri);
  let workflowUri: string | undefined;
  const load = file
    ? workflowLoader(file, store, folders)
    : (ref: string): WorkflowSource => ({ path: ref, error: 'the test file is not saved on disk' });
  const r = runWorkflowTest(p.text, (ref) => {
    const w = load(ref) as WorkflowSource & { uri?: string };
    workflowUri = w.uri;
    return w;
  });
  const byName = new Map(r.cases.map((c) => [c.name, c]));
  const lines = r.parsed.parsed.lines;
  return {
    ran: r.ran,
    workflowUri,
    diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range })),
    cases: r.parsed.model.cases.map((c): WorkflowTestsRequest.Case => {
      const res = byName.get(c.name);
      if (!res)
        return {
          name: c.name,
          range: lines.range(c.nameSpan),
          expectRange: c.expect && lines.range(c.expect.keySpan),
          status: 'not-run',
          failures: [],
        };
      return {
        name: res.name,
        range: res.range,
        expectRange: res.expectRange,
        status: res.status,
        failures: res.failures.map((f) => ({ ...f })),
        skipReason: res.skipReason,
        actual: res.actual && {
          path: res.actual.path,
          ends: res.actual.ends,
          elapsedHours: res.actual.elapsedHours,
          calls: res.actual.calls,
        },
      };
    }),
  };
}

export function registerWorkflowTests(
  connection: Connection,
  store: DocumentStore,
  folders: () => readonly string[],
): void {
  onRequest(connection, WorkflowTestsRequest.type, (p) => answerWorkflowTests(p, store, folders()));
}
