// Completion from the text around the cursor (so it works while the line does not parse yet) and
// the last analysis: node keys after `to:`/`entry:`, node types, `on:` labels valid for the node,
// fields and config keys, variables after `{{` with their origin, agents and phone numbers from
// the online cache, snippets for each node type and a new-workflow skeleton.
import { enclosingNodeKey } from './document-index';
import { configKeys, fieldsAt } from './hover';
import { NODE_TYPES } from './vocabulary';
import type { ValidateOptions } from './options';
import { labelsFor, OUTCOME_DESCRIPTIONS } from './outcomes';
import { describeVariable, knownVariables } from './variables';
import type { Analysis } from './validate';

/** LSP CompletionItemKind numbers used here. */
const K = { Field: 5, Variable: 6, Class: 7, Value: 12, Enum: 13, EnumMember: 20, Snippet: 15, Reference: 18 } as const;

export interface CompletionEntry {
  label: string;
  kind: number;
  detail?: string;
  documentation?: string;
  /** Text inserted; a snippet (LSP insertTextFormat 2) when `snippet` is set. */
  insertText?: string;
  snippet?: boolean;
  /** Replace this many characters before the cursor (the word typed so far). */
  replaceBefore?: number;
}

const NODE_SNIPPETS: Record<string, string> = {
  VOICE_CALL:
    'type: VOICE_CALL\n  label: ${2:Call}\n  config:\n    agent_id: ${3:agt_}\n    from_phone_number: "${4:+}"\n  next:\n    - on: COMPLETED\n      to: ${5}\n    - to: ${6}',
  TIME: 'type: TIME\n  config: { delay_hours: ${2:24} }\n  next:\n    - to: ${3}',
  CONDITIONAL:
    'type: CONDITIONAL\n  config:\n    logic: AND\n    conditions:\n      - { field: ${2}, operator: ${3:equals}, value: ${4} }\n  next:\n    - on: "true"\n      to: ${5}\n    - on: "false"\n      to: ${6}',
  APPLICATION:
    'type: APPLICATION\n  config:\n    provider_key: ${2}\n    adapter_key: ${3}\n    action_key: ${4}\n  next:\n    - on: success\n      to: ${5}\n    - on: failure\n      to: ${6}',
  CONVERTED: 'type: CONVERTED',
  DROPPED: 'type: DROPPED',
};

const SKELETON =
  'version: 1\ntitle: ${1:My workflow}\nvariables: [${2:customer_name}]\n\nnodes:\n  ${3:first_call}:\n    type: VOICE_CALL\n    config:\n      agent_id: ${4:agt_}\n      from_phone_number: "${5:+}"\n    next:\n      - on: COMPLETED\n        to: converted\n      - to: dropped\n\n  converted: { type: CONVERTED }\n  dropped: { type: DROPPED }\n';

