/**
 * The `textTable` source: documents and labels in a `.csv` / `.tsv` file with a header row (RFC 4180
 * quoting, so a document may span lines) or a `.jsonl` file (one JSON object a line). Labels are
 * class names (classes sorted by code point) or integers, as for the `csv` source; a validation/test
 * table resolves them against the training classes. Rows are named by their 1-based line.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TextTableSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import type { RawDocument } from '../../text/encode.js';
import { parseCsv } from './csv-parse.js';
import type { SourceContext, SourceData } from './source.js';
import { decodeUtf8, textSourceData } from './text-source.js';

const INTEGER = /^\d+$/;

/**
 * Reads a text table.
 * @throws DataError naming the file (and line, column or property) for a missing file, an unknown
 *   extension, invalid UTF-8, malformed CSV or JSON, a missing text or label column, a row with the
 *   wrong number of fields, an empty or unknown label, no rows, a single class in a training table.
 */
export async function loadTextTable(src: TextTableSource & { textColumn: string; labelColumn: string }, ctx: SourceContext): Promise<SourceData> {
  const file = src.path;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `text table not found: ${file}` : `cannot read ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  const text = decodeUtf8(bytes, file);
  const ext = path.extname(file).toLowerCase();
  const rows =
    ext === '.jsonl' || ext === '.ndjson'
      ? jsonlRows(text, file, src)
      : ext === '.csv' || ext === '.tsv'
        ? csvRows(text, file, src, ext === '.tsv' ? '\t' : ',')
        : undefined;
  if (!rows) throw new DataError(`${file}: unknown table format "${ext}" (expected .csv, .tsv or .jsonl)`, file);
  if (rows.length === 0) throw new DataError(`${file} has no rows`, file);
  const raw = rows.map((r) => r.label);
  let classNames: string[];
  let labels: number[];
  if (ctx.knownClasses) {
    const index = new Map(ctx.knownClasses.map((n, i) => [n, i]));
    classNames = [...ctx.knownClasses];
    labels = rows.map((r) => {
      const byName = index.get(r.label);
      if (byName !== undefined) return byName;
      if (INTEGER.test(r.label) && Number(r.label) < classNames.length) return Number(r.label);
      throw new DataError(
        `${file}: line ${r.line}: label ${JSON.stringify(r.label)} is not a training class (${classNames.map((n) => JSON.stringify(n)).join(', ')})`,
        file,
      );
    });
  } else {
    classNames = [...new Set(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (raw.every((v) => INTEGER.test(v))) classNames.sort((a, b) => Number(a) - Number(b));
    const index = new Map(classNames.map((n, i) => [n, i]));
    labels = raw.map((v) => index.get(v)!);
    if (classNames.length < 2) {
      throw new DataError(`${file}: every row has the label ${JSON.stringify(classNames[0])}: a classifier needs at least two classes`, file);
    }
  }
  const docs: RawDocument[] = rows.map((r, k) => ({ id: `${file} line ${r.line}`, text: r.text, label: labels[k]! }));
  return textSourceData(docs, classNames, ctx, {
    ...(src.perClass !== undefined ? { perClass: src.perClass } : {}),
    where: `text table ${file}`,
    source: file,
  });
}

interface Row {
  text: string;
  label: string;
  line: number;
}

function csvRows(text: string, file: string, src: { textColumn: string; labelColumn: string }, delimiter: ',' | '\t'): Row[] {
  const records = parseCsv(text, file, delimiter);
  if (records.length === 0) throw new DataError(`${file} is empty: expected a header row and data rows`, file);
  const header = records[0]!.fields.map((h) => h.trim());
  const col = (name: string, what: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new DataError(`${file}: ${what} column "${name}" not found; the header has ${header.map((h) => JSON.stringify(h)).join(', ')}`, file);
    return i;
  };
  const t = col(src.textColumn, 'text');
  const l = col(src.labelColumn, 'label');
  return records.slice(1).map((r) => {
    if (r.fields.length !== header.length)
      throw new DataError(`${file}: line ${r.line} has ${r.fields.length} fields but the header has ${header.length}`, file);
    const label = r.fields[l]!.trim().normalize('NFC');
    if (label === '') throw new DataError(`${file}: line ${r.line}: empty label (column "${src.labelColumn}")`, file);
    return { text: r.fields[t]!, label, line: r.line };
  });
}

function jsonlRows(text: string, file: string, src: { textColumn: string; labelColumn: string }): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      throw new DataError(`${file}: line ${line}: not valid JSON (${errorMessage(e)})`, file);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new DataError(`${file}: line ${line}: expected a JSON object`, file);
    const o = obj as Record<string, unknown>;
    const get = (key: string, what: string) => {
      const v = o[key];
      if (v === undefined) throw new DataError(`${file}: line ${line}: ${what} property "${key}" is missing (properties: ${Object.keys(o).join(', ')})`, file);
      if (typeof v !== 'string' && typeof v !== 'number')
        throw new DataError(`${file}: line ${line}: ${what} property "${key}" is not a string or number`, file);
      return String(v);
    };
    const label = get(src.labelColumn, 'label').trim().normalize('NFC');
    if (label === '') throw new DataError(`${file}: line ${line}: empty label (property "${src.labelColumn}")`, file);
    rows.push({ text: get(src.textColumn, 'text'), label, line });
  });
  return rows;
}
