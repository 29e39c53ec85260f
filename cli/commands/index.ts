// The command table: each command's name, its one-line summary for `callflow --help`, and how to load
// it. A command's module (and whatever it imports: the emulator and its SQLite, the platform client,
// the layout engine, the diff) is loaded only when that command runs, so `callflow validate` in a
// pre-commit hook parses the rules engine and nothing else. scripts/build.mjs splits the CLI at
// each of these `import()`s: dist/cli/<module>.js, loaded by cli/bundle-loader.ts. A command
// module exports what `command()` (cli/command.ts, the factory) made of its spec and logic.
import type { Command } from '../command';

interface LazyCommand {
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, LazyCommand> = {
  validate: {
    summary: 'validate workflow files (text, json, sarif or github report)',
    load: async () => (await import('./validate')).validate,
  },
  test: {
    summary: 'run workflow test files (text, json, junit or tap report; --coverage)',
    load: async () => (await import('./test')).test,
  },
  fmt: {
    summary: 'rewrite files into canonical form (--check only reports)',
    load: async () => (await import('./fmt')).fmt,
  },
  graph: {
    summary: 'print the graph as mermaid, dot or svg',
    load: async () => (await import('./graph')).graph,
  },
  diff: {
    summary: 'semantic diff of workflow files, git revisions or ranges (text, json, markdown; git diff driver)',
    load: async () => (await import('./diff')).diff,
  },
  plan: { summary: 'show the API calls a push would make, and drift', load: async () => (await import('./plan')).plan },
  push: {
    summary: 'make the remote workflow equal to the file (plan, confirm, apply)',
    load: async () => (await import('./push')).push,
  },
  activate: {
    summary: 'validate, push when needed, then activate',
    load: async () => (await import('./activate')).activate,
  },
  pause: {
    summary: 'pause the active workflow (no new steps start)',
    load: async () => (await import('./lifecycle')).lifecycle('pause'),
  },
  resume: {
    summary: 'resume the paused workflow',
    load: async () => (await import('./lifecycle')).lifecycle('resume'),
  },
  cancel: {
    summary: 'cancel the workflow for good (asks for confirmation)',
    load: async () => (await import('./lifecycle')).lifecycle('cancel'),
  },
  status: {
    summary: "show the workflow's title, id, status, node and edge counts, enrolled leads",
    load: async () => (await import('./lifecycle')).lifecycle('status'),
  },
  pull: {
    summary: 'write a remote workflow as a .workflow.yaml (and its state)',
    load: async () => (await import('./pull')).pull,
  },
  leads: {
    summary: 'leads upload: enrol a lead CSV in the pushed workflow',
    load: async () => (await import('./leads')).leads,
  },
  api: { summary: 'api serve: run the local platform API emulator', load: async () => (await import('./serve')).serve },
};
