// PlanRequest: what a push would change. Network and push state on disk, so only in the Node
// server (server/node-host.ts registers it), only in a trusted workspace and only to the target the
// client hands over (never one resolved from the workspace's files and the environment).
import type { Connection } from 'vscode-languageserver/node';
import { ApiClient } from '../platform/client';
import { desiredFromModel } from '../platform/desired';
import { callKind } from '../platform/plan';
import { preparePush } from '../platform/prepare';
import { redact } from '../platform/redact';
import { describeCall, renderPlan } from '../platform/render';
import { PlanRequest, type PlanResult } from '../protocol';
import type { DocumentStore } from './documents';
import { onRequest } from './messages';
import type { OnlineCache } from './online';
import { uriToPath } from './workspace';

export function registerPlan(
  connection: Connection,
  store: DocumentStore,
  online: OnlineCache,
  trusted: () => boolean,
): void {
  onRequest(connection, PlanRequest.type, async (p): Promise<PlanResult> => {
    if (!trusted()) return { available: false, reason: 'the plan is off in a restricted workspace' };
    const file = uriToPath(p.uri);
    const a = store.analysis(p.uri);
    if (!file || !a?.model)
      return { available: false, reason: 'the file has no usable workflow (fix its syntax problems first)' };
    if (a.diagnostics.some((d) => d.severity === 'error'))
      return { available: false, reason: 'the file has errors; a plan is computed for a valid file only' };
    const target = await online.credentials(p.uri, p.target);
    if ('unavailable' in target) return { available: false, reason: target.unavailable };
    try {
      const client = new ApiClient({ baseUrl: target.url!, key: target.key!, target: target.name });
      const prepared = await preparePush(client, file, target.name, desiredFromModel(a.model));
      return {
        available: true,
        target: target.name,
        summary: renderPlan(prepared.plan, { file, target: target.name, drift: prepared.drift }),
        calls: prepared.plan.calls.map((c) => ({ kind: callKind(c), description: describeCall(c).what })),
      };
    } catch (e) {
      return { available: false, reason: redact((e as Error).message) };
    }
  });
}
