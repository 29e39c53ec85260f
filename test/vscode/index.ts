// The extensionTestsPath module: the same run() contract as with @vscode/test-electron (mocha, tdd UI),
// so the suite also runs in a desktop VS Code. The driver (run.mjs) passes CALLFLOW_TEST_RESULTS through
// the server's environment; the tally is written there as well as printed.
import * as path from 'node:path';
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: 30000,
    reporter: 'spec',
    color: false,
    grep: process.env.CALLFLOW_TEST_GREP || undefined,
  });
  // run.mjs --packaged runs the suite of the installed .vsix instead.
  mocha.addFile(path.resolve(__dirname, process.env.CALLFLOW_TEST_SUITE || 'suite.js'));
  const failures: { title: string; error: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      const passed = runner.stats?.passes ?? 0;
      console.log(`suite finished: ${passed} passing, ${failed} failing`);
      const out = process.env.CALLFLOW_TEST_RESULTS;
      if (out)
        writeFileSync(out, JSON.stringify({ passed, failed, failures, durationMs: runner.stats?.duration ?? 0 }));
      if (failed) reject(new Error(`${failed} tests failed`));
      else resolve();
    });
    runner.on('fail', (test, err: Error) =>
      failures.push({
        title: test.fullTitle(),
        error: String(err?.stack ?? err)
          .split('\n')
          .slice(0, 6)
          .join('\n'),
      }),
    );
  });
}
