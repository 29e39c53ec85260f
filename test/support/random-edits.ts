// Seeded random edits shared by the core incremental test and the LSP edit-stream test.
/** A small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  'a',
  'x',
  '_',
  '1',
  ' ',
  '  ',
  '\n',
  '\n    ',
  '\n  ',
  ':',
  ': ',
  '-',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '|',
  '>',
  'label: new',
  '\n    label: Added',
  'step_1',
  'to: step_2',
  '{{customer_name}}',
  '{{ unknown_var }}',
  'COMPLETED',
  'DROPPED',
  '\n  extra:\n    type: DROPPED\n',
  '\n      - to: dropped',
  'true',
  'null',
  '~',
  '%',
  '\t',
  '\r\n',
  '???',
];

/** One random edit, biased towards the inside of node blocks where incremental work applies. */
export function randomEdit(
  text: string,
  next: () => number,
  noCarriageReturn = false,
): { start: number; end: number; insert: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const snippets = noCarriageReturn ? SNIPPETS.filter((x) => !x.includes('\r')) : SNIPPETS;
  const at = Math.floor(next() * (text.length + 1));
  const r = next();
  if (r < 0.45) return { start: at, end: at, insert: pick(snippets) };
  if (r < 0.8) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(next() * 3)), insert: '' };
  return { start: at, end: Math.min(text.length, at + 1 + Math.floor(next() * 6)), insert: pick(snippets) };
}
