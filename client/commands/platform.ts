// Plan, push, activate and the lifecycle verbs for the workflow file in the editor, and pull.
// The order of activate is the product's promise: validation errors stop it, a modal shows what
// the push will do, then push, activate, and the resulting status is reported.
import path from 'node:path';
import * as vscode from 'vscode';
import type { LifecycleVerb } from '../../platform/client';
import { ApiError } from '../../platform/errors';
import { isEmptyPlan } from '../../platform/plan';
import { planCounts, renderPlan } from '../../platform/render';
import type { Ext } from '../context';
import { log, outputChannel } from '../log';
import { setWalkthroughContext } from '../walkthrough';
import * as ops from '../platform-ops';
import { UserError, type Connection } from '../targets';
import { notify, ui } from '../ui';
import { revealNode } from '../reveal';
import { savedFile, workflowDocument } from '../workflow-doc';
import { register } from './run';

export interface CommandOutcome {
  workflowId?: string;
  status?: string;
  calls?: number;
  refused?: string;
  file?: string;
  planText?: string;
  /** Variables a refusal says no uploaded lead carries. */
  variables?: string[];
  /** What a pulled file leaves out (platform/pull.ts), one sentence each. */
  omitted?: string[];
}

/** Errors from the core's own validation plus those the language server reports for the file. */
function blockingErrors(doc: vscode.TextDocument, w: ops.LoadedWorkflow): number {
  const seen = new Set(w.errors.map((d) => `${d.code}@${d.line}:${d.character}`));
  for (const d of vscode.languages.getDiagnostics(doc.uri)) {
    if (d.severity !== vscode.DiagnosticSeverity.Error) continue;
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
    seen.add(`${code}@${d.range.start.line}:${d.range.start.character}`);
  }
  return seen.size;
}

async function prepare(
  ext: Ext,
  arg: unknown,
  what: string,
): Promise<{ doc: vscode.TextDocument; file: string; conn: Connection; w: ops.LoadedWorkflow }> {
  const doc = await workflowDocument(arg);
  const file = await savedFile(doc);
  const conn = await ext.targets.connect(file, { what });
  const w = await ops.loadWorkflow(ext.server, doc.uri.toString(), file, doc.getText(), conn.target.maxConcurrentCalls);
  const n = blockingErrors(doc, w);
  if (n > 0 || !w.desired) {
    void notify(
      'error',
      `${what} stopped: ${path.basename(file)} has ${n || 'unreadable'} error${n === 1 ? '' : 's'}. Fix ${n === 1 ? 'it' : 'them'} first.`,
      'Show Problems',
    ).then((a) => {
      if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    throw new Refused(`${n} validation error(s)`);
  }
  return { doc, file, conn, w };
}

/** A refusal already explained to the user: the command returns it instead of raising a second message. */
class Refused extends Error {}

async function guard(fn: () => Promise<CommandOutcome>): Promise<CommandOutcome> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Refused) return { refused: e.message };
    throw e;
  }
}

/** At most this many characters per line of a modal's detail, so it stays a few lines tall. */
const LINE_MAX = 160;
const clip = (t: string) => (t.length > LINE_MAX ? `${t.slice(0, LINE_MAX - 1)}…` : t);

/**
 * The confirmation's detail: the target, the counts of creates/updates/deletes and the warnings,
 * a handful of short lines whatever the plan's size, so the modal fits any window. The full plan
 * is one button away (Show Plan).
 */
export function confirmationDetail(
  w: ops.LoadedWorkflow,
  prepared: Awaited<ReturnType<typeof ops.plan>>,
  target: string,
  closing?: string,
): string {
  const n = planCounts(prepared.plan);
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const lines = [`Target: ${target}`];
  lines.push(
    isEmptyPlan(prepared.plan)
      ? 'Push: nothing to change, the remote workflow matches the file.'
      : `Push: ${plural(n.create, 'create')}, ${plural(n.update, 'update')}, ${plural(n.delete, 'delete')}.`,
  );
  const warnings: string[] = [];
  if (prepared.drift)
    warnings.push(
      `The remote workflow changed since the last push (${prepared.drift.message}); pushing overwrites it.`,
    );
  const fileWarnings = w.warnings.filter((d) => d.severity === 'warning').length;
  if (fileWarnings) warnings.push(`${plural(fileWarnings, 'warning')} in the file (see Problems).`);
  if (warnings.length) lines.push('', 'Warnings:', ...warnings.map((w) => `• ${w}`));
  if (closing) lines.push('', closing);
  return lines.map(clip).join('\n');
}

