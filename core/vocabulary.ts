// The words of the workflow format: node types, field names per place, condition operators. Read
// from schemas/workflow.schema.json wherever the schema states them, so a field added there is
// known everywhere (typo detection, the "one mistake, one diagnostic" skips, messages).
import WORKFLOW_SCHEMA from '../schemas/workflow.schema.json';
import type { NodeDecl } from './model';

interface SchemaObject {
  properties?: Record<string, SchemaObject>;
  enum?: unknown[];
}
const ROOT = WORKFLOW_SCHEMA as unknown as SchemaObject & { definitions: Record<string, SchemaObject> };
const DEFS = ROOT.definitions;
const fieldsOf = (s: SchemaObject | undefined): string[] => Object.keys(s?.properties ?? {});

/**
 * The six node types. Written out (not read) so TypeScript knows them as literals; a test checks
 * they are exactly the schema's `type` enum.
 */
export const NODE_TYPES = ['VOICE_CALL', 'TIME', 'CONDITIONAL', 'APPLICATION', 'CONVERTED', 'DROPPED'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const TERMINAL_TYPES: ReadonlySet<string> = new Set(['CONVERTED', 'DROPPED']);
const TYPE_SET: ReadonlySet<string> = new Set(NODE_TYPES);

/** The schema definition that describes each node type's `config`. */
export const CONFIG_DEFINITION: Readonly<Record<NodeType, string>> = {
  VOICE_CALL: 'voiceCallConfig',
  TIME: 'timeConfig',
  CONDITIONAL: 'conditionalConfig',
  APPLICATION: 'applicationConfig',
  CONVERTED: 'terminalConfig',
  DROPPED: 'terminalConfig',
};

/** Top-level fields, in the schema's (and the canonical form's) order. */
export const TOP_FIELDS: readonly string[] = fieldsOf(ROOT);
export const SETTINGS_FIELDS: readonly string[] = fieldsOf(ROOT.properties?.settings);
export const NODE_FIELDS: readonly string[] = fieldsOf(DEFS.node);
export const EDGE_FIELDS: readonly string[] = fieldsOf(DEFS.edge);
export const POSITION_FIELDS: readonly string[] = fieldsOf(DEFS.node.properties?.position);
export const CONDITION_FIELDS: readonly string[] = fieldsOf(DEFS.condition);

/** The `config` keys each node type takes. */
export const CONFIG_FIELDS: Readonly<Record<NodeType, readonly string[]>> = Object.fromEntries(
  NODE_TYPES.map((t) => [t, fieldsOf(DEFS[CONFIG_DEFINITION[t]])]),
) as unknown as Record<NodeType, readonly string[]>;

/** A condition's operators (`equals`, `greater_than`, …). */
export const OPERATORS: readonly string[] = (DEFS.condition.properties?.operator?.enum ?? []) as string[];

/** Every field name of the format, wherever it appears: never a misspelling of another one. */
export const FORMAT_FIELDS: ReadonlySet<string> = new Set([
  ...TOP_FIELDS,
  ...SETTINGS_FIELDS,
  ...NODE_FIELDS,
  ...EDGE_FIELDS,
  ...POSITION_FIELDS,
  ...CONDITION_FIELDS,
  ...Object.values(CONFIG_FIELDS).flat(),
]);

export const TOP_FIELD_SET: ReadonlySet<string> = new Set(TOP_FIELDS);
export const NODE_FIELD_SET: ReadonlySet<string> = new Set(NODE_FIELDS);

export function isNodeType(t: string | undefined): t is NodeType {
  return t !== undefined && TYPE_SET.has(t);
}

/** The node's type when it is one of the six; undefined otherwise (WF002 reports it; type rules skip the node). */
export function knownType(n: NodeDecl): NodeType | undefined {
  const t = n.type?.value;
  return isNodeType(t) ? t : undefined;
}
