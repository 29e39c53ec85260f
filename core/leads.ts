// The header of a leads CSV, read by whoever does the I/O (CLI, server) and handed to the rules.
import type { LeadsInfo } from './options';

/**
 * The column names of a CSV's first record: a UTF-8 BOM is dropped, quoted fields may hold commas,
 * doubled quotes and line breaks, CRLF or LF ends the record, blank leading lines are skipped, and
 * unquoted names are trimmed. An empty text gives [].
 */
export function parseCsvHeader(text: string): string[] {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  if (i >= text.length) return [];
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let sawQuote = false;
  const push = () => { fields.push(sawQuote ? field : field.trim()); field = ''; sawQuote = false; };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field.trim() === '') { quoted = true; sawQuote = true; field = ''; }
    else if (c === ',') push();
    else if (c === '\n' || c === '\r') break;
    else if (!sawQuote) field += c;
  }
  push();
  return fields;
}

/** LeadsInfo for a CSV whose text was read; the columns are the header's. */
export function leadsInfoFromCsv(path: string, text: string): LeadsInfo {
  return { path, columns: parseCsvHeader(text) };
}
