// The in-editor suite: runs in a real VS Code extension host (see run.mjs) against the built
// extension, its real language server over IPC and the real local emulator (a child process with its
// SQLite file in the scratch workspace). Modals and pickers are answered through the extension's UI
// seam (a real modal would block the run); everything else is VS Code's own API.
import * as assert from 'node:assert';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CallflowApi } from '../../client/extension';
import type { Ui } from '../../client/ui';
import type { CommandOutcome } from '../../client/commands/platform';
import type { GraphMessage, ParseErrorMessage } from '../../client/preview/messages';
import { PrePushRequest } from '../../protocol';

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const fileUri = (name: string) => vscode.Uri.joinPath(folder(), name);
let api: CallflowApi;

async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 15000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(doc);
}

/** Puts a document's text back and saves it, so later tests see the fixture as committed. */
async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  const e = new vscode.WorkspaceEdit();
  e.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(e);
  await doc.save();
}

/** A copy of a fixture under a new name (each platform test gets its own remote workflow). */
function copyFixture(from: string, to: string, edit: (t: string) => string = (t) => t): vscode.Uri {
  const text = readFileSync(fileUri(from).fsPath, 'utf8');
  writeFileSync(fileUri(to).fsPath, edit(text));
  return fileUri(to);
}

function diagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => code === undefined || (typeof d.code === 'object' ? d.code.value : d.code) === code);
}

function posOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0, nth = 0): vscode.Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = doc.getText().indexOf(needle, i + 1);
  assert.ok(i >= 0, `"${needle}" in ${doc.uri.path}`);
  return doc.positionAt(i + offsetInNeedle);
}

// The parts of vscode-textmate / vscode-oniguruma the grammar test uses (the repo has no typings for them).
interface TmToken {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface TmGrammar {
  tokenizeLine(line: string, stack: unknown): { tokens: TmToken[]; ruleStack: unknown };
}
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(text: string, file: string): unknown;
  Registry: new (o: {
    onigLib: Promise<unknown>;
    loadGrammar(scope: string): Promise<unknown>;
    getInjections(scope: string): string[] | undefined;
  }) => { loadGrammar(scope: string): Promise<TmGrammar | null> };
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (p: string[]) => unknown;
  OnigString: new (s: string) => unknown;
}

/** Answers modals/pickers from a script and records every question and message. */
class ScriptedUi implements Ui {
  asked: { message: string; detail: string; buttons: string[] }[] = [];
  messages: { kind: string; message: string; actions: string[] }[] = [];
  answers: (string | undefined)[] = [];
  actions: Record<string, string> = {};
  picks: ((items: vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined)[] = [];
  ask(message: string, detail: string, ...buttons: string[]) {
    this.asked.push({ message, detail, buttons });
    return Promise.resolve(this.answers.shift());
  }
  pick<T extends vscode.QuickPickItem>(items: T[]) {
    const f = this.picks.shift();
    return Promise.resolve(f ? (f(items) as T | undefined) : undefined);
  }
  input() {
    return Promise.resolve(undefined);
  }
  files: (string | undefined)[] = [];
  chose: string[] = [];
  saves: (string | undefined)[] = [];
  saveAs(_title: string, defaultPath: string) {
    this.chose.push(defaultPath);
    return Promise.resolve(this.saves.length ? this.saves.shift() : defaultPath);
  }
  chooseFile(title: string) {
    this.chose.push(title);
    return Promise.resolve(this.files.shift());
  }
  private msg(kind: string, message: string, actions: string[]) {
    this.messages.push({ kind, message, actions });
    const a = Object.entries(this.actions).find(([k]) => message.includes(k));
    return Promise.resolve(a && actions.includes(a[1]) ? a[1] : undefined);
  }
  info(m: string, ...a: string[]) {
    return this.msg('info', m, a);
  }
  warn(m: string, ...a: string[]) {
    return this.msg('warn', m, a);
  }
  error(m: string, ...a: string[]) {
    return this.msg('error', m, a);
  }
}
let sui: ScriptedUi;

suiteSetup(async function () {
  this.timeout(90000);
  const t0 = Date.now();
  await open('lead-nurture.workflow.yaml');
  const ext = vscode.extensions.getExtension<CallflowApi>('callflow.callflow')!;
  api = await ext.activate();
  await until('the language server', () => api.ext.server.running);
  const activated = Date.now() - t0;
  const t1 = Date.now();
  const { document: broken } = await open('broken.workflow.yaml');
  const firstDiagnostics = await until(
    'first diagnostics',
    () => vscode.languages.getDiagnostics(broken.uri).length > 0 && Date.now() - t1,
    20000,
  ).catch(() => undefined);
  // Figures for test/bench/extension.bench.ts.
  if (process.env.CALLFLOW_TEST_OUTPUT) {
    writeFileSync(
      path.join(process.env.CALLFLOW_TEST_OUTPUT, 'vscode-metrics.json'),
      JSON.stringify(
        {
          vscode: vscode.version,
          activationMs: api.activationMs,
          openToActiveMs: activated,
          openToFirstDiagnosticsMs: firstDiagnostics,
        },
        null,
        2,
      ),
    );
  }
});

setup(() => {
  sui = new ScriptedUi();
  api.setUi(sui);
});
teardown(() => {
  api.setUi(undefined);
  api.setTrust(undefined);
});

suite('activation and language', () => {
  test('a workflow file gets the callflow-workflow language and activates the extension', async () => {
    const editor = await open('lead-nurture.workflow.yaml');
    assert.strictEqual(editor.document.languageId, 'callflow-workflow');
    assert.ok(vscode.extensions.getExtension('callflow.callflow')!.isActive);
    // A plain YAML file is not ours.
    const other = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'a: 1\n' });
    assert.strictEqual(other.languageId, 'yaml');
  });

