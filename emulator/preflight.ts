// Pre-activation validation (platform-api.md's four checks), judged by the same rules the editor and
// the CLI run: the stored graph is rendered as workflow text (core/remote.ts) and analysed with the
// codes that correspond to the platform's checks; each diagnostic is mapped back to its node id.
import { remoteToWorkflow, type RemoteEdge, type RemoteWorkflowHeader } from '../core/remote';
import type { AgentInfo, OnlineData } from '../core/options';
import type { Diagnostic } from '../core/diagnostic';
import type { LineIndex } from '../core/text';
import { analyze, type Analysis } from '../core/validate';
import type { DB } from './db';
import { agentDefaultVariables, type Workspace } from './seed';
import { listEdges, listNodes, nodeJson, variableKeys, type WorkflowRow } from './store';

/**
 * 1 every non-terminal node has an outgoing edge            → WF101
 * 2 VOICE_CALL has an agent and an outbound number that exist,
 *   the agent published, the number active                   → WF102, WF103, WF201, WF202
 * 3 agent prompt / welcome message use only known variables  → WF203 (Get Variable Keys + built-ins + agent defaults)
 * 4 concurrency within the workspace limit                   → WF105
 * WF104 (templates in the file's own config) is an editor check: the platform's check 3 is about prompts.
 */
export const PREFLIGHT_CODES: ReadonlySet<string> = new Set([
  'WF101',
  'WF102',
  'WF103',
  'WF105',
  'WF201',
  'WF202',
  'WF203',
]);

export function onlineData(ws: Workspace, remoteVariableKeys: string[]): OnlineData {
  const agents = new Map<string, AgentInfo>();
  for (const a of ws.agents) {
    const v = a.current_version;
    agents.set(a.id, {
      id: a.id,
      name: v.title,
      published: v.is_published === true,
      prompt: v.prompts?.prompt_text,
      welcomeMessage: v.prompts?.welcome_message,
      defaultVariables: agentDefaultVariables(a),
    });
  }
  const phoneNumbers = new Map<string, string>(ws.phoneNumbers.map((p) => [p.phone_number, p.status]));
  return { agents, phoneNumbers, remoteVariableKeys };
}

/** One message per failed check, each naming the node (`node_...`) it concerns; empty when activation may go on. */
export function preflight(db: DB, ws: Workspace, w: WorkflowRow): string[] {
  const keys = variableKeys(db, w.id);
  // updated_at moves on every change to the workflow, its nodes and its edges, and agents and numbers
  // are read-only (held per running emulator: the memo hangs on its Workspace object): the same
  // (workflow, updated_at, variable keys) is the same verdict.
  let memo = MEMO.get(ws);
  if (!memo) MEMO.set(ws, (memo = new Map()));
  const memoKey = JSON.stringify([w.id, w.updated_at, w.max_concurrent_calls, keys]);
  const known = memo.get(memoKey);
  if (known) return [...known];
  const messages = check(ws, w, listNodes(db, w.id).map(nodeJson), listEdges(db, w.id), keys);
  memo.set(memoKey, messages);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return [...messages];
}

const MEMO = new WeakMap<Workspace, Map<string, string[]>>();
const MEMO_SIZE = 64;

function check(
  ws: Workspace,
  w: RemoteWorkflowHeader & { id: string },
  nodes: ReturnType<typeof nodeJson>[],
  edges: RemoteEdge[],
  keys: string[],
): string[] {
  // Not canonical, and without positions: formatting and layout cost time and no check looks at them.
  const rendering = remoteToWorkflow(
    {
      workflow: w,
      nodes: nodes.map(({ position_x: _x, position_y: _y, ...n }) => n),
      edges,
    },
    { canonical: false },
  );
  const analysis = analyze(rendering.text, {
    only: PREFLIGHT_CODES,
    online: onlineData(ws, keys),
    workspaceLimit: ws.concurrencyLimit,
  });
  const labelById = new Map(nodes.map((n) => [n.id, n.label]));
  const messages: string[] = [];
  const lines = analysis.parsed.lines;
  for (const d of analysis.diagnostics) {
    if (d.severity !== 'error') continue;
    const nodeId = rendering.idByKey.get(nodeKeyOf(d, analysis, lines) ?? '');
    const label = nodeId ? labelById.get(nodeId) : undefined;
    const subject = nodeId ? `node ${nodeId}${label ? ` ("${label}")` : ''}` : `workflow ${w.id}`;
    messages.push(`${subject}: ${d.message} [${d.code}]`);
  }
  return [...new Set(messages)];
}

/** The node a diagnostic concerns: the rule's own `data.node` when it says, else the node whose text holds its range. */
function nodeKeyOf(d: Diagnostic, analysis: Analysis, lines: LineIndex): string | undefined {
  const named = (d.data as { node?: unknown } | undefined)?.node;
  if (typeof named === 'string' && analysis.model?.nodeByKey.has(named)) return named;
  const offset = lines.offset(d.range.start);
  return analysis.model?.nodes.find((n) => n.keySpan.start <= offset && offset < n.span.end)?.key;
}
