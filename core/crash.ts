// Where core reports its own failures. A rule family that throws never takes validation down
// (core/rules/index.ts catches it) but must not be silent either: the catch hands it to the sink
// installed here. Core does no I/O, so the sink is injected: the language server routes it to its
// log (connection.console.error), the CLI to stderr with exit status 2 (cli/report/crashes.ts),
// tests collect it. Default: nothing. A crash is not a diagnostic: the catalogue's codes describe
// the file, and a family that failed says nothing about the file, only that the check is
// incomplete (the CLI's exit status 2, "could not run", says that).

export interface Crash {
  /** What failed: `rule family "edges"`, `parse`. */
  where: string;
  error: unknown;
}

export type CrashSink = (crash: Crash) => void;

let sink: CrashSink = () => {};

/** Installs the sink every later crash goes to; returns the previous one (to restore it). */
export function setCrashSink(next: CrashSink | undefined): CrashSink {
  const prev = sink;
  sink = next ?? (() => {});
  return prev;
}

/** Hands a crash to the sink; a sink that throws is ignored (reporting must not fail validation). */
export function reportCrash(where: string, error: unknown): void {
  try {
    sink({ where, error });
  } catch {
    // nothing more can be done without I/O
  }
}

/** One line for a log: where, and the error's message (the stack follows when there is one). */
export function describeCrash(c: Crash): string {
  const e = c.error;
  const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  return `internal error in ${c.where}: ${text}`;
}
