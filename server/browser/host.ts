// The engine's host in a Web Worker (server/browser/main.ts): no disk to index or read, no network.
// What is off in the browser and why: docs/decisions.md (2026-12-02, the web extension).
import type { EngineHost } from '../engine';

export const browserHost: EngineHost = {
  listWorkflowFiles: async () => [],
  readText: async () => undefined,
};
