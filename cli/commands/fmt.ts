// `callflow fmt [PATH…] [--check]`: rewrites files into canonical form (docs/format.md).
// Without --check, rewritten files are listed on stdout; with --check, the files that differ are
// listed and nothing is written. A file that cannot be formatted (a YAML syntax error, unreadable)
// is named on stderr and left untouched.
// Exit: 2 when any file could not be formatted; else 1 with --check when any file differs; else 0.
import { formatWorkflow } from '../../core/format';
import { defineCommand } from '../args';
import { command } from '../command';
import { findWorkflowFiles, readTextFile, writeTextFileAtomic } from '../files';
import { CliError, EXIT } from '../io';

export const FMT_SPEC = defineCommand({
  name: 'fmt',
  summary:
    'Rewrites workflow files into canonical form (key order, two-space indent, comments kept). Folders are searched for *.workflow.yaml; no PATH: the current folder.',
  positionals: { name: '[PATH…]', min: 0, max: Infinity },
  flags: {
    check: {
      type: 'boolean',
      description: 'write nothing; list the files that are not in canonical form and exit 1 if any',
    },
  },
  notes:
    'exit codes: 0 done (or all canonical), 1 --check found files to format, 2 a file could not be formatted or read',
});

export const fmt = command({
  spec: FMT_SPEC,
  async run(args) {
    const files = findWorkflowFiles(args.positionals);
    if (files.length === 0)
      throw new CliError(
        `no *.workflow.yaml files found in ${args.positionals.join(', ') || 'the current folder'}`,
        EXIT.usage,
      );
    let failed = 0,
      differ = 0;
    for (const file of files) {
      try {
        const text = readTextFile(file);
        const r = formatWorkflow(text);
        if ('error' in r) {
          process.stderr.write(`callflow: ${file}: not formatted: ${r.error}\n`);
          failed++;
          continue;
        }
        if (!r.changed) continue;
        differ++;
        if (!args.flags.check) writeTextFileAtomic(file, r.text);
        process.stdout.write(`${file}\n`);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        process.stderr.write(`callflow: ${e.message}\n`);
        failed++;
      }
    }
    const exit = failed > 0 ? EXIT.usage : args.flags.check && differ > 0 ? EXIT.problems : EXIT.ok;
    if (!args.flags.check || differ === 0) return exit;
    return {
      exit,
      summary: `${differ} of ${files.length} files are not in canonical form; run 'callflow fmt' to fix`,
      summaryOn: 'stderr',
    };
  },
});
