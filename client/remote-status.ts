// The remote status of each open workflow file on its selected target (status bar, CodeLens):
// the state file names the workflow id, one GET reads its status. Refreshed on open, save, target
// change and after every platform command; never asks the user anything (a host not yet approved
// or a missing key just shows as unknown).
import * as vscode from 'vscode';
import { EmulatorStartError } from './emulator';
import { isTrusted } from './trust';
import { getWorkflow, workflowIdFor } from './platform-ops';
import type { Targets } from './targets';

export interface RemoteStatus {
  target: string;
  workflowId?: string;
  /** draft, active, paused, cancelled, completed; 'deleted' when the recorded id is gone. */
  status?: string;
  /** Why there is no status (not pushed, restricted, no key, unreachable). */
  note?: string;
}

export class RemoteStatuses implements vscode.Disposable {
  private readonly cache = new Map<string, RemoteStatus>();
  private readonly inflight = new Map<string, Promise<RemoteStatus>>();
  private readonly generation = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly targets: Targets) {}

  get(file: string): RemoteStatus | undefined {
    return this.cache.get(file);
  }

  set(file: string, s: RemoteStatus): void {
    this.cache.set(file, s);
    this.changed.fire(file);
  }

  /** Reads the status again; `fresh` does not reuse a read begun before (e.g. before a push). */
  refresh(file: string, fresh = false): Promise<RemoteStatus> {
    let p = fresh ? undefined : this.inflight.get(file);
    if (!p) {
      const gen = (this.generation.get(file) ?? 0) + 1;
      this.generation.set(file, gen);
      p = this.read(file)
        .then((s) => {
          // A read begun earlier that ends later must not overwrite a newer answer.
          if (this.generation.get(file) === gen) this.set(file, s);
          return s;
        })
        .finally(() => {
          if (this.inflight.get(file) === p) this.inflight.delete(file);
        });
      this.inflight.set(file, p);
    }
    return p;
  }

  private async read(file: string): Promise<RemoteStatus> {
    const target = this.targets.selected(file);
    if (!isTrusted()) return { target, note: 'restricted workspace' };
    let id: string | undefined;
    try {
      id = workflowIdFor(file, target);
    } catch (e) {
      return { target, note: `state file unreadable: ${(e as Error).message}` };
    }
    if (!id) return { target, note: 'not pushed' };
    try {
      const conn = await this.targets.connect(file, { what: 'Reading the remote status', quiet: true });
      const wf = await getWorkflow(conn, id);
      return { target, workflowId: id, status: wf ? (wf.status === 'running' ? 'active' : wf.status) : 'deleted' };
    } catch (e) {
      return { target, workflowId: id, note: e instanceof EmulatorStartError ? e.short : (e as Error).message };
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
