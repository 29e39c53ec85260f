// Pull: an existing remote workflow as a canonical .workflow.yaml plus its state — the one flow
// the CLI (`callflow pull`) and the editor (Pull, the remote view's Open and Compare) both run.
// The decisions live here: which lead columns become `variables` and what is left out (said so in
// `omitted`: remote lead columns that are not variable names such as `first name`, `e-mail`,
// `9lives`, which dashboard-made lead files often have), which node keys to keep (those an
// existing state file records for this target, so a pull after a push writes the same keys), where
// the file goes and when an existing file stops it (`pullDestination`), and the state it records.
// Rendering the text needs core (the YAML writer, the rules): it is injected (`PullRenderer`), so
// the CLI renders in process (platform/pull-render.ts) and the editor asks the language server
// (`callflow/renderRemote`, which calls the same renderer) without shipping core in its host.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RemoteGraph } from '../core/remote';
import type { ApiClient } from './client';
import { variableKeys } from './api';
import { readRemote } from './remote-read';
import type { Snapshot } from './snapshot';
import { deriveTarget, readState, saveState, statePathFor, type StateFile } from './state';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What rendering a remote workflow as file text gives (platform/pull-render.ts). */
export interface PullRendering {
  text: string;
  /** Node key in the text → remote node id. */
  idByKey: Map<string, string>;
  /** Edges left out because an endpoint is not among the workflow's nodes. */
  skippedEdges: number;
  /** The file name from the title, without `.workflow.yaml` (`Pulled Flow` → `pulled-flow`). */
  fileBase: string;
  /** Diagnostics of severity error the text still has, `line N: CODE message` each. */
  errors: string[];
}

/** Renders a remote graph; `keyById` (remote id → key) names the nodes a state file already knows. */
export type PullRenderer = (graph: RemoteGraph, keyById?: Map<string, string>) => Promise<PullRendering>;

export interface Pulled {
  remote: Snapshot;
  text: string;
  idByKey: Map<string, string>;
  fileBase: string;
  /** What the file leaves out, one sentence each. */
  omitted: string[];
  /** Diagnostics of severity error the file still has (empty unless the platform holds something the format forbids). */
  errors: string[];
}

/** The workflow's lead columns as `variables`, and a sentence for those that cannot be. */
export function pulledVariables(keys: readonly string[]): { variables: string[]; omitted?: string } {
  const variables = [...new Set(keys)].filter((k) => VARIABLE_NAME.test(k) && k !== 'phone_number').sort();
  const invalid = [...new Set(keys)].filter((k) => !VARIABLE_NAME.test(k));
  if (!invalid.length) return { variables };
  const n = invalid.length;
  const named = invalid
    .slice(0, 5)
    .map((k) => JSON.stringify(k))
    .join(', ');
  return {
    variables,
    omitted: `${n} lead column${n === 1 ? '' : 's'} that ${n === 1 ? 'is not a variable name' : 'are not variable names'} (${named}${n > 5 ? ', …' : ''}): left out of \`variables\`; templates cannot use them`,
  };
}

/**
 * Reads a workflow and renders it. `stateFile`, when given, supplies known node keys for `target`.
 * Undefined when the workflow does not exist for this key.
 */
export async function pullWorkflow(
  client: ApiClient,
  workflowId: string,
  o: { target: string; stateFile?: string; render: PullRenderer },
): Promise<Pulled | undefined> {
  const remote = await readRemote(client, workflowId);
  if (!remote) return undefined;
  const keys = await variableKeys(client, workflowId).catch(() => [] as string[]);
  const { variables, omitted: columns } = pulledVariables(keys);
  const omitted = columns ? [columns] : [];
  let keyById: Map<string, string> | undefined;
  if (o.stateFile && existsSync(o.stateFile)) {
    const t = readState(o.stateFile).targets.get(o.target);
    if (t?.workflowId === workflowId) keyById = new Map([...t.nodes].map(([k, v]) => [v.id, k]));
  }
  const r = await o.render(
    {
      workflow: remote.workflow,
      nodes: remote.nodes,
      edges: remote.edges,
      variables: variables.length ? variables : undefined,
    },
    keyById,
  );
  if (r.skippedEdges) omitted.push(`${r.skippedEdges} edge(s) pointing at nodes outside the workflow`);
  return { remote, text: r.text, idByKey: r.idByKey, fileBase: r.fileBase, omitted, errors: r.errors };
}

/**
 * Where a pull writes (the one collision policy): a file the user named is used as named, and an
 * existing one is refused unless `force`; without a name, `<title-slug>.workflow.yaml` in `dir`,
 * numbered `-2`, `-3`, … past files that exist, so a pull never overwrites what it was not told to.
 */
export function pullDestination(
  pulled: Pick<Pulled, 'fileBase'>,
  o: { dir: string; output?: string; force?: boolean },
): { file: string } | { exists: string } {
  if (o.output) {
    const file = path.resolve(o.dir, o.output);
    return existsSync(file) && !o.force ? { exists: o.output } : { file };
  }
  let file = path.join(o.dir, `${pulled.fileBase}.workflow.yaml`);
  for (let i = 2; existsSync(file); i++) file = path.join(o.dir, `${pulled.fileBase}-${i}.workflow.yaml`);
  return { file };
}

/** Writes the pulled text: over an existing file only when the user named it with force (`overwrite`). */
export function writePulled(file: string, pulled: Pick<Pulled, 'text'>, overwrite = false): void {
  writeFileSync(file, pulled.text, { flag: overwrite ? 'w' : 'wx' });
}

/** Records a pulled workflow in the state of `file` for `target` (other targets are kept). */
export function recordPull(file: string, target: string, pulled: Pulled): { stateFile: string; state: StateFile } {
  const stateFile = statePathFor(file);
  const state = readState(stateFile);
  state.targets.set(target, deriveTarget(pulled.remote, pulled.idByKey, []));
  saveState(stateFile, state, file);
  return { stateFile, state };
}
