/**
 * The vocabulary file of a pretrained text model (`base.vocabulary`): one token per line in embedding
 * row order, as Keras' `TextVectorization.get_vocabulary()` lists them — line 1 empty (row 0, padding),
 * line 2 `[UNK]` (row 1, out of vocabulary), then one word per row. The same row layout as a
 * `wordVectors` base (`encode.ts`), so documents encode the same way.
 */
import * as fs from 'node:fs';
import { DataError } from '../data/errors.js';

/**
 * Reads the words of rows 2.. (NFC-normalised; a trailing newline and `\r\n` line ends are fine).
 * @throws DataError naming the file (and line) when it is missing, not UTF-8, lacks the padding and
 *   `[UNK]` lines, has an empty or repeated word, or has no word.
 */
export function readVocabularyFile(file: string): string[] {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(`vocabulary file not found: ${file}`, file, { cause: e });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    throw new DataError(`${file}: not valid UTF-8`, file, { cause: e });
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== '' || lines[1] !== '[UNK]') {
    throw new DataError(
      `${file}: lines 1 and 2 must be the padding token (an empty line) and "[UNK]" (rows 0 and 1, as TextVectorization.get_vocabulary() lists them)`,
      file,
    );
  }
  const words = lines.slice(2).map((w) => w.normalize('NFC'));
  const seen = new Map<string, number>();
  words.forEach((w, i) => {
    if (w === '') throw new DataError(`${file}: line ${i + 3} is empty (only line 1, the padding, may be)`, file);
    const before = seen.get(w);
    if (before !== undefined) throw new DataError(`${file}: line ${i + 3} repeats "${w}" of line ${before}`, file);
    seen.set(w, i + 3);
  });
  if (words.length === 0) throw new DataError(`${file}: no words after the padding and [UNK] lines`, file);
  return words;
}
