// Restricted (untrusted) workspaces: validation works, nothing goes to a platform. One check used by
// every command that would send a request, so the rule lives in one place.
import * as vscode from 'vscode';

let override: boolean | undefined;

export function isTrusted(): boolean {
  return override ?? vscode.workspace.isTrusted;
}

/** Test hook: pretend the workspace is (un)trusted; undefined restores VS Code's answer. */
export function setTrustOverride(v: boolean | undefined): void {
  override = v;
}

export class RestrictedError extends Error {
  constructor(what: string) {
    super(`${what} is off in a restricted workspace: trust this folder (Manage Workspace Trust) to use the platform.`);
  }
}

export function requireTrust(what: string): void {
  if (!isTrusted()) throw new RestrictedError(what);
}
