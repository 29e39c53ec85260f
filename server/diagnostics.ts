// When diagnostics are computed and how they reach the client. Edits are coalesced (debounce,
// default 150 ms; `onSave` waits for a save); a pending run for an older version is dropped, and a
// pull request whose document changed (or that the client cancelled) answers "cancelled" so the
// client asks again. Pull (LSP 3.17 textDocument/diagnostic, workspace/diagnostic) when the client
// supports it, push otherwise; never both, or the Problems panel would list each problem twice.
// Nothing is sent, and no pull is answered, before `start()`: the server calls it once it has the
// client's settings and trust, so a result computed with defaults can never reach the client.
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type DocumentDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { DocumentStore } from './documents';
import { toLspDiagnostic } from './convert';
import { GraphChanged, type CallflowSettings } from '../protocol';
import type { TestHooks } from './test-hooks';
import { sendNotification } from './messages';

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per uri: when it last changed (for pull debounce) and the text last validated on save. */
  private readonly changedAt = new Map<string, number>();
  private readonly savedText = new Map<string, string>();
  /** Per uri: the resultId of the report last sent, and the state it was computed from. */
  private readonly results = new Map<string, { id: string; analysis: object | undefined }>();
  private seq = 0;
  pull = false;
  /** Until start(): uris waiting for their first run. */
  private waiting: Set<string> | undefined = new Set();
  private startGate!: () => void;
  private readonly started = new Promise<void>((resolve) => (this.startGate = resolve));

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly settings: () => CallflowSettings,
    private readonly hooks: TestHooks,
  ) {}

  /** Settings and trust are known: run what waited, answer parked pulls, and from now on run as scheduled. */
  start(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    this.startGate();
    for (const uri of waiting) this.schedule(uri, 0);
  }

  /** An open document changed: coalesce, then validate (push) or tell the client to pull. */
  changed(uri: string): void {
    this.changedAt.set(uri, Date.now());
    if (this.settings().validate.run === 'onSave') return;
    this.schedule(uri, this.settings().validate.debounceMs);
  }

  saved(uri: string): void {
    const text = this.store.text(uri);
    if (text !== undefined) this.savedText.set(uri, text);
    if (this.settings().validate.run === 'onSave') {
      this.schedule(uri, 0);
      if (this.pull) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
    }
  }

  opened(uri: string): void {
    const text = this.store.text(uri);
    if (text !== undefined) this.savedText.set(uri, text);
    this.schedule(uri, 0);
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.savedText.delete(uri);
    // Back to its disk text when it is part of the workspace, else cleared.
    if (this.store.disk.has(uri)) this.schedule(uri, 0);
    else {
      this.store.forget(uri);
      if (!this.pull && !this.waiting) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      this.waiting?.delete(uri);
    }
  }

  /** Something every file depends on changed (settings, online data, a leads CSV). */
  all(): void {
    if (this.waiting) return;
    if (this.pull) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
    for (const uri of this.store.uris()) this.schedule(uri, 0);
  }

  schedule(uri: string, delay: number): void {
    if (this.waiting) {
      this.waiting.add(uri);
      return;
    }
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        // A bug in a rule must cost one file's diagnostics, never the server.
        try {
          this.run(uri);
        } catch (e) {
          this.connection.console.error(`validation of ${uri} failed: ${(e as Error).stack ?? String(e)}`);
        }
      }, delay),
    );
  }

  /** Validate now; push the result (push mode) and tell the preview the graph changed. */
  private run(uri: string): void {
    const a = this.store.diagnosed(uri);
    if (!a) return;
    if (!this.pull)
      void this.connection.sendDiagnostics({
        uri,
        version: this.store.version(uri) ?? undefined,
        diagnostics: a.diagnostics.map((d) => toLspDiagnostic(d, uri)),
      });
    void sendNotification(this.connection, GraphChanged.type, { uri, version: this.store.version(uri) });
  }

  private report(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const a = this.store.diagnosed(uri);
    const last = this.results.get(uri);
    if (last && a && last.analysis === a && previousResultId === last.id)
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.id };
    const id = String(++this.seq);
    this.results.set(uri, { id, analysis: a });
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId: id,
      items: (a?.diagnostics ?? []).map((d) => toLspDiagnostic(d, uri)),
    };
  }

  /** textDocument/diagnostic: wait out the debounce since the last change, then answer. */
  async pullDocument(
    uri: string,
    previousResultId: string | undefined,
    token: CancellationToken,
  ): Promise<DocumentDiagnosticReport> {
    await this.started;
    const s = this.settings();
    const version = this.store.version(uri);
    if (s.validate.run === 'onType') {
      const wait = (this.changedAt.get(uri) ?? 0) + s.validate.debounceMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // Always yield once: a $/cancelRequest sent right behind the request is read before we answer.
    await new Promise((r) => setImmediate(r));
    // Tests park a request here (and are told so) to cancel it at a known point.
    await this.hooks.park('textDocument/diagnostic', uri, token);
    if (token.isCancellationRequested)
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
    if (this.store.version(uri) !== version)
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed', { retriggerRequest: true });
    if (
      s.validate.run === 'onSave' &&
      this.store.isOpen(uri) &&
      this.savedText.has(uri) &&
      this.savedText.get(uri) !== this.store.text(uri)
    ) {
      const last = this.results.get(uri);
      if (last && previousResultId === last.id)
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.id };
    }
    return this.report(uri, previousResultId);
  }

  /** workspace/diagnostic: every indexed file that is not open (open ones are pulled per document). */
  async pullWorkspace(
    previous: { uri: string; value: string }[],
    token: CancellationToken,
  ): Promise<WorkspaceDocumentDiagnosticReport[]> {
    await this.started;
    const prev = new Map(previous.map((p) => [p.uri, p.value]));
    const out: WorkspaceDocumentDiagnosticReport[] = [];
    let n = 0;
    for (const uri of this.store.uris()) {
      if (this.store.isOpen(uri)) continue;
      // Yield now and then so a long scan of a big repository stays cancellable.
      if (++n % 20 === 0) await new Promise((r) => setImmediate(r));
      if (token.isCancellationRequested)
        throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
      const r = this.report(uri, prev.get(uri));
      out.push({ ...r, uri, version: null } as WorkspaceDocumentDiagnosticReport);
    }
    return out;
  }
}
