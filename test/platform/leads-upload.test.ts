// `callflow leads upload` (issue 10): the CLI as a process against the real emulator over HTTP.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { variableKeys } from '../../platform/api';
import { BASE, cli, makeProject, SECRET_KEY, startEmu, workflowIdOf, type Emu } from './helpers';

const FILE = 'flow.workflow.yaml';
const CSV = 'phone_number,customer_name,city\n+14155550111,Ana,Pune\n+14155550112,Bo,Goa\n';
let serial = 0;
const unique = (text: string) => text.replace(/^title: (.*)$/m, (_m, t) => `title: ${t} ${process.pid}-l${++serial}`);

describe('callflow leads upload', () => {
  let emu: Emu;
  const outputs: string[] = [];
  before(async () => {
    emu = await startEmu();
  });
  after(async () => {
    for (const o of outputs) assert.ok(!o.includes(SECRET_KEY), 'the API key leaked');
    await emu.kill();
  });
  const run = async (args: string[], dir: string) => {
    const r = await cli(args, { cwd: dir });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  it('on a remote target: the CSV must be named; a preview, --yes, then the leads are enrolled', async () => {
    const text = unique(BASE).replace(/^nodes:/m, 'leads: ./leads.csv\nnodes:');
    const dir = makeProject(emu, { [FILE]: text, 'leads.csv': CSV });
    let r = await run(['leads', 'upload', FILE, '--yes'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /name the CSV: on target emu leads are never uploaded implicitly/);
    r = await run(['leads', 'upload', FILE, 'leads.csv', '--yes'], dir);
    assert.equal(r.code, 1, 'not pushed yet');
    assert.match(r.stderr, /has not been pushed to target emu/);
    assert.equal((await run(['push', FILE, '--yes'], dir)).code, 0);
    r = await run(['leads', 'upload', FILE, 'leads.csv'], dir);
    assert.equal(r.code, 2, 'no terminal and no --yes: exit 2 rather than wait');
    r = await run(['leads', 'upload', FILE, 'leads.csv', '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /leads\.csv: 2 leads, columns: phone_number, customer_name, city/);
    assert.match(r.stdout, /Enrolled 2 leads in workflow wfl_\w+ on target emu\./);
    const keys = await variableKeys(emu.client(), workflowIdOf(dir, FILE)!);
    assert.deepEqual([...keys].sort(), ['city', 'customer_name']);
  });

  it("on local: the file's leads: is the default", async () => {
    const text = unique(BASE).replace(/^nodes:/m, 'leads: ./data/leads.csv\nnodes:');
    const dir = makeProject(emu, { [FILE]: text });
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/leads.csv'), CSV);
    assert.equal((await run(['push', FILE, '--yes', '--target', 'local'], dir)).code, 0);
    const r = await run(['leads', 'upload', FILE, '--yes', '--target', 'local'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Enrolled 2 leads/);
  });

  it('a file without phone_number, or outside the repository by leads:, is refused before any call', async () => {
    const dir = makeProject(emu, { [FILE]: unique(BASE), 'bad.csv': 'name,city\nA,B\n' });
    const r = await run(['leads', 'upload', FILE, 'bad.csv', '--yes'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.csv has no phone_number column/);
  });
});