/** Opens the full plan as a read-only document; returns its text. */
async function openPlan(
  ext: Ext,
  file: string,
  target: string,
  prepared: Awaited<ReturnType<typeof ops.plan>>,
): Promise<string> {
  const text = renderPlan(prepared.plan, {
    file: vscode.workspace.asRelativePath(file),
    target,
    drift: prepared.drift,
  });
  await ext.docs.open(
    'plan',
    `${path.basename(file).replace(/\.workflow\.yaml$/, '')} (plan for ${target}).txt`,
    text,
    { stableId: `${file}|${target}` },
  );
  return text;
}

/**
 * The confirmation modal: Show Plan is the first button, so Enter (and a reflex) opens the plan
 * instead of changing anything; Cancel (Escape) is VS Code's own. After Show Plan, a notification
 * offers the action again, which re-plans and asks once more.
 */
async function confirmWithPlan(
  ext: Ext,
  doc: vscode.TextDocument,
  w: ops.LoadedWorkflow,
  file: string,
  conn: Connection,
  prepared: Awaited<ReturnType<typeof ops.plan>>,
  o: { question: string; action: string; command: string; closing?: string },
): Promise<'go' | CommandOutcome> {
  const choice = await ui().ask(
    o.question,
    confirmationDetail(w, prepared, conn.target.name, o.closing),
    'Show Plan',
    o.action,
  );
  if (choice === o.action) return 'go';
  if (choice !== 'Show Plan') return { refused: 'cancelled' };
  const planText = await openPlan(ext, file, conn.target.name, prepared);
  void notify('info', `The plan for ${path.basename(file)} on ${conn.target.name} is open.`, o.action).then((a) => {
    if (a === o.action) void vscode.commands.executeCommand(o.command, doc.uri);
  });
  return { refused: 'showed the plan', planText, workflowId: prepared.plan.workflowId };
}

