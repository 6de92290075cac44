/**
 * A small RFC 4180 CSV parser (no CSV package is installed): comma- (or tab-) separated fields, fields in double
 * quotes may contain commas, newlines and doubled quotes (`""`), LF or CRLF line ends, a UTF-8 BOM is
 * ignored, lines that are completely empty are skipped.
 */
import { DataError } from '../errors.js';

/** One parsed record. */
export interface CsvRecord {
  /** Field values, unquoted, untrimmed. */
  fields: string[];
  /** 1-based line of the file where the record starts (the header is line 1 in the usual case). */
  line: number;
}

/**
 * Splits CSV text into records.
 * @param text CSV file content.
 * @param file File path, for messages and `DataError.source`.
 * @param delimiter Field separator: `,` (CSV) or a tab (TSV).
 * @throws DataError naming the file, line and column (1-based field number) for a quote that is never
 *         closed, a character after a closing quote, or a quote inside an unquoted field.
 */
export function parseCsv(text: string, file: string, delimiter: ',' | '\t' = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    // parse one record
    for (;;) {
      const column = fields.length + 1;
      let value = '';
      if (text[i] === '"') {
        const openLine = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new DataError(`${file}: row ${openLine}, column ${column}: quoted field is never closed`, file);
          const chunk = text.slice(i, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new DataError(`${file}: row ${line}, column ${column}: unexpected ${JSON.stringify(text[i])} after a closing quote`, file);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') {
            throw new DataError(`${file}: row ${line}, column ${column}: quote inside an unquoted field (quote the whole field and double the quote)`, file);
          }
          i++;
        }
        value = text.slice(start, i);
      }
      fields.push(value);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      // end of record: newline or end of text
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: startLine });
  }
  return records;
}
