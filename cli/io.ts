// Exit codes and errors shared by every command (cli.md: 0 ok, 1 problems found, 2 could not run).
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR;
}
