// Workflow test files in VS Code: a TestController listing the cases of every *.workflow.test.yaml
// in the Testing view, running them, and showing each failure at its expectation; a CodeLens above
// each case (run it, and its last result); the test file's problems as diagnostics. The extension
// host holds no parser: every answer comes from the language server (WorkflowTestsRequest, run by
// core/workflow-test-run.ts, the function `callflow test` uses), given the file's current text.
import * as vscode from 'vscode';
import { WORKFLOW_TEST_GLOB, WorkflowTestsRequest, type Range } from '../protocol';
import { log } from './log';
import type { ServerHost } from './lsp';

export const TEST_FILE_SUFFIX = '.workflow.test.yaml';
const EXCLUDE = '{**/node_modules/**,**/.*/**}';

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function isTestFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith(TEST_FILE_SUFFIX);
}

const caseId = (uri: vscode.Uri, name: string) => `${uri.toString()}#${name}`;

export class WorkflowTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('callflow.workflowTests', 'Callflow Workflow Tests');
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('callflow-workflow-tests');
  private readonly disposables: vscode.Disposable[] = [];
  /** Last run result per case id, for the CodeLens titles. */
  private readonly lastStatus = new Map<string, WorkflowTestsRequest.Case['status']>();
  private readonly lensChanged = new vscode.EventEmitter<void>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** The latest answer per test file (cases and their ranges), for the CodeLens. */
  private readonly known = new Map<string, WorkflowTestsRequest.Result>();

  constructor(private readonly server: ServerHost) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else if (item.uri) await this.refresh(item.uri);
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(WORKFLOW_TEST_GLOB);
    this.disposables.push(
      this.controller,
      this.diagnostics,
      this.lensChanged,
      watcher,
      watcher.onDidCreate((u) => void this.refresh(u)),
      watcher.onDidChange((u) => void this.refresh(u)),
      watcher.onDidDelete((u) => this.remove(u)),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isTestFile(d.uri)) void this.refresh(d.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isTestFile(e.document.uri)) this.refreshSoon(e.document.uri);
      }),
      vscode.languages.registerCodeLensProvider({ pattern: `**/*${TEST_FILE_SUFFIX}` }, this.lenses()),
      vscode.commands.registerCommand('callflow.runWorkflowTestCase', (uri?: vscode.Uri, name?: string) =>
        this.runCase(uri, name),
      ),
    );
    for (const d of vscode.workspace.textDocuments) if (isTestFile(d.uri)) void this.refresh(d.uri);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  /** Every test file of the workspace, listed with its cases. */
  async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(WORKFLOW_TEST_GLOB, EXCLUDE, 2000);
    await Promise.all(files.map((u) => this.refresh(u)));
  }

  private refreshSoon(uri: vscode.Uri): void {
    const k = uri.toString();
    clearTimeout(this.pending.get(k));
    // Typing: one request once the edits pause, not one per keystroke.
    this.pending.set(
      k,
      setTimeout(() => {
        this.pending.delete(k);
        void this.refresh(uri);
      }, 250),
    );
  }

  private remove(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
    this.diagnostics.delete(uri);
    this.known.delete(uri.toString());
    this.lensChanged.fire();
  }

  private async textOf(uri: vscode.Uri): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  }

  /** Asks the server for the file's diagnostics and case results (it runs every case: cheap, pure). */
  async ask(uri: vscode.Uri): Promise<WorkflowTestsRequest.Result | undefined> {
    try {
      const text = await this.textOf(uri);
      const r = await this.server.request(WorkflowTestsRequest.type, { uri: uri.toString(), text });
      this.known.set(uri.toString(), r);
      this.showDiagnostics(uri, r);
      this.syncItems(uri, r);
      this.lensChanged.fire();
      return r;
    } catch (e) {
      log(`workflow tests: ${uri.fsPath}: ${(e as Error).message}`);
      return undefined;
    }
  }

  async refresh(uri: vscode.Uri): Promise<void> {
    if (!isTestFile(uri)) return;
    await this.ask(uri);
  }

  private showDiagnostics(uri: vscode.Uri, r: WorkflowTestsRequest.Result): void {
    this.diagnostics.set(
      uri,
      r.diagnostics.map((d) => {
        const v = new vscode.Diagnostic(
          toRange(d.range),
          d.message,
          d.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : d.severity === 'warning'
              ? vscode.DiagnosticSeverity.Warning
              : vscode.DiagnosticSeverity.Information,
        );
        v.code = d.code;
        v.source = 'callflow';
        return v;
      }),
    );
  }

  private syncItems(uri: vscode.Uri, r: WorkflowTestsRequest.Result): vscode.TestItem {
    const id = uri.toString();
    let file = this.controller.items.get(id);
    if (!file) {
      file = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(file);
    }
    file.canResolveChildren = false;
    const children = r.cases.map((c) => {
      const item =
        file!.children.get(caseId(uri, c.name)) ?? this.controller.createTestItem(caseId(uri, c.name), c.name, uri);
      item.range = toRange(c.range);
      return item;
    });
    file.children.replace(children);
    file.error = r.ran
      ? undefined
      : new vscode.MarkdownString(
          `Cannot run: ${r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no cases'}`,
        );
    return file;
  }

  /** Runs the requested items (files or cases): one server request per file. */
  async run(request: vscode.TestRunRequest, token?: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const roots = request.include ?? [...this.allFiles()];
    // file uri → the case ids to report (every case when the file itself was asked for)
    const wanted = new Map<string, { uri: vscode.Uri; all: boolean; cases: Set<string> }>();
    for (const item of roots) {
      if (!item.uri || excluded.has(item.id)) continue;
      const k = item.uri.toString();
      const entry = wanted.get(k) ?? { uri: item.uri, all: false, cases: new Set<string>() };
      if (item.id === k) entry.all = true;
      else entry.cases.add(item.id);
      wanted.set(k, entry);
    }
    try {
      for (const { uri, all, cases } of wanted.values()) {
        if (token?.isCancellationRequested) break;
        const r = await this.ask(uri);
        const file = this.controller.items.get(uri.toString());
        if (!r || !file) continue;
        for (const c of r.cases) {
          const item = file.children.get(caseId(uri, c.name));
          if (!item || excluded.has(item.id) || (!all && !cases.has(item.id))) continue;
          run.started(item);
          this.report(run, item, uri, r, c);
          this.lastStatus.set(item.id, c.status);
        }
      }
    } finally {
      run.end();
      this.lensChanged.fire();
    }
  }

  private *allFiles(): Iterable<vscode.TestItem> {
    for (const [, item] of this.controller.items) yield item;
  }

  private report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    uri: vscode.Uri,
    r: WorkflowTestsRequest.Result,
    c: WorkflowTestsRequest.Case,
  ): void {
    switch (c.status) {
      case 'pass':
        run.passed(item);
        return;
      case 'skip':
        run.skipped(item);
        return;
      case 'not-run': {
        const first = r.diagnostics.find((d) => d.severity === 'error');
        const m = new vscode.TestMessage(`The test file cannot run: ${first?.message ?? 'no cases'}`);
        if (first) m.location = new vscode.Location(uri, toRange(first.range));
        run.errored(item, m);
        return;
      }
      case 'fail': {
        // Each failure at the expectation that failed (inside the case's `expect`).
        const messages = c.failures.map((f) => {
          const m =
            f.field === 'path'
              ? vscode.TestMessage.diff(
                  'The path differs',
                  (f.expected as string[]).join('\n'),
                  (f.actual as string[]).join('\n'),
                )
              : f.expected !== undefined || f.actual !== undefined
                ? vscode.TestMessage.diff(f.message, stringify(f.expected), stringify(f.actual))
                : new vscode.TestMessage(f.message);
          m.location = new vscode.Location(uri, toRange(f.range ?? c.expectRange ?? c.range));
          return m;
        });
        run.failed(item, messages);
      }
    }
  }

  /** The CodeLens command: runs one case (or every case of the file). */
  async runCase(uri?: vscode.Uri, name?: string): Promise<WorkflowTestsRequest.Case['status'][]> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || !isTestFile(target)) return [];
    await this.ask(target);
    const file = this.controller.items.get(target.toString());
    if (!file) return [];
    const item = name === undefined ? file : file.children.get(caseId(target, name));
    if (!item) return [];
    await this.run(new vscode.TestRunRequest([item]));
    const ids = name === undefined ? [...file.children].map(([id]) => id) : [item.id];
    return ids.map((id) => this.lastStatus.get(id) ?? 'not-run');
  }

  private lenses(): vscode.CodeLensProvider {
    return {
      onDidChangeCodeLenses: this.lensChanged.event,
      provideCodeLenses: (doc) => {
        const r = this.known.get(doc.uri.toString());
        if (!r) {
          void this.refresh(doc.uri);
          return [];
        }
        return r.cases.map((c) => {
          const last = this.lastStatus.get(caseId(doc.uri, c.name));
          const mark =
            last === 'pass' ? '$(pass) ' : last === 'fail' ? '$(error) ' : last === 'skip' ? '$(debug-step-over) ' : '';
          return new vscode.CodeLens(toRange(c.range), {
            title: `${mark}Run case`,
            command: 'callflow.runWorkflowTestCase',
            arguments: [doc.uri, c.name],
            tooltip: last ? `Last run: ${last}` : 'Run this case',
          });
        });
      },
    };
  }
}

function stringify(v: unknown): string {
  return v === undefined ? '(nothing)' : typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}
