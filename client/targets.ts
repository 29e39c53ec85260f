// Which target a file talks to, and an API client for it. Targets come from callflow.config.yaml
// (platform/targets.ts reads it); keys come from SecretStorage (or the environment variable the
// config names), go only to approved hosts, and never in a restricted workspace.
import * as vscode from 'vscode';
import path from 'node:path';
import { ApiClient } from '../platform/client';
import {
  findConfig,
  LOCAL_TARGET,
  readConfig,
  resolveTarget,
  TargetError,
  type ProjectConfig,
  type ResolvedTarget,
} from '../platform/targets';
import { runningLocalEmulator, startLocalEmulator } from './emulator';
import { originOf, type HostApprovals } from './hosts';
import { log } from './log';
import type { KeyStore } from './secrets';
import { requireTrust } from './trust';
import { UserError } from './user-error';

const SELECTED = 'callflow.target';

export { UserError };

/** Where a target's key came from, in a few words (never the key). */
export function describeKeySource(t: ResolvedTarget): string {
  switch (t.keyFrom) {
    case 'stored-key':
      return 'stored in VS Code';
    case 'host-variable':
    case 'key-env':
      return `$${t.keyVariable ?? t.keyEnv}`;
    case 'credentials-file':
      return 'your credentials file';
    default:
      return t.local ? 'the local emulator' : 'unknown';
  }
}

export interface Connection {
  target: ResolvedTarget;
  client: ApiClient;
}

export class Targets {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly workspaceState: vscode.Memento,
    private readonly keys: KeyStore,
    private readonly approvals: HostApprovals,
  ) {}

  /** Per remote target, where its key came from at the last connection (the status bar shows it). */
  readonly keySources = new Map<string, string>();

  /** The config above `fileOrDir` (empty when there is none). */
  config(fileOrDir: string, isDir = false): ProjectConfig {
    const dir = isDir ? fileOrDir : path.dirname(fileOrDir);
    const p = findConfig(dir);
    return p ? readConfig(p) : { targets: new Map() };
  }

  names(fileOrDir: string, isDir = false): string[] {
    try {
      return [LOCAL_TARGET, ...this.config(fileOrDir, isDir).targets.keys()];
    } catch {
      return [LOCAL_TARGET];
    }
  }

  /** Selected in this workspace, else the setting, else the config's default_target, else local. */
  selected(fileOrDir: string, isDir = false): string {
    const chosen = this.workspaceState.get<string>(SELECTED);
    const names = this.names(fileOrDir, isDir);
    if (chosen && names.includes(chosen)) return chosen;
    const setting = vscode.workspace
      .getConfiguration('callflow', vscode.Uri.file(fileOrDir))
      .get<string>('defaultTarget');
    if (setting && names.includes(setting)) return setting;
    try {
      return this.config(fileOrDir, isDir).defaultTarget ?? LOCAL_TARGET;
    } catch {
      return LOCAL_TARGET;
    }
  }

  async select(name: string): Promise<void> {
    await this.workspaceState.update(SELECTED, name);
    this.changed.fire();
  }

  fireChanged(): void {
    this.changed.fire();
  }

  /**
   * The `local` emulator of this file's project when it is already running (the online checks'
   * target on `local`); undefined otherwise: the checks never start an emulator.
   */
  async runningLocal(file: string): Promise<{ baseUrl: string; key: string } | undefined> {
    let dbPath: string | undefined;
    try {
      dbPath = resolveTarget(file, LOCAL_TARGET, { CALLFLOW_LOCAL_DB: process.env.CALLFLOW_LOCAL_DB }).dbPath;
    } catch {
      return undefined;
    }
    const emu = dbPath ? await runningLocalEmulator(dbPath) : undefined;
    return emu && { baseUrl: emu.url, key: emu.key };
  }

  /** Opens a connection to the file's target: trust, key, host approval, and the emulator for local. */
  async connect(
    fileOrDir: string,
    o: {
      isDir?: boolean;
      targetName?: string;
      what: string;
      /** Never ask: fail instead (background refreshes). */ quiet?: boolean;
    },
  ): Promise<Connection> {
    requireTrust(o.what);
    const name = o.targetName ?? this.selected(fileOrDir, o.isDir);
    let target: ResolvedTarget;
    if (name === LOCAL_TARGET) {
      target = resolveTarget(fileOrDir, LOCAL_TARGET, { CALLFLOW_LOCAL_DB: process.env.CALLFLOW_LOCAL_DB }, o.isDir);
      const emu = await startLocalEmulator(this.extensionPath, target.dbPath!);
      target = { ...target, url: emu.url, key: emu.key };
    } else {
      const cfg = this.config(fileOrDir, o.isDir);
      const t = cfg.targets.get(name);
      if (!t)
        throw new UserError(`Target "${name}" is not defined in ${cfg.path ?? 'callflow.config.yaml'}.`, {
          title: 'Select Target',
          command: 'callflow.selectTarget',
        });
      const stored = await this.keys.get(name);
      // platform/credentials.ts decides which key may go to the target's host, by the same rule as
      // the CLI: a key bound to the host (CALLFLOW_TOKEN_<host>, the user's credentials file) or
      // an origin approved outside the repository (the user's file, CALLFLOW_APPROVED_ORIGINS,
      // loopback) needs no question; otherwise the user approves the origin here, once per target.
      const resolve = (approved: boolean) =>
        resolveTarget(fileOrDir, name, process.env, o.isDir, {
          storedKey: stored,
          approvedOrigins: approved ? [originOf(t.url)] : [],
        });
      try {
        try {
          target = resolve(this.approvals.isApproved(name, t.url));
        } catch (e) {
          if (!(e instanceof TargetError) || !/is not approved/.test(e.message)) throw e;
          if (o.quiet || !(await this.approvals.ensure(name, t.url, cfg.path)))
            throw new UserError(`Not sent: the host of target "${name}" (${t.url}) is not approved for its key.`);
          target = resolve(true);
        }
      } catch (e) {
        if (!(e instanceof TargetError)) throw e;
        if (/no API key/.test(e.message))
          throw new UserError(`No API key for target "${name}": store one with "Callflow: Set API Key for a Target".`, {
            title: 'Set API Key',
            command: 'callflow.setApiKey',
            args: [name],
          });
        throw new UserError(e.message);
      }
      this.keySources.set(name, describeKeySource(target));
    }
    const client = new ApiClient({
      baseUrl: target.url!,
      key: target.key!,
      target: target.name,
      concurrency: target.httpConcurrency,
      onRetry: (r) => log(`retrying ${r.method} ${r.path} in ${(r.waitMs / 1000).toFixed(1)} s (${r.why})`),
    });
    return { target, client };
  }
}
