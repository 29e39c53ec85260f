// The rule catalogue (core/rules/catalogue.ts) against everything that restates it: the docs pages
// and their index, the spec's tables, the rule families that produce the codes, the schema's
// vocabulary. Any disagreement fails here, so a rule is added in one place.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../core/validate';
import { parseText } from '../../core/parse';
import { checkSchema } from '../../core/schema-check';
import { FAMILIES } from '../../core/rules';
import { CATALOGUE, RULE_CODES, SECTION_TITLES, ruleInfo, type RuleSection } from '../../core/rules/catalogue';
import type { RuleContext } from '../../core/rules/context';
import { ruleDocUrl } from '../../core/diagnostic';
import { NODE_TYPES, OPERATORS } from '../../core/vocabulary';
import WORKFLOW_SCHEMA from '../../schemas/workflow.schema.json';
import { expectGoldenRegion } from '../support/golden';
import { optionsFor, type OptionsJson } from './rules-fixtures';

const root = path.join(__dirname, '../..');
const DOCS = path.join(root, 'docs/rules');
const FIXTURES = path.join(root, 'test/fixtures/rules');

/** The tables of docs/rules/README.md, as the catalogue says they are. */
function renderTables(): string {
  const out: string[] = [];
  for (const section of Object.keys(SECTION_TITLES) as RuleSection[]) {
    out.push(`## ${SECTION_TITLES[section]}`, '', '| code | severity | checks |', '|---|---|---|');
    for (const e of CATALOGUE.filter((x) => x.section === section))
      out.push(`| [${e.code}](${e.docs}.md) | ${e.severityNote ?? e.severity} | ${e.title} |`);
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

describe('rule catalogue', () => {
  test('codes are unique and in order; every code has a title, a summary and a docs page', () => {
    const codes = CATALOGUE.map((e) => e.code);
    assert.deepEqual(codes, [...new Set(codes)].sort());
    for (const e of CATALOGUE) {
      assert.ok(e.title && e.summary, e.code);
      assert.ok(existsSync(path.join(DOCS, `${e.docs}.md`)), `docs/rules/${e.docs}.md exists`);
      assert.equal(ruleDocUrl(e.code).endsWith(`/docs/rules/${e.docs}.md`), true);
    }
    const pages = readdirSync(DOCS).filter((f) => /^WF\d{3}\.md$/.test(f));
    assert.deepEqual(pages.sort(), CATALOGUE.map((e) => `${e.docs}.md`).sort(), 'no page without a catalogue entry');
  });

  test('each docs page states the catalogue title, severity and section', () => {
    for (const e of CATALOGUE) {
      const md = readFileSync(path.join(DOCS, `${e.docs}.md`), 'utf8');
      const lines = md.split('\n');
      assert.equal(lines[0], `# ${e.code}: ${e.title}`);
      assert.equal(lines[2], `**Severity:** ${e.severityNote ?? e.severity}  `, `${e.code} severity line`);
      assert.equal(lines[3], `**Family:** ${SECTION_TITLES[e.section]}`, `${e.code} section line`);
    }
  });

  test('the tables of docs/rules/README.md are generated from the catalogue', () => {
    expectGoldenRegion(path.join(DOCS, 'README.md'), 'rule tables', renderTables());
  });

  test('the spec lists the same codes, in the same tables, with the same severities', () => {
    const spec = readFileSync(path.join(root, 'docs/spec/rules.md'), 'utf8');
    const titles = Object.fromEntries(Object.entries(SECTION_TITLES).map(([k, v]) => [v.split(' (')[0], k]));
    let section: string | undefined;
    const seen: string[] = [];
    for (const line of spec.split('\n')) {
      const h = /^## (.+)$/.exec(line);
      if (h) section = titles[h[1].split(' (')[0]];
      const row = /^\| (WF\d{3}) \| ([^|]+) \|/.exec(line);
      if (!row) continue;
      const e = ruleInfo(row[1]);
      assert.ok(e, `${row[1]} is in the catalogue`);
      assert.equal(e.section, section, `${row[1]} section`);
      assert.ok(
        row[2].trim().startsWith(e.severity),
        `${row[1]}: spec says "${row[2].trim()}", catalogue ${e.severity}`,
      );
      seen.push(row[1]);
    }
    assert.deepEqual(
      seen,
      CATALOGUE.map((e) => e.code),
    );
  });

  test('every family is in the catalogue, and produces only the codes the catalogue gives it', () => {
    const families = new Set(CATALOGUE.map((e) => e.family));
    for (const name of Object.keys(FAMILIES)) assert.ok(families.has(name as never), `${name} has catalogue entries`);
    for (const f of families) assert.ok(f === 'parse' || f === 'schema' || f in FAMILIES, `${f} is registered`);
    const produced = new Set<string>();
    for (const code of readdirSync(FIXTURES)) {
      const dir = path.join(FIXTURES, code);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.workflow.yaml'))) {
        const text = readFileSync(path.join(dir, f), 'utf8');
        const optPath = path.join(dir, f.replace('.workflow.yaml', '.options.json'));
        const json = existsSync(optPath) ? (JSON.parse(readFileSync(optPath, 'utf8')) as OptionsJson) : undefined;
        const options = optionsFor(dir, text, json);
        const parsed = parseText(text);
        for (const d of parsed.diagnostics) assert.equal(ruleInfo(d.code)?.family, 'parse', `${f}: ${d.code}`);
        for (const d of checkSchema(parsed, options))
          assert.equal(ruleInfo(d.code)?.family, 'schema', `${f}: ${d.code}`);
        const a = analyze(text, options);
        if (!a.model || !a.graph || !parsed.doc) continue;
        const ctx: RuleContext = {
          text,
          lines: parsed.lines,
          doc: parsed.doc,
          data: parsed.data,
          model: a.model,
          graph: a.graph,
          options,
        };
        for (const [name, rule] of Object.entries(FAMILIES))
          for (const d of rule(ctx)) {
            assert.equal(ruleInfo(d.code)?.family, name, `${code}/${f}: ${d.code} comes from ${name}`);
            produced.add(d.code);
          }
      }
    }
    assert.deepEqual([...produced].sort(), [...RULE_CODES].sort(), 'the fixtures exercise every rule code');
  });

  test('the vocabulary is the schema’s', () => {
    const defs = (
      WORKFLOW_SCHEMA as unknown as { definitions: Record<string, { properties: Record<string, { enum?: string[] }> }> }
    ).definitions;
    assert.deepEqual([...NODE_TYPES], defs.node.properties.type.enum);
    assert.deepEqual([...OPERATORS], defs.condition.properties.operator.enum);
    assert.ok(OPERATORS.includes('greater_than'));
  });
});
