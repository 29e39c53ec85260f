// The semantic-token legend (core/symbols.ts encodes tokens against it). Its own module, free of
// yaml, because the language server announces it in its `initialize` answer, before it loads the
// language engine (server/start-gate.ts).
export const SEMANTIC_TOKEN_TYPES = ['class', 'function', 'variable', 'enumMember', 'type'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;
