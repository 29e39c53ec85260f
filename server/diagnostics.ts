// When diagnostics are computed and how they reach the client. Edits are coalesced (debounce,
// default 150 ms; `onSave` waits for a save); a pending run for an older version is dropped, and a
// pull request whose document changed (or that the client cancelled) answers "cancelled" so the
// client asks again. Pull (LSP 3.17 textDocument/diagnostic, workspace/diagnostic) when the client
// supports it, push otherwise; never both, or the Problems panel would list each problem twice.
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

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per uri: when it last changed (for pull debounce) and the text last validated on save. */
  private readonly changedAt = new Map<string, number>();
  private readonly savedText = new Map<string, string>();
  /** Per uri: the resultId of the report last sent, and the state it was computed from. */
  private readonly results = new Map<string, { id: string; analysis: object | undefined }>();
  private seq = 0;
  pull = false;

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly settings: () => CallflowSettings,
  ) {}

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
      if (!this.pull) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  /** Something every file depends on changed (settings, online data, a leads CSV). */
  all(): void {
    if (this.pull) void this.connection.languages.diagnostics.refresh().catch(() => undefined);
    for (const uri of this.store.uris()) this.schedule(uri, 0);
  }

  schedule(uri: string, delay: number): void {
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
    const a = this.store.analysis(uri);
    if (!a) return;
    if (!this.pull)
      void this.connection.sendDiagnostics({
        uri,
        version: this.store.version(uri) ?? undefined,
        diagnostics: a.diagnostics.map((d) => toLspDiagnostic(d, uri)),
      });
    void this.connection.sendNotification(GraphChanged.type, { uri, version: this.store.version(uri) });
  }

  private report(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const a = this.store.analysis(uri);
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
    const s = this.settings();
    const version = this.store.version(uri);
    if (s.validate.run === 'onType') {
      const wait = (this.changedAt.get(uri) ?? 0) + s.validate.debounceMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // Always yield once: a $/cancelRequest sent right behind the request is read before we answer.
    await new Promise((r) => setImmediate(r));
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
