// `callflow leads upload WORKFLOW_FILE [CSV]`: enrols a lead file in the workflow the state file
// records for the target. The CSV defaults to the workflow's `leads:` file only on the `local`
// target; on any other target it must be named (uploaded leads are dialled once the workflow is
// active, so this is never implicit). A preview (row count, columns) is confirmed first, or --yes.
// Reading, checking and uploading the file is platform/leads.ts (the extension's Upload Leads too).
import path from 'node:path';
import { parseText } from '../../core/parse';
import { quotableColumns } from '../../core/leads';
import { platformCommand, platformSpec } from '../platform-command';
import { readTextFile } from '../files';
import { CliError, EXIT } from '../io';
import { apiFailure, confirm, pushedWorkflowId } from '../platform-context';
import {
  LeadsFileError,
  readLeadsFile,
  readWorkflowLeadsFile,
  uploadLeads,
  type LeadsFile,
} from '../../platform/leads';
import { LOCAL_TARGET } from '../../platform/targets';
import { leadsPathFromData, leadsRoot } from '../../platform/workspace-files';

const SPEC = platformSpec({
  name: 'leads upload',
  summary:
    "Uploads a lead CSV to the workflow a file was pushed as. CSV defaults to the file's `leads:` on the local target only; on any other target name it (uploaded leads are dialled on activation).",
  positionals: { name: 'WORKFLOW_FILE [CSV]', min: 1, max: 2 },
  flags: {
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
  },
});

export const leads = platformCommand({
  spec: SPEC,
  target: (args) => ({ file: args.positionals[0] }),
  async run(args, ctx) {
    const [file, csvArg] = args.positionals;
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
        const leadsPath = leadsPathFromData(parseText(readTextFile(file)).data);
        if (!leadsPath) throw new CliError(`leads upload: ${file} has no \`leads:\` file: name the CSV`, EXIT.usage);
        const abs = path.resolve(file);
        csv = readWorkflowLeadsFile(abs, leadsPath, leadsRoot(abs));
      }
    } catch (e) {
      if (e instanceof LeadsFileError) throw new CliError(`leads upload: ${e.message}`, EXIT.usage);
      throw e;
    }
    const id = pushedWorkflowId(ctx, file);
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
    return { exit: EXIT.ok, summary: `Enrolled ${n} lead${n === 1 ? '' : 's'} in workflow ${id} on target ${target}.` };
  },
});
