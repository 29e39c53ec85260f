// Fuzz stage (b): mutated workflow files opened in one language server over stdio. The server
// never dies, answers every request without an error, and publishes for each file exactly the
// diagnostics core computes for it with the same disk facts (the leads header, read confined by
// platform/workspace-files.ts: hostile `leads:` paths, a FIFO and a symlink out included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../core/text';
import { validate } from '../../core/validate';
import { leadsPathFromText, leadsRoot, readLeadsHeader } from '../../platform/workspace-files';
import { ensureBuilt } from '../server/build-once';
import { TestClient } from '../server/lsp-client';
import { fuzzInput, stage } from './corpus';

const SEVERITY = ['', 'error', 'warning', 'info'];

/** What core says about `file` holding `text`, with the disk facts the server reads. */
function expected(file: string, text: string) {
  const leads = leadsPathFromText(text);
  const options = leads ? { leads: readLeadsHeader(file, leads, leadsRoot(file)) } : {};
  return validate(text, options).map((d) => [d.code, d.severity, d.message, d.range]);
}

test('fuzz: the language server on mutated files: alive, no error responses, diagnostics equal core’s', async () => {
  ensureBuilt();
  const s = stage('server', 80, __filename);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-fuzz-lsp-'));
  writeFileSync(path.join(dir, 'leads.csv'), 'phone_number,customer_name\n+14155550100,A\n');
  symlinkSync('/etc/passwd', path.join(dir, 'link.csv'));
  spawnSync('mkfifo', [path.join(dir, 'fifo')]); // where mkfifo exists: a reader would hang on it
  // No workspace folder: the file's folder bounds `leads:`, as leadsRoot() gives the oracle.
  const c = new TestClient({ settings: { validate: { debounceMs: 0 } } });
  try {
    await c.initialize();
    await c.serverReady();
    for (let i = 0; i < s.runs; i++) {
      const text = fuzzInput(s.rngFor(i));
      const file = path.join(dir, `f${i}.workflow.yaml`);
      const uri = pathToFileURL(file).toString();
      const fail = (problem: string) => s.failure(i, text, `${problem}\n${c.stderr.slice(-2000)}`);
      c.open(uri, text, 1);
      const got = await c.diagnosticsFor(uri, 1, 60_000).catch((e: Error) => {
        throw fail(`no diagnostics: ${e.message}`);
      });
      const mine = got.map((d) => [d.code, SEVERITY[d.severity!], d.message, d.range]);
      try {
        assert.deepEqual(mine, expected(file, text));
      } catch (e) {
        throw fail(`the server's diagnostics differ from core's: ${(e as Error).message.slice(0, 3000)}`);
      }
      // A few requests at a random place: each answers, none with an error.
      const next = s.rngFor(1_000_000 + i);
      const lines = new LineIndex(text);
      const position = lines.position(Math.floor(next() * (text.length + 1)));
      const doc = { textDocument: { uri } };
      const requests: [string, unknown][] = [
        ['textDocument/hover', { ...doc, position }],
        ['textDocument/completion', { ...doc, position }],
        ['textDocument/documentSymbol', doc],
        ['textDocument/foldingRange', doc],
        ['textDocument/semanticTokens/full', doc],
        ['textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }],
        ['textDocument/definition', { ...doc, position }],
        [
          'textDocument/codeAction',
          { ...doc, range: { start: position, end: position }, context: { diagnostics: got } },
        ],
      ];
      for (const [method, params] of requests)
        await c.request(method, params).catch((e: Error) => {
          throw fail(`${method} answered an error: ${e.message}`);
        });
      void c.conn.sendNotification('textDocument/didClose', doc);
      if (c.proc.exitCode !== null) throw fail(`the server exited (${c.proc.exitCode})`);
    }
    assert.equal(c.proc.exitCode, null, 'the server is still running');
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
