// Every workflow file the server knows: open documents (their editor text) and the workspace index
// (files on disk, kept current by file watching). Each has its latest analysis, brought up to date
// on demand through core/incremental (a one-node edit re-parses that node only). A file that is
// not open keeps only what its diagnostics need (no YAML tree, model or graph): the workspace
// index may hold thousands of files, and an edit only ever reuses the tree of an open one.
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeIncremental, reanalyze, type IncrementalAnalysis } from '../core/incremental';
import type { ValidateOptions } from '../core/options';
import { leadsPathFromText, leadsRoot, LeadsReader } from '../platform/workspace-files';
import type { OnlineCache } from './online';
import type { CallflowSettings } from '../protocol';
import { uriToPath } from './workspace';

interface Cached {
  text: string;
  optionsVersion: number;
  analysis: IncrementalAnalysis;
  at: number;
  /** The analysis holds diagnostics only (a file that is not open); never the base of an incremental step. */
  light?: boolean;
}

/** What a file that is not open keeps of its analysis: its diagnostics (the text is in `disk`). */
function lighten(a: IncrementalAnalysis): IncrementalAnalysis {
  return {
    parsed: {
      text: a.parsed.text,
      lines: a.parsed.lines,
      doc: null,
      data: undefined,
      diagnostics: a.parsed.diagnostics,
    },
    diagnostics: a.diagnostics,
    mode: a.mode,
    reason: a.reason,
    splicable: false,
  };
}

export class DocumentStore {
  readonly open = new TextDocuments(TextDocument);
  /** Workspace files that are not open: uri → text on disk. */
  readonly disk = new Map<string, string>();
  private readonly cache = new Map<string, Cached>();
  /** Leads headers, read confined and bounded (platform/workspace-files.ts, as the CLI reads them). */
  private readonly leads = new LeadsReader();
  /** Bumped when anything outside the text that the rules read changes (settings, online data, a CSV). */
  optionsVersion = 0;
  /** Timing of the last analysis per uri, for the benchmark and the log. */
  readonly lastRun = new Map<string, { ms: number; mode: string; reason?: string }>();

  constructor(
    private readonly settings: () => CallflowSettings,
    private readonly online: OnlineCache,
    /** The workspace folders on disk: a `leads:` path stays inside the one holding its file. */
    private readonly folders: () => readonly string[] = () => [],
  ) {}

  text(uri: string): string | undefined {
    return this.open.get(uri)?.getText() ?? this.disk.get(uri);
  }
  version(uri: string): number | null {
    return this.open.get(uri)?.version ?? null;
  }
  uris(): string[] {
    return [...new Set([...this.disk.keys(), ...this.open.keys()])];
  }
  isOpen(uri: string): boolean {
    return !!this.open.get(uri);
  }

  /** The analysis of the file's current text (incremental from the previous one when possible). */
  analysis(uri: string): IncrementalAnalysis | undefined {
    const text = this.text(uri);
    if (text === undefined) return undefined;
    const prev = this.cache.get(uri);
    if (prev && !prev.light && prev.text === text && prev.optionsVersion === this.optionsVersion) return prev.analysis;
    const options = this.options(uri, text);
    const t0 = performance.now();
    const base = prev && !prev.light ? prev.analysis : undefined;
    const analysis = base ? reanalyze(base, text, options) : analyzeIncremental(text, options);
    this.lastRun.set(uri, { ms: performance.now() - t0, mode: analysis.mode, reason: analysis.reason });
    const open = this.isOpen(uri);
    this.cache.set(uri, {
      text,
      optionsVersion: this.optionsVersion,
      analysis: open ? analysis : lighten(analysis),
      at: Date.now(),
      light: !open,
    });
    return analysis;
  }

  /**
   * The analysis its diagnostics come from: the full one of an open file, the light one (diagnostics
   * only, the same object until the file or the options change) of a file that is not open.
   */
  diagnosed(uri: string): IncrementalAnalysis | undefined {
    if (this.isOpen(uri)) return this.analysis(uri);
    const text = this.text(uri);
    if (text === undefined) return undefined;
    const prev = this.cache.get(uri);
    if (prev && prev.text === text && prev.optionsVersion === this.optionsVersion) {
      if (!prev.light) this.cache.set(uri, { ...prev, analysis: lighten(prev.analysis), light: true });
      return this.cache.get(uri)!.analysis;
    }
    this.analysis(uri);
    return this.cache.get(uri)?.analysis;
  }

  /** Drops a file's cached analysis (closed and not in the workspace). */
  forget(uri: string): void {
    this.cache.delete(uri);
    this.lastRun.delete(uri);
  }

  /** What the rules need beyond the text: leads columns, online data, overrides, the limit. */
  options(uri: string, text: string): ValidateOptions {
    const s = this.settings();
    const file = uriToPath(uri);
    const options: ValidateOptions = { severityOverrides: s.rules.severity };
    if (s.workspaceLimit) options.workspaceLimit = s.workspaceLimit;
    if (!file) return options;
    this.addLeads(options, file, text);
    const target = this.online.targetFor(file, uri);
    if (target) {
      if (!options.workspaceLimit && target.maxConcurrentCalls) options.workspaceLimit = target.maxConcurrentCalls;
      const data = this.online.get(file, uri);
      if (data) options.online = data;
    }
    return options;
  }

  /** What a push validates with, as the CLI does: offline rules, the leads file, the target's limit. */
  pushOptions(uri: string, text: string, workspaceLimit?: number): ValidateOptions {
    const options: ValidateOptions = {};
    if (workspaceLimit !== undefined) options.workspaceLimit = workspaceLimit;
    const file = uriToPath(uri);
    if (file) this.addLeads(options, file, text);
    return options;
  }

  /** The leads header, read only through platform/workspace-files.ts (inside the root, bounded). */
  private addLeads(options: ValidateOptions, file: string, text: string): void {
    const leadsPath = leadsPathFromText(text);
    if (leadsPath)
      options.leads = this.leads.read(file, leadsPath, leadsRoot(file, { workspaceFolders: this.folders() }));
  }

  /** A CSV changed on disk: forget its header and re-check every file. */
  leadsChanged(): void {
    this.leads.clear();
    this.optionsVersion++;
  }
}
