// Every example in examples/ and the walkthrough's starter file activate on the emulator's default
// data: pushed with the real push (platform/prepare), its `leads:` file uploaded, activated over real
// HTTP → 200. The emulator runs as the `local` target runs it: its database under `.callflow/`.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildModel } from '../../core/model';
import { parseText } from '../../core/parse';
import { ApiClient } from '../../platform/client';
import { desiredFromModel } from '../../platform/desired';
import { applyPrepared, preparePush } from '../../platform/prepare';
import { multipartCsv, startEmu, type Emu } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');

/** The "New workflow" snippet with every placeholder at its default: what the walkthrough's starter inserts. */
function starterText(): string {
  const snippets = JSON.parse(readFileSync(path.join(ROOT, 'snippets/callflow-workflow.code-snippets'), 'utf8'));
  const body = (snippets['New workflow'].body as string[]).join('\n');
  return body
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:[^{}]|\{\{[^}]*\\?\}\\?\})*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\}/g, '}');
}

let emu: Emu;
let project: string;
before(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'cf-examples-'));
  emu = await startEmu([], { db: path.join(project, '.callflow', 'emulator.sqlite') });
});
after(async () => {
  assert.equal(await emu.stop(), 0);
});

async function pushAndActivate(file: string): Promise<{ status: number; body: any; leads: number }> {
  const text = readFileSync(file, 'utf8');
  const parsed = parseText(text);
  const desired = desiredFromModel(buildModel(parsed.doc!, text));
  const client = new ApiClient({ baseUrl: emu.url, key: emu.key, target: 'local' });
  const prepared = await preparePush(client, file, 'local', desired);
  const applied = await applyPrepared(client, 'local', file, desired, prepared);
  const id = applied.workflowId!;
  let leads = 0;
  const leadsFile = (parsed.data as { leads?: unknown }).leads;
  if (typeof leadsFile === 'string') {
    const csv = readFileSync(path.resolve(path.dirname(file), leadsFile), 'utf8');
    const up = await emu.api('POST', `/workflows/${id}/leads`, multipartCsv(csv, path.basename(leadsFile)));
    assert.equal(up.status, 201, JSON.stringify(up.body));
    leads = up.body.leads_enrolled;
  }
  const r = await emu.api('POST', `/workflows/${id}/activate`);
  return { ...r, leads };
}

describe('every example activates on the default data', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.workflow.yaml'));

  it('finds the examples', () => {
    assert.ok(files.length >= 3, files.join(', '));
  });

  for (const name of files) {
    it(`${name}: push, upload its leads file, activate → 200`, async () => {
      const dir = mkdtempSync(path.join(project, 'ex-'));
      const file = path.join(dir, name);
      copyFileSync(path.join(EXAMPLES, name), file);
      for (const f of readdirSync(EXAMPLES))
        if (f.endsWith('.csv')) copyFileSync(path.join(EXAMPLES, f), path.join(dir, f));
      const r = await pushAndActivate(file);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'active');
      assert.ok(r.leads > 0, 'the example names a leads file and its rows were enrolled');
    });
  }

  it('the walkthrough starter (the "New workflow" snippet as inserted) activates with the sample leads it names', async () => {
    const text = starterText();
    assert.doesNotMatch(text, /\$\{|\$\d/, 'every placeholder was filled');
    const dir = mkdtempSync(path.join(project, 'starter-'));
    const file = path.join(dir, 'my.workflow.yaml');
    writeFileSync(file, text);
    const leads = /^leads:\s*(\S+)/m.exec(text)?.[1];
    if (leads) copyFileSync(path.join(EXAMPLES, path.basename(leads)), path.join(dir, leads));
    const r = await pushAndActivate(file);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  it('the same workflows without their leads are refused where an agent prompt needs lead columns (WF203)', async () => {
    const dir = mkdtempSync(path.join(project, 'noleads-'));
    const file = path.join(dir, 'payment-collection.workflow.yaml');
    writeFileSync(
      file,
      readFileSync(path.join(EXAMPLES, 'payment-collection.workflow.yaml'), 'utf8').replace(/^leads:.*$/m, ''),
    );
    const r = await pushAndActivate(file);
    assert.equal(r.status, 400);
    assert.ok(
      r.body.message.some((m: string) => m.includes('WF203') && m.includes('invoice_id')),
      JSON.stringify(r.body),
    );
  });

  it("writes .callflow/.gitignore ('*') beside its database, so the SQLite files never show up untracked", () => {
    const ignore = path.join(project, '.callflow', '.gitignore');
    assert.ok(existsSync(ignore));
    assert.deepEqual(
      readFileSync(ignore, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
      ['*'],
    );
  });
});
