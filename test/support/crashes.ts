// Collects every crash core reports (core/crash.ts) while a test file runs, so a test can assert
// that no rule family threw. Each test file runs in its own process, so the sink is per file.
import { setCrashSink, type Crash } from '../../core/crash';

/** Installs a collecting sink for the rest of this process and returns the list it fills. */
export function collectCrashes(): Crash[] {
  const list: Crash[] = [];
  setCrashSink((c) => {
    if (list.length < 50) list.push(c);
  });
  return list;
}

/** The collected crashes as short lines, for an assertion's message. */
export function crashLines(list: readonly Crash[]): string[] {
  return list.map((c) => `${c.where}: ${String(c.error)}`);
}
