// The formatter's contract on one input, shared by the property test (test/core) and the fuzz
// stage: it never throws; when it formats, formatting again changes nothing (idempotence), the
// data is what the input meant, and every comment survives.
import { Lexer } from 'yaml';
import { deepEqual, formatWorkflow } from '../../core/format';
import { parseText } from '../../core/parse';

const comments = (t: string): string[] =>
  [...new Lexer().lex(t)]
    .filter((x) => x.startsWith('#'))
    .map((x) => x.trimEnd())
    .sort();
// As data: a mapping's key order carries no meaning (the formatter reorders keys).
const data = (t: string): unknown => parseText(t.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')).data;

/** Why `text` breaks the formatter's contract, or undefined; `refused` says whether fmt declined. */
export function formatProblem(text: string): { problem?: string; refused: boolean; output?: string } {
  let once;
  try {
    once = formatWorkflow(text);
  } catch (e) {
    return { problem: `fmt threw: ${(e as Error).stack}`, refused: false };
  }
  if ('error' in once) return { refused: true };
  let twice;
  try {
    twice = formatWorkflow(once.text);
  } catch (e) {
    return { problem: `fmt threw on its own output: ${(e as Error).stack}`, refused: false, output: once.text };
  }
  if ('error' in twice)
    return { problem: `fmt refused its own output: ${twice.error}`, refused: false, output: once.text };
  if (twice.text !== once.text || twice.changed)
    return { problem: 'not idempotent: fmt(fmt(x)) differs from fmt(x)', refused: false, output: once.text };
  if (!deepEqual(data(once.text), data(text)))
    return { problem: 'the data changed', refused: false, output: once.text };
  if (JSON.stringify(comments(once.text)) !== JSON.stringify(comments(text)))
    return { problem: 'a comment was lost or altered', refused: false, output: once.text };
  return { refused: false, output: once.text };
}
