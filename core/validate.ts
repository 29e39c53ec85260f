// The one rules engine: text in, diagnostics out. The editor, the CLI, push and the emulator all call this.
import { compareDiagnostics, type Diagnostic } from './diagnostic';
import { buildGraph, type Graph } from './graph';
import { buildModel, type NodeReuse, type WorkflowModel } from './model';
import type { ValidateOptions } from './options';
import { parseText, type ParsedText } from './parse';
import { RULES } from './rules';
import type { RuleContext } from './rules/context';
import { checkSchema } from './schema-check';
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
   * The previous data passed the schema and, apart from the entry `changedNode` of `nodes` (none
   * when the text is unchanged), holds the same values. The schema constrains each node entry on
   * its own (`nodes` itself only needs one entry), so the whole data then passes exactly when the
   * top level with that one node does; otherwise the full check runs for its diagnostics.
   */
  schemaValidBefore?: { changedNode?: string };
}

export function analyzeParsed(parsed: ParsedText, options: ValidateOptions = {}, reuse: Reuse = {}): Analysis {
  const out: Diagnostic[] = [...parsed.diagnostics];
  if (!parsed.doc) return finish(parsed, out, options);
  const model = reuse.model ?? buildModel(parsed.doc, parsed.text, reuse.nodes);
  const graph = (reuse.model && reuse.graph) || buildGraph(model);
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
    if (before.changedNode === undefined) return [];
    const data = parsed.data as Record<string, unknown> | null;
    const nodes = data?.nodes as Record<string, unknown> | undefined;
    if (nodes && typeof nodes === 'object' && Object.prototype.hasOwnProperty.call(nodes, before.changedNode)) {
      const one: Record<string, unknown> = {};
      one[before.changedNode] = nodes[before.changedNode];
      if (checkSchema({ ...parsed, data: { ...data, nodes: one } }, options).length === 0) return [];
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
  list = applySuppressions(parsed.text, parsed.lines, list);
  return { parsed, diagnostics: dedupe(list.sort(compareDiagnostics)) };
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