async function doPush(
  ext: Ext,
  conn: Connection,
  w: ops.LoadedWorkflow,
  prepared: Awaited<ReturnType<typeof ops.plan>>,
): Promise<ops.PushResult> {
  const status = prepared.plan.status;
  if (!isEmptyPlan(prepared.plan) && (status === 'active' || status === 'running')) {
    void notify(
      'warn',
      `Workflow ${prepared.plan.workflowId} is active: edits would reach leads at the next scheduling tick. Pause it, push, then resume.`,
      'Pause',
    ).then((a) => {
      if (a === 'Pause') void vscode.commands.executeCommand('callflow.pause', vscode.Uri.file(w.file));
    });
    throw new Refused('the workflow is active');
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pushing to ${conn.target.name}` },
    async (progress) => {
      let last = 0;
      const r = await ops.push(conn, w, prepared, (done, total) => {
        progress.report({ message: `${done}/${total} calls`, increment: ((done - last) / total) * 100 });
        last = done;
      });
      log(
        `push ${path.basename(w.file)} → ${conn.target.name}: ${r.applied ? `${r.applied.done} calls` : 'no changes'}, workflow ${r.workflowId}`,
      );
      return r;
    },
  );
}

export function registerPlatformCommands(ext: Ext): void {
  const { context } = ext;
  /**
   * After any outcome (done, refused, partial, failed), the status bar, CodeLens and remote view
   * show what the platform now holds: read afresh from the state file and the API, never assumed.
   */
  const settle = async (file: string) => {
    ext.remoteView.refresh();
    await ext.statuses.refresh(file, true).catch(() => undefined);
  };

  register(context, 'callflow.showPlan', (arg) =>
    guard(async () => {
      const { file, conn, w } = await prepare(ext, arg, 'Plan');
      const prepared = await ops.plan(conn, w);
      const text = await openPlan(ext, file, conn.target.name, prepared);
      setWalkthroughContext('plan');
      return { workflowId: prepared.plan.workflowId, calls: prepared.plan.calls.length, planText: text };
    }),
  );

  register(context, 'callflow.push', (arg) =>
    guard(async () => {
      const { doc, file, conn, w } = await prepare(ext, arg, 'Push');
      try {
        const prepared = await ops.plan(conn, w);
        if (!isEmptyPlan(prepared.plan)) {
          const ok = await confirmWithPlan(ext, doc, w, file, conn, prepared, {
            question: `Push ${path.basename(file)} to ${conn.target.name}?`,
            action: prepared.drift ? 'Overwrite and Push' : 'Push',
            command: 'callflow.push',
          });
          if (ok !== 'go') return ok;
        }
        const r = await withNodeNames(w, conn, () => doPush(ext, conn, w, prepared));
        const wf = r.workflowId ? await ops.getWorkflow(conn, r.workflowId) : undefined;
        void notify(
          'info',
          r.applied
            ? `Pushed ${r.applied.done} call${r.applied.done === 1 ? '' : 's'} to ${conn.target.name} (${wf?.status ?? 'unknown'}).`
            : `No changes: the workflow on ${conn.target.name} already matches the file.`,
        );
        return { workflowId: r.workflowId, status: wf?.status, calls: r.applied?.done ?? 0 };
      } finally {
        await settle(file);
      }
    }),
  );

  register(context, 'callflow.activate', (arg) =>
    guard(async () => {
      const { doc, file, conn, w } = await prepare(ext, arg, 'Activate');
      try {
        return await activateFile(ext, doc, file, conn, w);
      } finally {
        await settle(file);
      }
    }),
  );

  const verb = (
    v: Exclude<LifecycleVerb, 'activate'>,
    question?: (id: string, target: string) => [string, string, string],
  ) =>
    register(context, `callflow.${v}`, (arg) =>
      guard(async () => {
        const doc = await workflowDocument(arg);
        const file = doc.uri.fsPath;
        const conn = await ext.targets.connect(file, { what: v[0].toUpperCase() + v.slice(1) });
        const id = ops.workflowIdFor(file, conn.target.name);
        if (!id)
          throw new UserError(`${path.basename(file)} has not been pushed to target "${conn.target.name}" yet.`, {
            title: 'Push',
            command: 'callflow.push',
            args: [doc.uri],
          });
        try {
          return await lifecycleOn(ext, conn, id, v, question, file);
        } finally {
          await settle(file);
        }
      }),
    );
  verb('pause');
  verb('resume');
  verb('cancel', cancelQuestion);

  register(context, 'callflow.pull', (idArg, dirArg) =>
    guard(async () => {
      const folder = typeof dirArg === 'string' ? dirArg : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!folder) throw new UserError('Open a folder to pull a workflow into.');
      const conn = await ext.targets.connect(folder, { what: 'Pull', isDir: true });
      let id = typeof idArg === 'string' ? idArg : undefined;
      if (!id) {
        const all = await ops.listWorkflows(conn);
        const pick = await ui().pick(
          all.map((w) => ({ label: w.title ?? w.id, description: `${w.id} · ${w.status}`, id: w.id })),
          `Workflow on ${conn.target.name} to pull into a new file`,
        );
        if (!pick) return { refused: 'cancelled' };
        id = pick.id;
      }
      const r = await ops.pullInto(ext.server, conn, id, folder);
      if (!r) throw new UserError(`Workflow ${id} does not exist on target "${conn.target.name}".`);
      const { file, pulled } = r;
      const rel = vscode.workspace.asRelativePath(file);
      for (const o of pulled.omitted) log(`pull ${id} into ${rel}: left out: ${o}`);
      for (const e of pulled.errors) log(`pull ${id} into ${rel}: ${e}`);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      // What the file leaves out (platform/pull.ts `omitted`) is said, as the CLI says it on stderr.
      const left = pulled.omitted.length ? ` Left out: ${pulled.omitted.join('; ')}.` : '';
      void notify(
        pulled.errors.length ? 'warn' : 'info',
        `Pulled workflow ${id} from ${conn.target.name} into ${rel}.${left}`,
      );
      return { workflowId: id, file, omitted: pulled.omitted };
    }),
  );
}

/**
 * Activate: confirm (short modal, Show Plan first), push, activate, report. A refusal is told in
 * one short line with *Show Output* (the details, each node named by key and line, are in the
 * output) and the first node it names is revealed; a refusal for variables no uploaded lead
 * carries explains that and offers *Upload Leads…*.
 */
async function activateFile(
  ext: Ext,
  doc: vscode.TextDocument,
  file: string,
  conn: Connection,
  w: ops.LoadedWorkflow,
): Promise<CommandOutcome> {
  const prepared = await ops.plan(conn, w);
  const title = w.title ?? path.basename(file);
  const ok = await confirmWithPlan(ext, doc, w, file, conn, prepared, {
    question: `Activate "${title}" on ${conn.target.name}?`,
    action: isEmptyPlan(prepared.plan) ? 'Activate' : 'Push and Activate',
    command: 'callflow.activate',
    closing: 'Once active, calls start for enrolled leads.',
  });
  if (ok !== 'go') return ok;
  const pushed = await withNodeNames(w, conn, () => doPush(ext, conn, w, prepared));
  const id = pushed.workflowId!;
  try {
    const r = await ops.lifecycle(conn, id, 'activate');
    void notify('info', `Activated "${title}" on ${conn.target.name}: ${r.status}.`);
    setWalkthroughContext('activate');
    return { workflowId: id, status: r.status, calls: pushed.applied?.done ?? 0 };
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      const wf = await ops.getWorkflow(conn, id).catch(() => undefined);
      if (wf?.status === 'paused') {
        const a = await notify('warn', `"${title}" is paused on ${conn.target.name}: resume it instead.`, 'Resume');
        if (a === 'Resume') return await vscode.commands.executeCommand<CommandOutcome>('callflow.resume', doc.uri);
        return { workflowId: id, status: 'paused', refused: 'paused' };
      }
      void notify(
        'error',
        `Cannot activate "${title}": it is ${wf?.status ?? 'not a draft'} on ${conn.target.name}, and only a draft can be activated.`,
      );
      return { workflowId: id, status: wf?.status, refused: 'not a draft' };
    }
    if (e instanceof ApiError && e.status === 400) {
      const named = ops.nameNodesIn(e.messages, pushed.idByKey, w);
      log(
        `activation of ${path.basename(file)} refused by ${conn.target.name}:\n  ${named.map((n) => n.message).join('\n  ')}`,
      );
      const first = named.find((n) => n.keys.length);
      await revealNode(doc, first?.keys[0]);
      const variables = [...new Set(named.flatMap((n) => n.variables))];
      const refused = named.map((n) => n.message).join('\n');
      if (variables.length) {
        const vars = variables.map((v) => `{{${v}}}`).join(', ');
        void notify(
          'error',
          `Activation refused: the agent's prompt uses ${vars}, and no lead uploaded to this workflow carries ${variables.length === 1 ? 'it' : 'them'}. Upload leads with ${variables.length === 1 ? 'that column' : 'those columns'} first.`,
          'Upload Leads…',
          'Show Output',
        ).then((a) => {
          if (a === 'Upload Leads…') void vscode.commands.executeCommand('callflow.uploadLeads', doc.uri);
          if (a === 'Show Output') outputChannel().show(true);
        });
        return { workflowId: id, status: 'draft', refused, variables } as CommandOutcome;
      }
      const where = first
        ? `, first at ${first.keys[0]}${first.line !== undefined ? ` (line ${first.line + 1})` : ''}`
        : '';
      void notify(
        'error',
        `Activation refused on ${conn.target.name}: ${named.length} problem${named.length === 1 ? '' : 's'}${where}.`,
        'Show Output',
      ).then((a) => {
        if (a === 'Show Output') outputChannel().show(true);
      });
      return { workflowId: id, status: 'draft', refused };
    }
    throw e;
  }
}

