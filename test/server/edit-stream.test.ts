// 10,000 random edits streamed to the built server as incremental didChange notifications, with
// requests interleaved: no crash, no error response, and every diagnostics report the server
// publishes equals a fresh full validation of that version's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../core/text';
import { validate } from '../../core/validate';
import { ensureBuilt } from './build-once';
import { generateWorkflow } from '../support/generate';
import { TestClient } from './lsp-client';
import { EDIT_KINDS, EditSession, rng } from '../support/random-edits';

const EDITS = 10_000;

test('10,000 random edits over LSP: no crash, no error response, diagnostics always equal a fresh validation', async () => {
  ensureBuilt();
  // No workspace folder: the file's options are the defaults, so validate(text) is the oracle.
  const c = new TestClient({ settings: { validate: { debounceMs: 0 } } });
  await c.initialize();
  await c.serverReady();
  const uri = 'file:///nonexistent-callflow-stream/stream.workflow.yaml';
  const base = generateWorkflow(12);
  const next = rng(424242);
  let text = base;
  // No `leads:` key: the server reads the named file (WF125), which the bare validate() oracle does not.
  const kinds = EDIT_KINDS.filter((k) => k !== 'leads');
  let session = new EditSession(base, next, kinds);
  const texts = new Map<number, string>([[1, text]]);
  c.open(uri, text, 1);
  const clean: string[] = [base];
  const pending: Promise<unknown>[] = [];
  let errors = 0;
  const req = (method: string, params: unknown) =>
    pending.push(
      c.request(method, params).catch((e: Error) => {
        errors++;
        throw new Error(`${method} failed: ${e.message}`);
      }),
    );
  for (let i = 0; i < EDITS; i++) {
    let v: number;
    if (next() < 0.03) {
      text = clean[Math.floor(next() * clean.length)];
      session = new EditSession(text, next, kinds);
      v = c.change(uri, [{ text }]);
    } else {
      // Half keystrokes anywhere, half the edits an author makes (header keys, pasted, deleted and
      // moved blocks, comments, several ranges in one didChange, undo and redo), as ranged changes.
      const e = session.next(next() < 0.5 ? 'char' : undefined);
      const ranged = e.changes.map((ch) => {
        const range = new LineIndex(text).range({ start: ch.start, end: ch.end });
        text = text.slice(0, ch.start) + ch.insert + text.slice(ch.end);
        return { range, text: ch.insert };
      });
      v = c.change(uri, ranged);
    }
    texts.set(v, text);
    if (clean.length < 40 && next() < 0.05 && validate(text).every((d) => d.code !== 'WF001')) clean.push(text);
    if (i % 50 === 0) {
      const L = new LineIndex(text);
      const position = L.position(Math.floor(next() * (text.length + 1)));
      req('textDocument/hover', { textDocument: { uri }, position });
      req('textDocument/completion', { textDocument: { uri }, position });
      req('textDocument/documentSymbol', { textDocument: { uri } });
      req('textDocument/semanticTokens/full', { textDocument: { uri } });
      req('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics: [] },
      });
      req('textDocument/foldingRange', { textDocument: { uri } });
      req('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
    }
    // Let the server catch up now and then, as a typist's pauses would.
    if (i % 10 === 9) await c.diagnosticsFor(uri, v, 60_000);
  }
  const last = c.version(uri);
  const final = await c.diagnosticsFor(uri, last, 60_000);
  await Promise.all(pending);
  assert.equal(errors, 0);
  assert.equal(c.proc.exitCode, null, 'the server is still running');
  const expected = validate(text).map((d) => [d.code, d.severity, d.message, d.range]);
  assert.deepEqual(
    final.map((d) => [d.code, ['', 'error', 'warning', 'info'][d.severity!], d.message, d.range]),
    expected,
  );
  // Every report published along the way matches its own version's text.
  let checked = 0;
  for (const p of c.published.get(uri) ?? []) {
    const t = texts.get(p.version!);
    assert.ok(t !== undefined, `unknown version ${p.version}`);
    const want = validate(t).map((d) => [d.code, d.message, d.range]);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.message, d.range]),
      want,
      `version ${p.version}`,
    );
    checked++;
  }
  assert.ok(checked >= EDITS / 10, `only ${checked} reports`);
  await c.close();
});
