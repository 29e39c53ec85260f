// CLI start-up, side by side (issue 13: `callflow validate FILE` whole-process CPU ≤ 1.5× `node -e 0`).
// A production build of the CLI (scripts/build.mjs --production --only=cli,elk into a scratch
// folder, dist/ untouched), then, interleaved round by round so load changes hit every row alike:
// bare Node, the dispatcher alone (`--version`), and validate / fmt --check / test on one example,
// each with the build's code caches and, as the alternative, without them (a copy of the build
// with dist/cli/*.cache removed: what a Node other than the build's gets). CPU is user + system of
// the whole process from bash's `times`, 10 runs per round, median of the rounds. Prints a
// markdown table; never fails on a figure.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'callflow-cli-bench-'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RUNS = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** User + system CPU seconds per run of `runs` runs of a command (bash's `times`, children's line). */
function cpuOf(argv: string[], runs: number): number {
  const command = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // `times` must not run in a pipe: in a subshell it would report the subshell's (empty) children.
  const r = spawnSync('bash', ['-c', `for i in $(seq ${runs}); do ${command} >/dev/null 2>&1; done; times`], {
    cwd: root,
    encoding: 'utf8',
  });
  const children = r.stdout.trim().split('\n').pop() ?? '';
  const m = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((x) => Number(x[1]) * 60 + Number(x[2]));
  return (m[0] + m[1]) / runs;
}

function main(): void {
  const dist = path.join(tmp, 'dist');
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--only=cli,elk'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CALLFLOW_DIST: dist, CALLFLOW_QUIET_BUILD: '1' },
  });
  if (b.status !== 0) throw new Error(`production build failed: ${b.stderr}`);
  const bare = path.join(tmp, 'no-cache');
  cpSync(dist, bare, { recursive: true });
  for (const f of readdirSync(path.join(bare, 'cli'))) if (f.endsWith('.cache')) rmSync(path.join(bare, 'cli', f));

  const example = path.join(root, 'examples/appointment-reminder.workflow.yaml');
  const node = process.execPath;
  const rows: { name: string; argv: string[]; note: string }[] = [
    { name: '`node -e 0`', argv: [node, '-e', '0'], note: 'the floor' },
    { name: '`callflow --version`', argv: [node, path.join(dist, 'cli.js'), '--version'], note: 'dispatcher only' },
  ];
  for (const [cmd, ...args] of [['validate'], ['fmt', '--check'], ['test']]) {
    const file = cmd === 'test' ? example.replace(/\.yaml$/, '.test.yaml') : example;
    rows.push({
      name: `\`callflow ${[cmd, ...args].join(' ')} FILE\``,
      argv: [node, path.join(dist, 'cli.js'), cmd, ...args, file],
      note: 'lazy bundle + code cache (as built)',
    });
    rows.push({
      name: `\`callflow ${[cmd, ...args].join(' ')} FILE\`, no code cache`,
      argv: [node, path.join(bare, 'cli.js'), cmd, ...args, file],
      note: 'lazy bundle only',
    });
  }
  const cpu = rows.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) rows.forEach((r, i) => cpu[i].push(cpuOf(r.argv, RUNS)));
  const floor = median(cpu[0]);

  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}; ` +
      `${ROUNDS} interleaved rounds × ${RUNS} runs\n`,
  );
  console.log('| command | CPU per run (median) | ÷ `node -e 0` | target | note |');
  console.log('| --- | --- | --- | --- | --- |');
  rows.forEach((r, i) => {
    const ms = median(cpu[i]) * 1000;
    const ratio = median(cpu[i]) / floor;
    const target = r.name.startsWith('`callflow validate FILE`') && !r.name.includes('no code') ? '≤ 1.5×' : '';
    console.log(`| ${r.name} | ${ms.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${target} | ${r.note} |`);
  });

  const size = (f: string) => statSync(path.join(dist, f)).size;
  const cliFiles = readdirSync(path.join(dist, 'cli'));
  const sum = (re: RegExp) => cliFiles.filter((f) => re.test(f)).reduce((n, f) => n + size(path.join('cli', f)), 0);
  console.log('\n| file (production build) | size |');
  console.log('| --- | --- |');
  console.log(`| dist/cli.js (the dispatcher) | ${kb(size('cli.js'))} |`);
  console.log(
    `| dist/cli/validate.js (+ its code cache) | ${kb(size('cli/validate.js'))} (+ ${kb(size('cli/validate.js.cache'))}) |`,
  );
  console.log(
    `| dist/cli/*.js, all ${cliFiles.filter((f) => f.endsWith('.js')).length} bundles | ${kb(sum(/\.js$/))} |`,
  );
  console.log(`| dist/cli/*.cache | ${kb(sum(/\.cache$/))} |`);
}

try {
  main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
