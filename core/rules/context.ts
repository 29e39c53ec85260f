// What a rule family is given and what it returns. Its own module so the engine (core/validate.ts)
// and the families import it without importing each other.
import type { Document } from 'yaml';
import type { Diagnostic } from '../diagnostic';
import type { Graph } from '../graph';
import type { WorkflowModel } from '../model';
import type { ValidateOptions } from '../options';
import type { LineIndex } from '../text';

export interface RuleContext {
  text: string;
  lines: LineIndex;
  doc: Document.Parsed;
  /** The document as plain data; undefined when aliases made it unsafe to expand. */
  data: unknown;
  model: WorkflowModel;
  graph: Graph;
  options: ValidateOptions;
}

/** A rule family: every diagnostic of its codes (core/rules/catalogue.ts) for one document. */
export type Rule = (ctx: RuleContext) => Diagnostic[];
