// `callflow leads upload WORKFLOW_FILE [CSV]`: enrols a lead file in the workflow the state file
// records for the target. The CSV defaults to the workflow's `leads:` file only on the `local`
// target; on any other target it must be named (uploaded leads are dialled once the workflow is
// active, so this is never implicit). A preview (row count, columns) is confirmed first, or --yes.
// Reading, checking and uploading the file is platform/leads.ts (the extension's Upload Leads too).
import path from 'node:path';
import { parseText } from '../../core/parse';
import { quotableColumns } from '../../core/leads';
import { defineCommand, parseArgs, printHelp } from '../args';
import { readTextFile } from '../files';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, openPlatform, PLATFORM_NOTES } from '../platform-context';
import {
  LeadsFileError,
  readLeadsFile,
  readWorkflowLeadsFile,
  uploadLeads,
  type LeadsFile,
} from '../../platform/leads';
import { readState, statePathFor } from '../../platform/state';
import { LOCAL_TARGET } from '../../platform/targets';
import { leadsPathFromData, leadsRoot } from '../../platform/workspace-files';
import type { Command } from './index';

const SPEC = defineCommand({
  name: 'leads upload',
  summary:
    "Uploads a lead CSV to the workflow a file was pushed as. CSV defaults to the file's `leads:` on the local target only; on any other target name it (uploaded leads are dialled on activation).",
  positionals: { name: 'WORKFLOW_FILE [CSV]', min: 1, max: 2 },
  flags: {
    target: {
      type: 'string',
      valueName: 'NAME',
      description: 'target from callflow.config.yaml (default: default_target, else local)',
    },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
  },
  notes: PLATFORM_NOTES,
});

export const leads: Command = {
  summary: 'leads upload: enrol a lead CSV in the pushed workflow',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h' || sub === 'help' || sub === undefined) {
      if (sub === undefined) throw new CliError('leads: missing subcommand (upload)\n\n' + helpOf(), EXIT.usage);
      return printHelp(SPEC);
    }
    if (sub !== 'upload') throw new CliError(`leads: unknown subcommand "${sub}" (upload)`, EXIT.usage);
    const args = parseArgs(SPEC, rest);
    if (args.help) return printHelp(SPEC);
    const [file, csvArg] = args.positionals;
    const text = readTextFile(file);
    const ctx = await openPlatform(file, { targetName: args.flags.target });
    try {
      const target = ctx.target.name;
      let csv: LeadsFile;
      try {
        if (csvArg) csv = readLeadsFile(path.resolve(csvArg));
        else {
          if (target !== LOCAL_TARGET)
            throw new CliError(
              `leads upload: name the CSV: on target ${target} leads are never uploaded implicitly (they are dialled once the workflow is active)`,
              EXIT.usage,
            );
          const leadsPath = leadsPathFromData(parseText(text).data);
          if (!leadsPath) throw new CliError(`leads upload: ${file} has no \`leads:\` file: name the CSV`, EXIT.usage);
          const abs = path.resolve(file);
          csv = readWorkflowLeadsFile(abs, leadsPath, leadsRoot(abs));
        }
      } catch (e) {
        if (e instanceof LeadsFileError) throw new CliError(`leads upload: ${e.message}`, EXIT.usage);
        throw e;
      }
      const stateFile = statePathFor(file);
      let id: string | undefined;
      try {
        id = readState(stateFile).targets.get(target)?.workflowId;
      } catch (e) {
        throw apiFailure(e, 'reading the state failed');
      }
      if (!id)
        throw new CliError(
          `${file} has not been pushed to target ${target}: run \`callflow push ${file}${target === LOCAL_TARGET ? '' : ` --target ${target}`}\` first`,
          EXIT.problems,
        );
      const { shown, hidden } = quotableColumns(csv.columns);
      const cols = [...shown, ...(hidden ? [`${hidden} other`] : [])].join(', ');
      process.stderr.write(
        `${path.basename(csv.path)}: ${csv.rows} lead${csv.rows === 1 ? '' : 's'}, columns: ${cols}\n`,
      );
      const ok = await confirm(
        `Enrol ${csv.rows} lead${csv.rows === 1 ? '' : 's'} in workflow ${id} on target ${target} (they are called once it is active)?`,
        args.flags.yes,
      );
      if (!ok) throw new CliError('cancelled: nothing was uploaded', EXIT.problems);
      let n: number;
      try {
        n = await uploadLeads(ctx.client, id, csv);
      } catch (e) {
        throw apiFailure(e, 'leads upload failed');
      }
      process.stdout.write(`Enrolled ${n} lead${n === 1 ? '' : 's'} in workflow ${id} on target ${target}.\n`);
      return EXIT.ok;
    } finally {
      await ctx.close();
    }
  },
};

function helpOf(): string {
  return `usage: callflow leads upload [options] WORKFLOW_FILE [CSV]`;
}