  test("the grammar highlights {{variables}} inside YAML strings (VS Code's own TextMate engine)", async () => {
    // vscode-textmate and vscode-oniguruma are the editor's own modules; the YAML grammar is the built-in one.
    const req = createRequire(path.join(vscode.env.appRoot, 'package.json'));
    const tm = req('vscode-textmate') as TextMate;
    const onig = req('vscode-oniguruma') as Oniguruma;
    const wasm = readFileSync(req.resolve('vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const ours = vscode.extensions.getExtension('callflow.callflow')!;
    const files = new Map<string, string>();
    for (const g of ours.packageJSON.contributes.grammars as { scopeName: string; path: string }[])
      files.set(g.scopeName, path.join(ours.extensionPath, g.path));
    const yamlDir = path.join(vscode.extensions.getExtension('vscode.yaml')!.extensionPath, 'syntaxes');
    for (const f of readdirSync(yamlDir))
      files.set(JSON.parse(readFileSync(path.join(yamlDir, f), 'utf8')).scopeName, path.join(yamlDir, f));
    const registry = new tm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (p: string[]) => new onig.OnigScanner(p),
        createOnigString: (x: string) => new onig.OnigString(x),
      }),
      loadGrammar: async (scope: string) =>
        files.has(scope) ? tm.parseRawGrammar(readFileSync(files.get(scope)!, 'utf8'), files.get(scope)!) : null,
      getInjections: (scope: string) =>
        scope === 'source.callflow-workflow' ? ['callflow.variables.injection'] : undefined,
    });
    const grammar = (await registry.loadGrammar('source.callflow-workflow'))!;
    let stack = tm.INITIAL;
    const scopesOf = (line: string, word: string) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      const t = r.tokens.find((x) => line.slice(x.startIndex, x.endIndex).includes(word));
      return t?.scopes ?? [];
    };
    assert.ok(
      scopesOf('title: Hello', 'title').some((x) => x.startsWith('entity.name.tag')),
      'YAML keys are YAML keys',
    );
    const quoted = '  subject: "Hot lead: {{customer_name}} in {{ city | upper }}"';
    assert.ok(scopesOf(quoted, 'customer_name').includes('variable.other.template.callflow'));
    assert.ok(scopesOf(quoted, 'upper').includes('support.function.filter.callflow'));
    assert.ok(
      scopesOf('  prompt: Hello {{lead.name}} there', 'lead').includes('variable.other.template.callflow'),
      'plain scalars too',
    );
    assert.ok(
      !scopesOf('# a comment {{not_a_var}}', 'not_a_var').includes('variable.other.template.callflow'),
      'not in comments',
    );
    assert.ok(
      scopesOf('# callflow-disable-next-line WF116', 'callflow-disable').includes('keyword.control.directive.callflow'),
    );
  });

  test('the walkthrough\'s "new workflow file" inserts the skeleton snippet', async () => {
    await vscode.commands.executeCommand('callflow.walkthrough.newFile');
    const doc = await until('the snippet', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d && /^version: 1/.test(d.getText()) && d;
    });
    assert.strictEqual(doc.languageId, 'callflow-workflow');
    assert.match(doc.getText(), /type: VOICE_CALL/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('diagnostics arrive in vscode.languages.getDiagnostics with code and rule link', async () => {
    const { document } = await open('broken.workflow.yaml');
    const [d] = await until('WF110', () => {
      const ds = diagnostics(document.uri, 'WF110');
      return ds.length > 0 && ds;
    });
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /qualifed/);
    assert.strictEqual(d.range.start.line, 12);
    // The rule link opens the page shipped in the package (a command link), not a web address.
    assert.ok(typeof d.code === 'object', 'the code links its rule page');
    const target = (d.code as { target: vscode.Uri }).target;
    assert.strictEqual(target.scheme, 'command');
    assert.strictEqual(target.path, 'callflow.openRuleDoc');
    assert.deepStrictEqual(JSON.parse(decodeURIComponent(target.query)), ['WF110']);
    const page = await vscode.commands.executeCommand<{ page: string }>('callflow.openRuleDoc', 'WF110');
    assert.ok(existsSync(vscode.Uri.parse(page.page).fsPath), page.page);
    assert.match(page.page, /\/docs\/rules\/WF110\.md$/);
    // The valid example has no errors.
    const good = fileUri('lead-nurture.workflow.yaml');
    await until('diagnostics of the example', () => vscode.languages.getDiagnostics(good) !== undefined);
    assert.deepStrictEqual(
      diagnostics(good).filter((x) => x.severity === vscode.DiagnosticSeverity.Error),
      [],
    );
  });

  test('completion offers node keys after to:', async () => {
    const { document } = await open('lead-nurture.workflow.yaml');
    const pos = posOf(document, 'to: qualified', 4);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      pos,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const k of ['qualified', 'wait_two_days', 'second_call', 'dropped'])
      assert.ok(labels.includes(k), `${k} in ${labels.join(',')}`);
  });

  test('hover on a node reference describes the node', async () => {
    const { document } = await open('lead-nurture.workflow.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      posOf(document, 'to: wait_two_days', 6),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /TIME/);
  });

  test('definition and references of a node key', async () => {
    const { document } = await open('lead-nurture.workflow.yaml');
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      posOf(document, 'to: second_call', 5),
    );
    assert.strictEqual(defs.length, 1);
    const range = 'targetRange' in defs[0] ? (defs[0].targetSelectionRange ?? defs[0].targetRange) : defs[0].range;
    assert.strictEqual(range.start.line, posOf(document, '  second_call:', 2).line);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      document.uri,
      posOf(document, '  converted:', 2),
    );
    // converted is the target of three edges (plus its declaration when included).
    assert.ok(refs.filter((r) => document.getText(r.range) === 'converted').length >= 3, `references: ${refs.length}`);
  });

  test('rename a node key edits the key and every reference', async () => {
    const uri = copyFixture('lead-nurture.workflow.yaml', 'rename-me.workflow.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      uri,
      posOf(doc, '  dropped:', 2),
      'lost',
    );
    assert.ok(edit && edit.size > 0);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = doc.getText();
    assert.ok(!/\bdropped\b/.test(text.replace(/DROPPED/g, '')), 'no reference left');
    assert.strictEqual((text.match(/to: lost/g) ?? []).length, 2);
    assert.match(text, /^ {2}lost:/m);
    await doc.save();
  });

  test('a quick fix is offered for WF110 and applying it clears the problem', async () => {
    const uri = copyFixture('broken.workflow.yaml', 'fix-me.workflow.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [d] = await until('WF110 on the copy', () => {
      const ds = diagnostics(uri, 'WF110');
      return ds.length > 0 && ds;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.edit && /qualified/.test(a.title));
    assert.ok(fix, `a fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.match(doc.getText(), /to: qualified/);
    await until('WF110 gone', () => diagnostics(uri, 'WF110').length === 0);
    await doc.save();
  });
});

suite('editor manners', () => {
  test('workflow files get 2-space indentation and no word-based suggestions by default', async () => {
    const cfg = vscode.workspace.getConfiguration('editor', { languageId: 'callflow-workflow' });
    assert.strictEqual(cfg.get('tabSize'), 2);
    assert.strictEqual(cfg.get('insertSpaces'), true);
    assert.strictEqual(cfg.get('wordBasedSuggestions'), 'off');
    assert.notStrictEqual(cfg.get('formatOnSave'), true, 'format on save is offered, not forced');
    const doc = await vscode.workspace.openTextDocument({ language: 'callflow-workflow', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    assert.strictEqual(editor.options.tabSize, 2);
    assert.strictEqual(editor.options.insertSpaces, true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the package contributes one skeleton snippet; node skeletons come from completion at key positions', () => {
    const ours = vscode.extensions.getExtension('callflow.callflow')!;
    const files = (ours.packageJSON.contributes.snippets as { path: string }[]).map((x) =>
      JSON.parse(readFileSync(path.join(ours.extensionPath, x.path), 'utf8')),
    );
    assert.deepStrictEqual(files.map((f) => Object.keys(f)).flat(), ['New workflow']);
  });

  test('Select Target offers to create callflow.config.yaml when there is none, and opens it', async () => {
    await open('lead-nurture.workflow.yaml');
    const cfg = path.join(folder().fsPath, 'callflow.config.yaml');
    assert.ok(!existsSync(cfg));
    let offered: string[] = [];
    sui.picks = [
      (items) => {
        offered = items.map((i) => i.label);
        return items.find((i) => /Create callflow\.config\.yaml/.test(i.label));
      },
    ];
    const r = await vscode.commands.executeCommand<{ config?: string }>('callflow.selectTarget');
    try {
      assert.strictEqual(r.config, cfg, JSON.stringify(r));
      assert.deepStrictEqual(offered[0], 'local');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, cfg);
      const text = readFileSync(cfg, 'utf8');
      assert.match(text, /key_env: CALLFLOW_PRODUCTION_KEY/);
      // Valid as written, and "local" stays the default.
      assert.deepStrictEqual(api.ext.targets.names(fileUri('lead-nurture.workflow.yaml').fsPath), [
        'local',
        'production',
      ]);
      assert.strictEqual(api.ext.targets.selected(fileUri('lead-nurture.workflow.yaml').fsPath), 'local');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(cfg, { force: true });
    }
  });
});

suite('graph preview', () => {
  test("opens beside the text, draws the server's graph, reveals, highlights, keeps the last graph on a parse error", async () => {
    const uri = copyFixture('lead-nurture.workflow.yaml', 'preview.workflow.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('callflow.showPreview', uri);
    const p = api.ext.preview;
    const graph = await until('a graph message', () =>
      p.sent.find((m): m is GraphMessage => m.type === 'graph' && m.uri === uri.toString()),
    );
    assert.deepStrictEqual(
      graph.layout.nodes.map((n) => n.key),
      ['first_call', 'wait_two_days', 'second_call', 'qualified', 'notify_sales', 'converted', 'dropped'],
    );
    assert.ok(
      graph.layout.edges.every((e) => e.points.length >= 2),
      'edges are routed',
    );
    assert.strictEqual(graph.title, '30-day lead nurture');
    await until('the page to be ready', () => p.received.some((m) => m.type === 'ready'));

    // A click in the page (its reveal message) puts the cursor on the node's key.
    await p.onPageMessage({ type: 'reveal', key: 'notify_sales' });
    const active = vscode.window.activeTextEditor!;
    assert.strictEqual(active.document.uri.toString(), uri.toString());
    assert.strictEqual(active.document.getText(active.selection), 'notify_sales');

    // The cursor in a node highlights it.
    editor.selection = new vscode.Selection(posOf(doc, 'delay_hours'), posOf(doc, 'delay_hours'));
    await until('highlight', () => p.sent.some((m) => m.type === 'highlight' && m.key === 'wait_two_days'));

    // Typing updates the graph (a new node appears).
    const n0 = p.sent.length;
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\n  lost: { type: DROPPED }\n'));
    await until('the new node', () =>
      p.sent.slice(n0).some((m) => m.type === 'graph' && m.layout.nodes.some((n) => n.key === 'lost')),
    );

    // A parse error: the page is told, and no new graph replaces the last good one.
    const n1 = p.sent.length;
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'nodes: [\n'));
    const err = await until('a parse error message', () =>
      p.sent.slice(n1).find((m): m is ParseErrorMessage => m.type === 'parseError'),
    );
    assert.strictEqual(err.uri, uri.toString());
    assert.ok(!p.sent.slice(n1).some((m) => m.type === 'graph'));
  });

  test('changes since HEAD colours the added node', async () => {
    // review.workflow.yaml is committed in the scratch repository (run.mjs), and only these tests edit it.
    const uri = fileUri('review.workflow.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('callflow.showPreview', uri);
    const p = api.ext.preview;
    const original = doc.getText();
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\n  extra_stop: { type: DROPPED }\n'));
    await p.onPageMessage({ type: 'toggleChanges', on: true });
    const g = await until('a graph with changes', () =>
      [...p.sent]
        .reverse()
        .find(
          (m): m is GraphMessage =>
            m.type === 'graph' && !!m.changes && m.uri === uri.toString() && 'extra_stop' in m.changes.nodes,
        ),
    );
    assert.strictEqual(g.changes!.nodes.extra_stop, 'added');
    await p.onPageMessage({ type: 'toggleChanges', on: false });
    await restore(doc, original);
  });
});

suite('files: compare, export, validate', () => {
  test('compare with HEAD shows the semantic diff', async () => {
    const uri = fileUri('review.workflow.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    await editor.edit((e) => e.replace(new vscode.Range(posOf(doc, '48'), posOf(doc, '48', 2)), '72'));
    const r = await vscode.commands.executeCommand<{ equal: boolean; text: string }>('callflow.compareWithHead', uri);
    assert.strictEqual(r.equal, false);
    assert.match(r.text, /wait_two_days/);
    assert.match(r.text, /72/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'callflow');
    await restore(doc, original);
  });

  test('export the graph as Mermaid and SVG', async () => {
    const uri = fileUri('lead-nurture.workflow.yaml');
    // Export asks where to save; cancelling writes nothing.
    sui.saves = [undefined];
    const none = await vscode.commands.executeCommand<{ refused?: string }>('callflow.exportMermaid', uri);
    assert.strictEqual(none.refused, 'cancelled');
    assert.match(sui.chose[0], /\.mmd$/, 'the dialog proposes a file beside the workflow');
    assert.ok(!existsSync(sui.chose[0]));
    const chosen = path.join(folder().fsPath, 'exported-graph.mmd');
    sui.saves = [chosen];
    const m = await vscode.commands.executeCommand<{ file: string }>('callflow.exportMermaid', uri);
    assert.strictEqual(m.file, chosen);
    assert.match(readFileSync(m.file, 'utf8'), /^flowchart TD/m);
    const s = await vscode.commands.executeCommand<{ file: string }>('callflow.exportSvg', uri);
    assert.match(readFileSync(s.file, 'utf8'), /<svg[\s\S]*first_call|Initial outreach call/);
  });

  test('validate workspace counts the problems of every workflow file', async () => {
    const r = await vscode.commands.executeCommand<{ files: number; errors: number }>('callflow.validateWorkspace');
    assert.ok(r.files >= 3, `files: ${r.files}`);
    assert.ok(r.errors >= 1, 'broken.workflow.yaml has an error');
  });
});

suite('platform commands against the local emulator', () => {
  let file: vscode.Uri;
  let id: string;
  let leadsFlowId: string;

  suiteSetup(() => {
    file = copyFixture('lead-nurture.workflow.yaml', 'platform.workflow.yaml', (t) =>
      t
        .replace('title: 30-day lead nurture', 'title: Platform test')
        // The support agent's prompt uses no variables, so the emulator's pre-activation check passes without leads.
        .replace(/agt_abc123/g, 'agt_support01')
        .replace(/\+912234567890/g, '+14155550100'),
    );
  });

  test('plan shows every call a push would make', async () => {
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.showPlan', file);
    assert.ok(!r.refused, JSON.stringify(r));
    assert.match(r.planText!, /a new workflow/);
    assert.match(r.planText!, /create \(\d+\)/);
    assert.match(r.planText!, /node first_call \(VOICE_CALL\)/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'callflow');
  });

  test('Show Plan in the confirmation opens the whole plan and changes nothing', async () => {
    sui.answers = ['Show Plan'];
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.push', file);
    assert.strictEqual(r.refused, 'showed the plan', JSON.stringify(r));
    assert.match(r.planText!, /node first_call \(VOICE_CALL\)/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.getText(), r.planText);
    assert.ok(!existsSync(file.fsPath.replace(/\.yaml$/, '.state.yaml')), 'nothing was pushed');
    assert.ok(
      sui.messages.some((m) => /plan for platform\.workflow\.yaml on local is open/.test(m.message)),
      JSON.stringify(sui.messages),
    );
  });

  test('push asks with a short summary (Show Plan first, the safe default), then creates the workflow (draft)', async () => {
    sui.answers = ['Push'];
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.push', file);
    assert.ok(r.workflowId?.startsWith('wfl_'), JSON.stringify(r));
    id = r.workflowId!;
    assert.strictEqual(r.status, 'draft');
    assert.deepStrictEqual(sui.asked[0].buttons, ['Show Plan', 'Push']);
    assert.match(sui.asked[0].detail, /^Target: local$/m);
    assert.match(sui.asked[0].detail, /^Push: \d+ creates, 0 updates, 0 deletes\.$/m);
    // Short whatever the plan: no call is listed in the modal.
    assert.ok(sui.asked[0].detail.split('\n').length <= 8, sui.asked[0].detail);
    assert.doesNotMatch(sui.asked[0].detail, /POST|first_call/);
    assert.ok(existsSync(file.fsPath.replace(/\.yaml$/, '.state.yaml')), 'the state file is written');
    // A second push has nothing to do and asks nothing.
    sui.asked = [];
    const again = await vscode.commands.executeCommand<CommandOutcome>('callflow.push', file);
    assert.strictEqual(again.calls, 0);
    assert.strictEqual(sui.asked.length, 0);
  });

  test('activate: modal with the plan summary, then active; status bar and CodeLens follow', async () => {
    await vscode.window.showTextDocument(file);
    sui.answers = ['Activate'];
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', file);
    assert.strictEqual(r.status, 'active', JSON.stringify(r));
    assert.strictEqual(r.workflowId, id);
    assert.match(sui.asked[0].message, /^Activate "Platform test" on local\?$/);
    assert.deepStrictEqual(sui.asked[0].buttons, ['Show Plan', 'Activate']);
    assert.match(sui.asked[0].detail, /Push: nothing to change/);
    await until('status bar', () => api.statusBar.text.includes('local: active') && api.statusBar.text);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.includes('local: active')),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Pause') && titles.includes('Plan') && titles.includes('Preview'), titles.join(' | '));
  });

  test('pause, then activating the paused workflow offers Resume (409)', async () => {
    const p = await vscode.commands.executeCommand<CommandOutcome>('callflow.pause', file);
    assert.strictEqual(p.status, 'paused');
    sui.answers = ['Activate'];
    sui.actions = { paused: 'Resume' };
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', file);
    assert.ok(
      sui.messages.some((m) => m.kind === 'warn' && /paused/.test(m.message)),
      JSON.stringify(sui.messages),
    );
    assert.strictEqual(r.status, 'active', JSON.stringify(r));
  });

  test('pause and resume', async () => {
    assert.strictEqual((await vscode.commands.executeCommand<CommandOutcome>('callflow.pause', file)).status, 'paused');
    assert.strictEqual(
      (await vscode.commands.executeCommand<CommandOutcome>('callflow.resume', file)).status,
      'active',
    );
  });

  test('the remote view lists the workflow with status and counts', async () => {
    const r = await vscode.commands.executeCommand<{
      items: { id: string; status: string; nodes?: number; edges?: number }[];
    }>('callflow.remote.refresh');
    const item = r.items.find((i) => i.id === id);
    assert.ok(item, JSON.stringify(r));
    assert.strictEqual(item!.status, 'active');
    assert.strictEqual(item!.nodes, 7);
    assert.strictEqual(item!.edges, 10);
    const opened = await vscode.commands.executeCommand<{ text: string; uri: string }>('callflow.remote.open', {
      id,
      target: 'local',
    });
    assert.match(opened.text, /title: Platform test/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), opened.uri);
    assert.strictEqual(
      vscode.window.activeTextEditor?.document.getText(),
      opened.text,
      'a read-only document with the remote text',
    );
    // Compare finds the local file through its state file.
    const cmp = await vscode.commands.executeCommand<{ local: string; remote: string }>('callflow.remote.compare', {
      id,
      target: 'local',
    });
    assert.strictEqual(cmp.local, file.fsPath);
  });

  test('cancel asks (it is final); declining changes nothing, confirming cancels', async () => {
    sui.answers = [undefined];
    const no = await vscode.commands.executeCommand<CommandOutcome>('callflow.cancel', file);
    assert.strictEqual(no.refused, 'cancelled');
    assert.match(sui.asked[0].detail, /final/);
    sui.answers = ['Cancel Workflow'];
    const yes = await vscode.commands.executeCommand<CommandOutcome>('callflow.cancel', file);
    assert.strictEqual(yes.status, 'cancelled');
  });

  test('pull writes the remote workflow into a new file with its state', async () => {
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.pull', id, folder().fsPath);
    assert.ok(r.file && existsSync(r.file), JSON.stringify(r));
    const text = readFileSync(r.file!, 'utf8');
    assert.match(text, /title: Platform test/);
    assert.match(text, /type: VOICE_CALL/);
    assert.ok(existsSync(r.file!.replace(/\.yaml$/, '.state.yaml')));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, r.file);
  });

  test('online checks on local: an unpublished agent and an unknown caller number are in Problems before Activate, which stops there', async () => {
    const uri = copyFixture('draft-agent.workflow.yaml', 'online-local.workflow.yaml', (t) =>
      t.replace('+912234567890', '+14155550999'),
    );
    await vscode.window.showTextDocument(uri);
    // The emulator runs (the tests above started it): the server's online checks use it.
    await until(
      'WF201 and WF202 in Problems',
      () => diagnostics(uri, 'WF201').length > 0 && diagnostics(uri, 'WF202').length > 0,
    );
    assert.match(diagnostics(uri, 'WF201')[0].message, /agt_draft01.*no published version/);
    assert.strictEqual(api.statusBar.online?.state, 'ready', JSON.stringify(api.statusBar.online));
    assert.strictEqual(api.statusBar.online?.target, 'local');
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', uri);
    assert.ok(r.refused, JSON.stringify(r));
    assert.strictEqual(sui.asked.length, 0, 'no modal: nothing was pushed');
    assert.ok(!existsSync(uri.fsPath.replace(/\.yaml$/, '.state.yaml')));
  });

  test("a 400 from activation: a short toast with Show Output, nodes by key and line, the node's line opened, the real status shown", async () => {
    // With online checks on, Problems would stop Activate first (above): turn them off to reach the platform.
    const config = vscode.workspace.getConfiguration('callflow');
    await config.update('online.enabled', false, vscode.ConfigurationTarget.Workspace);
    await until('online checks off', () => api.statusBar.online?.state === 'off');
    try {
      await activateRefused();
    } finally {
      await config.update('online.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  async function activateRefused(): Promise<void> {
    const uri = copyFixture('draft-agent.workflow.yaml', 'refused.workflow.yaml');
    await vscode.window.showTextDocument(uri);
    sui.answers = ['Push and Activate'];
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', uri);
    assert.ok(r.refused && /call_with_draft_agent \(line 6\)/.test(r.refused), JSON.stringify(r));
    assert.doesNotMatch(r.refused!, /node_[A-Za-z0-9]/, 'no internal ids');
    const toast = sui.messages.find((m) => m.kind === 'error')!;
    assert.match(
      toast.message,
      /^Activation refused on local: 1 problem, first at call_with_draft_agent \(line 6\)\.$/,
    );
    assert.deepStrictEqual(toast.actions, ['Show Output']);
    assert.ok(
      api.logLines().some((l) => /call_with_draft_agent \(line 6\): .*agt_draft01/.test(l)),
      'the details are in the output',
    );
    const ed = vscode.window.activeTextEditor!;
    assert.strictEqual(ed.document.uri.fsPath, uri.fsPath);
    assert.strictEqual(ed.document.getText(ed.selection), 'call_with_draft_agent');
    // The workflow was created before the refusal: the status bar says so, not "not pushed".
    await until('status bar', () => api.statusBar.text.includes('local: draft') && api.statusBar.text);
  }

  test('an emulator that cannot start: one sentence with Show Output, its stderr only in the output', async () => {
    // A database path that is a directory: the emulator starts, cannot open it, and exits.
    const dir = path.join(folder().fsPath, 'not-a-database');
    mkdirSync(dir, { recursive: true });
    const before = process.env.CALLFLOW_LOCAL_DB;
    process.env.CALLFLOW_LOCAL_DB = dir;
    try {
      const r = await vscode.commands.executeCommand<{ error?: string }>('callflow.showPlan', file);
      assert.match(r.error ?? '', /^The local emulator could not start[^\n]*\.$/, JSON.stringify(r));
      const toast = sui.messages.find((m) => m.kind === 'error')!;
      assert.strictEqual(toast.message, r.error);
      assert.deepStrictEqual(toast.actions, ['Show Output']);
      assert.ok(!/\bat |Node\.js v|node:internal/.test(toast.message), 'no stack trace or stderr in the message');
      assert.ok(
        api.logLines().some((l) => l.startsWith('[emulator] ')),
        'what the emulator printed is in the output',
      );
    } finally {
      if (before === undefined) delete process.env.CALLFLOW_LOCAL_DB;
      else process.env.CALLFLOW_LOCAL_DB = before;
    }
  });

  test('leads: Activate refused for variables no lead carries offers Upload Leads; the leads: file is the default on local; then it activates', async () => {
    const uri = copyFixture('lead-nurture.workflow.yaml', 'leads-flow.workflow.yaml', (t) =>
      t.replace('title: 30-day lead nurture', 'title: Leads flow'),
    );
    await vscode.window.showTextDocument(uri);
    sui.answers = ['Push and Activate'];
    const refused = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', uri);
    assert.ok(refused.variables?.includes('loan_amount'), JSON.stringify(refused));
    assert.strictEqual(refused.status, 'draft');
    const toast = sui.messages.find((m) => m.kind === 'error')!;
    assert.match(toast.message, /^Activation refused: the agent's prompt uses .*\{\{loan_amount\}\}.*no lead uploaded/);
    assert.deepStrictEqual(toast.actions, ['Upload Leads…', 'Show Output']);

    sui.asked = [];
    sui.messages = [];
    let offered: vscode.QuickPickItem[] = [];
    sui.picks = [
      (items) => {
        offered = items;
        return items[0];
      },
    ];
    const rows = readFileSync(fileUri('leads.sample.csv').fsPath, 'utf8').trim().split('\n').length - 1;
    sui.answers = [`Upload ${rows} Leads`];
    const up = await vscode.commands.executeCommand<{ uploaded?: number; columns?: string[]; refused?: string }>(
      'callflow.uploadLeads',
      uri,
    );
    assert.strictEqual(up.uploaded, rows, JSON.stringify(up));
    assert.strictEqual(offered[0].label, './leads.sample.csv', 'the leads: file is offered first on local');
    assert.strictEqual(sui.chose.length, 0, 'no file dialog when the default is taken');
    assert.match(
      sui.asked[0].message,
      new RegExp(`^Upload ${rows} leads to leads-flow\\.workflow\\.yaml on local\\?$`),
    );
    assert.match(sui.asked[0].detail, /^Columns: phone_number, customer_name, loan_amount, city$/m);
    assert.deepStrictEqual(sui.asked[0].buttons, [`Upload ${rows} Leads`]);
    assert.ok(sui.messages.some((m) => m.kind === 'info' && m.actions.includes('Activate')));

    sui.answers = ['Activate'];
    const active = await vscode.commands.executeCommand<CommandOutcome>('callflow.activate', uri);
    assert.strictEqual(active.status, 'active', JSON.stringify(active));
    leadsFlowId = active.workflowId!;
    await until('status bar', () => api.statusBar.text.includes('local: active') && api.statusBar.text);
  });

  test('pull (platform/pull.ts, as the CLI): lead columns that are not variable names are left out and said so; the file has no errors', async () => {
    const csv = path.join(folder().fsPath, 'dashboard.csv');
    writeFileSync(csv, 'phone_number,first name,e-mail,9lives,city\n+14155550111,A,a@x,1,Pune\n');
    sui.answers = ['Upload 1 Lead'];
    const up = await vscode.commands.executeCommand<{ uploaded?: number }>(
      'callflow.uploadLeads',
      fileUri('leads-flow.workflow.yaml'),
      csv,
    );
    assert.strictEqual(up.uploaded, 1, JSON.stringify(up));
    sui.messages = [];
    const r = await vscode.commands.executeCommand<CommandOutcome>('callflow.pull', leadsFlowId, folder().fsPath);
    assert.ok(r.file && existsSync(r.file), JSON.stringify(r));
    assert.match(
      (r.omitted ?? []).join('\n'),
      /3 lead columns that are not variable names \("first name", "e-mail", "9lives"\)/,
    );
    const told = sui.messages.find((m) => m.kind === 'info' && /^Pulled workflow/.test(m.message));
    assert.match(told?.message ?? '', /Left out: 3 lead columns/, JSON.stringify(sui.messages));
    const text = readFileSync(r.file!, 'utf8');
    assert.doesNotMatch(text, /first name|e-mail|9lives/);
    // The server's own check of the opened file (what Problems shows offline): no error.
    const checked = await api.ext.server.request(PrePushRequest.type, {
      uri: vscode.Uri.file(r.file!).toString(),
    });
    assert.deepStrictEqual(checked.errors, [], JSON.stringify(checked.errors));
    assert.ok(checked.usable);
  });

  test('upload leads: a file without phone_number is refused before anything is sent', async () => {
    const uri = fileUri('leads-flow.workflow.yaml');
    const bad = path.join(folder().fsPath, 'no-phone.csv');
    writeFileSync(bad, 'name,city\nA,B\n');
    const r = await vscode.commands.executeCommand<{ error?: string }>('callflow.uploadLeads', uri, bad);
    assert.match(r.error ?? '', /no-phone\.csv has no phone_number column/);
    assert.strictEqual(sui.asked.length, 0);
  });

  test('validation errors stop activate with "Show Problems"', async () => {
    const r = await vscode.commands.executeCommand<CommandOutcome>(
      'callflow.activate',
      fileUri('broken.workflow.yaml'),
    );
    assert.ok(r.refused, JSON.stringify(r));
    assert.strictEqual(sui.asked.length, 0, 'no modal: nothing was pushed');
    assert.ok(sui.messages.some((m) => m.kind === 'error' && /error/.test(m.message)));
  });
});

suite('trust and secrets', () => {
  test('restricted mode refuses push and shows it in the status bar', async () => {
    api.setTrust(false);
    await vscode.window.showTextDocument(fileUri('lead-nurture.workflow.yaml'));
    const r = await vscode.commands.executeCommand<{ error?: string }>(
      'callflow.push',
      fileUri('lead-nurture.workflow.yaml'),
    );
    assert.match(r.error ?? '', /restricted workspace/);
    assert.match(api.statusBar.text, /restricted/);
    assert.strictEqual(sui.asked.length, 0);
    // The CodeLens keeps only what works offline.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      fileUri('lead-nurture.workflow.yaml'),
    );
    assert.deepStrictEqual(
      lenses.map((l) => l.command?.title),
      ['Preview'],
    );
  });

  test('a key is stored in SecretStorage, never in settings or the log; a new host must be approved', async () => {
    // A target "staging" in a sub-folder's config, pointing at the local emulator's HTTP API.
    const local = await api.ext.targets.connect(fileUri('lead-nurture.workflow.yaml').fsPath, { what: 'test' });
    const dir = path.join(folder().fsPath, 'staging');
    mkdirSync(dir, { recursive: true });
    const cfgFile = path.join(dir, 'callflow.config.yaml');
    writeFileSync(
      cfgFile,
      `targets:\n  staging:\n    url: ${local.target.url}\n    key_env: CALLFLOW_TEST_UNSET_KEY\ndefault_target: staging\n`,
    );
    const wf = path.join(dir, 'staged.workflow.yaml');
    writeFileSync(
      wf,
      readFileSync(fileUri('lead-nurture.workflow.yaml').fsPath, 'utf8')
        .replace('leads: ./leads.sample.csv', '')
        .replace('30-day lead nurture', 'Staged'),
    );
    await vscode.window.showTextDocument(vscode.Uri.file(wf));

    const KEY = 'cf_local_dev';
    await vscode.commands.executeCommand('callflow.setApiKey', 'staging', KEY);
    assert.strictEqual(await api.ext.keys.get('staging'), KEY);
    const settings =
      JSON.stringify(vscode.workspace.getConfiguration('callflow')) +
      JSON.stringify(vscode.workspace.getConfiguration().inspect('callflow'));
    assert.ok(!settings.includes(KEY), 'not in settings');

    // A loopback host (the emulator) needs no approval, by the CLI's rule (platform/credentials.ts).
    sui.answers = ['Push'];
    const pushed = await vscode.commands.executeCommand<CommandOutcome>('callflow.push', vscode.Uri.file(wf));
    assert.ok(pushed.workflowId, JSON.stringify(pushed));
    assert.ok(!sui.asked.some((q) => /Send your API key/.test(q.message)));
    // The status bar says which key is in use.
    await until('the key source in the status bar', () => api.statusBar.text.includes('$(key) stored in VS Code'));

    // The workspace moves the target to another host: the key is not sent until approved.
    const far = 'https://staging.callflow.invalid/v1';
    writeFileSync(
      cfgFile,
      `targets:\n  staging:\n    url: ${far}\n    key_env: CALLFLOW_TEST_UNSET_KEY\ndefault_target: staging\n`,
    );
    sui.asked = [];
    sui.answers = [undefined];
    const refused = await vscode.commands.executeCommand<{ error?: string }>('callflow.showPlan', vscode.Uri.file(wf));
    assert.match(refused.error ?? '', /not approved/);
    assert.match(
      sui.asked[0].message,
      /Send your API key for target "staging" to https:\/\/staging\.callflow\.invalid\?/,
    );
    sui.answers = ['Allow'];
    const allowed = await vscode.commands.executeCommand<{ error?: string }>('callflow.showPlan', vscode.Uri.file(wf));
    // Approved: the request went out (and found no such host), no longer an approval error.
    assert.doesNotMatch(allowed.error ?? '', /not approved/);
    assert.ok(api.ext.approvals.isApproved('staging', far));

    await vscode.commands.executeCommand('callflow.removeApiKey', 'staging');
    assert.strictEqual(await api.ext.keys.get('staging'), undefined);
    assert.ok(!api.logLines().some((l) => l.includes(KEY)), 'the key never reaches the log');
    assert.ok(!sui.messages.some((m) => m.message.includes(KEY)), 'nor a message');
  });
});

suite('workflow tests', () => {
  const testFile = 'lead-nurture.workflow.test.yaml';
  test('the Testing view lists the cases; a CodeLens above each runs it; they pass', async () => {
    const uri = fileUri(testFile);
    const { document } = await open(testFile);
    const lenses = await until('a Run case lens per case', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.filter((x) => x.command?.title.endsWith('Run case')).length >= 5 && l;
    });
    const first = lenses.find((l) => l.command?.arguments?.[1] === 'picks up on the second try and qualifies')!;
    assert.strictEqual(
      document.lineAt(first.range.start.line).text.trim(),
      'picks up on the second try and qualifies:',
    );
    const statuses = await vscode.commands.executeCommand<string[]>('callflow.runWorkflowTestCase', uri);
    assert.ok(statuses.length >= 5);
    assert.deepStrictEqual([...new Set(statuses)], ['pass']);
    const after = await until('the lens shows the result', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.every((x) => x.command?.title.startsWith('$(pass)')) && l;
    });
    assert.ok(after.length >= 5);
  });

  test('a changed expectation fails that case; an unknown node key is a diagnostic at its place', async () => {
    const { document } = await open(testFile);
    const original = document.getText();
    try {
      const e = new vscode.WorkspaceEdit();
      const at = original.indexOf('elapsed_hours: 48');
      e.replace(
        document.uri,
        new vscode.Range(document.positionAt(at), document.positionAt(at + 17)),
        'elapsed_hours: 12',
      );
      await vscode.workspace.applyEdit(e);
      const failed = await vscode.commands.executeCommand<string[]>(
        'callflow.runWorkflowTestCase',
        document.uri,
        'picks up on the second try and qualifies',
      );
      assert.deepStrictEqual(failed, ['fail']);
      const typo = new vscode.WorkspaceEdit();
      const k = document.getText().indexOf('second_call: [COMPLETED]');
      typo.replace(document.uri, new vscode.Range(document.positionAt(k), document.positionAt(k + 11)), 'secnd_call');
      await vscode.workspace.applyEdit(typo);
      const d = await until('a WT004 diagnostic', () =>
        vscode.languages.getDiagnostics(document.uri).find((x) => x.code === 'WT004'),
      );
      assert.match(d.message, /unknown node "secnd_call" in outcomes \(did you mean "second_call"\?\)/);
      assert.strictEqual(document.getText(d.range), 'secnd_call');
    } finally {
      await restore(document, original);
    }
  });
});

suite('language server lifecycle', () => {
  test('the server is restarted after being killed, and answers again', async () => {
    const before = api.ext.server.pid!;
    const starts = api.ext.server.starts;
    assert.ok(before);
    process.kill(before, 'SIGKILL');
    await until(
      'a new server process',
      () => api.ext.server.starts > starts && api.ext.server.running && api.ext.server.pid !== before,
      20000,
    );
    const uri = copyFixture('broken.workflow.yaml', 'after-restart.workflow.yaml');
    await vscode.window.showTextDocument(uri);
    await until('diagnostics from the new server', () => diagnostics(uri, 'WF110').length > 0);
    assert.ok(api.logLines().some((l) => /restarting in \d+ ms/.test(l)));
  });
});
