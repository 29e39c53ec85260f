// Commands about files, not the platform: validate every workflow file, compare with git HEAD
// (semantic diff), export the graph, a new workflow file, the server's restart and output. The diff
// and the export are the language server's (DiffRequest, ExportRequest): nothing here parses.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DiffRequest, ExportRequest } from '../../protocol';
import type { Ext } from '../context';
import { log, outputChannel } from '../log';
import { UserError } from '../targets';
import { notify, ui } from '../ui';
import { workflowDocument } from '../workflow-doc';
import { revisionText } from './compare';
import { register } from './run';

/** The file's text at git HEAD; undefined with the reason when there is none (platform/git.ts reads it). */
export function headText(file: string): Promise<{ text?: string; note?: string }> {
  return revisionText(file, 'HEAD');
}

export function registerWorkspaceCommands(ext: Ext): void {
  const { context } = ext;

  register(context, 'callflow.validateWorkspace', async () => {
    const files = await vscode.workspace.findFiles('**/*.workflow.yaml', '**/node_modules/**');
    // Opening a document hands it to the language server, which publishes its diagnostics.
    for (const f of files) await vscode.workspace.openTextDocument(f);
    const deadline = Date.now() + 10_000;
    const pending = () => files.filter((f) => vscode.languages.getDiagnostics(f) === undefined);
    while (pending().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    let errors = 0,
      warnings = 0;
    const withProblems: string[] = [];
    for (const f of files) {
      const ds = vscode.languages.getDiagnostics(f);
      const e = ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
      errors += e;
      warnings += ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
      if (e) withProblems.push(vscode.workspace.asRelativePath(f));
    }
    const msg = `${files.length} workflow file${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`;
    log(`validate workspace: ${msg}${withProblems.length ? ` Files with errors: ${withProblems.join(', ')}` : ''}`);
    void notify(errors ? 'warn' : 'info', msg, ...(errors + warnings ? ['Show Problems'] : [])).then((a) => {
      if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return { files: files.length, errors, warnings };
  });

  register(context, 'callflow.compareWithHead', async (arg) => {
    const doc = await workflowDocument(arg);
    const head = await headText(doc.uri.fsPath);
    if (head.text === undefined) throw new UserError(`Nothing to compare with: ${head.note}.`);
    const diff = await ext.server.request(DiffRequest.type, { uri: doc.uri.toString(), baseText: head.text });
    if (!diff.ok) throw new UserError(`Cannot compare: ${diff.reason}`);
    const text = `Semantic changes in ${vscode.workspace.asRelativePath(doc.uri)} since HEAD\n\n${diff.text}`;
    await ext.docs.open(
      'diff',
      `${path.basename(doc.uri.fsPath).replace(/\.workflow\.yaml$/, '')} (changes since HEAD).txt`,
      text,
      { stableId: doc.uri.toString() },
    );
    return { equal: diff.equal, nodes: diff.nodes, text };
  });

  const exportAs = (format: 'mermaid' | 'svg') => async (arg: unknown) => {
    const doc = await workflowDocument(arg);
    if (doc.uri.scheme !== 'file') throw new UserError('Export needs a file on disk.');
    const r = await ext.server.request(ExportRequest.type, { uri: doc.uri.toString(), format });
    if (!r.ok) throw new UserError(r.reason);
    const out = r.text;
    // Asked, never written beside the workflow unasked: the dialog proposes that place.
    const ext_ = format === 'mermaid' ? 'mmd' : 'svg';
    const target = await ui().saveAs(
      `Export the graph as ${format === 'mermaid' ? 'Mermaid' : 'SVG'}`,
      doc.uri.fsPath.replace(/\.workflow\.yaml$/, '') + `.${ext_}`,
      { [format === 'mermaid' ? 'Mermaid' : 'SVG']: [ext_] },
    );
    if (!target) return { refused: 'cancelled' };
    writeFileSync(target, out);
    log(`exported ${format} to ${target}`);
    void notify('info', `Graph exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open').then((x) => {
      if (x === 'Open') void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
    });
    return { file: target, bytes: Buffer.byteLength(out) };
  };
  register(context, 'callflow.exportMermaid', exportAs('mermaid'));
  register(context, 'callflow.exportSvg', exportAs('svg'));

  register(context, 'callflow.walkthrough.newFile', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'callflow-workflow', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    await vscode.commands
      .executeCommand('editor.action.insertSnippet', { name: 'New workflow', langId: 'callflow-workflow' })
      .then(undefined, () => undefined);
    return { uri: editor.document.uri.toString() };
  });

  register(context, 'callflow.restartServer', async () => {
    await ext.server.restart();
    return { pid: ext.server.pid };
  });

  register(context, 'callflow.showOutput', async () => {
    outputChannel().show();
    return {};
  });
}
