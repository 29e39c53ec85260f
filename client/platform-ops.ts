// What the editor's platform commands do, over platform/*.ts (the same plan, apply and state code as
// the CLI). No vscode UI here: the commands decide what to ask and show; this module only talks to
// the API and the state file, so each step can be reasoned about (and tested) on its own.
import { existsSync } from 'node:fs';
import { mapActivationMessages, type ActivationProblem } from '../platform/activation';
import * as api from '../platform/api';
import type { LifecycleVerb } from '../platform/client';
import type { DesiredWorkflow } from '../platform/desired-workflow';
import { ApiError } from '../platform/errors';
import { applyPrepared, preparePush, type Applied, type Prepared } from '../platform/prepare';
import {
  pullDestination,
  pullWorkflow,
  recordPull,
  writePulled,
  type Pulled,
  type PullRenderer,
} from '../platform/pull';
import type { RemoteWorkflow } from '../platform/snapshot';
import { readState, statePathFor } from '../platform/state';
import { PrePushRequest, RenderRemoteRequest, type PrePushProblem } from '../protocol';
import type { ServerHost } from './lsp';
import type { Connection } from './targets';

/** The language server, which holds the one language engine (the extension host has none). */
export type Engine = Pick<ServerHost, 'request'>;

export interface LoadedWorkflow {
  file: string;
  text: string;
  /** The workflow's title, when the file has one. */
  title?: string;
  /** The platform/desired.ts shape of the file; set exactly when it can be pushed (no errors). */
  desired?: DesiredWorkflow;
  errors: PrePushProblem[];
  warnings: PrePushProblem[];
  /** Node key → 1-based line of its key. */
  nodeLines: Map<string, number>;
}

/**
 * Validates the text as a push would see it (every offline rule, the leads file, the target's
 * concurrency limit), through the language server's pre-push check.
 */
export async function loadWorkflow(
  engine: Engine,
  uri: string,
  file: string,
  text: string,
  workspaceLimit?: number,
): Promise<LoadedWorkflow> {
  const r = await engine.request(PrePushRequest.type, { uri, text, workspaceLimit });
  return {
    file,
    text,
    title: r.desired?.title,
    // The wire type is checked against platform's in protocol/index.ts (DesiredWorkflowData).
    desired: r.desired as DesiredWorkflow | undefined,
    errors: r.errors,
    warnings: r.warnings,
    nodeLines: new Map(Object.entries(r.nodeLines).map(([k, line]) => [k, line + 1])),
  };
}

export function plan(conn: Connection, w: LoadedWorkflow): Promise<Prepared> {
  return preparePush(conn.client, w.file, conn.target.name, w.desired!);
}

export type PushResult = Applied;

/** Applies a prepared plan (the caller has confirmed it); an empty plan only refreshes the state. */
export function push(
  conn: Connection,
  w: LoadedWorkflow,
  prepared: Prepared,
  onProgress?: (done: number, total: number) => void,
): Promise<PushResult> {
  return applyPrepared(conn.client, conn.target.name, w.file, w.desired!, prepared, onProgress);
}

/** The workflow id the state file records for this file on this target. */
export function workflowIdFor(file: string, target: string): string | undefined {
  const stateFile = statePathFor(file);
  if (!existsSync(stateFile)) return undefined;
  return readState(stateFile).targets.get(target)?.workflowId;
}

/** Node key → remote id, from the state file. */
export function idsFor(file: string, target: string): Map<string, string> {
  const stateFile = statePathFor(file);
  const out = new Map<string, string>();
  if (!existsSync(stateFile)) return out;
  for (const [k, v] of readState(stateFile).targets.get(target)?.nodes ?? []) out.set(k, v.id);
  return out;
}

export async function getWorkflow(conn: Connection, id: string): Promise<RemoteWorkflow | undefined> {
  try {
    return await api.getWorkflow(conn.client, id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

export function lifecycle(conn: Connection, id: string, verb: LifecycleVerb): Promise<{ id: string; status: string }> {
  return conn.client.lifecycle(id, verb);
}

export function listWorkflows(conn: Connection): Promise<RemoteWorkflow[]> {
  return api.listWorkflows(conn.client);
}

/** platform/pull.ts's renderer, answered by the language server (the host has no core). */
function serverRenderer(engine: Engine): PullRenderer {
  return async (graph, keyById) => {
    const r = await engine.request(RenderRemoteRequest.type, {
      ...graph,
      keyById: keyById ? Object.fromEntries(keyById) : undefined,
    });
    return { ...r, idByKey: new Map(Object.entries(r.idByKey)) };
  };
}

/**
 * The remote workflow as pull renders it (platform/pull.ts: the CLI's flow), or undefined when it
 * is gone. `stateFile` keeps the node keys that state records for this target.
 */
export function pullRemote(
  engine: Engine,
  conn: Connection,
  id: string,
  stateFile?: string,
): Promise<Pulled | undefined> {
  return pullWorkflow(conn.client, id, { target: conn.target.name, stateFile, render: serverRenderer(engine) });
}

/** Pulls into a new file in `dir` (platform/pull.ts's name, never over an existing file) with its state. */
export async function pullInto(
  engine: Engine,
  conn: Connection,
  id: string,
  dir: string,
): Promise<{ file: string; pulled: Pulled } | undefined> {
  const pulled = await pullRemote(engine, conn, id);
  if (!pulled) return undefined;
  const dest = pullDestination(pulled, { dir });
  if ('exists' in dest) throw new Error(`${dest.exists} exists`); // only a named file can exist
  writePulled(dest.file, pulled);
  recordPull(dest.file, conn.target.name, pulled);
  return { file: dest.file, pulled };
}

/**
 * The platform's messages (a 400 from pre-activation validation, a failed call) with each node
 * named by the file's key and line: platform/activation.ts, the CLI's mapper, over the lines the
 * language server reported for the file.
 */
export function nameNodesIn(messages: string[], idByKey: Map<string, string>, w?: LoadedWorkflow): ActivationProblem[] {
  return mapActivationMessages(messages, idByKey, (key) => {
    const line = w?.nodeLines.get(key);
    return line ? { line: line - 1 } : undefined;
  });
}
