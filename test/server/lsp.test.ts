// The built language server driven over stdio by a real LSP client: each feature through real
// requests, edits applied and re-validated, cancellation, pull and push diagnostics, settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyEdits } from '../../core/text-edits';
import { formatWorkflow } from '../../core/format';
import { validate } from '../../core/validate';
import { ensureBuilt } from './build-once';
import { positionAt, ROOT, TestClient } from './lsp-client';

const EXAMPLE = readFileSync(path.join(ROOT, 'examples/lead-nurture.workflow.yaml'), 'utf8');
let ws: string;
const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();
const pos = (text: string, needle: string, delta = 0) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not in text`);
  return positionAt(text, i + delta);
};
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | null | undefined): string {
  const edits = edit?.changes?.[uri] ?? [];
  return applyEdits(text, edits);
}

before(() => {
  ensureBuilt();
  ws = mkdtempSync(path.join(os.tmpdir(), 'callflow-lsp-'));
  writeFileSync(
    path.join(ws, 'leads.sample.csv'),
    'phone_number,customer_name,loan_amount,city\n+910000000000,A,1,B\n',
  );
  writeFileSync(path.join(ws, 'lead-nurture.workflow.yaml'), EXAMPLE);
  mkdirSync(path.join(ws, 'sub'));
  // On disk only, never opened: its problem must still reach the client.
  writeFileSync(
    path.join(ws, 'sub/broken.workflow.yaml'),
    'version: 1\ntitle: Broken\nnodes:\n  a:\n    type: TIME\n    config: { delay_hours: 1 }\n    next:\n      - to: nowhere\n',
  );
});
after(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('push diagnostics client', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient({ workspaceFolder: ws, settings: { validate: { debounceMs: 0 } } });
    const init = (await c.initialize()) as { capabilities: Record<string, unknown> };
    for (const cap of [
      'completionProvider',
      'hoverProvider',
      'definitionProvider',
      'referencesProvider',
      'documentHighlightProvider',
      'renameProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'selectionRangeProvider',
      'semanticTokensProvider',
      'documentLinkProvider',
      'codeActionProvider',
      'documentFormattingProvider',
      'documentRangeFormattingProvider',
    ])
      assert.ok(init.capabilities[cap], cap);
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull support declared: the server pushes');
    await c.serverReady();
  });
  after(async () => {
    await c.close();
  });

  test('every workflow file in the workspace is checked, open or not', async () => {
    const broken = uriOf('sub/broken.workflow.yaml');
    await c.until(() => !!c.latest(broken), 20_000, 'diagnostics of an unopened file');
    const d = c.latest(broken)!.diagnostics.find((x) => x.code === 'WF110');
    assert.ok(d, JSON.stringify(c.latest(broken)));
    assert.equal(d.severity, 1);
    assert.match(d.codeDescription!.href, /WF110/);
    assert.deepEqual(d.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 19 } });
    const example = uriOf('lead-nurture.workflow.yaml');
    await c.until(() => !!c.latest(example), 20_000, 'example diagnostics');
    assert.deepEqual(
      c.latest(example)!.diagnostics,
      [],
      'the reference example is clean, its leads CSV read from disk',
    );
  });

  test('a file created on disk is picked up through workspace/didChangeWatchedFiles, and its deletion clears it', async () => {
    const file = path.join(ws, 'sub/new.workflow.yaml');
    writeFileSync(
      file,
      'version: 1\ntitle: New\nnodes:\n  a: { type: DROPPED, next: [{ to: b }] }\n  b: { type: DROPPED }\n',
    );
    const uri = pathToFileURL(file).toString();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    await c.until(() => !!c.latest(uri), 20_000, 'diagnostics of a new file');
    assert.ok(c.latest(uri)!.diagnostics.some((d) => d.code === 'WF112'));
    rmSync(file);
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await c.until(() => c.latest(uri)!.diagnostics.length === 0, 20_000, 'cleared diagnostics');
  });

  test('diagnostics carry severity, code, docs link and related information (a duplicate edge points at its twin)', async () => {
    const uri = uriOf('dup.workflow.yaml');
    const text =
      'version: 1\ntitle: Dup\nnodes:\n  a:\n    type: TIME\n    config: { delay_hours: 1 }\n    next:\n      - to: b\n      - to: b\n  b: { type: DROPPED }\n';
    c.open(uri, text);
    const ds = await c.diagnosticsFor(uri, 1);
    const dup = ds.find((d) => d.code === 'WF111');
    assert.ok(dup, JSON.stringify(ds));
    assert.equal(dup.source, 'callflow');
    assert.ok(dup.relatedInformation?.length, 'related information');
    assert.equal(dup.relatedInformation![0].location.uri, uri);
    assert.equal(dup.relatedInformation![0].location.range.start.line, 7);
  });

  test('incremental didChange sequences end in the same diagnostics as a full validation', async () => {
    const uri = uriOf('seq.workflow.yaml');
    let text = EXAMPLE;
    c.open(uri, text);
    await c.diagnosticsFor(uri, 1);
    const edits: [string, string][] = [
      ['to: qualified\n      - on: DNP', 'to: qualifed\n      - on: DNP'], // WF110
      ['label: Initial outreach call', 'label: Initial outreach call!'],
      ['{{customer_name}} in', '{{customer_nam}} in'], // WF104
      ['delay_hours: 48', 'delay_hours: 0'],
      ['  dropped:   { type: DROPPED }', '  dropped:   { type: DROPPED }\n  orphan: { type: DROPPED }'], // WF116
    ];
    for (const [from, to] of edits) {
      const at = text.indexOf(from);
      assert.ok(at >= 0, from);
      const v = c.change(uri, [
        { range: { start: positionAt(text, at), end: positionAt(text, at + from.length) }, text: to },
      ]);
      text = text.slice(0, at) + to + text.slice(at + from.length);
      const ds = await c.diagnosticsFor(uri, v);
      const expected = validate(text, {
        leads: { path: './leads.sample.csv', columns: ['phone_number', 'customer_name', 'loan_amount', 'city'] },
      });
      assert.deepEqual(
        ds.map((d) => [d.code, d.message, d.range]),
        expected.map((d) => [d.code, d.message, d.range]),
        `after "${to}"`,
      );
    }
    assert.ok(codes(c.latest(uri)!.diagnostics).includes('WF110'));
    assert.ok(codes(c.latest(uri)!.diagnostics).includes('WF104'));
  });

  test('completion: node keys after to:, labels for the node type, types, variables with origin, config keys, snippets', async () => {
    const uri = uriOf('complete.workflow.yaml');
    const text = EXAMPLE.replace(
      '      - to: dropped               # no `on`',
      '      - to: \n      - on: \n      - to: dropped               # no `on`',
    );
    c.open(uri, text);
    await c.diagnosticsFor(uri, 1);
    const at = (needle: string, delta: number) =>
      c.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: pos(text, needle, delta),
      });
    const keys = (await at('      - to: \n', 12)).map((i) => i.label);
    assert.ok(keys.includes('second_call') && keys.includes('dropped') && !keys.includes('first_call'), keys.join());
    const labels = (await at('      - on: \n', 12)).map((i) => i.label);
    assert.deepEqual(labels.slice(0, 3), ['COMPLETED', 'FAILED', 'DNP']);
    const types = (await at('type: TIME', 6)).map((i) => i.label);
    assert.ok(types.includes('VOICE_CALL') && types.includes('DROPPED'));
    const vars = await at('{{customer_name}}', 2);
    const city = vars.find((i) => i.label === 'city');
    assert.ok(city, vars.map((i) => i.label).join());
    assert.match(city.detail ?? '', /declared/);
    assert.ok(vars.some((i) => i.label === 'caller_number' && /built in/.test(i.detail ?? '')));
    const cfgText = text.replace(
      '      agent_id: agt_abc123\n      from_phone',
      '      agent_id: agt_abc123\n      \n      from_phone',
    );
    const v = c.change(uri, [{ text: cfgText }]);
    await c.diagnosticsFor(uri, v);
    const cfg = (
      await c.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: pos(cfgText, 'agt_abc123\n      \n', 17),
      })
    ).map((i) => i.label);
    assert.ok(cfg.includes('agent_id') && cfg.includes('from_phone_number'), cfg.join());
    const nodeSnip = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: pos(cfgText, '  wait_two_days:', 2),
    });
    assert.ok(nodeSnip.some((i) => i.label === 'node: VOICE_CALL' && i.insertTextFormat === 2));
    const empty = uriOf('empty.workflow.yaml');
    c.open(empty, '');
    const sk = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: empty },
      position: { line: 0, character: 0 },
    });
    assert.equal(sk[0].label, 'workflow');
    const filled = (sk[0].textEdit as { newText: string }).newText.replace(/\$\{\d+:([^}]*)\}/g, '$1');
    assert.deepEqual(
      validate(filled).filter((d) => d.severity === 'error' && !['WF102', 'WF103', 'WF121'].includes(d.code)),
      [],
    );
  });

  test('hover: schema docs on a field, a node reference, a variable origin, a diagnostic summary', async () => {
    const uri = uriOf('hover.workflow.yaml');
    const text = EXAMPLE.replace('to: second_call', 'to: secnd_call');
    c.open(uri, text);
    await c.diagnosticsFor(uri, 1);
    const h = async (needle: string, delta = 1) =>
      await c.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: pos(text, needle, delta),
      });
    const md = (x: Hover | null) => (x?.contents as { value: string }).value;
    assert.match(md(await h('title:')), /title on the platform/);
    assert.match(md(await h('to: qualified', 5)), /qualified.*CONDITIONAL.*Loan above 5 lakh/s);
    assert.match(md(await h('{{city}}', 3)), /declared in `variables`/);
    assert.match(
      md(await h('secnd_call', 2)),
      /WF110.*names a node key that does not exist.*unknown node "secnd_call"/s,
    );
    assert.match(md(await h('agent_id:', 2)), /agent that places the call/);
  });

  test('definition, references and highlights for node keys and variables', async () => {
    const uri = uriOf('nav.workflow.yaml');
    const text = EXAMPLE;
    c.open(uri, text);
    await c.diagnosticsFor(uri, 1);
    const def = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: pos(text, 'to: converted', 5),
    });
    assert.equal(def.length, 1);
    assert.deepEqual(def[0].range.start, pos(text, '  converted:', 2));
    const refs = await c.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: pos(text, '  converted:', 3),
      context: { includeDeclaration: true },
    });
    assert.equal(refs.length, 1 + (text.match(/to: converted/g) ?? []).length);
    const vdef = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: pos(text, '{{city}}', 3),
    });
    assert.deepEqual(vdef[0].range.start, pos(text, 'city]'));
    const hl = await c.request<{ kind: number }[]>('textDocument/documentHighlight', {
      textDocument: { uri },
      position: pos(text, 'customer_name,', 1),
    });
    assert.deepEqual(
      hl.map((x) => x.kind),
      [3, 2],
    );
  });

  test('rename a node key (key, every to:, entry:) and a variable (declaration and templates); the result validates clean', async () => {
    const uri = uriOf('rename.workflow.yaml');
    let text = EXAMPLE;
    c.open(uri, text);
    await c.diagnosticsFor(uri, 1);
    const prep = await c.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri },
      position: pos(text, 'to: qualified', 6),
    });
    assert.equal(prep.placeholder, 'qualified');
    let edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: pos(text, 'to: qualified', 6),
      newName: 'is_qualified',
    });
    text = applyWorkspaceEdit(text, uri, edit);
    assert.ok(!/\bqualified:/.test(text) && /is_qualified:/.test(text) && !/to: qualified\b/.test(text));
    let v = c.change(uri, [{ text }]);
    assert.deepEqual(await c.diagnosticsFor(uri, v), []);
    edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: pos(text, 'city]', 1),
      newName: 'town',
    });
    text = applyWorkspaceEdit(text, uri, edit);
    assert.ok(text.includes('{{town}}') && text.includes(', town]'));
    // The leads CSV still has a city column but no town: point leads elsewhere to keep the check honest.
    text = text.replace('leads: ./leads.sample.csv', '');
    v = c.change(uri, [{ text }]);
    assert.deepEqual(
      codes(await c.diagnosticsFor(uri, v)).filter((x) => x === 'WF104'),
      [],
    );
    const bad = await c
      .request('textDocument/prepareRename', { textDocument: { uri }, position: pos(text, 'on: COMPLETED', 5) })
      .then(
        () => 'ok',
        (e: Error) => e.message,
      );
    assert.match(String(bad), /only node keys and variables/);
    const clash = await c
      .request('textDocument/rename', {
        textDocument: { uri },
        position: pos(text, '  dropped:', 3),
        newName: 'converted',
      })
      .then(
        () => 'ok',
        (e: Error) => e.message,
      );
    assert.match(String(clash), /already exists/);
  });

  test('structure: symbols with types and edges, folding, selection ranges, semantic tokens, the leads link', async () => {
    const uri = uriOf('lead-nurture.workflow.yaml');
    const text = EXAMPLE;
    c.open(uri, text);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const nodes = syms.find((s) => s.name === 'nodes')!;
    assert.equal(nodes.children!.length, 7);
    const first = nodes.children![0];
    assert.equal(first.name, 'first_call');
    assert.match(first.detail!, /VOICE_CALL/);
    assert.deepEqual(
      first.children!.map((e) => e.name),
      ['COMPLETED → qualified', 'DNP → wait_two_days', '→ dropped'],
    );
    const folds = await c.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', {
      textDocument: { uri },
    });
    assert.ok(folds.some((f) => f.startLine === pos(text, '  first_call:').line));
    const sel = await c.request<{ range: { start: unknown }; parent?: unknown }[]>('textDocument/selectionRange', {
      textDocument: { uri },
      positions: [pos(text, 'agt_abc123', 2)],
    });
    let depth = 0;
    for (let s: { parent?: unknown } | undefined = sel[0]; s; s = s.parent as { parent?: unknown } | undefined) depth++;
    assert.ok(depth >= 5, `selection depth ${depth}`);
    const toks = await c.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(toks.data.length % 5, 0);
    assert.ok(toks.data.length / 5 > 20);
    const links = await c.request<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.equal(links[0].target, uriOf('leads.sample.csv'));
  });

  test('formatting returns minimal edits that produce the canonical form', async () => {
    const uri = uriOf('fmt.workflow.yaml');
    const text =
      'title: Fmt\nversion: 1\nnodes:\n  a:\n    next:\n      - to: b\n    type: TIME\n    config: { delay_hours: 1 }\n  b: { type: DROPPED }\n';
    c.open(uri, text);
    const edits = await c.request<{ range: unknown; newText: string }[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.ok(edits.length > 0);
    const want = formatWorkflow(text);
    assert.ok(!('error' in want));
    assert.equal(applyEdits(text, edits as never), want.text);
  });

  test('custom messages: the graph model for the preview, plan reports when it is not available', async () => {
    const uri = uriOf('lead-nurture.workflow.yaml');
    const g = await c.request<{
      ok: boolean;
      entry: string;
      nodes: { key: string; position?: unknown; diagnostics: unknown }[];
      edges: { from: string; to: string; label?: string }[];
    }>('callflow/graph', { uri });
    assert.equal(g.ok, true);
    assert.equal(g.entry, 'first_call');
    assert.equal(g.nodes.length, 7);
    assert.ok(
      g.nodes.every((n) => n.position),
      'laid out',
    );
    assert.ok(g.edges.some((e) => e.from === 'qualified' && e.to === 'notify_sales' && e.label === 'true'));
    const plan = await c.request<{ available: boolean; reason?: string }>('callflow/plan', { uri });
    assert.equal(plan.available, false);
    assert.ok(plan.reason);
  });
});

describe('quick fixes', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient({
      workspaceFolder: os.tmpdir(),
      settings: { validate: { debounceMs: 0 }, index: { maxFiles: 0 } },
    });
    await c.initialize();
    await c.serverReady();
  });
  after(async () => {
    await c.close();
  });

  test('every quick fix on the rule fixtures, applied, removes the problem it fixes; suppression comments too; fix-all', async () => {
    const dir = path.join(ROOT, 'test/fixtures/rules');
    if (!existsSync(dir)) return;
    let fixesTried = 0;
    const fixedCodes = new Set<string>();
    for (const code of readdirSync(dir).sort()) {
      for (const f of readdirSync(path.join(dir, code)).filter(
        (x) => x.startsWith('fail-') && x.endsWith('.workflow.yaml'),
      )) {
        const optFile = path.join(dir, code, f.replace('.workflow.yaml', '.options.json'));
        if (existsSync(optFile)) continue; // online data and limits come from a target, not from the file
        const file = path.join(dir, code, f);
        const uri = pathToFileURL(file).toString();
        const text = readFileSync(file, 'utf8');
        c.open(uri, text);
        const ds = await c.diagnosticsFor(uri, 1);
        const mine = ds.filter((d) => d.code === code);
        for (const d of mine) {
          const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri },
            range: d.range,
            context: { diagnostics: [d], only: ['quickfix'] },
          });
          for (const a of actions) {
            const fixed = applyWorkspaceEdit(text, uri, a.edit);
            assert.notEqual(fixed, text, `${code}/${f}: "${a.title}" changes nothing`);
            const v = c.change(uri, [{ text: fixed }]);
            const after = await c.diagnosticsFor(uri, v);
            // The problem fixed is gone (another of the same code may surface once this one is fixed).
            const before = mine.filter((x) => x.message === d.message).length;
            const left = after.filter((x) => x.code === code && x.message === d.message).length;
            assert.ok(left < before, `${code}/${f}: "${a.title}" left ${left} of ${before} "${d.message}"\n${fixed}`);
            if (!a.title.startsWith('Disable')) {
              fixesTried++;
              fixedCodes.add(code);
            }
            c.change(uri, [{ text }]);
          }
        }
        const all = await c.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics: [], only: ['source.fixAll.callflow'] },
        });
        if (all.length) {
          const fixed = applyWorkspaceEdit(text, uri, all[0].edit);
          const v = c.change(uri, [{ text: fixed }]);
          const after = await c.diagnosticsFor(uri, v);
          const key = (x: Diagnostic) => `${x.code} ${x.message}`;
          const fixable = ds.filter((x) => all[0].edit && mine.includes(x)).map(key);
          const remaining = after.map(key).filter((k) => fixable.includes(k));
          assert.ok(remaining.length < fixable.length, `${code}/${f}: fix all fixed none of ${fixable.join('; ')}`);
          c.change(uri, [{ text }]);
        }
        await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
    }
    assert.ok(fixesTried > 10, `only ${fixesTried} fixes tried`);
    for (const code of ['WF101', 'WF104', 'WF110', 'WF111', 'WF112', 'WF113', 'WF114', 'WF123'])
      if (existsSync(path.join(dir, code))) assert.ok(fixedCodes.has(code), `no quick fix exercised for ${code}`);
  });
});

describe('pull diagnostics client (LSP 3.17) with settings', () => {
  let c: TestClient;
  before(async () => {
    c = new TestClient({
      workspaceFolder: ws,
      pull: true,
      settings: { validate: { debounceMs: 50 }, rules: { severity: { WF110: 'warning', WF116: 'off' } } },
      initializationOptions: { testHooks: true },
    });
    const init = (await c.initialize()) as { capabilities: { diagnosticProvider?: { workspaceDiagnostics: boolean } } };
    assert.equal(init.capabilities.diagnosticProvider?.workspaceDiagnostics, true);
    await c.serverReady();
  });
  after(async () => {
    await c.close();
  });

  test('textDocument/diagnostic gives a full report, then "unchanged" for the same result; severity overrides apply', async () => {
    const uri = uriOf('pull.workflow.yaml');
    const text = EXAMPLE.replace('to: second_call', 'to: secnd_call') + '  orphan: { type: DROPPED }\n';
    c.open(uri, text);
    const r1 = await c.request<{ kind: string; resultId: string; items: Diagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    assert.equal(r1.kind, 'full');
    const wf110 = r1.items.find((d) => d.code === 'WF110');
    assert.equal(wf110?.severity, 2, 'WF110 overridden to warning');
    assert.ok(!r1.items.some((d) => d.code === 'WF116'), 'WF116 turned off');
    const r2 = await c.request<{ kind: string; resultId: string }>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: r1.resultId,
    });
    assert.equal(r2.kind, 'unchanged');
    assert.equal(c.published.size, 0, 'a pull client gets no pushed diagnostics');
  });

  test('workspace/diagnostic reports files that are not open', async () => {
    const r = await c.request<{ items: { uri: string; kind: string; items?: Diagnostic[] }[] }>(
      'workspace/diagnostic',
      { previousResultIds: [] },
    );
    const broken = r.items.find((i) => i.uri === uriOf('sub/broken.workflow.yaml'));
    assert.ok(broken?.items?.some((d) => d.code === 'WF110'));
  });

  test('a cancelled request answers "cancelled" and the server goes on answering', async () => {
    const uri = uriOf('pull.workflow.yaml');
    const { CancellationTokenSource } = await import('vscode-jsonrpc');
    // Park the next pull for this uri inside the server, and cancel it only once the server says it
    // is parked: the cancel then certainly arrives while the request is in flight (no race).
    await c.request('callflow/test/hold', { uri });
    const parked = c.notifications.length;
    const src = new CancellationTokenSource();
    const p = c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, src.token);
    await c.until(
      () => c.notifications.slice(parked).some((n) => n.method === 'callflow/test/parked'),
      20_000,
      'the pull parked in the server',
    );
    src.cancel();
    const outcome = await p.then(
      () => 'answered',
      (e: { code?: number }) => e.code,
    );
    assert.equal(outcome, -32802, `got ${String(outcome)}`);
    const again = await c.request<{ kind: string }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(again.kind, 'full');
  });
});

describe('online checks without reachable platform data', () => {
  let c: TestClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-online-'));
    writeFileSync(path.join(dir, 'a.workflow.yaml'), EXAMPLE.replace('leads: ./leads.sample.csv', ''));
    writeFileSync(path.join(dir, 'b.workflow.yaml'), EXAMPLE.replace('leads: ./leads.sample.csv', ''));
    c = new TestClient({
      workspaceFolder: dir,
      settings: { validate: { debounceMs: 0 }, online: { enabled: true } },
      initializationOptions: { trusted: true },
      // The key comes from the client (as from SecretStorage), never from the server's environment.
      credentials: () => ({
        target: 'staging',
        baseUrl: 'http://127.0.0.1:9/v1',
        key: 'secret-key-value',
        keySource: 'secretStorage',
      }),
    });
    await c.initialize();
    await c.serverReady();
  });
  after(async () => {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('says so once, never in a wave of false errors, and keeps the key secret', async () => {
    const a = pathToFileURL(path.join(dir, 'a.workflow.yaml')).toString();
    const text = readFileSync(path.join(dir, 'a.workflow.yaml'), 'utf8');
    c.open(a, text);
    await c.diagnosticsFor(a, 1);
    for (let i = 0; i < 5; i++) {
      const v = c.change(a, [{ text: text + `#${i}\n` }]);
      await c.diagnosticsFor(a, v);
    }
    await c.until(() => c.messages.length > 0, 30_000, 'the one message');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.messages.length, 1, JSON.stringify(c.messages));
    assert.match(c.messages[0].message, /cannot be fetched/);
    assert.ok(!c.messages[0].message.includes('secret-key-value'));
    const ds = c.latest(a)!.diagnostics;
    assert.deepEqual(
      ds.filter((d) => /^WF2/.test(String(d.code))),
      [],
    );
    assert.ok(
      c.notifications.some(
        (n) => n.method === 'callflow/onlineStatus' && (n.params as { state: string }).state === 'unavailable',
      ),
    );
  });
});

