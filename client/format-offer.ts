// Format on save is offered, never forced: the first time a workflow file is saved while
// editor.formatOnSave is off for the language, one notification offers to turn it on for workflow
// files (user settings, this language only). Asked once per VS Code profile, whatever the answer.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './lsp';
import { ui } from './ui';

const ASKED = 'callflow.formatOnSaveOffered';

export function offerFormatOnSave(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((doc) => {
    if (doc.languageId !== LANGUAGE_ID || context.globalState.get<boolean>(ASKED)) return;
    const editor = vscode.workspace.getConfiguration('editor', { languageId: LANGUAGE_ID, uri: doc.uri });
    if (editor.get<boolean>('formatOnSave')) return;
    void context.globalState.update(ASKED, true);
    void ui()
      .info('Format workflow files each time they are saved?', 'Turn On', 'Not Now')
      .then(async (a) => {
        if (a !== 'Turn On') return;
        await vscode.workspace
          .getConfiguration('editor', { languageId: LANGUAGE_ID })
          .update('formatOnSave', true, vscode.ConfigurationTarget.Global, true);
      });
  });
}
