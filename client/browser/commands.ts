// The web extension's commands. The language features need none; here are the preview, the semantic
// diff (of the two sides of the active diff editor: github.dev's Source Control opens a change as
// one, and the browser has no git), the exports (into a new editor: nothing is written unasked), and
// the server's restart. Every other command is hidden in the web (client/manifest.mjs: `when`
// !callflow.web) and, if run anyway, says in one line why it is off.
import * as vscode from 'vscode';
import { DiffRequest, ExportRequest } from '../../protocol';
import { log, outputChannel } from '../log';
import type { PreviewPanel } from '../preview/panel';
import type { ReadonlyDocs } from '../readonly-docs';
import { notify } from '../ui';
import { UserError } from '../user-error';
import { workflowDocument } from '../workflow-doc';
import type { BrowserServer } from './server';

/** The one line a command the web does not have answers with. */
export function offInTheWeb(title: string): string {
  return `Callflow: "${title}" is not available in the browser (github.dev, vscode.dev): it needs the platform API, keys, git or files on disk; open the repository in desktop VS Code for it.`;
}

export interface WebParts {
  context: vscode.ExtensionContext;
  server: BrowserServer;
  preview: PreviewPanel;
  docs: ReadonlyDocs;
}

const implemented = new Set<string>();

function register(context: vscode.ExtensionContext, id: string, fn: (...args: unknown[]) => Promise<unknown>): void {
  implemented.add(id);
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        const message = (e as Error).message;
        log(`${id}: ${message}`);
        void notify('error', message);
        return { error: message };
      }
    }),
  );
}

/** The base and the changed side of the active diff editor when it shows `doc`. */
function diffSides(doc: vscode.TextDocument): { base: vscode.Uri } | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff && input.modified.toString() === doc.uri.toString())
    return { base: input.original };
  return undefined;
}

export function registerWebCommands(w: WebParts): void {
  const { context, server, preview, docs } = w;

  register(context, 'callflow.showPreview', async (arg) => {
    const doc = await workflowDocument(arg);
    preview.show(doc);
    return { uri: doc.uri.toString() };
  });

  const compare = async (arg: unknown) => {
    const doc = await workflowDocument(arg);
    const sides = diffSides(doc);
    if (!sides)
      throw new UserError(
        'The browser has no git: open the change from Source Control (a diff editor) and compare there.',
      );
    const baseText = (await vscode.workspace.openTextDocument(sides.base)).getText();
    const diff = await server.request(DiffRequest.type, { uri: doc.uri.toString(), baseText });
    if (!diff.ok) throw new UserError(`Cannot compare: ${diff.reason}`);
    const name = doc.uri.path
      .split('/')
      .pop()!
      .replace(/\.workflow\.yaml$/, '');
    const text = `Semantic changes in ${vscode.workspace.asRelativePath(doc.uri)} (the diff editor's two sides)\n\n${diff.text}`;
    await docs.open('diff', `${name} (semantic changes).txt`, text, { stableId: doc.uri.toString() });
    return { equal: diff.equal, nodes: diff.nodes, text };
  };
  register(context, 'callflow.compareWithHead', compare);
  register(context, 'callflow.compareWith', compare);

  const exportAs = (format: 'mermaid' | 'svg') => async (arg: unknown) => {
    const doc = await workflowDocument(arg);
    const r = await server.request(ExportRequest.type, { uri: doc.uri.toString(), format });
    if (!r.ok) throw new UserError(r.reason);
    const out = await vscode.workspace.openTextDocument({
      content: r.text,
      language: format === 'svg' ? 'xml' : 'plaintext',
    });
    await vscode.window.showTextDocument(out, { viewColumn: vscode.ViewColumn.Beside });
    return { bytes: r.text.length };
  };
  register(context, 'callflow.exportMermaid', exportAs('mermaid'));
  register(context, 'callflow.exportSvg', exportAs('svg'));

  register(context, 'callflow.restartServer', async () => {
    await server.restart();
    return { restarted: true };
  });
  register(context, 'callflow.showOutput', async () => outputChannel().show());

  // Every other contributed command (client/manifest.mjs hides them here: `!callflow.web`) says why.
  const contributed = (
    context.extension.packageJSON as { contributes: { commands: { command: string; title: string }[] } }
  ).contributes.commands;
  for (const { command, title } of contributed)
    if (!implemented.has(command))
      context.subscriptions.push(
        vscode.commands.registerCommand(command, () => {
          const message = offInTheWeb(title);
          log(message);
          void notify('info', message);
          return { refused: message };
        }),
      );
}
