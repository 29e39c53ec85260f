// Targets and their keys: select the target, store or remove a target's API key (SecretStorage).
// Storing a key for a target also approves the target's current host for it: the user saw the URL.
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, findConfig, LOCAL_TARGET, type ProjectConfig } from '../../platform/targets';
import type { Ext } from '../context';
import { log } from '../log';
import { UserError } from '../targets';
import { notify, ui } from '../ui';
import { register } from './run';

/** A starting callflow.config.yaml: one commented remote target, no key (keys are never in files). */
export const CONFIG_TEMPLATE = `# Callflow targets: where plan, push and activate send a workflow (the editor and the CLI alike).
# "local" (the embedded emulator) is always there and needs no entry. A key is never written here:
# each target names the environment variable that holds its key, or store the key in the editor
# with "Callflow: Set API Key for a Target".
targets:
  production:
    url: https://api.dialnexa.com/v1
    key_env: CALLFLOW_PRODUCTION_KEY
# The target used when none is chosen (default: local).
# default_target: production
`;

/** Writes callflow.config.yaml at the workspace folder's root (never over a file) and opens it. */
async function createConfig(a: { path: string; isDir: boolean }): Promise<string> {
  const folder =
    vscode.workspace.getWorkspaceFolder(vscode.Uri.file(a.path))?.uri.fsPath ??
    (a.isDir ? a.path : path.dirname(a.path));
  const file = path.join(folder, CONFIG_FILE);
  try {
    writeFileSync(file, CONFIG_TEMPLATE, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  log(`created ${file}`);
  return file;
}

function anchor(): { path: string; isDir: boolean } {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file') return { path: doc.uri.fsPath, isDir: false };
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserError('Open a folder or a workflow file first.');
  return { path: folder.uri.fsPath, isDir: true };
}

export function registerKeyCommands(ext: Ext): void {
  const { context } = ext;

  register(context, 'callflow.selectTarget', async (nameArg) => {
    const a = anchor();
    const names = ext.targets.names(a.path, a.isDir);
    const current = ext.targets.selected(a.path, a.isDir);
    let name = typeof nameArg === 'string' ? nameArg : undefined;
    if (!name) {
      let cfg: ProjectConfig = { targets: new Map() };
      let cfgError: string | undefined;
      try {
        cfg = ext.targets.config(a.path, a.isDir);
      } catch (e) {
        cfgError = (e as Error).message;
      }
      type Item = vscode.QuickPickItem & { action?: 'create' | 'open' };
      const items: Item[] = names.map((n) => ({
        label: n,
        description: n === current ? 'selected' : undefined,
        detail: n === LOCAL_TARGET ? 'the local emulator, started on demand' : cfg.targets.get(n)?.url,
      }));
      // The way to more targets: create the config when there is none, else open it.
      const configPath = cfg.path ?? (cfgError ? findConfig(a.isDir ? a.path : path.dirname(a.path)) : undefined);
      items.push(
        configPath
          ? {
              label: `$(go-to-file) Open ${CONFIG_FILE}`,
              detail: cfgError ? `It has a problem: ${cfgError}` : 'Add or change targets there',
              action: 'open',
            }
          : {
              label: `$(new-file) Create ${CONFIG_FILE}…`,
              detail: 'Add a platform target (its URL and the variable holding its key) beside local',
              action: 'create',
            },
      );
      const pick = await ui().pick(items, 'Target for plan, push, activate and the remote view');
      if (!pick) return { refused: 'cancelled' };
      if (pick.action === 'open') {
        await vscode.window.showTextDocument(vscode.Uri.file(configPath!));
        return { config: configPath };
      }
      if (pick.action === 'create') return { config: await createConfig(a) };
      name = pick.label;
    }
    if (!names.includes(name)) throw new UserError(`Unknown target "${name}" (known: ${names.join(', ')}).`);
    await ext.targets.select(name);
    log(`target: ${name}`);
    return { target: name };
  });

  register(context, 'callflow.setApiKey', async (nameArg, keyArg) => {
    const a = anchor();
    const cfg = ext.targets.config(a.path, a.isDir);
    const remote = [...cfg.targets.keys()];
    if (remote.length === 0)
      throw new UserError(
        'No target needs a key: callflow.config.yaml defines none (the local emulator needs no key).',
      );
    let name = typeof nameArg === 'string' ? nameArg : undefined;
    if (!name) {
      const pick = await ui().pick(
        remote.map((n) => ({ label: n, detail: cfg.targets.get(n)!.url })),
        'Target whose API key to store',
      );
      if (!pick) return { refused: 'cancelled' };
      name = pick.label;
    }
    const t = cfg.targets.get(name);
    if (!t) throw new UserError(`Target "${name}" is not defined in ${cfg.path}.`);
    const key =
      typeof keyArg === 'string'
        ? keyArg
        : await ui().input(`API key for target "${name}" (${t.url}). Stored in VS Code's secret storage.`, {
            password: true,
            placeHolder: 'API key',
          });
    if (!key?.trim()) return { refused: 'cancelled' };
    await ext.keys.set(name, key.trim());
    await ext.approvals.approve(name, t.url);
    log(`stored the API key for target ${name} (approved for ${new URL(t.url).host})`);
    void notify('info', `API key for target "${name}" stored.`);
    ext.targets.fireChanged();
    return { target: name };
  });

  register(context, 'callflow.removeApiKey', async (nameArg) => {
    const a = anchor();
    const cfg = ext.targets.config(a.path, a.isDir);
    let name = typeof nameArg === 'string' ? nameArg : undefined;
    if (!name) {
      const stored = [];
      for (const n of cfg.targets.keys()) if (await ext.keys.has(n)) stored.push(n);
      if (stored.length === 0) {
        void notify('info', 'No API key is stored for the targets of this workspace.');
        return { refused: 'none stored' };
      }
      const pick = await ui().pick(
        stored.map((n) => ({ label: n })),
        'Target whose API key to remove',
      );
      if (!pick) return { refused: 'cancelled' };
      name = pick.label;
    }
    await ext.keys.delete(name);
    await ext.approvals.revoke(name);
    log(`removed the API key for target ${name}`);
    void notify('info', `API key for target "${name}" removed.`);
    ext.targets.fireChanged();
    return { target: name };
  });
}
