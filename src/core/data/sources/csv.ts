/**
 * The `csv` source: numeric feature columns and one label column of a CSV file with a header row.
 *
 * Labels are either integer class indices or class names:
 * - in a training source, when at least half of the labels are integer literals (`/^-?\d+$/`), all
 *   must be non-negative integers and the class names are "0".."max"; otherwise every label is a
 *   class name and the classes are the distinct names sorted by UTF-16 code unit (locale-independent);
 * - in a validation/test source (training class names known), a label must be one of the training
 *   class names, or an integer 0..numClasses-1.
 * Rows are named by the 1-based line of the file where they start ("row 17"), as an editor shows it.
 * Features are stored as float32, unscaled.
 */
import { readFile } from 'node:fs/promises';
import type { CsvSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import { ExampleView, FloatStore } from '../example-set.js';
import { parseCsv } from './csv-parse.js';
import { selectByClass } from './select.js';
import type { SourceContext, SourceData } from './source.js';

const INTEGER = /^-?\d+$/;

/**
 * Reads a csv source: features of `src.featureColumns` (default: every column but the label), labels
 * of `src.labelColumn` (default "label"), at most `src.perClass` rows of each class (the first in
 * file order). Ids are `"<file> row <line>"`.
 * @throws DataError naming the file (and the row and column where it applies) for a missing file,
 *         malformed CSV, a missing or duplicated column, a row with the wrong number of fields, a
 *         feature that is not a finite number, or a label that is neither an integer class index
 *         nor a known class name.
 */
export async function loadCsv(src: CsvSource, ctx: SourceContext): Promise<SourceData> {
  const file = src.path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `CSV file not found: ${file}` : `cannot read CSV file ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  const records = parseCsv(text, file);
  if (records.length === 0) throw new DataError(`${file} is empty: expected a header row and data rows`, file);
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1);
  if (rows.length === 0) throw new DataError(`${file} has a header row but no data rows`, file);

  const column = (name: string, what: string): number => {
    const hits = header.flatMap((h, i) => (h === name ? [i] : []));
    if (hits.length === 0) {
      throw new DataError(`${file}: ${what} column "${name}" not found; the header has ${header.map((h) => JSON.stringify(h)).join(', ')}`, file);
    }
    if (hits.length > 1) throw new DataError(`${file}: column "${name}" appears ${hits.length} times in the header`, file);
    return hits[0];
  };
  const labelColumn = src.labelColumn ?? 'label';
  const labelCol = column(labelColumn, 'label');
  const featureCols = src.featureColumns ? src.featureColumns.map((name) => column(name, 'feature')) : header.map((_, i) => i).filter((i) => i !== labelCol);
  if (featureCols.includes(labelCol)) throw new DataError(`${file}: the label column "${labelColumn}" is also listed as a feature column`, file);
  if (featureCols.length === 0) throw new DataError(`${file}: no feature columns besides the label column "${labelColumn}"`, file);
  const where = (line: number, col: number) => `${file}: row ${line}, column ${col + 1} ("${header[col]}")`;

  // features
  const size = featureCols.length;
  const features = new Float32Array(rows.length * size);
  rows.forEach((r, k) => {
    if (r.fields.length !== header.length) {
      throw new DataError(`${file}: row ${r.line} has ${r.fields.length} fields but the header has ${header.length}`, file);
    }
    featureCols.forEach((c, j) => {
      const raw = r.fields[c].trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw new DataError(`${where(r.line, c)}: feature value ${JSON.stringify(r.fields[c])} is not a finite number`, file);
      features[k * size + j] = v;
    });
  });

  // labels
  const rawLabels = rows.map((r) => r.fields[labelCol].trim().normalize('NFC'));
  const { classNames, labels } = ctx.knownClasses
    ? labelsAgainst(ctx.knownClasses, rawLabels, rows, (line) => where(line, labelCol), file)
    : labelsOfTraining(rawLabels, rows, (line) => where(line, labelCol), file);

  const sel = selectByClass(labels, {
    numClasses: classNames.length,
    perClass: src.perClass,
    where: `csv ${file}`,
    source: file,
    allowMissing: ctx.knownClasses !== undefined,
  });
  const store = new FloatStore(features, rows.length, size, (pos) => `${file} row ${rows[pos].line}`);
  return { classNames, set: new ExampleView(store, sel.positions, sel.labels), skipped: [] };
}

/** Labels of a training csv (see the module comment for the integer/name rule). */
function labelsOfTraining(
  raw: string[],
  rows: { line: number }[],
  where: (line: number) => string,
  file: string,
): { classNames: string[]; labels: Int32Array } {
  raw.forEach((v, k) => {
    if (v === '') throw new DataError(`${where(rows[k].line)}: empty label`, file);
  });
  const integers = raw.filter((v) => INTEGER.test(v)).length;
  const labels = new Int32Array(raw.length);
  if (integers * 2 >= raw.length) {
    let max = 0;
    raw.forEach((v, k) => {
      if (!INTEGER.test(v) || Number(v) < 0) {
        throw new DataError(
          `${where(rows[k].line)}: label ${JSON.stringify(v)} is not a non-negative integer class index (most labels of this file are integers)`,
          file,
        );
      }
      labels[k] = Number(v);
      max = Math.max(max, labels[k]);
    });
    const seen = new Set(labels);
    const missing = Array.from({ length: max + 1 }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length > 0) {
      // Labels 1..3 for three classes: class indices start at 0, so the highest label is out of range.
      const found = [...seen].sort((a, b) => a - b);
      const shown = found.length <= 12 ? found.join(', ') : `${found.slice(0, 12).join(', ')}, …`;
      throw new DataError(
        `${where(rows[labels.indexOf(max)].line)}: label ${max} is out of range for the ${found.length} classes found: integer labels are class ` +
          `indices 0..n-1, and no row has label ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} (labels found: ${shown}); ` +
          'number the classes from 0, or use class names',
        file,
      );
    }
    return { classNames: Array.from({ length: max + 1 }, (_, i) => String(i)), labels };
  }
  const classNames = [...new Set(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classNames.map((n, i) => [n, i]));
  raw.forEach((v, k) => (labels[k] = index.get(v)!));
  return { classNames, labels };
}

/** Labels of a validation/test csv, resolved against the training class names. */
function labelsAgainst(
  known: readonly string[],
  raw: string[],
  rows: { line: number }[],
  where: (line: number) => string,
  file: string,
): { classNames: string[]; labels: Int32Array } {
  const index = new Map(known.map((n, i) => [n.normalize('NFC'), i]));
  const labels = new Int32Array(raw.length);
  raw.forEach((v, k) => {
    const byName = index.get(v);
    if (byName !== undefined) labels[k] = byName;
    else if (INTEGER.test(v) && Number(v) >= 0 && Number(v) < known.length) labels[k] = Number(v);
    else {
      const names = known.length <= 12 ? ` (${known.map((n) => JSON.stringify(n)).join(', ')})` : '';
      throw new DataError(
        `${where(rows[k].line)}: label ${JSON.stringify(v)} is not an integer 0..${known.length - 1} and not a known class name${names}`,
        file,
      );
    }
  });
  return { classNames: [...known], labels };
}
