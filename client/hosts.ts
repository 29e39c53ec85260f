// Which hosts may receive which target's key. Targets come from callflow.config.yaml, a workspace
// file: a cloned repository could point the target "production" at any host. So a stored key goes
// only to an origin the user approved for that target, in this VS Code (globalState, never the
// workspace); the first use of a new origin asks.
import type * as vscode from 'vscode';
import { ui } from './ui';

const STATE_KEY = 'callflow.approvedHosts';

export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

export class HostApprovals {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, string[]> {
    return this.state.get<Record<string, string[]>>(STATE_KEY) ?? {};
  }

  isApproved(target: string, url: string): boolean {
    return (this.all()[target] ?? []).includes(originOf(url));
  }

  async approve(target: string, url: string): Promise<void> {
    const all = this.all();
    const origin = originOf(url);
    all[target] = [...new Set([...(all[target] ?? []), origin])].sort();
    await this.state.update(STATE_KEY, all);
  }

  async revoke(target: string): Promise<void> {
    const all = this.all();
    delete all[target];
    await this.state.update(STATE_KEY, all);
  }

  /** True when the key may go to `url`: approved before, or the user approves it now. */
  async ensure(target: string, url: string, configPath: string | undefined): Promise<boolean> {
    if (this.isApproved(target, url)) return true;
    const origin = originOf(url);
    const answer = await ui().ask(
      `Send your API key for target "${target}" to ${origin}?`,
      `${configPath ?? 'callflow.config.yaml'} sets this target's URL to ${url}. Your stored key has not been sent to ${origin} before. Allow only if you trust this host: the approval is kept for this target in this VS Code, not in the workspace.`,
      'Allow',
    );
    if (answer !== 'Allow') return false;
    await this.approve(target, url);
    return true;
  }
}
