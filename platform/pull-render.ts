// The pull's rendering (platform/pull.ts `PullRenderer`) over core: the remote graph as canonical
// workflow text, the file name from the title, and the errors the text still has. The CLI calls it
// in process; the language server calls it for the editor (`callflow/renderRemote`), whose host
// ships no core.
import { keyFromLabel, remoteToWorkflow, type RemoteGraph } from '../core/remote';
import { analyze } from '../core/validate';
import type { PullRendering } from './pull';

export function renderPull(graph: RemoteGraph, keyById?: Map<string, string>): Promise<PullRendering> {
  const r = remoteToWorkflow(graph, { keyById });
  const errors = analyze(r.text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `line ${d.range.start.line + 1}: ${d.code} ${d.message}`);
  return Promise.resolve({
    text: r.text,
    idByKey: r.idByKey,
    skippedEdges: r.skippedEdges.length,
    fileBase: keyFromLabel(graph.workflow.title, 'workflow').replace(/_/g, '-'),
    errors,
  });
}
