import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { validate } from '../../core/validate';
import { parseText } from '../../core/parse';
import { checkSchema } from '../../core/schema-check';
import WORKFLOW_SCHEMA from '../../schemas/workflow.schema.json';
import type { Diagnostic } from '../../core/diagnostic';
import type { OnlineData, ValidateOptions } from '../../core/options';
import { leadsInfoFromCsv } from '../../core/leads';

const SYNTAX = new Set(['WF001', 'WF002', 'WF003', 'WF004']);
const root = path.join(__dirname, '../..');

function schemaDiags(text: string): Diagnostic[] {
  return validate(text, { only: SYNTAX });
}

/** The text a diagnostic's range covers (single-line ranges only). */
function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  assert.equal(d.range.start.line, d.range.end.line, `range of "${d.message}" should be one line`);
  return lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
}

const CALL = `  call:
    type: VOICE_CALL
    config:
      agent_id: agt_abc123
      from_phone_number: "+912234567890"
    next:
      - on: COMPLETED
        to: won
      - to: lost
`;
const TERMINALS = '  won: { type: CONVERTED }\n  lost: { type: DROPPED }\n';
const wf = (nodes: string, head = 'version: 1\ntitle: Test\n') => `${head}nodes:\n${nodes}`;

describe('the schema file', () => {
  test('compiles under strict ajv, with only the editor keywords it declares', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addVocabulary(['markdownDescription', 'enumDescriptions', 'defaultSnippets']);
    assert.doesNotThrow(() => ajv.compile(WORKFLOW_SCHEMA as object));
  });

  test('has an $id, is draft-07, and describes every field (hover text in the editor)', () => {
    const s = WORKFLOW_SCHEMA as Record<string, unknown>;
    assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.match(String(s.$id), /^https:\/\//);
    const missing: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const key of ['properties', 'definitions'] as const) {
        const props = n[key] as Record<string, Record<string, unknown>> | undefined;
        if (!props) continue;
        for (const [name, sub] of Object.entries(props)) {
          if (typeof sub !== 'object') continue;
          if (key === 'properties' && !sub.description && !sub.$ref) missing.push(`${where}.${name}`);
          walk(sub, `${where}.${name}`);
        }
      }
      for (const key of ['items', 'additionalProperties', 'then', 'else']) walk(n[key], `${where}.${key}`);
      for (const sub of (n.allOf as unknown[] | undefined) ?? []) walk(sub, `${where}.allOf`);
    };
    walk(s, '$');
    assert.deepEqual(
      missing.filter((m) => !m.includes('.then') && !m.includes('.allOf')),
      [],
    );
  });
});

