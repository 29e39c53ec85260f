import * as vscode from 'vscode';

export interface CallflowApi { ready: boolean }

export function activate(_context: vscode.ExtensionContext): CallflowApi {
  return { ready: true };
}

export function deactivate(): void {}
