// The schema must also work in other YAML tools: this drives the real yaml-language-server over stdio
// with the modeline one example carries, and checks it validates against and hovers from our schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

const root = path.join(__dirname, '../..');
const examplePath = path.join(root, 'examples/appointment-reminder.workflow.yaml');
const uri = pathToFileURL(examplePath).href;
const original = readFileSync(examplePath, 'utf8');

interface LspDiagnostic {
  message: string;
  range: { start: { line: number; character: number } };
  source?: string;
}

let server: ChildProcess;
let conn: MessageConnection;
// yaml-language-server publishes without a document version: each publication follows our latest change.
const published: LspDiagnostic[][] = [];
let waiters: Array<() => void> = [];

before(async () => {
  server = spawn(
    process.execPath,
    [path.join(root, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  conn.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((i) =>
      i.section === 'yaml' ? { validate: true, hover: true, completion: true, schemaStore: { enable: false } } : {},
    ),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
    if (p.uri !== uri) return;
    published.push(p.diagnostics);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  conn.onNotification(() => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'callflow' }],
    capabilities: {
      workspace: { configuration: true },
      textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: {} },
    },
  });
  conn.sendNotification('initialized', {});
  conn.sendNotification('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, hover: true, schemaStore: { enable: false } } },
  });
});

after(() => {
  conn?.dispose();
  server?.kill();
});

async function diagnosticsFor(version: number, text: string): Promise<LspDiagnostic[]> {
  const before = published.length;
  if (version === 1)
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  else conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  const deadline = Date.now() + 20_000;
  while (published.length <= before) {
    if (Date.now() > deadline) throw new Error(`no diagnostics for version ${version}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 500);
    });
  }
  return published[published.length - 1];
}

test(
  'yaml-language-server validates the example against schemas/workflow.schema.json via its modeline',
  { timeout: 60_000 },
  async () => {
    assert.match(original.split('\n')[0], /^# yaml-language-server: \$schema=\.\.\/schemas\/workflow\.schema\.json$/);
    assert.deepEqual(await diagnosticsFor(1, original), []);
    const broken = original
      .replace('      agent_id: agt_rem7k2p9x4\n', '      agentid: agt_rem7k2p9x4\n')
      .replace('type: TIME', 'type: TIMER');
    const list = await diagnosticsFor(2, broken);
    if (process.env.DEBUG_YAMLLS) console.error(JSON.stringify(list.map((d) => [d.range.start.line, d.message])));
    const lines = broken.split('\n');
    const at = (d: LspDiagnostic) => lines[d.range.start.line];
    assert.ok(
      list.some((d) => at(d).includes('agentid')),
      `unknown config field reported: ${JSON.stringify(list)}`,
    );
    assert.ok(
      list.some((d) => at(d).includes('TIMER')),
      `bad node type reported: ${JSON.stringify(list)}`,
    );
  },
);

test("yaml-language-server shows the schema's descriptions on hover", { timeout: 60_000 }, async () => {
  const lines = original.split('\n');
  const line = lines.findIndex((l) => l.includes('from_phone_number:'));
  const character = lines[line].indexOf('from_phone_number') + 3;
  const hover = (await conn.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line, character },
  })) as { contents: { value?: string } | string } | null;
  const text = typeof hover?.contents === 'string' ? hover.contents : (hover?.contents?.value ?? '');
  assert.match(text, /E\.164/);
});

test('yaml-language-server completes node types and offers a node snippet per type', { timeout: 60_000 }, async () => {
  const text = original.replace('nodes:\n', 'nodes:\n  new_step:\n    \n');
  await diagnosticsFor(3, text);
  const line = text.split('\n').findIndex((l) => l === '  new_step:') + 1;
  const result = (await conn.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line, character: 4 },
  })) as { items: { label: string }[] } | { label: string }[] | null;
  const labels = (Array.isArray(result) ? result : (result?.items ?? [])).map((i) => i.label);
  if (process.env.DEBUG_YAMLLS) console.error(JSON.stringify(labels));
  for (const want of [
    'type',
    'label',
    'config',
    'next',
    'VOICE_CALL node',
    'TIME node (fixed delay)',
    'CONDITIONAL node',
    'APPLICATION node',
    'DROPPED node',
  ])
    assert.ok(labels.includes(want), `offers ${want}: ${JSON.stringify(labels)}`);
});
