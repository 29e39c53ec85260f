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
import { log } from '../log';
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
}

/** Errors from the core's own validation plus those the language server reports for the file. */
function blockingErrors(doc: vscode.TextDocument, w: ops.LoadedWorkflow): number {
  const seen = new Set(w.errors.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`));
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
  const w = ops.loadWorkflow(file, doc.getText(), conn.target.maxConcurrentCalls);
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

function summary(p: ops.LoadedWorkflow, prepared: Awaited<ReturnType<typeof ops.plan>>, target: string): string {
  const n = planCounts(prepared.plan);
  const head = isEmptyPlan(prepared.plan)
    ? `No changes to push: the remote workflow ${prepared.plan.workflowId} already matches the file.`
    : `${prepared.plan.calls.length} API call${prepared.plan.calls.length === 1 ? '' : 's'}: ${n.create} create, ${n.update} update, ${n.delete} delete.`;
  const drift = prepared.drift
    ? `\n\nThe remote workflow changed since the last push: ${prepared.drift.message}. Pushing overwrites those changes.`
    : '';
  return `${head}${drift}\n\n${renderPlan(prepared.plan, { file: path.basename(p.file), target, drift: prepared.drift })
    .split('\n')
    .slice(0, 25)
    .join('\n')}`;
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
  const after = (file: string, workflowId: string | undefined, status: string | undefined, target: string) => {
    ext.statuses.set(file, { target, workflowId, status });
    ext.remoteView.refresh();
  };

  register(context, 'callflow.showPlan', (arg) =>
    guard(async () => {
      const { file, conn, w } = await prepare(ext, arg, 'Plan');
      const prepared = await ops.plan(conn, w);
      const text = renderPlan(prepared.plan, {
        file: vscode.workspace.asRelativePath(file),
        target: conn.target.name,
        drift: prepared.drift,
      });
      await ext.docs.open(
        'plan',
        `${path.basename(file).replace(/\.workflow\.yaml$/, '')} (plan for ${conn.target.name}).txt`,
        text,
        { stableId: `${file}|${conn.target.name}` },
      );
      return { workflowId: prepared.plan.workflowId, calls: prepared.plan.calls.length, planText: text };
    }),
  );

  register(context, 'callflow.push', (arg) =>
    guard(async () => {
      const { file, conn, w } = await prepare(ext, arg, 'Push');
      const prepared = await ops.plan(conn, w);
      if (!isEmptyPlan(prepared.plan)) {
        const ok = await ui().ask(
          `Push ${path.basename(file)} to target "${conn.target.name}"?`,
          summary(w, prepared, conn.target.name),
          prepared.drift ? 'Overwrite and Push' : 'Push',
        );
        if (!ok) return { refused: 'cancelled' };
      }
      const r = await doPush(ext, conn, w, prepared);
      const wf = r.workflowId ? await ops.getWorkflow(conn, r.workflowId) : undefined;
      after(file, r.workflowId, wf?.status, conn.target.name);
      void notify(
        'info',
        r.applied
          ? `Pushed ${r.applied.done} call${r.applied.done === 1 ? '' : 's'} to workflow ${r.workflowId} on ${conn.target.name} (${wf?.status ?? 'unknown'}).`
          : `No changes: workflow ${r.workflowId} on ${conn.target.name} already matches the file.`,
      );
      return { workflowId: r.workflowId, status: wf?.status, calls: r.applied?.done ?? 0 };
    }),
  );

  register(context, 'callflow.activate', (arg) =>
    guard(async () => {
      const { doc, file, conn, w } = await prepare(ext, arg, 'Activate');
      const prepared = await ops.plan(conn, w);
      const title = w.model?.title?.value ?? path.basename(file);
      const ok = await ui().ask(
        `Activate "${title}" on target "${conn.target.name}"?`,
        `${summary(w, prepared, conn.target.name)}\n\nOnce active, calls start for enrolled leads.`,
        isEmptyPlan(prepared.plan) ? 'Activate' : 'Push and Activate',
      );
      if (!ok) return { refused: 'cancelled' };
      const pushed = await doPush(ext, conn, w, prepared);
      const id = pushed.workflowId!;
      try {
        const r = await ops.lifecycle(conn, id, 'activate');
        after(file, id, r.status, conn.target.name);
        void notify('info', `Activated "${title}" (workflow ${id}) on ${conn.target.name}: status ${r.status}.`);
        return { workflowId: id, status: r.status, calls: pushed.applied?.done ?? 0 };
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          const wf = await ops.getWorkflow(conn, id).catch(() => undefined);
          after(file, id, wf?.status, conn.target.name);
          if (wf?.status === 'paused') {
            const a = await notify(
              'warn',
              `Workflow ${id} is paused: a paused workflow is resumed, not activated.`,
              'Resume',
            );
            if (a === 'Resume') return await vscode.commands.executeCommand<CommandOutcome>('callflow.resume', doc.uri);
            return { workflowId: id, status: 'paused', refused: 'paused' };
          }
          void notify(
            'error',
            `Cannot activate workflow ${id}: it is ${wf?.status ?? 'not a draft'}, and only a draft can be activated.`,
          );
          return { workflowId: id, status: wf?.status, refused: 'not a draft' };
        }
        if (e instanceof ApiError && e.status === 400) {
          const named = ops.nodesNamedIn(e.messages, pushed.idByKey);
          await revealNode(doc, named.find((n) => n.key)?.key);
          const lines = named.map((n) => (n.key ? `${n.key}: ${n.message}` : n.message));
          log(`activation refused by the platform:\n  ${lines.join('\n  ')}`);
          void notify('error', `The platform refused the activation: ${lines.join(' · ')}`);
          return { workflowId: id, status: 'draft', refused: lines.join('\n') };
        }
        throw e;
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
        return lifecycleOn(ext, conn, id, v, question, file);
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
      const file = await ops.pullInto(conn, id, folder);
      if (!file) throw new UserError(`Workflow ${id} does not exist on target "${conn.target.name}".`);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      void notify(
        'info',
        `Pulled workflow ${id} from ${conn.target.name} into ${vscode.workspace.asRelativePath(file)}.`,
      );
      return { workflowId: id, file };
    }),
  );
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
