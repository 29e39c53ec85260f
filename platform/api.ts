// The platform API, one typed function per call (docs/spec/platform-api.md "Endpoints"): the only
// module that writes a path. Every other module calls these, so a path, its encoding and its
// answer's shape are decided once. The client (client.ts) does transport: key, retries, paging,
// envelopes.
import type { RemoteEdge, RemoteNode } from '../core/remote';
import type { ApiClient, LifecycleVerb } from './client';
import type { RemoteWorkflow } from './snapshot';

const enc = encodeURIComponent;
const wf = (id: string) => `/workflows/${enc(id)}`;

// ---- workflows ----
export const listWorkflows = (c: ApiClient) => c.list<RemoteWorkflow>('/workflows', { limit: 100 });
export const getWorkflow = (c: ApiClient, id: string) => c.get<RemoteWorkflow>(wf(id));
export const createWorkflow = (
  c: ApiClient,
  body: { title: string; description: string; max_concurrent_calls?: number },
  recover?: () => Promise<RemoteWorkflow | undefined>,
) => c.post<RemoteWorkflow>('/workflows', body, recover);
export const patchWorkflow = (c: ApiClient, id: string, body: Record<string, unknown>) =>
  c.patch<RemoteWorkflow>(wf(id), body);
export const deleteWorkflow = (c: ApiClient, id: string) => c.delete<{ message?: string }>(wf(id));
export const workflowLifecycle = (c: ApiClient, id: string, verb: LifecycleVerb) => c.lifecycle(id, verb);
/** The newer surface's status call (client.lifecycle falls back to it). */
export const workflowStatusPath = (id: string) => `${wf(id)}/status`;
export const workflowVerbPath = (id: string, verb: LifecycleVerb) => `${wf(id)}/${verb}`;

// ---- nodes ----
export const listNodes = (c: ApiClient, workflowId: string) => c.list<RemoteNode>(`${wf(workflowId)}/nodes`);
export const createNode = (
  c: ApiClient,
  workflowId: string,
  body: Record<string, unknown>,
  recover?: () => Promise<RemoteNode | undefined>,
) => c.post<RemoteNode>(`${wf(workflowId)}/nodes`, body, recover);
export const patchNode = (c: ApiClient, workflowId: string, nodeId: string, body: Record<string, unknown>) =>
  c.patch<RemoteNode>(`${wf(workflowId)}/nodes/${enc(nodeId)}`, body);
export const nodePath = (workflowId: string, nodeId: string) => `${wf(workflowId)}/nodes/${enc(nodeId)}`;

// ---- edges ----
export const listEdges = (c: ApiClient, workflowId: string) => c.list<RemoteEdge>(`${wf(workflowId)}/edges`);
export const createEdge = (
  c: ApiClient,
  workflowId: string,
  body: Record<string, string>,
  recover?: () => Promise<RemoteEdge | undefined>,
) => c.post<RemoteEdge>(`${wf(workflowId)}/edges`, body, recover);
export const edgePath = (workflowId: string, edgeId: string) => `${wf(workflowId)}/edges/${enc(edgeId)}`;

// ---- leads ----
// Reading a lead file for upload, the upload itself and Get Variable Keys live in leads.ts.
export { uploadLeads, variableKeys } from './leads';
export const listLeads = (c: ApiClient, workflowId: string, status?: string) =>
  c.list<Record<string, unknown>>(`${wf(workflowId)}/leads`, { limit: 100, status });

// ---- agents and phone numbers ----
export const listAgents = <T>(c: ApiClient) => c.list<T>('/agents2', { limit: 100 });
export const getAgent = <T>(c: ApiClient, id: string) => c.get<T>(`/agents2/${enc(id)}`);
export const listPhoneNumbers = <T>(c: ApiClient) => c.list<T>('/organization-phone-numbers', { limit: 100 });
