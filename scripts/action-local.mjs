// Runs action.yml's steps here, as a GitHub runner would run the composite action: inputs with
// their defaults, `${{ inputs.* }}` / `${{ github.* }}` expressions in `env:` values, each `run:`
// step in bash with GITHUB_OUTPUT, steps that `uses:` another action skipped (they need GitHub).
// For trying the action offline and for its test:
//   node scripts/action-local.mjs --event pull_request --event-path event.json [--input name=value]…
// The current folder is the repository under review (GITHUB_WORKSPACE). Prints each step's
// outputs as JSON on the last line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const { parse } = createRequire(path.join(root, 'package.json'))('yaml');
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8'));

const args = process.argv.slice(2);
const given = {};
let eventName = 'pull_request',
  eventPath = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--event') eventName = args[++i];
  else if (args[i] === '--event-path') eventPath = path.resolve(args[++i]);
  else if (args[i] === '--input') {
    const [k, ...v] = args[++i].split('=');
    given[k] = v.join('=');
  } else throw new Error(`action-local: unknown argument ${args[i]}`);
}
const github = {
  action_path: root,
  token: process.env.GITHUB_TOKEN ?? '',
  event_name: eventName,
  workspace: process.cwd(),
};
const inputs = {};
for (const [name, spec] of Object.entries(action.inputs ?? {})) {
  const def = String(spec.default ?? '');
  inputs[name] = given[name] ?? (def.includes('${{') ? expand(def, {}) : def);
}
for (const k of Object.keys(given)) if (!(k in inputs)) throw new Error(`action-local: action.yml has no input ${k}`);

/** `${{ inputs.x }}`, `${{ github.y }}`, `${{ steps.id.outputs.z }}`: the expressions env values use. */
function expand(value, steps) {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr) => {
    const [scope, ...rest] = expr.split('.');
    if (scope === 'inputs') return inputs[rest.join('.')] ?? '';
    if (scope === 'github') return github[rest.join('.')] ?? '';
    if (scope === 'steps' && rest[1] === 'outputs') return steps[rest[0]]?.[rest.slice(2).join('.')] ?? '';
    throw new Error(`action-local: unsupported expression ${expr}`);
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'callflow-action-'));
const steps = {};
let code = 0;
try {
  for (const step of action.runs.steps) {
    if (step.uses) {
      console.error(`action-local: skipping "${step.name}" (uses ${step.uses})`);
      continue;
    }
    const outFile = path.join(tmp, `${step.id ?? 'step'}.out`);
    writeFileSync(outFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, steps)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: process.cwd(),
        GITHUB_OUTPUT: outFile,
        RUNNER_TEMP: tmp,
        ...stepEnv,
      },
    });
    const outputs = {};
    for (const line of readFileSync(outFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) steps[step.id] = outputs;
    if (r.status !== 0) {
      code = r.status ?? 1;
      console.error(`action-local: step "${step.name}" exited ${code}`);
      break;
    }
  }
  // Outputs name files in the temp folder: copy the comment out before it goes.
  const comment = steps.review?.['comment-file'];
  if (comment) steps.review.comment = readFileSync(comment, 'utf8');
  const sarif = steps.review?.['sarif-file'];
  if (sarif) steps.review.sarif = readFileSync(sarif, 'utf8');
  console.log(JSON.stringify(steps));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
