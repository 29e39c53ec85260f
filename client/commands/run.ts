// One wrapper for every command: errors become one clear message (with the action that fixes them,
// when there is one), with any key masked; the command's result is returned for callers and tests.
import * as vscode from 'vscode';
import { ApiError, NetworkError } from '../../platform/errors';
import { StateError } from '../../platform/state';
import { TargetError } from '../../platform/targets';
import { log } from '../log';
import { RestrictedError } from '../trust';
import { UserError } from '../targets';
import { notify } from '../ui';

export function register(
  context: vscode.ExtensionContext,
  id: string,
  fn: (...args: unknown[]) => Promise<unknown>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(id, () => fn(...args))),
  );
}

export async function runCommand<T>(id: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (e) {
    const message = describe(e);
    log(`${id}: ${message}`);
    if (e instanceof UserError && e.action) {
      const action = e.action;
      void notify('error', message, action.title).then((a) => {
        if (a === action.title) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
      });
    } else {
      void notify('error', message);
    }
    return { error: message };
  }
}

function describe(e: unknown): string {
  if (e instanceof UserError || e instanceof RestrictedError || e instanceof TargetError || e instanceof StateError)
    return e.message;
  if (e instanceof ApiError || e instanceof NetworkError) return `Platform: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
