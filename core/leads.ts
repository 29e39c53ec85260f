// The header of a leads CSV, read by whoever does the I/O (CLI, server) and handed to the rules.
import { parseCsv } from './csv';
import type { LeadsInfo, LeadsProblem } from './options';

/**
 * The column names of a CSV's first record: a UTF-8 BOM is dropped, quoted fields may hold commas,
 * doubled quotes and line breaks, CRLF or LF ends the record, blank leading lines are skipped, and
 * unquoted names are trimmed. An empty text gives [].
 */
export function parseCsvHeader(text: string): string[] {
  return parseCsv(text, 1)[0] ?? [];
}

/** LeadsInfo for a CSV whose text was read; the columns are the header's. */
export function leadsInfoFromCsv(path: string, text: string): LeadsInfo {
  return { path, columns: parseCsvHeader(text) };
}

/** WF125's words for each reason a leads file was not read (one message for the CLI and the editor). */
export const LEADS_PROBLEM_TEXT: Record<LeadsProblem, string> = {
  'not-found': 'file not found',
  absolute: 'an absolute path is not allowed: write a path relative to the workflow file, inside the repository',
  'outside-root': 'the path leads outside the repository (or workspace folder); keep the leads file inside it',
  folder: 'is a folder',
  'not-regular': 'not a regular file (a device, pipe or socket)',
  'permission-denied': 'permission denied',
  'not-text': 'not a text CSV file',
  'header-too-long': 'its header line is longer than 64 KiB',
  unreadable: 'the file cannot be read',
};

/**
 * Column names a message may quote: valid variable names only, so a message never echoes other
 * content of a file (a `.env` line, a token) that `leads:` happened to name.
 */
export function quotableColumns(columns: readonly string[]): { shown: string[]; hidden: number } {
  const shown = columns.filter((c) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(c));
  return { shown, hidden: columns.length - shown.length };
}
