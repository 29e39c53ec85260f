// The graph preview beside the text (extension-host side). The language server owns the graph: it
// announces a change (GraphChanged) and answers GraphRequest with a laid-out model; this panel turns
// that into the page's GraphMessage, adds diagnostics' messages and the "changes since HEAD" status,
// follows the active editor, and maps clicks and the cursor between text and graph.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { changeStatus, diffWorkflows } from '../../core/diff';
import { NODE_STYLE } from '../../core/export';
import { layoutGraph, layoutInputFromModel, textWidth, type Layout } from '../../core/layout';
import { parseText } from '../../core/parse';
import { analyze } from '../../core/validate';
import { GraphChanged, GraphRequest, type GraphModel } from '../../protocol';
import { headText } from '../commands/workspace';
import { log } from '../log';
import type { ServerHost } from '../lsp';
import { revealNode } from '../reveal';
import { isWorkflowDoc } from '../workflow-doc';
import { makeNonce, previewHtml } from './html';
import type { GraphMessage, HostMessage, NodeMark, PageMessage } from './messages';

const COLORS = Object.fromEntries(Object.entries(NODE_STYLE).map(([k, v]) => [k, v.stroke]));
const PAD = 20;

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

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ServerHost,
  ) {
    this.subs.push(
      server.onDidStart((client) => {
        this.subs.push(
          client.onNotification(GraphChanged.type, (p) => {
            if (p.uri === this.uri?.toString()) this.update();
          }),
        );
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
      // Without a server (it is restarting), typing still updates the preview from the core.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document.uri.toString() === this.uri?.toString() && !this.server.running) this.update();
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
        nonce: makeNonce((n) => randomBytes(n)),
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
    const doc = await vscode.workspace.openTextDocument(uri);
    const model = await this.graphModel(doc);
    if (uri.toString() !== this.uri?.toString()) return;
    const name = vscode.workspace.asRelativePath(uri);
    this.panel.title = `Graph: ${name.split('/').pop()}`;
    // A YAML syntax error still yields a partial model; drawing it would lose nodes, so the page keeps
    // the last good graph instead.
    const syntax = parseText(doc.getText()).diagnostics.find((d) => d.code === 'WF001' || d.code === 'WF004');
    if (!model.ok || syntax) {
      const why =
        syntax ?? vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error);
      this.post({
        type: 'parseError',
        uri: uri.toString(),
        message: why ? `Line ${why.range.start.line + 1}: ${why.message}` : 'The file cannot be read as a workflow.',
      });
      return;
    }
    this.model = model;
    const msg: GraphMessage = {
      type: 'graph',
      uri: uri.toString(),
      title: titleOf(doc.getText()) ?? name,
      layout: toLayout(model),
      colors: COLORS,
      marks: this.marks(uri, model),
    };
    if (this.changesMode) {
      const head = await headText(uri.fsPath);
      if (head.text === undefined) msg.changesNote = `No changes to show: ${head.note}.`;
      else {
        const diff = diffWorkflows(head.text, doc.getText());
        if ('error' in diff) msg.changesNote = `HEAD cannot be compared: ${diff.error}`;
        else msg.changes = { ...changeStatus(diff), base: 'HEAD' };
      }
    }
    this.post(msg);
  }

  /** From the server; from the core in this process while the server is not running. */
  private async graphModel(doc: vscode.TextDocument): Promise<GraphModel> {
    const client = this.server.client;
    if (client && this.server.running) {
      try {
        return await client.sendRequest(GraphRequest.type, { uri: doc.uri.toString(), layout: true });
      } catch (e) {
        log(`preview: the server's graph request failed (${(e as Error).message}); drawing from the core`);
      }
    }
    return localGraphModel(doc);
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

function titleOf(text: string): string | undefined {
  const m = /^title:\s*(.+?)\s*$/m.exec(text);
  return m ? m[1].replace(/^(["'])(.*)\1$/, '$2') : undefined;
}

/** The server's laid-out model as the page's layout (edge labels placed at the middle of the path). */
export function toLayout(m: GraphModel): Layout {
  const nodes = m.nodes.map((n) => ({
    key: n.key,
    label: n.label,
    type: n.type,
    entry: n.entry,
    x: n.position?.x ?? 0,
    y: n.position?.y ?? 0,
    width: n.size?.width ?? 140,
    height: n.size?.height ?? 48,
  }));
  const edges = m.edges.map((e) => {
    const points = e.points ?? [];
    const mid = midpoint(points);
    const w = e.label !== undefined ? textWidth(e.label, 6.4) + 8 : 0;
    return {
      from: e.from,
      to: e.to,
      index: e.index,
      points,
      ...(e.label !== undefined
        ? {
            label: e.label,
            // The layout's own box (placed clear of nodes and other labels); the midpoint only without one.
            ...(e.labelBox
              ? { labelBox: e.labelBox }
              : mid
                ? { labelBox: { x: Math.round(mid.x + 4), y: Math.round(mid.y - 8), width: w, height: 16 } }
                : {}),
          }
        : {}),
    };
  });
  const boxes = edges.flatMap((e) => (e.labelBox ? [e.labelBox] : []));
  const width =
    Math.max(
      0,
      ...nodes.map((n) => n.x + n.width),
      ...edges.flatMap((e) => e.points.map((p) => p.x)),
      ...boxes.map((b) => b.x + b.width),
    ) + PAD;
  const height =
    Math.max(
      0,
      ...nodes.map((n) => n.y + n.height),
      ...edges.flatMap((e) => e.points.map((p) => p.y)),
      ...boxes.map((b) => b.y + b.height),
    ) + PAD;
  return { width, height, nodes, edges, source: m.layout === 'positions' ? 'positions' : 'elk' };
}

function midpoint(points: { x: number; y: number }[]): { x: number; y: number } | undefined {
  if (points.length < 2) return undefined;
  const seg = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let half = seg.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < seg.length; i++) {
    if (half <= seg[i] && seg[i] > 0) {
      const t = half / seg[i];
      return {
        x: points[i].x + (points[i + 1].x - points[i].x) * t,
        y: points[i].y + (points[i + 1].y - points[i].y) * t,
      };
    }
    half -= seg[i];
  }
  return points[0];
}

/** The same model from the core, in this process (used only while the server is down). */
async function localGraphModel(doc: vscode.TextDocument): Promise<GraphModel> {
  const a = analyze(doc.getText());
  const uri = doc.uri.toString();
  if (!a.model)
    return {
      uri,
      version: doc.version,
      ok: false,
      nodes: [],
      edges: [],
      diagnostics: { error: 1, warning: 0, info: 0 },
    };
  const layout = await layoutGraph(layoutInputFromModel(a.model, a.graph));
  const pos = (o: number) => {
    const p = doc.positionAt(o);
    return { line: p.line, character: p.character };
  };
  const count = (ds: typeof a.diagnostics) => ({
    error: ds.filter((d) => d.severity === 'error').length,
    warning: ds.filter((d) => d.severity === 'warning').length,
    info: ds.filter((d) => d.severity === 'info').length,
  });
  const at = new Map(layout.nodes.map((n) => [n.key, n]));
  return {
    uri,
    version: doc.version,
    ok: true,
    entry: a.graph?.entry,
    layout: layout.source,
    diagnostics: count(a.diagnostics),
    nodes: a.model.nodes.map((n) => {
      const l = at.get(n.key)!;
      const range = { start: pos(n.span.start), end: pos(n.span.end) };
      const inside = a.diagnostics.filter(
        (d) => d.range.start.line >= range.start.line && d.range.start.line <= range.end.line,
      );
      return {
        key: n.key,
        type: l.type,
        label: l.label,
        entry: l.entry,
        position: { x: l.x, y: l.y },
        size: { width: l.width, height: l.height },
        diagnostics: count(inside),
        keyRange: { start: pos(n.keySpan.start), end: pos(n.keySpan.end) },
        range,
      };
    }),
    edges: layout.edges.map((e) => ({
      from: e.from,
      to: e.to,
      label: e.label,
      index: e.index,
      points: e.points,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    })),
  };
}
