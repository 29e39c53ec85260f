// Hover text: field docs from the JSON Schema, a node reference's type/label/edges, a variable's
// origins, an edge label's meaning, and the rule summary of a diagnostic under the cursor.
import type { Diagnostic, Span } from './diagnostic';
import { ruleDocUrl } from './diagnostic';
import { targetAt } from './document-index';
import { ruleInfo } from './rules/catalogue';
import { CONFIG_DEFINITION, isNodeType } from './vocabulary';
import type { ValidateOptions } from './options';
import { OUTCOME_DESCRIPTIONS } from './outcomes';
import WORKFLOW_SCHEMA from '../schemas/workflow.schema.json';
import { describeVariable, knownVariables, RESERVED_VARIABLE } from './variables';
import type { Analysis } from './validate';

type Schema = {
  [k: string]: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
};

const ROOT = WORKFLOW_SCHEMA as Schema;

function deref(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 8; i++) {
    const name = cur.$ref.replace(/^#\/(definitions|\$defs)\//, '');
    cur = ((ROOT.definitions ?? ROOT.$defs) as Record<string, Schema> | undefined)?.[name];
  }
  return cur;
}

/** The sub-schema of a field path, knowing the node's type for `config`. */
export function schemaAt(path: readonly (string | number)[], nodeType?: string): Schema | undefined {
  let s: Schema | undefined = ROOT;
  for (let i = 0; i < path.length && s; i++) {
    const seg = path[i];
    if (i === 1 && path[0] === 'nodes') {
      s = deref((ROOT.definitions as Record<string, Schema>).node);
      continue;
    }
    if (path[0] === 'nodes' && i === 2 && seg === 'config') {
      const def = isNodeType(nodeType) ? CONFIG_DEFINITION[nodeType] : undefined;
      s = def ? deref((ROOT.definitions as Record<string, Schema>)[def]) : deref(s.properties?.config);
      continue;
    }
    if (typeof seg === 'number') {
      s = deref(s.items);
      continue;
    }
    s = deref(s.properties?.[seg]);
  }
  return s;
}

/** The config keys a node type takes, with their one-line descriptions. */
export function configKeys(nodeType: string): { key: string; description?: string }[] {
  const s = schemaAt(['nodes', '_', 'config'], nodeType);
  return Object.entries(s?.properties ?? {}).map(([key, v]) => ({ key, description: deref(v)?.description }));
}

/** The fields a schema object accepts (e.g. a node's `type`, `label`, …). */
export function fieldsAt(
  path: readonly (string | number)[],
  nodeType?: string,
): { key: string; description?: string }[] {
  const s = schemaAt(path, nodeType);
  return Object.entries(s?.properties ?? {}).map(([key, v]) => ({ key, description: deref(v)?.description }));
}

export interface HoverResult {
  markdown: string;
  span: Span;
}

export function hover(a: Analysis, offset: number, options: ValidateOptions = {}): HoverResult | undefined {
  const parts: string[] = [];
  let span: Span | undefined;
  const t = targetAt(a, offset);
  const model = a.model;
  if (t && model) {
    span = t.span;
    if (t.kind === 'nodeKey' || t.kind === 'nodeRef') {
      const n = model.nodeByKey.get(t.key);
      if (!n) parts.push(`**${t.key}**: no node has this key`);
      else {
        parts.push(`**${n.key}**: \`${n.type?.value ?? '?'}\`${n.label ? ` — ${n.label.value}` : ''}`);
        const edges = n.next.map(
          (e) => `- ${e.on ? `\`${e.on.value}\`` : '(any outcome)'} → \`${e.to?.value ?? '?'}\``,
        );
        if (edges.length) parts.push(edges.join('\n'));
        const incoming = model.nodes
          .filter((m) => m.next.some((e) => e.to?.value === n.key))
          .map((m) => `\`${m.key}\``);
        parts.push(incoming.length ? `Reached from ${incoming.join(', ')}` : 'No incoming edge');
      }
    } else if (t.kind === 'variable') {
      const known = knownVariables(model, options);
      const list = known.byName.get(t.name);
      if (t.name === RESERVED_VARIABLE)
        parts.push(`**${t.name}**: reserved, it is the number dialled, never a variable`);
      else
        parts.push(
          `**{{${t.name}}}**: ${list ? describeVariable(list) : known.complete ? 'not a known variable' : 'not declared (the leads file could not be read)'}`,
        );
    } else if (t.kind === 'label') {
      parts.push(`**${t.label}**: ${OUTCOME_DESCRIPTIONS[t.label] ?? 'an outcome label'}`);
    } else if (t.kind === 'type') {
      const s = schemaAt(['nodes', '_', 'type']);
      const i = s?.enum?.indexOf(t.value) ?? -1;
      parts.push(`**${t.value}**: ${i >= 0 && s?.enumDescriptions ? s.enumDescriptions[i] : 'unknown node type'}`);
    } else if (t.kind === 'field') {
      const path = t.path;
      const nodeType =
        path[0] === 'nodes' && typeof path[1] === 'string' ? model.nodeByKey.get(path[1])?.type?.value : undefined;
      const s = schemaAt(path, nodeType);
      const doc = s?.markdownDescription ?? s?.description;
      if (doc) parts.push(`**${String(path[path.length - 1])}**: ${doc}`);
    }
  }
  for (const d of diagnosticsAt(a.diagnostics, a, offset)) {
    const summary = ruleInfo(d.code)?.summary;
    parts.push(
      `**${d.code}** (${d.severity})${summary ? `: ${summary}` : ''}. ${d.message} — [rule page](${ruleDocUrl(d.code)})`,
    );
    if (!span) span = { start: a.parsed.lines.offset(d.range.start), end: a.parsed.lines.offset(d.range.end) };
  }
  if (!parts.length || !span) return undefined;
  return { markdown: parts.join('\n\n'), span };
}

function diagnosticsAt(list: Diagnostic[], a: Analysis, offset: number): Diagnostic[] {
  return list.filter(
    (d) => a.parsed.lines.offset(d.range.start) <= offset && offset <= a.parsed.lines.offset(d.range.end),
  );
}
