// Callflow: Upload Leads… — leads are a first-class step before activation. The file: on `local`,
// the workflow's `leads:` file is offered first; on any other target the user always chooses
// (uploaded leads are dialled as soon as the workflow is active, so nothing is ever sent
// implicitly). A preview (row count and columns) is confirmed before anything is sent.
import path from 'node:path';
import * as vscode from 'vscode';
import {
  LeadsFileError,
  readLeadsFile,
  readWorkflowLeadsFile,
  uploadLeads,
  type LeadsFile,
} from '../../platform/leads';
import { LOCAL_TARGET } from '../../platform/targets';
import { leadsPathFromText, leadsRoot } from '../../platform/workspace-files';
import type { Ext } from '../context';
import { log } from '../log';
import * as ops from '../platform-ops';
import { UserError } from '../user-error';
import { notify, ui } from '../ui';
import { setWalkthroughContext } from '../walkthrough';
import { savedFile, workflowDocument } from '../workflow-doc';
import type { CommandOutcome } from './platform';
import { register } from './run';

const CSV_FILTER = { 'Lead files (CSV)': ['csv'] };

export interface UploadOutcome extends CommandOutcome {
  uploaded?: number;
  columns?: string[];
  leadsFile?: string;
}

export function registerLeadsCommands(ext: Ext): void {
  register(ext.context, 'callflow.uploadLeads', async (arg, csvArg): Promise<UploadOutcome> => {
    const doc = await workflowDocument(arg);
    const file = await savedFile(doc);
    const conn = await ext.targets.connect(file, { what: 'Upload Leads' });
    const target = conn.target.name;
    let id = ops.workflowIdFor(file, target);
    if (!id) {
      // Leads belong to a workflow on the platform: it has to be there first.
      const a = await ui().ask(
        `${path.basename(file)} is not on ${target} yet.`,
        'Leads are uploaded to a workflow on the platform: push the file first (it stays a draft), then choose the leads.',
        'Push…',
      );
      if (a !== 'Push…') return { refused: 'cancelled' };
      const pushed = await vscode.commands.executeCommand<CommandOutcome>('callflow.push', doc.uri);
      if (!pushed?.workflowId) return { refused: pushed?.refused ?? 'not pushed' };
      id = pushed.workflowId;
    }

    const leads = await chooseLeads(doc, file, target, typeof csvArg === 'string' ? csvArg : undefined);
    if (!leads) return { workflowId: id, refused: 'cancelled' };
    const rel = vscode.workspace.asRelativePath(leads.path);
    const detail = [
      `File: ${rel}`,
      `Columns: ${leads.columns.join(', ')}`,
      target === LOCAL_TARGET
        ? 'The local emulator places no real calls.'
        : 'They are called as soon as the workflow is active.',
    ].join('\n');
    const verb = `Upload ${leads.rows} Lead${leads.rows === 1 ? '' : 's'}`;
    const ok = await ui().ask(
      `Upload ${leads.rows} lead${leads.rows === 1 ? '' : 's'} to ${path.basename(file)} on ${target}?`,
      detail,
      verb,
    );
    if (ok !== verb) return { workflowId: id, refused: 'cancelled' };
    const n = await uploadLeads(conn.client, id, leads);
    log(`uploaded ${n} leads from ${rel} to workflow ${id} on ${target} (columns: ${leads.columns.join(', ')})`);
    setWalkthroughContext('leads');
    const wf = await ops.getWorkflow(conn, id).catch(() => undefined);
    const canActivate = wf?.status === 'draft';
    void notify(
      'info',
      `Uploaded ${n} lead${n === 1 ? '' : 's'} to ${path.basename(file)} on ${target}.`,
      ...(canActivate ? ['Activate'] : []),
    ).then((a) => {
      if (a === 'Activate') void vscode.commands.executeCommand('callflow.activate', doc.uri);
    });
    return { workflowId: id, status: wf?.status, uploaded: n, columns: leads.columns, leadsFile: leads.path };
  });
}

/**
 * Which file to upload. An explicit path (tests, other commands) is used as given. On `local` the
 * workflow's `leads:` file is offered first; elsewhere, and when declined, a file dialog.
 */
async function chooseLeads(
  doc: vscode.TextDocument,
  file: string,
  target: string,
  explicit: string | undefined,
): Promise<LeadsFile | undefined> {
  const read = (f: () => LeadsFile) => {
    try {
      return f();
    } catch (e) {
      if (e instanceof LeadsFileError) throw new UserError(e.message);
      throw e;
    }
  };
  if (explicit) return read(() => readLeadsFile(path.resolve(path.dirname(file), explicit)));
  const named = leadsPathFromText(doc.getText());
  if (target === LOCAL_TARGET && named) {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const own = read(() => readWorkflowLeadsFile(file, named, leadsRoot(file, { workspaceFolders: folders })));
    const pick = await ui().pick(
      [
        {
          label: named,
          description: `${own.rows} lead${own.rows === 1 ? '' : 's'} · named by leads: in the workflow`,
          detail: own.columns.join(', '),
          use: true,
        },
        { label: '$(folder-opened) Choose another file…', use: false },
      ],
      `Leads to upload to ${target}`,
    );
    if (!pick) return undefined;
    if (pick.use) return own;
  }
  const chosen = await ui().chooseFile(
    `Leads to upload to ${target} (a CSV with a phone_number column)`,
    path.dirname(file),
    CSV_FILTER,
  );
  return chosen ? read(() => readLeadsFile(chosen)) : undefined;
}