describe('WF002 messages and ranges', () => {
  test('the reference example and every example in examples/ (except broken/) pass', () => {
    const dir = path.join(root, 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.workflow.yaml'));
    assert.ok(files.length >= 3, 'examples present');
    for (const f of files) assert.deepEqual(schemaDiags(readFileSync(path.join(dir, f), 'utf8')), [], f);
  });

  test('unknown top-level field: at the key, with did-you-mean and a rename fix', () => {
    const text = wf(CALL + TERMINALS, 'version: 1\ntitle: Test\ndescripton: typo\n');
    const [d, ...rest] = schemaDiags(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'WF002');
    assert.equal(d.severity, 'error');
    assert.equal(d.message, 'unknown field "descripton" (did you mean "description"?)');
    assert.equal(covered(text, d), 'descripton');
    assert.equal(d.fixes?.[0].edits[0].newText, 'description');
  });

  test('unknown config field names the field the author meant', () => {
    const text = wf(CALL.replace('agent_id:', 'agentid:') + TERMINALS);
    const [d] = schemaDiags(text);
    assert.equal(d.message, 'unknown field "agentid" (did you mean "agent_id"?)');
    assert.equal(covered(text, d), 'agentid');
  });

  test('a config field of another node type says where it belongs', () => {
    const text = wf(
      CALL.replace('      agent_id: agt_abc123\n', '      agent_id: agt_abc123\n      delay_hours: 2\n') + TERMINALS,
    );
    const [d] = schemaDiags(text);
    assert.equal(
      d.message,
      'unknown field "delay_hours" in a VOICE_CALL config (it belongs to a TIME node); expected agent_id, from_phone_number',
    );
  });

  test('a config field written on the node itself', () => {
    const text = wf(
      CALL.replace('    config:\n      agent_id: agt_abc123\n', '    agent_id: agt_abc123\n    config:\n') + TERMINALS,
    );
    const [d] = schemaDiags(text);
    assert.equal(d.message, 'unknown field "agent_id" on a node (did you mean to put it under "config"?)');
    assert.equal(covered(text, d), 'agent_id');
  });

  test('unknown node type: one diagnostic at the value, never config errors on top', () => {
    const text = wf(
      CALL.replace('VOICE_CALL', 'VOICECALL').replace('      agent_id', '      retries: 3\n      agent_id') + TERMINALS,
    );
    const list = schemaDiags(text);
    assert.equal(list.length, 1, JSON.stringify(list));
    assert.equal(
      list[0].message,
      'unknown node type "VOICECALL" (did you mean "VOICE_CALL"?); expected one of VOICE_CALL, TIME, CONDITIONAL, APPLICATION, CONVERTED, DROPPED',
    );
    assert.equal(covered(text, list[0]), 'VOICECALL');
  });

  test('missing required fields point at the owner key, never the whole block', () => {
    let text = wf(CALL + TERMINALS, 'version: 1\n');
    let [d] = schemaDiags(text);
    assert.equal(d.message, 'missing required field "title"');
    assert.equal(covered(text, d), 'version');

    text = wf(CALL.replace('      - to: lost\n', '      - on: FAILED\n      - to: lost\n') + TERMINALS);
    [d] = schemaDiags(text);
    assert.equal(d.message, 'missing required field "to" (the node key this edge leads to)');
    assert.equal(covered(text, d), 'on: FAILED');

    text = wf(
      CALL +
        '  notify:\n    type: APPLICATION\n    config:\n      provider_key: resend\n    next: [{ to: lost }]\n' +
        TERMINALS,
    );
    [d] = schemaDiags(text);
    assert.equal(d.message, 'missing required fields "adapter_key" and "action_key"');
    assert.equal(covered(text, d), 'config');

    text = wf(CALL + '  check:\n    type: CONDITIONAL\n    next: [{ to: lost, on: "true" }]\n' + TERMINALS);
    [d] = schemaDiags(text);
    assert.equal(
      d.message,
      'missing required field "config": a CONDITIONAL node needs "conditions" with "logic", or "condition_field" with "branches"',
    );
    assert.equal(covered(text, d), 'check');
  });

  test('node keys must match the pattern; the range is the key', () => {
    const text = wf(CALL.replace('  call:', '  FirstCall:') + TERMINALS);
    const [d] = schemaDiags(text);
    assert.equal(
      d.message,
      'node key "FirstCall" must match [a-z][a-z0-9_]* (lowercase letters, digits and _, starting with a letter), e.g. "first_call"',
    );
    assert.equal(covered(text, d), 'FirstCall');
  });

  test('wrong value types and ranges are at the value', () => {
    const text = wf(
      CALL + '  wait:\n    type: TIME\n    config: { delay_hours: "48h" }\n    next: [{ to: lost }]\n' + TERMINALS,
      'version: 1\ntitle: Test\nsettings: { max_concurrent_calls: 0 }\n',
    );
    const list = schemaDiags(text);
    assert.deepEqual(
      list.map((d) => d.message),
      ['"max_concurrent_calls" must be at least 1, not 0', '"delay_hours" must be a number, not the string "48h"'],
    );
    assert.deepEqual(
      list.map((d) => covered(text, d)),
      ['0', '"48h"'],
    );
  });

  test('an edge written as a bare node key says how to write it', () => {
    const text = wf(CALL.replace('      - to: lost\n', '      - lost\n') + TERMINALS);
    const [d] = schemaDiags(text);
    assert.equal(d.message, 'edge 2 of node "call" must be a mapping like { to: lost }, not the string "lost"');
    assert.equal(covered(text, d), 'lost');
  });

  test('an unquoted phone number is a number to YAML: the message says to quote it', () => {
    const text = wf(CALL.replace('"+912234567890"', '+912234567890') + TERMINALS);
    const [d, ...rest] = schemaDiags(text);
    assert.equal(rest.length, 0);
    assert.equal(
      d.message,
      '"from_phone_number" must be a string, not the number 912234567890: quote it, e.g. "+912234567890" (unquoted, YAML reads it as a number and drops the "+")',
    );
    assert.equal(covered(text, d), '+912234567890');
  });

  test('title length, empty values and enums', () => {
    const long = 'x'.repeat(201);
    let [d] = schemaDiags(wf(CALL + TERMINALS, `version: 1\ntitle: ${long}\n`));
    assert.equal(d.message, '"title" must be at most 200 characters (it has 201)');
    [d] = schemaDiags(wf(CALL + TERMINALS, 'version: 1\ntitle:\n'));
    assert.equal(d.message, '"title" has no value; expected a string');
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    [d] = schemaDiags(wf(CALL + TERMINALS, 'version: 2\ntitle: T\n'));
    assert.equal(d.message, 'unsupported format version 2; this tool reads version 1');
    const cond =
      '  check:\n    type: CONDITIONAL\n    config:\n      logic: and\n      conditions:\n        - { field: a, operator: exists, value: 1 }\n    next: [{ to: won, on: "true" }, { to: lost, on: "false" }]\n';
    const text = wf(CALL.replace('to: won', 'to: check') + cond + TERMINALS);
    const list = schemaDiags(text);
    assert.deepEqual(
      list.map((x) => [x.message, covered(text, x)]),
      [
        ['"logic" must be AND or OR, not "and" (did you mean "AND"?)', 'and'],
        ['"value" is not used with operator "exists"; remove it', 'value'],
      ],
    );
  });

  test('mixing the two CONDITIONAL forms is one problem, not one per field and value', () => {
    const cond =
      '  check:\n    type: CONDITIONAL\n    config:\n      condition_field: call_status\n      branches: [COMPLETED]\n      logic: maybe\n      conditions: []\n    next: [{ to: won, on: COMPLETED }]\n';
    const list = schemaDiags(wf(CALL.replace('to: won', 'to: check') + cond + TERMINALS));
    assert.deepEqual(
      list.map((d) => d.message),
      [
        '"conditions" and "logic" cannot be used with "condition_field"/"branches": a CONDITIONAL uses either conditions + logic or condition_field + branches',
      ],
    );
  });

  test('x- keys are accepted anywhere; unknown keys elsewhere are not', () => {
    const text = wf(
      CALL.replace('    type: VOICE_CALL\n', '    type: VOICE_CALL\n    x-owner: ops\n').replace(
        '        to: won\n',
        '        to: won\n        x-why: happy path\n',
      ) + TERMINALS,
      'version: 1\nx-team: growth\ntitle: T\nsettings: { x-note: 1 }\n',
    );
    assert.deepEqual(schemaDiags(text), []);
  });

  test('what dedicated rules report is not WF002 (schema vs rules decision)', () => {
    const cases = [
      // WF102/WF103: VOICE_CALL without agent or number, or without config at all
      wf('  call:\n    type: VOICE_CALL\n    next: [{ to: won }]\n' + TERMINALS),
      wf('  call:\n    type: VOICE_CALL\n    config: {}\n    next: [{ to: won }]\n' + TERMINALS),
      // WF102/WF103: present but empty
      wf(CALL.replace('agent_id: agt_abc123', 'agent_id:').replace('"+912234567890"', '""') + TERMINALS),
      // WF121: not E.164
      wf(CALL.replace('"+912234567890"', '"02234567890"') + TERMINALS),
      // WF122: negative delay, both forms, neither form
      wf(
        CALL +
          '  w1: { type: TIME, config: { delay_hours: -4 }, next: [{ to: lost }] }\n  w2: { type: TIME, config: { delay_hours: 1, time_source: postcall_analysis }, next: [{ to: lost }] }\n  w3: { type: TIME, next: [{ to: lost }] }\n' +
          TERMINALS,
      ),
      // WF123: phone_number as a variable
      wf(CALL + TERMINALS, 'version: 1\ntitle: T\nvariables: [phone_number]\n'),
      // WF112: terminal with edges; WF113/115: labels; WF110: unknown targets and entry
      wf(
        CALL +
          '  won: { type: CONVERTED, next: [{ to: lost }] }\n  lost: { type: DROPPED }\n  c: { type: CONDITIONAL, config: { logic: OR, conditions: [{ field: a, operator: exists }] }, next: [{ to: nowhere }, { to: won, on: maybe }] }\n',
        'version: 1\ntitle: T\nentry: nowhere\n',
      ),
      // WF105: any positive limit
      wf(CALL + TERMINALS, 'version: 1\ntitle: T\nsettings: { max_concurrent_calls: 100000 }\n'),
    ];
    for (const text of cases)
      assert.deepEqual(
        schemaDiags(text).filter((d) => d.code === 'WF002'),
        [],
        text,
      );
  });

  test('an error inside an anchored mapping is reported once, at the anchor', () => {
    const head =
      'version: 1\ntitle: T\nx-defaults: &call\n  agentid: agt_abc123\n  from_phone_number: "+912234567890"\n';
    const nodes =
      '  a: { type: VOICE_CALL, config: *call, next: [{ to: b }] }\n  b: { type: VOICE_CALL, config: *call, next: [{ to: won }] }\n  won: { type: CONVERTED }\n';
    const text = wf(nodes, head);
    const list = schemaDiags(text);
    assert.equal(list.length, 1);
    assert.equal(covered(text, list[0]), 'agentid');
  });

  test('a YAML syntax error silences schema errors (they would echo it)', () => {
    const text = wf('  call:\n\ttype: VOICE_CALL\n' + TERMINALS);
    const codes = new Set(schemaDiags(text).map((d) => d.code));
    assert.ok(codes.has('WF001'));
    assert.ok(!codes.has('WF002'));
  });

  test('many bad nodes in a large file: one diagnostic each, each at its own key', () => {
    let nodes = '';
    for (let i = 0; i < 300; i++)
      nodes += `  n${i}:\n    type: TIME\n    config: { delay_hour: 1 }\n    next: [{ to: n${i + 1} }]\n`;
    nodes += '  n300: { type: CONVERTED }\n';
    const text = wf(nodes);
    const list = schemaDiags(text);
    assert.equal(list.length, 300);
    for (const d of list) assert.equal(covered(text, d), 'delay_hour');
    assert.equal(list[299].range.start.line, 3 + 299 * 4 + 2);
  });
});

describe('golden fixtures for WF001-WF004', () => {
  const base = path.join(root, 'test/fixtures/rules');
  for (const code of ['WF001', 'WF002', 'WF003', 'WF004']) {
    const dir = path.join(base, code);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.workflow.yaml'))) {
      test(`${code}/${f}`, () => {
        const text = readFileSync(path.join(dir, f), 'utf8');
        const expected = JSON.parse(
          readFileSync(path.join(dir, f.replace(/\.workflow\.yaml$/, '.expected.json')), 'utf8'),
        ) as Diagnostic[];
        // Only WF002 is compared exactly here; the full lists (with every rule) are the golden harness's job.
        const mine = (list: Diagnostic[]) =>
          list
            .filter((d) => d.code === 'WF002')
            .map(({ code, severity, message, range }) => ({ code, severity, message, range }));
        const got = validate(text, { only: SYNTAX });
        assert.deepEqual(mine(got), mine(expected));
        const codes = new Set(got.map((d) => d.code));
        if (f.startsWith('fail-')) assert.ok(codes.has(code), `${f} yields ${code}`);
        else assert.ok(!codes.has(code), `${f} must not yield ${code}`);
        assert.deepEqual(
          [...codes].sort(),
          [...new Set(expected.filter((d) => SYNTAX.has(d.code)).map((d) => d.code))].sort(),
        );
      });
    }
  }
});

