// Exit codes and errors shared by every command (cli.md: 0 ok, 1 problems found, 2 could not run).
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

const BRAND = Symbol.for('callflow.CliError');

export class CliError extends Error {
  readonly [BRAND] = true;
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }

  /**
   * Each bundle of the built CLI has its own copy of this class (cli/bundle-loader.ts): an error is
   * a CliError by its brand, whichever copy made it, so `instanceof` holds across bundles.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true;
  }
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR;
}
