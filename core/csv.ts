// RFC 4180 CSV records (quoted fields with commas, doubled quotes and line breaks; CRLF or LF; a
// leading BOM). One reader for the rules (a leads file's header) and the emulator (its rows), so
// the editor and the platform always agree on a file's columns.

/**
 * Records of a CSV text, at most `maxRecords` of them. Unquoted fields are trimmed; blank lines
 * carry no record and are skipped.
 */
export function parseCsv(text: string, maxRecords = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let sawQuote = false;
  const endField = () => {
    row.push(sawQuote ? field : field.trim());
    field = '';
    sawQuote = false;
  };
  const endRecord = () => {
    const blank = row.length === 0 && !sawQuote && field.trim() === '';
    endField();
    if (!blank) rows.push(row);
    row = [];
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length && rows.length < maxRecords; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && !sawQuote && field.trim() === '') {
      quoted = true;
      sawQuote = true;
      field = '';
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else if (!sawQuote) field += c;
  }
  if (rows.length < maxRecords && (row.length > 0 || sawQuote || field.trim() !== '')) endRecord();
  return rows;
}
