import * as assert from 'node:assert';
import * as vscode from 'vscode';

suite('activation', () => {
  test('opening a workflow file activates the extension', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'lead-nurture.workflow.yaml'));
    assert.strictEqual(doc.languageId, 'callflow-workflow');
    const ext = vscode.extensions.getExtension('callflow.callflow');
    assert.ok(ext);
    const api = await ext.activate();
    assert.strictEqual(api.ready, true);
  });
});