describe('settings: onSave mode and a configuration change', () => {
  let c: TestClient;
  const current = {
    validate: { run: 'onSave', debounceMs: 0 },
    rules: { severity: {} as Record<string, string> },
    index: { maxFiles: 0 },
  };
  before(async () => {
    c = new TestClient({ settings: current });
    await c.initialize();
    await c.serverReady();
  });
  after(async () => {
    await c.close();
  });

  test('onSave validates on open and on save only; a settings change re-validates with the new severities', async () => {
    const uri = 'file:///nonexistent-callflow-onsave/s.workflow.yaml';
    c.open(uri, EXAMPLE.replace('leads: ./leads.sample.csv', ''));
    assert.deepEqual(await c.diagnosticsFor(uri, 1), []);
    const broken = EXAMPLE.replace('leads: ./leads.sample.csv', '').replace('to: second_call', 'to: secnd_call');
    const v = c.change(uri, [{ text: broken }]);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(
      (c.published.get(uri) ?? []).filter((p) => p.version === v).length,
      0,
      'no diagnostics before the save',
    );
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const ds = await c.diagnosticsFor(uri, v);
    assert.equal(ds.find((d) => d.code === 'WF110')?.severity, 1);
    current.rules.severity.WF110 = 'info';
    const n = c.published.get(uri)!.length;
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.until(() => c.published.get(uri)!.length > n, 20_000, 're-validation after the settings change');
    assert.equal(c.latest(uri)!.diagnostics.find((d) => d.code === 'WF110')?.severity, 3);
    assert.ok(c.notifications.some((x) => x.method === 'callflow/graphChanged'));
  });
});

