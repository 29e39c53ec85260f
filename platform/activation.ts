// The platform's pre-activation refusal (a 400 whose messages each name a `node_…` id,
// platform-api.md) mapped back to the file: each message names the nodes by their key, and is
// placed at the first node it names. One mapper for the CLI and the editor.
export interface ActivationProblem {
  /** The message with every known node id replaced by `"key"`. */
  message: string;
  /** Keys of the file's nodes the message names, in order. */
  keys: string[];
  /** 0-based position of the first named node's key in the file, when it is there. */
  line?: number;
  character?: number;
}

const NODE_ID = /node_[A-Za-z0-9]+/g;

export function mapActivationMessages(
  messages: readonly string[],
  idByKey: ReadonlyMap<string, string>,
  locate: (key: string) => { line: number; character: number } | undefined,
): ActivationProblem[] {
  const keyById = new Map([...idByKey].map(([k, id]) => [id, k]));
  return messages.map((m) => {
    const keys: string[] = [];
    const message = m.replace(NODE_ID, (id) => {
      const key = keyById.get(id);
      if (!key) return id;
      if (!keys.includes(key)) keys.push(key);
      // "node node_x" reads as `node "key"`; a bare id as `"key"`.
      return JSON.stringify(key);
    });
    const at = keys.length ? locate(keys[0]) : undefined;
    return { message, keys, ...(at ? { line: at.line, character: at.character } : {}) };
  });
}
