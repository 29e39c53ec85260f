// Pull: an existing remote workflow as a canonical .workflow.yaml plus its state, for the CLI and
// the editor alike. The file it makes always validates: what the format cannot hold is left out
// and said so (`omitted`), e.g. remote lead columns that are not variable names (`first name`,
// `e-mail`, `9lives`), which dashboard-made lead files often have. Node keys recorded in an
// existing state file for this target are kept (a pull after a push writes the same keys);
// others are derived from labels.
import { remoteToWorkflow } from '../core/remote';
import { analyze } from '../core/validate';
import type { ApiClient } from './client';
import { variableKeys } from './api';
import { readRemote } from './remote-read';
import type { Snapshot } from './snapshot';
import { deriveTarget, readState, saveState, statePathFor, type StateFile } from './state';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Pulled {
  remote: Snapshot;
  text: string;
  idByKey: Map<string, string>;
  /** What the file leaves out, one sentence each. */
  omitted: string[];
  /** Diagnostics of severity error the file still has (empty unless the platform holds something the format forbids). */
  errors: string[];
}

/**
 * Reads a workflow and renders it. `stateFile`, when given, supplies known node keys for `target`.
 * Undefined when the workflow does not exist for this key.
 */
export async function pullWorkflow(
  client: ApiClient,
  workflowId: string,
  o: { target: string; stateFile?: string },
): Promise<Pulled | undefined> {
  const remote = await readRemote(client, workflowId);
  if (!remote) return undefined;
  const keys = await variableKeys(client, workflowId).catch(() => [] as string[]);
  const omitted: string[] = [];
  const valid = [...new Set(keys)].filter((k) => VARIABLE_NAME.test(k) && k !== 'phone_number').sort();
  const invalid = keys.filter((k) => !VARIABLE_NAME.test(k));
  if (invalid.length)
    omitted.push(
      `${invalid.length} lead column${invalid.length === 1 ? '' : 's'} that ${invalid.length === 1 ? 'is not a variable name' : 'are not variable names'} (${invalid
        .slice(0, 5)
        .map((k) => JSON.stringify(k))
        .join(', ')}${invalid.length > 5 ? ', …' : ''}): left out of \`variables\`; templates cannot use them`,
    );
  let keyById: Map<string, string> | undefined;
  if (o.stateFile) {
    const t = readState(o.stateFile).targets.get(o.target);
    if (t?.workflowId === workflowId) keyById = new Map([...t.nodes].map(([k, v]) => [v.id, k]));
  }
  const rendering = remoteToWorkflow(
    {
      workflow: remote.workflow,
      nodes: remote.nodes,
      edges: remote.edges,
      variables: valid.length ? valid : undefined,
    },
    { keyById },
  );
  if (rendering.skippedEdges.length)
    omitted.push(`${rendering.skippedEdges.length} edge(s) pointing at nodes outside the workflow`);
  const errors = analyze(rendering.text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `line ${d.range.start.line + 1}: ${d.code} ${d.message}`);
  return { remote, text: rendering.text, idByKey: rendering.idByKey, omitted, errors };
}

/** Records a pulled workflow in the state of `file` for `target` (other targets are kept). */
export function recordPull(file: string, target: string, pulled: Pulled): { stateFile: string; state: StateFile } {
  const stateFile = statePathFor(file);
  const state = readState(stateFile);
  state.targets.set(target, deriveTarget(pulled.remote, pulled.idByKey, []));
  saveState(stateFile, state, file);
  return { stateFile, state };
}