describe('online checks from the local emulator', () => {
  let c: TestClient;
  let dir: string;
  let emu: import('node:child_process').ChildProcess;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'callflow-emu-'));
    const { spawn } = await import('node:child_process');
    emu = spawn(
      process.execPath,
      [
        path.join(ROOT, 'dist/emulator.js'),
        '--port',
        '0',
        '--db',
        path.join(dir, 'emu.sqlite'),
        '--key',
        'emu-test-key',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 20_000);
      emu.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    const base = url.replace(/\/+$/, '').endsWith('/v1') ? url.replace(/\/+$/, '') : `${url.replace(/\/+$/, '')}/v1`;
    // The `local` target, once the client hands over the running emulator's origin.
    c = new TestClient({
      workspaceFolder: dir,
      settings: { validate: { debounceMs: 0 }, online: { enabled: true } },
      initializationOptions: { trusted: true },
      credentials: () => ({ target: 'local', baseUrl: base, key: 'emu-test-key', keySource: 'local' }),
    });
    await c.initialize();
    await c.serverReady();
  });
  after(async () => {
    await c?.close();
    emu?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('platform data arrives in the background: WF201 for an unknown agent, agent ids and numbers completed', async () => {
    const file = path.join(dir, 'o.workflow.yaml');
    const uri = pathToFileURL(file).toString();
    const text = EXAMPLE.replace('leads: ./leads.sample.csv', '').replace(
      'agent_id: agt_abc123',
      'agent_id: agt_nobody',
    );
    writeFileSync(file, text);
    c.open(uri, text);
    await c.until(
      () => (c.published.get(uri) ?? []).some((p) => p.diagnostics.some((d) => d.code === 'WF201')),
      30_000,
      'WF201 from online data',
    );
    assert.ok(
      c.notifications.some(
        (n) => n.method === 'callflow/onlineStatus' && (n.params as { state: string }).state === 'ready',
      ),
    );
    const items = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, 'agt_nobody', 0),
    });
    assert.ok(
      items.some((i) => i.label === 'agt_abc123'),
      items.map((i) => i.label).join(),
    );
    const nums = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, '"+912234567890"', 0),
    });
    assert.ok(
      nums.some((i) => i.label === '+912234567890'),
      nums.map((i) => i.label).join(),
    );
    assert.equal(c.messages.length, 0, JSON.stringify(c.messages));
  });
});