/** Runs a push; a platform error that names node ids is re-thrown naming their keys and lines. */
async function withNodeNames<T>(w: ops.LoadedWorkflow, conn: Connection, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError && /node_[A-Za-z0-9]/.test(e.message)) {
      const named = ops.nameNodesIn([e.message], ops.idsFor(w.file, conn.target.name), w);
      throw new UserError(`Platform: ${named[0].message}`, { title: 'Show Output', command: 'callflow.showOutput' });
    }
    throw e;
  }
}

function cancelQuestion(id: string, target: string): [string, string, string] {
  return [
    `Cancel workflow ${id} on target "${target}"?`,
    'Cancelling is final: a cancelled workflow can never be activated or resumed again, and its leads stop.',
    'Cancel Workflow',
  ];
}

/** Runs a lifecycle verb on a known workflow id (editor command or remote view item). */
export async function lifecycleOn(
  ext: Ext,
  conn: Connection,
  id: string,
  v: LifecycleVerb,
  question: ((id: string, target: string) => [string, string, string]) | undefined,
  file?: string,
): Promise<CommandOutcome> {
  if (v === 'cancel') question ??= cancelQuestion;
  if (question) {
    const [q, detail, button] = question(id, conn.target.name);
    if ((await ui().ask(q, detail, button)) !== button) return { workflowId: id, refused: 'cancelled' };
  }
  try {
    const r = await ops.lifecycle(conn, id, v);
    if (file) ext.statuses.set(file, { target: conn.target.name, workflowId: id, status: r.status });
    ext.remoteView.refresh();
    void notify('info', `Workflow ${id} on ${conn.target.name}: ${r.status}.`);
    return { workflowId: id, status: r.status };
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      const wf = await ops.getWorkflow(conn, id).catch(() => undefined);
      if (file) ext.statuses.set(file, { target: conn.target.name, workflowId: id, status: wf?.status });
      void notify('warn', `Cannot ${v} workflow ${id}: it is ${wf?.status ?? 'in another state'}.`);
      return { workflowId: id, status: wf?.status, refused: `it is ${wf?.status}` };
    }
    throw e;
  }
}
