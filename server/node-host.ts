// The engine's host in Node (server/main.ts): the workspace index read from disk (the CLI's walk,
// platform/workspace-files.ts), the online cache (keys only from the client, CredentialsRequest),
// the plan and workflow tests.
import { readFile } from 'node:fs/promises';
import { CredentialsRequest } from '../protocol';
import type { EngineHost } from './engine';
import { sendRequest } from './messages';
import { OnlineCache } from './online';
import { registerPlan } from './plan';
import { registerWorkflowTests } from './workflow-tests';
import { pathToUri, scanFolder, uriToPath } from './workspace';

export const nodeHost: EngineHost = {
  async listWorkflowFiles(folder, limit) {
    return (await scanFolder(folder, limit)).map(pathToUri);
  },
  async readText(uri) {
    const file = uriToPath(uri);
    if (!file) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  online: (o) =>
    new OnlineCache(
      o.settings,
      (uri, target) => sendRequest(o.connection, CredentialsRequest.type, { uri, target }),
      o.onChange,
      o.onStatus,
      o.onFirstFailure,
    ),
  registerMore({ connection, store, online, trusted, folders }) {
    registerPlan(connection, store, online, trusted);
    registerWorkflowTests(connection, store, folders);
  },
};
