// The one rules engine: text in, diagnostics out. The editor, the CLI, push and the emulator all call this.
import { compareDiagnostics, type Diagnostic } from './diagnostic';
import { buildGraph, patchGraph, type Graph } from './graph';
import { buildModel, type NodeReuse, type WorkflowModel } from './model';
import type { ValidateOptions } from './options';
import { parseText, type ParsedText } from './parse';
import { RULES } from './rules';
import type { RuleContext } from './rules/context';
import { checkSchema } from './schema-check';
import { escapeControls, hasControls } from './strings';
import { applySuppressions } from './suppress';

export interface Analysis {
  parsed: ParsedText;
  model?: WorkflowModel;
  graph?: Graph;
  diagnostics: Diagnostic[];
  /** The schema check found nothing in the whole data (an incremental pass may then check one node). */
  schemaValid?: boolean;
}

export function analyze(text: string, options: ValidateOptions = {}): Analysis {
  return analyzeParsed(parseText(text), options);
}

/**
 * What an earlier analysis of the same tree lets this one skip (core/incremental.ts): the whole
 * model and graph when the tree did not change, or the declarations of untouched nodes. The
 * result must be exactly what building them afresh would give.
 */
export interface Reuse {
  model?: WorkflowModel;
  graph?: Graph;
  nodes?: NodeReuse;
  /**
   * The analysis of the document before the edit, whose untouched node declarations `nodes` hands
   * back (the same objects). Its graph is then patched in place when the edit left the structure
   * alone (core/graph.ts patchGraph), and the per-node checks skip the declarations they found
   * quiet before (core/rules/memo.ts). It must not be used after this call.
   */
  prev?: Analysis;
  /**
   * The previous data passed the schema and, apart from the entry `changedNode` of `nodes` (none
   * when the text is unchanged), holds the same values. The schema constrains each node entry on
   * its own (`nodes` itself only needs one entry), so the whole data then passes exactly when the
   * top level with that one node does; otherwise the full check runs for its diagnostics.
   * `changedNodes` names several entries the same way (an edit of several blocks, or of the top
   * level only: an empty list, then the first node stands for `nodes`).
   */
  schemaValidBefore?: { changedNode?: string; changedNodes?: string[] };
}

export function analyzeParsed(parsed: ParsedText, options: ValidateOptions = {}, reuse: Reuse = {}): Analysis {
  const out: Diagnostic[] = [...parsed.diagnostics];
  if (!parsed.doc) return finish(parsed, out, options);
  const model = reuse.model ?? buildModel(parsed.doc, parsed.text, reuse.nodes);
  const prev = reuse.prev;
  const graph =
    (reuse.model && reuse.graph) ||
    (prev?.graph && prev.model && patchGraph(prev.graph, prev.model, model)) ||
    buildGraph(model);
  let schemaValid: boolean | undefined;
  if (parsed.data !== undefined) {
    const found = schemaCheck(parsed, options, reuse.schemaValidBefore);
    // checkSchema says nothing on a tree with syntax errors: that is no proof the data passes.
    schemaValid = found.length === 0 && parsed.diagnostics.length === 0;
    out.push(...found);
  }
  const ctx: RuleContext = {
    text: parsed.text,
    lines: parsed.lines,
    doc: parsed.doc,
    data: parsed.data,
    model,
    graph,
    options,
  };
  for (const rule of RULES) out.push(...rule(ctx));
  return { ...finish(parsed, out, options), model, graph, schemaValid };
}

/** checkSchema, answered from the previous result and one node when that is enough (see Reuse). */
function schemaCheck(parsed: ParsedText, options: ValidateOptions, before: Reuse['schemaValidBefore']): Diagnostic[] {
  if (before && parsed.diagnostics.length === 0) {
    const changed = before.changedNodes ?? (before.changedNode === undefined ? undefined : [before.changedNode]);
    if (changed === undefined) return [];
    const data = parsed.data as Record<string, unknown> | null;
    const nodes = data?.nodes as Record<string, unknown> | undefined;
    if (data && typeof data === 'object' && nodes && typeof nodes === 'object' && !Array.isArray(nodes)) {
      const has = (k: string) => Object.prototype.hasOwnProperty.call(nodes, k);
      const some: Record<string, unknown> = {};
      for (const k of changed) if (has(k)) some[k] = nodes[k];
      if (Object.keys(some).length === 0)
        for (const k in nodes) {
          some[k] = nodes[k];
          break;
        }
      if (checkSchema({ ...parsed, data: { ...data, nodes: some } }, options).length === 0) return [];
    }
  }
  return checkSchema(parsed, options);
}

function finish(parsed: ParsedText, all: Diagnostic[], options: ValidateOptions): Analysis {
  let list = all;
  if (options.only) list = list.filter((d) => options.only!.has(d.code));
  const overrides = options.severityOverrides ?? {};
  list = list.flatMap((d) => {
    const o = overrides[d.code];
    if (o === 'off') return [];
    return o ? [{ ...d, severity: o }] : [d];
  });
  list = applySuppressions(parsed.text, parsed.lines, list).map(withSafeText);
  return { parsed, diagnostics: dedupe(list.sort(compareDiagnostics)) };
}

/**
 * The last guard against file text that would act on a terminal or a CI log: messages quote file
 * strings (core/strings.ts quote), and whatever control character still reaches a message, a related
 * message or a fix title is escaped here, so no report format can print one raw.
 */
function withSafeText(d: Diagnostic): Diagnostic {
  const unsafe =
    hasControls(d.message) ||
    d.related?.some((r) => hasControls(r.message)) ||
    d.fixes?.some((f) => hasControls(f.title));
  if (!unsafe) return d;
  const out: Diagnostic = { ...d, message: escapeControls(d.message) };
  if (d.related) out.related = d.related.map((r) => ({ ...r, message: escapeControls(r.message) }));
  if (d.fixes) out.fixes = d.fixes.map((f) => ({ ...f, title: escapeControls(f.title) }));
  return out;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.code}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function validate(text: string, options: ValidateOptions = {}): Diagnostic[] {
  return analyze(text, options).diagnostics;
}
