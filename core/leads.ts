// The header of a leads CSV, read by whoever does the I/O (CLI, server) and handed to the rules.
import { parseCsv } from './csv';
import type { LeadsInfo } from './options';

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
