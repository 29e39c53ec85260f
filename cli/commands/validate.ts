// `callflow validate [PATH…]`: the rules engine over files, reported as text, JSON, SARIF or
// GitHub annotations. Exit 0: no errors (and warnings within --max-warnings); 1: errors or too
// many warnings; 2: could not run (bad arguments, a path not found, a file unreadable, no files,
// with --online: no usable target, unreachable API, bad credentials).
import type { Command } from './index';
import { analyzeParsed } from '../../core/validate';
import { parseText } from '../../core/parse';
import { defineCommand, parseArgs, printHelp } from '../args';
import { findWorkflowFiles, forEachReadable, gatherValidateOptions } from '../files';
import { CliError, EXIT, useColor } from '../io';
import { apiFailure, withPlatform } from '../platform-context';
import { gatherOnlineDataForFile } from '../../platform/online';
import type { OnlineData } from '../../core/options';
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

/**
 * The WF2xx facts from the file's target (its nearest callflow.config.yaml's default target, or the
 * local emulator). Any failure to get them means the command could not run as asked: exit 2.
 */
async function onlineData(file: string): Promise<OnlineData> {
  try {
    return await withPlatform(file, {}, (ctx) => gatherOnlineDataForFile(ctx.target, file, ctx.client));
  } catch (e) {
    const err = apiFailure(e, `${file}: online checks failed`);
    throw new CliError(err.message, EXIT.usage);
  }
}

export const CLI_VERSION = process.env.CALLFLOW_VERSION ?? '0.1.0';

export const validate: Command = {
  summary: 'validate workflow files (text, json, sarif or github report)',
  async run(argv) {
    const args = parseArgs(VALIDATE_SPEC, argv);
    if (args.help) return printHelp(VALIDATE_SPEC);
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
      if (args.flags.online) options.online = await onlineData(file);
      reports.push({ file, text, diagnostics: analyzeParsed(parsed, options).diagnostics });
    });

    const format = args.flags.format as (typeof REPORT_FORMATS)[number];
    process.stdout.write(renderReport(format, reports, { color: useColor(process.stdout), version: CLI_VERSION }));
    const counts = countSeverities(reports);
    if (format === 'github') process.stderr.write(`${summaryLine(counts)}\n`);
    const maxWarnings = args.flags['max-warnings'];
    if (maxWarnings !== undefined && counts.warning > maxWarnings) {
      process.stderr.write(
        `callflow: ${counts.warning} warning${counts.warning === 1 ? '' : 's'} exceed${counts.warning === 1 ? 's' : ''} --max-warnings ${maxWarnings}\n`,
      );
    }
    if (unreadable > 0) return EXIT.usage;
    if (counts.error > 0 || (maxWarnings !== undefined && counts.warning > maxWarnings)) return EXIT.problems;
    return EXIT.ok;
  },
};