describe('robustness', () => {
  const example = readFileSync(path.join(root, 'examples/lead-nurture.workflow.yaml'), 'utf8');
  test('random edits never throw, and every range lies inside the text', () => {
    fc.assert(
      fc.property(fc.nat(example.length), fc.nat(40), fc.string({ maxLength: 12 }), (at, cut, insert) => {
        const text = example.slice(0, at) + insert + example.slice(Math.min(example.length, at + cut));
        const parsed = parseText(text);
        const lineCount = parsed.lines.lineCount;
        const list = parsed.data === undefined ? [] : checkSchema(parsed, {});
        for (const d of list) {
          assert.equal(d.code, 'WF002');
          assert.ok(d.message.length > 0);
          assert.ok(d.range.start.line < lineCount && d.range.end.line < lineCount);
          assert.ok(d.range.start.line < d.range.end.line || d.range.start.character <= d.range.end.character);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('rule pages in docs/rules', () => {
  const dir = path.join(root, 'docs/rules');
  const pages = readdirSync(dir).filter((f) => /^WF\d{3}\.md$/.test(f));
  const blocks = (md: string, heading: string) => {
    const at = md.indexOf(`## ${heading}\n`);
    if (at < 0) return undefined;
    const m = /```yaml\n([\s\S]*?)```/.exec(md.slice(at));
    return m?.[1];
  };

  test('the index lists every page, and every page has the sections a rule page needs', () => {
    const index = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.ok(pages.length >= 29);
    for (const p of pages) {
      assert.ok(index.includes(`](${p})`), `README links ${p}`);
      const md = readFileSync(path.join(dir, p), 'utf8');
      for (const h of ['What it checks', 'Why the platform cares', 'Failing example', 'Fixed', 'Quick fix'])
        assert.ok(md.includes(`## ${h}\n`), `${p}: ${h}`);
    }
  });

  // What each page's examples need beyond the text to show their rule (the facts a CLI or server gathers).
  const agent = (id: string, published: boolean, prompt?: string) => ({
    id,
    published,
    prompt,
    defaultVariables: [] as string[],
  });
  const online = (extra: Partial<OnlineData> = {}, prompt = 'Hello, this is Asha from the clinic.'): OnlineData => ({
    agents: new Map([
      ['agt_abc123', agent('agt_abc123', true, prompt)],
      ['agt_def456', agent('agt_def456', true)],
      ['agt_draft_only', agent('agt_draft_only', false)],
    ]),
    phoneNumbers: new Map([['+912234567890', 'active']]),
    ...extra,
  });
  const optionsFor = (code: string, failing: boolean): ValidateOptions => {
    switch (code) {
      case 'WF105':
        return { workspaceLimit: 25 };
      case 'WF125':
        return {
          leads: {
            path: './leads.sample.csv',
            columns: failing ? ['name', 'number'] : ['phone_number', 'customer_name'],
          },
        };
      case 'WF201':
      case 'WF202':
        return { online: online() };
      case 'WF203':
        return { online: online({}, 'Hi {{customer_name}}, about your loan of {{loan_amount}}...') };
      case 'WF204':
        return {
          online: online(
            failing ? { drift: { message: 'the workflow was edited in the dashboard after the last push' } } : {},
          ),
        };
      default:
        return {};
    }
  };

  test('each failing example shows its rule and nothing else; each fixed example is clean (infos aside)', () => {
    for (const p of pages) {
      const md = readFileSync(path.join(dir, p), 'utf8');
      const code = p.slice(0, 5);
      const fixed = blocks(md, 'Fixed');
      const failing = blocks(md, 'Failing example');
      assert.ok(fixed && failing, `${p} has both examples`);
      const loud = (list: Diagnostic[]) => list.filter((d) => d.severity !== 'info' || d.code === code);
      assert.deepEqual(
        loud(validate(fixed, optionsFor(code, false))).map((d) => `${d.code} ${d.message}`),
        [],
        `${p} fixed example`,
      );
      const codes = new Set(loud(validate(failing, optionsFor(code, true))).map((d) => d.code));
      assert.deepEqual([...codes], [code], `${p} failing example`);
    }
  });
});

describe('examples', () => {
  const dir = path.join(root, 'examples');
  test('every valid example is clean under every rule, with its leads file read as the CLI reads it', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.workflow.yaml'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const leadsPath = /^leads:\s*(\S+)/m.exec(text)?.[1];
      const options: ValidateOptions = leadsPath
        ? { leads: leadsInfoFromCsv(leadsPath, readFileSync(path.join(dir, leadsPath), 'utf8')) }
        : {};
      assert.deepEqual(
        validate(text, options).map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`),
        [],
        f,
      );
    }
  });

  test('the broken showcase reports exactly the codes its comments announce, each on its line', () => {
    const text = readFileSync(path.join(dir, 'broken/showcase.workflow.yaml'), 'utf8');
    const lines = text.split('\n');
    const announced: string[] = [];
    lines.forEach((l, i) => {
      const comment = l.indexOf('#');
      if (comment < 0 || i < 3) return;
      for (const m of l.slice(comment).matchAll(/WF\d{3}/g)) announced.push(`${i + 1} ${m[0]}`);
    });
    const reported = validate(text).map((d) => `${d.range.start.line + 1} ${d.code}`);
    assert.deepEqual([...new Set(reported)].sort(), [...new Set(announced)].sort());
    const codes = new Set(reported.map((r) => r.split(' ')[1]));
    for (const c of [
      'WF002',
      'WF101',
      'WF102',
      'WF103',
      'WF104',
      'WF110',
      'WF111',
      'WF112',
      'WF113',
      'WF114',
      'WF115',
      'WF116',
      'WF118',
      'WF119',
      'WF120',
      'WF121',
      'WF122',
      'WF123',
    ])
      assert.ok(codes.has(c), c);
  });
});
