// Compare with… any revision: the file's text at a branch, tag or commit (read through
// platform/git.ts, the one git reader), shown as VS Code's text diff with the semantic diff beside
// it. The semantic diff comes from the language server (DiffRequest); each entry links to its line
// in the file.
import path from 'node:path';
import * as vscode from 'vscode';
import { GitError, listRevisions, readAtRevision, repoRoot, toRepoPath } from '../../platform/git';
import { DiffRequest } from '../../protocol';
import type { Ext } from '../context';
import { SCHEME } from '../readonly-docs';
import { UserError } from '../targets';
import { workflowDocument } from '../workflow-doc';
import { register } from './run';

/** The file's text at a revision; undefined with the reason when there is none. */
export async function revisionText(file: string, rev: string): Promise<{ text?: string; note?: string }> {
  try {
    const root = await repoRoot(path.dirname(file));
    if (!root) return { note: 'not in a git repository' };
    const rel = toRepoPath(root, file);
    const text = await readAtRevision(root, rev, rel);
    return text === undefined ? { note: `${rel} is not in ${rev}` } : { text };
  } catch (e) {
    if (e instanceof GitError) return { note: e.message };
    throw e;
  }
}

/** Links of the semantic diff documents: text line → line of the compared file. */
class DiffLinks implements vscode.DocumentLinkProvider {
  private readonly byDoc = new Map<string, { file: vscode.Uri; links: { textLine: number; line: number }[] }>();
  set(doc: vscode.Uri, file: vscode.Uri, links: { textLine: number; line: number }[]): void {
    this.byDoc.set(doc.toString(), { file, links });
  }
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const entry = this.byDoc.get(doc.uri.toString());
    if (!entry) return [];
    return entry.links
      .filter((l) => l.textLine < doc.lineCount)
      .map((l) => {
        const text = doc.lineAt(l.textLine);
        const range = new vscode.Range(l.textLine, text.firstNonWhitespaceCharacterIndex, l.textLine, text.text.length);
        const link = new vscode.DocumentLink(range, entry.file.with({ fragment: `L${l.line}` }));
        link.tooltip = `Go to line ${l.line}`;
        return link;
      });
  }
}

async function pickRevision(file: string): Promise<string | undefined> {
  const root = await repoRoot(path.dirname(file));
  if (!root) throw new UserError('Nothing to compare with: the file is not in a git repository.');
  const revs = await listRevisions(root);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { rev: string }>();
  qp.title = 'Compare with revision (semantic diff)';
  qp.placeholder = 'A branch, tag or commit — or type any revision (HEAD~2, origin/main, a hash)';
  const items = revs.map((r) => ({ label: r.rev, description: r.kind, detail: r.description, rev: r.rev }));
  qp.items = items;
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    qp.items =
      typed && !items.some((i) => i.rev === typed)
        ? [{ label: typed, description: 'revision', rev: typed }, ...items]
        : items;
  });
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.rev ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

export function registerCompareCommands(ext: Ext): void {
  const links = new DiffLinks();
  ext.context.subscriptions.push(vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, links));

  register(ext.context, 'callflow.compareWith', async (arg, revArg) => {
    const doc = await workflowDocument(arg);
    const rev = typeof revArg === 'string' && revArg ? revArg : await pickRevision(doc.uri.fsPath);
    if (!rev) return { cancelled: true };
    const base = await revisionText(doc.uri.fsPath, rev);
    if (base.text === undefined) throw new UserError(`Nothing to compare with: ${base.note}.`);
    const diff = await ext.server.request(DiffRequest.type, { uri: doc.uri.toString(), baseText: base.text });
    if (!diff.ok) throw new UserError(`Cannot compare: ${diff.reason}`);
    const name = path.basename(doc.uri.fsPath).replace(/\.workflow\.yaml$/, '');
    // The text diff where the file is, the semantic diff beside it.
    const left = ext.docs.put('rev', `${name} (${rev}).workflow.yaml`, base.text, `${doc.uri.toString()}@${rev}`);
    await vscode.commands.executeCommand('vscode.diff', left, doc.uri, `${name}.workflow.yaml (${rev} ↔ working)`);
    const header = `Semantic changes in ${vscode.workspace.asRelativePath(doc.uri)} since ${rev}\n\n`;
    const text = header + diff.text;
    const semantic = ext.docs.put('diff', `${name} (changes since ${rev}).txt`, text, `${doc.uri.toString()}@${rev}`);
    links.set(
      semantic,
      doc.uri,
      (diff.links ?? []).map((l) => ({ textLine: l.textLine + 2, line: l.line })),
    );
    await vscode.window.showTextDocument(semantic, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
    return { rev, equal: diff.equal, nodes: diff.nodes, text, links: diff.links?.length ?? 0 };
  });
}
