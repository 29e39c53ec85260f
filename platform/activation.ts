// The platform's pre-activation refusal (a 400 whose messages each name a `node_…` id,
// platform-api.md) mapped back to the file: the one mapper for the CLI (`callflow activate`) and
// the editor (Activate, and a push error that names nodes). Each known id, with the `node` before
// it and the `("Label")` after it, becomes the file's node key and its line, `first_call (line 12)`,
// so nobody sees an internal id; the message is placed at the first node it names; and the
// variables a message says no lead carries (WF203) are picked out for the editor's *Upload Leads…*.
export interface ActivationProblem {
  /** The message with every known node named `key (line N)` (1-based; `key` when its line is unknown). */
  message: string;
  /** Keys of the file's nodes the message names, in order. */
  keys: string[];
  /** 0-based position of the first named node's key in the file, when it is there. */
  line?: number;
  character?: number;
  /** Variables the message says the leads lack (the platform's unknown-variable check). */
  variables: string[];
}

// `node node_x ("Label")`, `node node_x` or a bare `node_x`: the whole phrase names one node.
const NODE_PHRASE = /(?:\bnode\s+)?(node_[A-Za-z0-9]+)(?:\s+\("(?:[^"\\]|\\.)*"\))?/g;

export function mapActivationMessages(
  messages: readonly string[],
  idByKey: ReadonlyMap<string, string>,
  locate: (key: string) => { line: number; character?: number } | undefined,
): ActivationProblem[] {
  const keyById = new Map([...idByKey].map(([k, id]) => [id, k]));
  return messages.map((m) => {
    const keys: string[] = [];
    const message = m.replace(NODE_PHRASE, (all, id: string) => {
      const key = keyById.get(id);
      if (!key) return all;
      if (!keys.includes(key)) keys.push(key);
      const at = locate(key);
      return at ? `${key} (line ${at.line + 1})` : key;
    });
    const at = keys.length ? locate(keys[0]) : undefined;
    return {
      message,
      keys,
      ...(at ? { line: at.line, ...(at.character !== undefined ? { character: at.character } : {}) } : {}),
      variables: unknownVariablesIn(m),
    };
  });
}

/**
 * The variables a refusal says no lead carries: the platform's pre-activation check that every
 * {{variable}} an agent's prompt uses is a variable key of the uploaded leads (WF203).
 */
export function unknownVariablesIn(message: string): string[] {
  if (!/\[WF203\]|variable/i.test(message)) return [];
  return [...new Set([...message.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}
