// `callflow validate [PATH…]`: the rules engine over files, reported as text, JSON, SARIF or
// GitHub annotations. Exit 0: no errors (and warnings within --max-warnings); 1: errors or too
// many warnings; 2: could not run (bad arguments, a path not found, a file unreadable, no files,
// with --online: no usable target, unreachable API, bad credentials). The --online facts come from
// cli/online-data.ts, loaded only with that flag.
import { analyzeParsed } from '../../core/validate';
import { parseText } from '../../core/parse';
import { defineCommand } from '../args';
import { command } from '../command';
import { findWorkflowFiles, forEachReadable, gatherValidateOptions } from '../files';
import { CliError, EXIT, useColor } from '../io';
import { countSeverities, renderReport, REPORT_FORMATS, summaryLine, type FileReport } from '../report';

export const VALIDATE_SPEC = defineCommand({
  name: 'validate',
  summary:
    'Validates workflow files. Folders are searched recursively for *.workflow.yaml (node_modules and dot folders skipped); no PATH: the current folder.',
  positionals: { name: '[PATH…]', min: 0, max: Infinity },
  flags: {
    format: { type: 'string', choices: REPORT_FORMATS, default: 'text', description: 'report format on stdout' },
    'max-warnings': { type: 'number', valueName: 'N', description: 'exit 1 when there are more than N warnings' },
    online: {
      type: 'boolean',
      description:
        "also run the WF2xx checks against the file's target (callflow.config.yaml default_target, else the local emulator)",
    },
  },
  notes: 'exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 could not run',
});

export const CLI_VERSION = process.env.CALLFLOW_VERSION ?? '0.1.0';

export const validate = command({
  spec: VALIDATE_SPEC,
  async run(args) {
    const files = findWorkflowFiles(args.positionals);
    if (files.length === 0) {
      throw new CliError(
        `no *.workflow.yaml files found in ${args.positionals.length ? args.positionals.join(', ') : 'the current folder'}`,
        EXIT.usage,
      );
    }

    const reports: FileReport[] = [];
    const unreadable = await forEachReadable(files, async (file, text) => {
      const parsed = parseText(text);
      const options = gatherValidateOptions(file, parsed.data);
      if (args.flags.online) options.online = await (await import('../online-data')).onlineData(file);
      reports.push({ file, text, diagnostics: analyzeParsed(parsed, options).diagnostics });
    });

    const format = args.flags.format as (typeof REPORT_FORMATS)[number];
    process.stdout.write(renderReport(format, reports, { color: useColor(process.stdout), version: CLI_VERSION }));
    const counts = countSeverities(reports);
    const maxWarnings = args.flags['max-warnings'];
    if (maxWarnings !== undefined && counts.warning > maxWarnings) {
      process.stderr.write(
        `callflow: ${counts.warning} warning${counts.warning === 1 ? '' : 's'} exceed${counts.warning === 1 ? 's' : ''} --max-warnings ${maxWarnings}\n`,
      );
    }
    const exit =
      unreadable > 0
        ? EXIT.usage
        : counts.error > 0 || (maxWarnings !== undefined && counts.warning > maxWarnings)
          ? EXIT.problems
          : EXIT.ok;
    // The text report ends with the summary; the GitHub annotations get it on stderr, in the log.
    return format === 'github' ? { exit, summary: summaryLine(counts), summaryOn: 'stderr' } : exit;
  },
});
