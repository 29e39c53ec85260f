// Rename a node key (its key, every `to:` and `entry:`) or a variable (its declaration and every
// template using it). Returns edits in offsets; the caller turns them into its own edit shape.
import type { Span } from './diagnostic';
import { NODE_KEY_PATTERN, VARIABLE_PATTERN } from './document-index';
import { occurrencesAt } from './navigation';
import { BUILTIN_VARIABLES } from './options';
import { RESERVED_VARIABLE } from './variables';
import type { Analysis } from './validate';

export type PrepareResult = { span: Span; placeholder: string } | { error: string };
export type RenameResult = { edits: { span: Span; newText: string }[] } | { error: string };

export function prepareRename(a: Analysis, offset: number): PrepareResult {
  const occ = occurrencesAt(a, offset);
  if (!occ) return { error: 'only node keys and variables can be renamed' };
  if (occ.kind === 'variable' && BUILTIN_VARIABLES.includes(occ.name))
    return { error: `"${occ.name}" is a built-in variable and cannot be renamed` };
  const here = occ.list.find((o) => o.span.start <= offset && offset <= o.span.end);
  if (!here) return { error: 'nothing to rename here' };
  return { span: here.span, placeholder: occ.name };
}

export function rename(a: Analysis, offset: number, newName: string): RenameResult {
  const occ = occurrencesAt(a, offset);
  if (!occ || !a.model) return { error: 'only node keys and variables can be renamed' };
  if (newName === occ.name) return { edits: [] };
  if (occ.kind === 'node') {
    if (!NODE_KEY_PATTERN.test(newName))
      return {
        error: `"${newName}" is not a valid node key: use lower-case letters, digits and _, starting with a letter`,
      };
    if (a.model.nodeByKey.has(newName)) return { error: `a node "${newName}" already exists` };
  } else {
    if (BUILTIN_VARIABLES.includes(occ.name))
      return { error: `"${occ.name}" is a built-in variable and cannot be renamed` };
    if (!VARIABLE_PATTERN.test(newName))
      return { error: `"${newName}" is not a valid variable name: letters, digits and _, not starting with a digit` };
    if (newName === RESERVED_VARIABLE) return { error: `"${RESERVED_VARIABLE}" is reserved for the dial target` };
    if (a.model.variables.some((v) => v.value === newName))
      return { error: `a variable "${newName}" is already declared` };
  }
  // A key written in quotes keeps its quotes: only the characters of the name are replaced.
  const edits = occ.list.map((o) => {
    const raw = a.parsed.text.slice(o.span.start, o.span.end);
    const at = raw.indexOf(occ.name);
    const span = at >= 0 ? { start: o.span.start + at, end: o.span.start + at + occ.name.length } : o.span;
    return { span, newText: newName };
  });
  return { edits };
}
