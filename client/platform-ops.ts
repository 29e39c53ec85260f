// What the editor's platform commands do, over platform/*.ts (the same plan, apply and state code as
// the CLI). No vscode UI here: the commands decide what to ask and show; this module only talks to
// the API and the state file, so each step can be reasoned about (and tested) on its own.
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as api from '../platform/api';
import type { LifecycleVerb } from '../platform/client';
import type { DesiredWorkflow } from '../platform/desired';
import { ApiError } from '../platform/errors';
import { applyPrepared, preparePush, type Applied, type Prepared } from '../platform/prepare';
import { readRemote } from '../platform/remote-read';
import type { RemoteWorkflow } from '../platform/snapshot';
import { deriveTarget, readState, saveState, statePathFor } from '../platform/state';
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

/** The remote workflow rendered as workflow text (what pull writes), or undefined when it is gone. */
export async function renderRemote(
  engine: Engine,
  conn: Connection,
  id: string,
): Promise<
  (RenderRemoteRequest.Result & { snapshot: NonNullable<Awaited<ReturnType<typeof readRemote>>> }) | undefined
> {
  const remote = await readRemote(conn.client, id);
  if (!remote) return undefined;
  const keys = await api.variableKeys(conn.client, id).catch(() => undefined);
  const r = await engine.request(RenderRemoteRequest.type, {
    workflow: remote.workflow,
    nodes: remote.nodes,
    edges: remote.edges,
    variables: keys?.length ? [...keys].sort() : undefined,
  });
  return { ...r, snapshot: remote };
}

/** Writes the remote workflow into a new file in `dir` (never over an existing one) with its state. */
export async function pullInto(engine: Engine, conn: Connection, id: string, dir: string): Promise<string | undefined> {
  const r = await renderRemote(engine, conn, id);
  if (!r) return undefined;
  let file = path.join(dir, `${r.fileBase}.workflow.yaml`);
  for (let i = 2; existsSync(file); i++) file = path.join(dir, `${r.fileBase}-${i}.workflow.yaml`);
  writeFileSync(file, r.text, { flag: 'wx' });
  const stateFile = statePathFor(file);
  const state = readState(stateFile);
  state.targets.set(conn.target.name, deriveTarget(r.snapshot, new Map(Object.entries(r.idByKey)), []));
  saveState(stateFile, state, file);
  return file;
}

/** One message of a refusal, with the node it concerns named by its key and line (1-based). */
export interface NamedMessage {
  message: string;
  key?: string;
  line?: number;
  /** Variables the message says the leads lack (the platform's unknown-variable check). */
  variables: string[];
}

/**
 * The platform's messages (a 400 from pre-activation validation, a failed call) with each
 * `node_...` id it names replaced by the file's node key and line, so the user never sees an
 * internal id. `node node_x ("Label")` becomes `first_call (line 12)`.
 */
export function nameNodesIn(messages: string[], idByKey: Map<string, string>, w?: LoadedWorkflow): NamedMessage[] {
  const keyById = new Map([...idByKey].map(([k, id]) => [id, k]));
  const lineOf = (key: string): number | undefined => w?.nodeLines.get(key);
  return messages.map((raw) => {
    let key: string | undefined;
    const message = raw.replace(
      /(?:\bnode\s+)?(node_[A-Za-z0-9]+)(?:\s+\("(?:[^"\\]|\\.)*"\))?/g,
      (all, id: string) => {
        const k = keyById.get(id);
        if (!k) return all;
        key ??= k;
        const line = lineOf(k);
        return line ? `${k} (line ${line})` : k;
      },
    );
    return { message, key, line: key ? lineOf(key) : undefined, variables: unknownVariablesIn(raw) };
  });
}

/**
 * The variables a refusal says no lead carries: the platform's pre-activation check that every
 * {{variable}} an agent's prompt uses is a variable key of the uploaded leads (WF203).
 */
export function unknownVariablesIn(message: string): string[] {
  if (!/\[WF203\]|variable/i.test(message)) return [];
  return [...new Set([...message.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}
