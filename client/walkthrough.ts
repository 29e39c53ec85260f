// The walkthrough's steps are ticked by what really happened, not by a command being run: each
// step's completionEvents is `onContext:callflow.walkthrough.<step>`, set here once the step's
// outcome is there (a preview drawn, a plan shown, leads uploaded, a workflow active).
import * as vscode from 'vscode';

export type WalkthroughStep = 'preview' | 'plan' | 'leads' | 'activate';

export function setWalkthroughContext(step: WalkthroughStep): void {
  void vscode.commands.executeCommand('setContext', `callflow.walkthrough.${step}`, true);
}
