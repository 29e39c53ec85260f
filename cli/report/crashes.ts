// The CLI's side of core/crash.ts: an internal failure of a rule family goes to stderr, once per
// place, and makes the command exit 2 ("could not run", docs/spec/cli.md): its report is incomplete.
import { describeCrash, setCrashSink } from '../../core/crash';
import { redact } from '../../platform/redact';

export interface CrashWatch {
  /** How many crashes were reported since the watch started. */
  readonly count: number;
  /** The exit status given the command's own: at least 2 once anything crashed. */
  exitCode(code: number): number;
}

/** Sends core's crash reports to `write` (stderr) from now on. */
export function reportCrashesTo(write: (line: string) => void): CrashWatch {
  let count = 0;
  const said = new Set<string>();
  setCrashSink((c) => {
    count++;
    if (said.has(c.where)) return;
    said.add(c.where);
    write(`callflow: ${redact(describeCrash(c))}\n`);
  });
  return {
    get count() {
      return count;
    },
    exitCode: (code) => (count > 0 ? Math.max(code, 2) : code),
  };
}
