// The few places where a command waits on the user (modals, pickers, inputs). Kept behind one object
// so the in-editor tests can answer them (a real modal would block the test run) and check what was
// asked; everything else in the commands runs as in normal use.
import * as vscode from 'vscode';
import { redact } from '../platform/redact';
import { log } from './log';

export interface Ui {
  /** A modal question; resolves to the chosen button, or undefined when dismissed. */
  ask(message: string, detail: string, ...buttons: string[]): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Thenable<T | undefined>;
  input(
    prompt: string,
    options: { password?: boolean; value?: string; placeHolder?: string },
  ): Thenable<string | undefined>;
  /** A file to open (a lead CSV); resolves to its path, or undefined when cancelled. */
  chooseFile(
    title: string,
    defaultDir: string | undefined,
    filters: Record<string, string[]>,
  ): Thenable<string | undefined>;
  /** Where to save a new file (an export); resolves to its path, or undefined when cancelled. */
  saveAs(title: string, defaultPath: string, filters: Record<string, string[]>): Thenable<string | undefined>;
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
}

export const vscodeUi: Ui = {
  ask: (message, detail, ...buttons) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons),
  pick: (items, placeHolder) => vscode.window.showQuickPick(items, { placeHolder }),
  input: (prompt, o) =>
    vscode.window.showInputBox({
      prompt,
      password: o.password,
      value: o.value,
      placeHolder: o.placeHolder,
      ignoreFocusOut: true,
    }),
  chooseFile: (title, defaultDir, filters) =>
    vscode.window
      .showOpenDialog({
        title,
        openLabel: 'Choose',
        canSelectMany: false,
        filters,
        defaultUri: defaultDir ? vscode.Uri.file(defaultDir) : undefined,
      })
      .then((u) => u?.[0]?.fsPath),
  saveAs: (title, defaultPath, filters) =>
    vscode.window
      .showSaveDialog({ title, saveLabel: 'Export', filters, defaultUri: vscode.Uri.file(defaultPath) })
      .then((u) => u?.fsPath),
  info: (m, ...a) => vscode.window.showInformationMessage(m, ...a),
  warn: (m, ...a) => vscode.window.showWarningMessage(m, ...a),
  error: (m, ...a) => vscode.window.showErrorMessage(m, ...a),
};

let current: Ui = vscodeUi;
export function ui(): Ui {
  return current;
}
/** Test hook: replace the UI (pass undefined to restore VS Code's). */
export function setUi(u: Ui | undefined): void {
  current = u ?? vscodeUi;
}

/** A message for the user and the log, with any key masked. */
export function notify(
  kind: 'info' | 'warn' | 'error',
  message: string,
  ...actions: string[]
): Thenable<string | undefined> {
  const safe = redact(message);
  log(`${kind}: ${safe}`);
  return ui()[kind](safe, ...actions);
}
