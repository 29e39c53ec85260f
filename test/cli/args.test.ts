import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineCommand, helpText, parseArgs } from '../../cli/args';
import { CliError } from '../../cli/io';

const SPEC = defineCommand({
  name: 'demo',
  summary: 'A demo command.',
  positionals: { name: 'FILE…', min: 1, max: 2 },
  flags: {
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'format' },
    target: { type: 'string', short: 't', valueName: 'NAME', description: 'target' },
    'max-warnings': { type: 'number', description: 'limit' },
    yes: { type: 'boolean', short: 'y', description: 'no questions' },
  },
});

function usage(argv: string[]): string {
  try {
    parseArgs(SPEC, argv);
  } catch (e) {
    assert.ok(e instanceof CliError);
    assert.equal(e.exitCode, 2);
    return e.message;
  }
  assert.fail(`accepted ${JSON.stringify(argv)}`);
}

test('flags in every accepted shape, with defaults and typed values', () => {
  const a = parseArgs(SPEC, ['a.yaml', '--format=json', '-t', 'prod', '--max-warnings', '3', '-y']);
  assert.deepEqual(a, {
    help: false,
    flags: { format: 'json', target: 'prod', 'max-warnings': 3, yes: true },
    positionals: ['a.yaml'],
  });
  const b = parseArgs(SPEC, ['--target=staging', 'x', '--', '--not-a-flag']);
  assert.deepEqual(b.flags, { format: 'text', target: 'staging', 'max-warnings': undefined, yes: false });
  assert.deepEqual(b.positionals, ['x', '--not-a-flag']);
  assert.equal(parseArgs(SPEC, ['x', '--yes', '--no-yes']).flags.yes, false);
  assert.equal(parseArgs(SPEC, ['x', '-tprod']).flags.target, 'prod');
  assert.equal(
    parseArgs(SPEC, ['x', '--format', 'text', '--format', 'json']).flags.format,
    'json',
    'the last one wins',
  );
  assert.deepEqual(parseArgs(SPEC, ['-']).positionals, ['-']);
});

test('help is asked for anywhere and skips the positional count', () => {
  assert.equal(parseArgs(SPEC, ['--help']).help, true);
  assert.equal(parseArgs(SPEC, ['x', '-h']).help, true);
  const h = helpText(SPEC);
  assert.match(h, /^usage: callflow demo \[options\] FILE…\n/);
  assert.match(h, /--format text\|json +format \(default: text\)/);
  assert.match(h, /-t, --target NAME +target/);
  assert.match(h, /-h, --help +show this help/);
});

test('usage errors name the command and what is wrong', () => {
  assert.match(
    usage(['x', '--formt', 'json']),
    /^demo: unknown option --formt \(did you mean --format\?\)\nRun 'callflow demo --help'/,
  );
  assert.match(usage(['x', '-q']), /unknown option -q/);
  assert.match(usage(['x', '--format', 'yaml']), /--format must be one of text, json \(got "yaml"\)/);
  assert.match(usage(['x', '--format', 'jsn']), /did you mean json\?/);
  assert.match(usage(['x', '--target']), /--target needs a value/);
  assert.match(usage(['x', '--target', '--yes']), /--target needs a value/);
  assert.match(usage(['x', '--max-warnings', '-1']), /--max-warnings must be an integer ≥ 0 \(got "-1"\)/);
  assert.match(usage(['x', '--max-warnings', '1.5']), /must be an integer/);
  assert.match(usage(['x', '--max-warnings=']), /must be an integer/);
  assert.match(usage(['x', '--yes=maybe']), /--yes takes no value/);
  assert.match(usage([]), /missing FILE…/);
  assert.match(usage(['a', 'b', 'c']), /too many arguments/);
});
