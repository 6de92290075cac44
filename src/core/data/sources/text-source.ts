/**
 * What every text source shares: strict UTF-8 decoding with the line of the first bad byte, and the
 * step from raw documents to an example view of token ids (class filter, `perClass`, encoding).
 */
import type { ExampleView } from '../example-set.js';
import { ExampleView as View } from '../example-set.js';
import { DataError } from '../errors.js';
import { encodeDocuments, type RawDocument, type TextStats } from '../../text/encode.js';
import { selectByClass } from './select.js';
import type { SourceContext, SourceData } from './source.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes UTF-8 bytes (a leading BOM is dropped, the text NFC-normalised).
 * @throws DataError naming `file` and the 1-based line of the first byte that is not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .normalize('NFC');
  } catch {
    const text = lenient.decode(bytes);
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, Math.max(0, at)).split('\n').length;
    throw new DataError(`${file}: line ${line} is not valid UTF-8 (save the file as UTF-8)`, file);
  }
}

/**
 * Encodes the documents of one source against the vocabulary of the text base.
 * @param docs       every document read, `label` indexing `classNames`.
 * @param where      the source in messages (`text folder /x`).
 * @param source     `DataError.source` (the file or folder).
 * @throws DataError when the experiment has no text base, when there are no documents or none has a
 *   token, when a class has no (non-empty) document, or when a training source has a single class.
 */
export function textSourceData(
  docs: RawDocument[],
  classNames: string[],
  ctx: SourceContext,
  opts: { perClass?: number; where: string; source: string },
): SourceData & { text: TextStats } {
  if (!ctx.text) {
    throw new DataError(`${opts.where} holds text: it needs a text base (base.kind "wordVectors", or a run of a text experiment)`, opts.source);
  }
  if (docs.length === 0) throw new DataError(`no documents in ${opts.where}`, opts.source);
  const { store, kept, stats } = encodeDocuments(docs, ctx.text.vocabulary, ctx.text.maxLength);
  if (kept.length === 0) throw new DataError(`every document of ${opts.where} is empty (no token)`, opts.source);
  const rawLabels = Int32Array.from(kept, (i) => docs[i]!.label);
  const sel = selectByClass(rawLabels, {
    numClasses: classNames.length,
    perClass: opts.perClass,
    where: opts.where,
    source: opts.source,
    allowMissing: ctx.knownClasses !== undefined,
  });
  if (!ctx.knownClasses && classNames.length < 2) {
    throw new DataError(`${opts.where} has a single class (${JSON.stringify(classNames[0])}): a classifier needs at least two`, opts.source);
  }
  const set: ExampleView = new View(store, sel.positions, sel.labels);
  return { classNames, set, skipped: [], text: stats };
}
