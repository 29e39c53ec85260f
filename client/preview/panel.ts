// The graph preview beside the text (extension-host side). The language server owns the graph: it
// announces a change (GraphChanged) and answers GraphRequest with a laid-out model (positions,
// routed edges, label boxes, colours, the first syntax error); the "changes since HEAD" status comes
// from its DiffRequest. This panel holds no parser or layout: it turns the model into the page's
// GraphMessage, adds the diagnostics' messages, follows the active editor, and maps clicks and the
// cursor between text and graph.
import * as vscode from 'vscode';
import type { Layout } from '../../core/layout';
import { DiffRequest, GraphChanged, GraphRequest, type GraphModel } from '../../protocol';
import { log } from '../log';
import type { LanguageServer } from '../language-server';
import { revealNode } from '../reveal';
import { isWorkflowDoc } from '../workflow-doc';
import { makeNonce, previewHtml } from './html';
import type { GraphMessage, HostMessage, NodeMark, PageMessage } from './messages';

export class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private changesMode = false;
  private model: GraphModel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** For the in-editor tests: every message sent to the page and received from it. */
  readonly sent: HostMessage[] = [];
  readonly received: PageMessage[] = [];
  private pageReady = false;
  private updating: Promise<void> = Promise.resolve();

  /**
   * `baseText` is what "Changes since HEAD" compares with (git in the desktop; the web extension
   * has no git and says so).
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: LanguageServer,
    private readonly baseText: (uri: vscode.Uri) => Promise<{ text?: string; note?: string }>,
  ) {
    this.subs.push(
      server.onNotification(GraphChanged.type, (p) => {
        if (p.uri === this.uri?.toString()) this.update();
      }),
      server.onDidStart(() => {
        if (this.panel) this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (!this.panel || !isWorkflowDoc(e?.document)) return;
        if (!vscode.workspace.getConfiguration('callflow.preview').get<boolean>('followActiveEditor', true)) return;
        if (e!.document.uri.toString() === this.uri?.toString()) return;
        this.uri = e!.document.uri;
        this.model = undefined;
        this.update();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (!this.panel || e.textEditor.document.uri.toString() !== this.uri?.toString()) return;
        this.post({ type: 'highlight', key: this.nodeAt(e.selections[0].active) });
      }),
    );
  }

  get visible(): boolean {
    return !!this.panel;
  }
  get documentUri(): vscode.Uri | undefined {
    return this.uri;
  }

  show(doc: vscode.TextDocument): void {
    this.uri = doc.uri;
    this.model = undefined;
    if (!this.panel) {
      const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
      this.panel = vscode.window.createWebviewPanel(
        'callflow.preview',
        'Workflow Graph',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {
          enableScripts: true,
          localResourceRoots: [dist],
          retainContextWhenHidden: false,
        },
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'file-icon.svg');
      const w = this.panel.webview;
      w.html = previewHtml({
        cspSource: w.cspSource,
        scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
        styleUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
        nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
      });
      w.onDidReceiveMessage((m: PageMessage) => this.onPageMessage(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.pageReady = false;
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    this.update();
  }

  /** Handles what the page sends (public so the in-editor tests can act as the page). */
  async onPageMessage(m: PageMessage): Promise<void> {
    this.received.push(m);
    switch (m.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'mode', changes: this.changesMode });
        this.update();
        break;
      case 'reveal': {
        if (!this.uri) return;
        const doc = await vscode.workspace.openTextDocument(this.uri);
        const column =
          vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri!.toString())
            ?.viewColumn ?? vscode.ViewColumn.One;
        await revealNode(doc, m.key, column);
        break;
      }
      case 'toggleChanges':
        this.changesMode = m.on;
        this.post({ type: 'mode', changes: m.on });
        this.update();
        break;
      case 'export':
        await vscode.commands.executeCommand(
          m.format === 'svg' ? 'callflow.exportSvg' : 'callflow.exportMermaid',
          this.uri,
        );
        break;
    }
  }

  /** Re-reads the graph for the current file and sends it; calls are serialised. */
  update(): Promise<void> {
    this.updating = this.updating.then(() => this.doUpdate()).catch((e) => log(`preview: ${(e as Error).message}`));
    return this.updating;
  }

  private async doUpdate(): Promise<void> {
    if (!this.panel || !this.uri) return;
    const uri = this.uri;
    // Opening it hands it to the server (a file the page shows but no editor has open).
    await vscode.workspace.openTextDocument(uri);
    const name = vscode.workspace.asRelativePath(uri);
    if (!this.server.running) {
      // It is (re)starting: onDidStart updates again. The page keeps its last graph meanwhile.
      this.post({ type: 'parseError', uri: uri.toString(), message: 'Waiting for the Callflow language server…' });
      return;
    }
    const model = await this.server.request(GraphRequest.type, { uri: uri.toString(), layout: true });
    if (uri.toString() !== this.uri?.toString()) return;
    this.panel.title = `Graph: ${name.split('/').pop()}`;
    // A YAML syntax error still yields a partial model; drawing it would lose nodes, so the page keeps
    // the last good graph instead.
    if (!model.ok || model.syntaxError) {
      const why = model.syntaxError
        ? { line: model.syntaxError.line, message: model.syntaxError.message }
        : vscode.languages
            .getDiagnostics(uri)
            .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
            .map((d) => ({ line: d.range.start.line, message: d.message }))[0];
      this.post({
        type: 'parseError',
        uri: uri.toString(),
        message: why ? `Line ${why.line + 1}: ${why.message}` : 'The file cannot be read as a workflow.',
      });
      return;
    }
    this.model = model;
    const msg: GraphMessage = {
      type: 'graph',
      uri: uri.toString(),
      title: model.title ?? name,
      layout: toLayout(model),
      colors: model.colors,
      marks: this.marks(uri, model),
    };
    if (this.changesMode) {
      const head = await this.baseText(uri);
      if (head.text === undefined) msg.changesNote = `No changes to show: ${head.note}.`;
      else {
        const diff = await this.server.request(DiffRequest.type, { uri: uri.toString(), baseText: head.text });
        if (!diff.ok) msg.changesNote = `HEAD cannot be compared: ${diff.reason}`;
        else msg.changes = { ...diff.status, base: 'HEAD' };
      }
    }
    this.post(msg);
  }

  private marks(uri: vscode.Uri, model: GraphModel): Record<string, NodeMark> {
    const diags = vscode.languages.getDiagnostics(uri);
    const out: Record<string, NodeMark> = {};
    for (const n of model.nodes) {
      const severity = n.diagnostics.error
        ? 'error'
        : n.diagnostics.warning
          ? 'warning'
          : n.diagnostics.info
            ? 'info'
            : undefined;
      const r = new vscode.Range(n.range.start.line, n.range.start.character, n.range.end.line, n.range.end.character);
      const inside = diags
        .filter((d) => r.contains(d.range.start))
        .map((d) => `${typeof d.code === 'object' ? d.code.value : (d.code ?? '')} ${d.message}`.trim());
      if (severity || inside.length) out[n.key] = { severity: severity ?? 'info', messages: inside };
    }
    return out;
  }

  private nodeAt(pos: vscode.Position): string | undefined {
    const n = this.model?.nodes.find((x) =>
      new vscode.Range(x.range.start.line, x.range.start.character, x.range.end.line, x.range.end.character).contains(
        pos,
      ),
    );
    return n?.key;
  }

  private post(m: HostMessage): void {
    if (!this.panel) return;
    this.sent.push(m);
    if (this.sent.length > 200) this.sent.splice(0, this.sent.length - 200);
    void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** The server's laid-out model as the page's layout (positions, routes and label boxes as computed there). */
export function toLayout(m: GraphModel): Layout {
  return {
    width: m.width ?? 0,
    height: m.height ?? 0,
    source: m.layout === 'positions' ? 'positions' : 'elk',
    nodes: m.nodes.map((n) => ({
      key: n.key,
      label: n.label,
      type: n.type,
      entry: n.entry,
      x: n.position?.x ?? 0,
      y: n.position?.y ?? 0,
      width: n.size?.width ?? 140,
      height: n.size?.height ?? 48,
      ...(n.ghost ? { ghost: true } : {}),
    })),
    edges: m.edges.map((e) => ({
      from: e.from,
      to: e.to,
      index: e.index,
      points: e.points ?? [],
      ...(e.label !== undefined ? { label: e.label, ...(e.labelBox ? { labelBox: e.labelBox } : {}) } : {}),
      ...(e.mark ? { mark: e.mark } : {}),
    })),
  };
}
