// The in-editor suite as a user meets the extension (run.mjs --packaged): the .vsix installed into
// VS Code, a git workspace holding the repository's examples/. For every example: open it, see the
// language server's diagnostics (no errors), activate it on `local`, upload its leads when the
// platform asks for them, and see `local: active` in the status bar. Modals and pickers are
// answered through the extension's UI seam; everything else is VS Code, the packaged language
// server and the packaged emulator.
import * as assert from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CallflowApi } from '../../client/extension';
import type { CommandOutcome } from '../../client/commands/platform';
import type { Ui } from '../../client/ui';

const folder = () => vscode.workspace.workspaceFolders![0].uri;
let api: CallflowApi;

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Answers every question the way a user following the happy path would, and records them. */
class Yes implements Ui {
  asked: { message: string; buttons: string[] }[] = [];
  messages: { kind: string; message: string }[] = [];
  ask(message: string, _detail: string, ...buttons: string[]) {
    this.asked.push({ message, buttons });
    // The action, never "Show Plan" (the modal's first, safe button).
    return Promise.resolve(buttons.find((b) => b !== 'Show Plan'));
  }
  pick<T extends vscode.QuickPickItem>(items: T[]) {
    return Promise.resolve(items[0]);
  }
  input() {
    return Promise.resolve(undefined);
  }
  chooseFile() {
    return Promise.resolve(undefined);
  }
  saveAs() {
    return Promise.resolve(undefined);
  }
  private msg(kind: string, message: string) {
    this.messages.push({ kind, message });
    return Promise.resolve(undefined);
  }
  info(m: string) {
    return this.msg('info', m);
  }
  warn(m: string) {
    return this.msg('warn', m);
  }
  error(m: string) {
    return this.msg('error', m);
  }
}

const examples = readdirSync(path.join(folder().fsPath, 'examples'))
  .filter((f) => f.endsWith('.workflow.yaml'))
  .sort();

suiteSetup(async function () {
  this.timeout(90000);
  const ext = vscode.extensions.getExtension<CallflowApi>('callflow.callflow');
  assert.ok(ext, 'the installed extension is there');
  // Installed from the .vsix into the extensions folder, not loaded from the repository.
  assert.match(ext.extensionPath, /[/\\]exts[/\\]callflow\.callflow-/);
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder(), 'examples', examples[0]));
  api = await ext.activate();
  await until('the language server', () => api.ext.server.running, 60000);
});

suite('the packaged extension, every example, on local', () => {
  test('the examples are there', () => {
    assert.ok(examples.length >= 3, examples.join(', '));
  });

  test('a broken workflow shows its problems (the packaged server validates)', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'examples', 'broken', 'showcase.workflow.yaml');
    await vscode.window.showTextDocument(uri);
    const ds = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.some((x) => x.severity === vscode.DiagnosticSeverity.Error) && d;
    });
    assert.ok(ds.length > 0);
  });

  for (const name of examples) {
    test(`${name}: open, diagnostics, leads, activate, status bar "local: active"`, async function () {
      this.timeout(120000);
      const uri = vscode.Uri.joinPath(folder(), 'examples', name);
      const editor = await vscode.window.showTextDocument(uri);
      // The server has read the file: its outline lists the nodes; the Problems panel has no error.
      const symbols = await until('the outline', async () => {
        const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
          'vscode.executeDocumentSymbolProvider',
          uri,
        );
        return s && s.length > 0 && s;
      });
      assert.ok(symbols.length > 0);
      const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepStrictEqual(
        errors.map((d) => `${d.range.start.line + 1}: ${d.message}`),
        [],
      );

      const yes = new Yes();
      api.setUi(yes);
      try {
        let r = await vscode.commands.executeCommand<CommandOutcome & { error?: string }>('callflow.activate', uri);
        if (r.variables?.length) {
          // The platform wants leads carrying these variables: upload the workflow's leads: file.
          const leadsLine = /^leads:\s*(\S+)/m.exec(editor.document.getText());
          assert.ok(leadsLine, `${name} needs leads (${r.variables.join(', ')}) but names no leads: file`);
          const up = await vscode.commands.executeCommand<{ uploaded?: number; error?: string }>(
            'callflow.uploadLeads',
            uri,
          );
          const csv = readFileSync(path.join(path.dirname(uri.fsPath), leadsLine[1]), 'utf8')
            .trim()
            .split('\n');
          assert.strictEqual(up.uploaded, csv.length - 1, JSON.stringify(up));
          console.log(`    ${name}: the platform asked for leads (${r.variables.join(', ')}): ${up.uploaded} uploaded`);
          r = await vscode.commands.executeCommand<CommandOutcome & { error?: string }>('callflow.activate', uri);
        }
        assert.strictEqual(r.status, 'active', `${JSON.stringify(r)}\n${JSON.stringify(yes.messages)}`);
        await vscode.window.showTextDocument(uri);
        await until('"local: active" in the status bar', () => api.statusBar.text.includes('local: active'));
      } finally {
        api.setUi(undefined);
      }
    });
  }
});
