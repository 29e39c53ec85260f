// `npm start` (after the build): the whole loop on a fresh clone, touching no tracked file.
// Copies examples/ into a temporary folder, starts the local emulator on a database there,
// validates the examples (the broken one shows its diagnostics), plans, pushes and activates
// lead-nurture, shows its status, pushes again (no change), stops the emulator, removes the copy.
// `node scripts/demo.mjs --keep` leaves the temporary folder for a look around.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const cliPath = path.join(root, 'dist/cli.js');
const emulatorPath = path.join(root, 'dist/emulator.js');
const keep = process.argv.includes('--keep');
const KEY_ENV = 'CALLFLOW_DEMO_KEY';
const key = `cf_demo_${Math.random().toString(36).slice(2, 12)}`;
const FILE = 'lead-nurture.workflow.yaml';
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);

const dir = mkdtempSync(path.join(tmpdir(), 'callflow-demo-'));
cpSync(path.join(root, 'examples'), dir, { recursive: true });
mkdirSync(path.join(dir, '.callflow'), { recursive: true });

function startEmulator() {
  const proc = spawn(
    process.execPath,
    [emulatorPath, '--port', '0', '--db', path.join(dir, '.callflow/emulator.sqlite'), '--key', key, '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1], line: out.split('\n')[0] });
    });
    proc.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
}

function run(args, expect = [0]) {
  console.log(`\n${bold(`$ callflow ${args.join(' ')}`)}`);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cliPath, ...args], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, [KEY_ENV]: key },
    });
    p.on('close', (code) =>
      expect.includes(code)
        ? resolve(code)
        : reject(new Error(`callflow ${args[0]} exited ${code} (expected ${expect.join(' or ')})`)),
    );
  });
}

let emu;
let failed = false;
try {
  console.log(`Callflow demo in ${dir} (a copy of examples/)`);
  emu = await startEmulator();
  console.log(emu.line);
  writeFileSync(
    path.join(dir, 'callflow.config.yaml'),
    `# written by the demo: the emulator started above\ntargets:\n  demo:\n    url: ${emu.url}\n    key_env: ${KEY_ENV}\n    max_concurrent_calls: 25\ndefault_target: demo\n`,
  );

  await run(['validate', '.'], [1]); // examples/broken/ has errors on purpose
  await run(['plan', FILE]);
  await run(['push', FILE, '--yes']);

  // The platform learns a workflow's variables from its uploaded leads; the agent's prompt uses
  // {{loan_amount}}, so activation needs them (the CLI has no upload command: the API is used here).
  const state = readFileSync(path.join(dir, 'lead-nurture.workflow.state.yaml'), 'utf8');
  const id = /workflow: (wfl_\w+)/.exec(state)[1];
  const form = new FormData();
  form.append(
    'file',
    new Blob([readFileSync(path.join(dir, 'leads.sample.csv'))], { type: 'text/csv' }),
    'leads.sample.csv',
  );
  const up = await fetch(`${emu.url}/workflows/${id}/leads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
    body: form,
  });
  const upBody = await up.json();
  if (!up.ok) throw new Error(`lead upload failed: ${up.status} ${JSON.stringify(upBody.message)}`);
  console.log(
    `\n${bold('(API) POST /workflows/' + id + '/leads')}  leads.sample.csv → ${upBody.leads_enrolled ?? upBody.count ?? '?'} leads enrolled`,
  );

  await run(['activate', FILE, '--yes']);
  await run(['status', FILE]);
  await run(['push', FILE, '--yes']); // nothing left to do: no write
  console.log(`\n${bold('Demo finished.')}`);
} catch (e) {
  failed = true;
  console.error(`\ndemo failed: ${e.message}`);
} finally {
  if (emu) {
    await new Promise((r) => {
      emu.proc.once('exit', r);
      emu.proc.kill('SIGTERM');
    });
    console.log('emulator stopped');
  }
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