export function complete(a: Analysis, offset: number, options: ValidateOptions = {}): CompletionEntry[] {
  const text = a.parsed.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const model = a.model;
  const nodeKeys = model
    ? model.nodes.map((n) => n.key)
    : [...text.matchAll(/^ {2}([a-z][a-z0-9_]*):/gm)].map((m) => m[1]);

  if (text.trim() === '')
    return [{ label: 'workflow', kind: K.Snippet, detail: 'a new workflow file', insertText: SKELETON, snippet: true }];

  // {{ variable
  const open = before.lastIndexOf('{{');
  if (open >= 0 && before.indexOf('}}', open) < 0) {
    const typed = before.slice(open + 2).trimStart();
    if (/^[A-Za-z0-9_]*$/.test(typed) && model) {
      const known = knownVariables(model, options);
      return known.names().map((name) => ({
        label: name,
        kind: K.Variable,
        detail: describeVariable(known.byName.get(name)!),
        replaceBefore: typed.length,
      }));
    }
  }

  let m = /^(\s*(?:-\s+)?(?:to|entry)\s*:\s*)([a-z0-9_]*)$/.exec(before);
  if (m) {
    const here = enclosingNodeKey(text, offset);
    return nodeKeys
      .filter((k) => k !== here || /entry/.test(m![1]))
      .map((k) => {
        const n = model?.nodeByKey.get(k);
        return {
          label: k,
          kind: K.Reference,
          detail: [n?.type?.value, n?.label?.value].filter(Boolean).join(' · ') || undefined,
          replaceBefore: m![2].length,
        };
      });
  }
  m = /^(\s*(?:-\s+)?on\s*:\s*)(["']?)([A-Za-z0-9_]*)$/.exec(before);
  if (m) {
    const key = enclosingNodeKey(text, offset);
    const n = key ? model?.nodeByKey.get(key) : undefined;
    const labels = labelsFor(n?.type?.value, n?.config?.value);
    return labels.map((l) => ({
      label: l,
      kind: K.EnumMember,
      detail: OUTCOME_DESCRIPTIONS[l],
      insertText: /^(true|false)$/.test(l) && !m![2] ? `"${l}"` : l,
      replaceBefore: m![3].length,
    }));
  }
  m = /^(\s*type\s*:\s*)([A-Z_]*)$/.exec(before);
  if (m) return NODE_TYPES.map((t) => ({ label: t, kind: K.Enum, replaceBefore: m![2].length }));
  m = /^(\s*agent_id\s*:\s*)(\S*)$/.exec(before);
  if (m)
    return [...(options.online?.agents.values() ?? [])].map((ag) => ({
      label: ag.id,
      kind: K.Value,
      detail: `${ag.name ?? ''}${ag.published ? '' : ' (not published)'}`.trim() || undefined,
      replaceBefore: m![2].length,
    }));
  m = /^(\s*from_phone_number\s*:\s*)(\S*)$/.exec(before);
  if (m)
    return [...(options.online?.phoneNumbers.entries() ?? [])].map(([num, status]) => ({
      label: num,
      kind: K.Value,
      detail: status,
      insertText: `"${num}"`,
      replaceBefore: m![2].length,
    }));

  // A key being typed: which mapping is it in? Decide from the indentation.
  m = /^( *)([A-Za-z_]*)$/.exec(before);
  if (m) {
    const indent = m[1].length;
    const typed = m[2].length;
    const key = enclosingNodeKey(text, offset);
    if (indent === 0)
      return fieldsAt([]).map((f) => ({
        label: f.key,
        kind: K.Field,
        detail: f.description,
        insertText: `${f.key}: `,
        replaceBefore: typed,
      }));
    if (key) {
      const n = model?.nodeByKey.get(key);
      const nodeIndent =
        (text.slice(0, offset).match(new RegExp(`\\n( *)${key}\\s*:[^\\n]*$`, 'm')) ?? [])[1]?.length ?? 2;
      if (indent === nodeIndent) {
        return Object.entries(NODE_SNIPPETS).map(([t, body]) => ({
          label: `node: ${t}`,
          kind: K.Snippet,
          detail: `a new ${t} node`,
          insertText: `\${1:new_node}:\n  ${body.replace(/\n/g, '\n  ')}`.replace(/\n/g, `\n${' '.repeat(indent)}`),
          snippet: true,
          replaceBefore: typed,
        }));
      }
      if (indent === nodeIndent + 2)
        return fieldsAt(['nodes', key]).map((f) => ({
          label: f.key,
          kind: K.Field,
          detail: f.description,
          insertText: `${f.key}: `,
          replaceBefore: typed,
        }));
      if (indent === nodeIndent + 4 && n?.type)
        return configKeys(n.type.value).map((f) => ({
          label: f.key,
          kind: K.Field,
          detail: f.description,
          insertText: `${f.key}: `,
          replaceBefore: typed,
        }));
    }
  }
  return [];
}

export { NODE_SNIPPETS, SKELETON };
