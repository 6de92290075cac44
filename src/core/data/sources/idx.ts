/**
 * The `idx` source: MNIST-format IDX files (Fashion-MNIST, MNIST, KMNIST …), gzip-compressed or raw.
 *
 * IDX layout (big-endian): bytes 0–1 zero, byte 2 the element type (0x08 = unsigned byte, the only
 * one accepted here), byte 3 the number of dimensions d, then d uint32 sizes, then the elements.
 * Images are [n, rows, cols] (or [n, rows, cols, channels]); labels are [n].
 *
 * Pixels stay in the decompressed file buffer (a subarray, no copy) unless a class filter or
 * per-class cap drops examples, in which case the kept ones are copied once and the buffer released.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { IdxSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import { ExampleView, PixelStore } from '../example-set.js';
import { selectByClass } from './select.js';
import { checkFixedSize, type SourceContext, type SourceData } from './source.js';

const gunzipAsync = promisify(gunzip);

/** Names of IDX element type codes, for messages. */
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** A decoded IDX file of unsigned bytes. */
export interface IdxArray {
  /** Sizes of each dimension from the header, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The elements, row-major (length = product of `dims`); a view into the decompressed file. */
  data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (gzip detected by content, not by name).
 * @param file     Absolute path.
 * @param expected Allowed numbers of dimensions, e.g. [1] for labels, [3, 4] for images.
 * @throws DataError naming `file` if it is missing, not gzip-decodable, not IDX (bad magic), of
 *         another element type or dimensionality, or shorter/longer than its header says.
 */
export async function readIdx(file: string, expected: number[]): Promise<IdxArray> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `IDX file not found: ${file}` : `cannot read IDX file ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = await gunzipAsync(buf);
    } catch (e) {
      throw new DataError(`${file}: gzip data is corrupt or truncated (${errorMessage(e)})`, file, { cause: e });
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    const magic = buf.subarray(0, 4).toString('hex').padEnd(8, '.');
    throw new DataError(`${file} is not an IDX file (magic number 0x${magic}, expected 0x0000080${expected[0]})`, file);
  }
  const type = buf[2];
  const ndim = buf[3];
  if (type !== 0x08) {
    throw new DataError(`${file}: IDX element type 0x${type.toString(16).padStart(2, '0')} (${IDX_TYPES[type] ?? 'unknown'}) is not supported; expected unsigned bytes (0x08)`, file);
  }
  if (!expected.includes(ndim)) {
    throw new DataError(`${file}: IDX file has ${ndim} dimension(s), expected ${expected.join(' or ')}`, file);
  }
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) throw new DataError(`${file}: IDX header is truncated (${buf.length} bytes)`, file);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const actual = buf.length - headerBytes;
  if (actual !== size) {
    throw new DataError(
      `${file}: header says ${dims.join('×')} = ${size} bytes of data but the file has ${actual} (${actual < size ? 'truncated' : 'trailing bytes'})`,
      file,
    );
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, size) };
}

/**
 * Reads an `idx` source: images at their header size (no resizing), labels checked against
 * `src.classNames` (or 0..max label when absent), then the class filter and per-class cap.
 * Class names are `src.classNames[label]`, else the label as a string. Ids are `"<images file>#<index>"`.
 * @throws DataError naming the file for any {@link readIdx} problem, image/label count mismatch,
 *         a label ≥ `classNames.length` (with its index and value), a bad class filter, an empty
 *         filter result, or an explicit `data.image.size` other than the header size.
 */
export async function loadIdx(src: IdxSource, ctx: SourceContext): Promise<SourceData> {
  const [images, labels] = await Promise.all([readIdx(src.images, [3, 4]), readIdx(src.labels, [1])]);
  const [n, height, width] = images.dims;
  const channels = images.dims[3] ?? 1;
  if (channels !== 1 && channels !== 3) {
    throw new DataError(`${src.images}: images have ${channels} channels; 1 or 3 are supported`, src.images);
  }
  if (labels.dims[0] !== n) {
    throw new DataError(`${src.images} has ${n} images but ${src.labels} has ${labels.dims[0]} labels`, src.labels);
  }
  checkFixedSize(ctx.image, { height, width, channels }, `the idx images ${src.images}`, src.images);

  let numClasses: number;
  if (src.classNames) {
    numClasses = src.classNames.length;
    for (let i = 0; i < n; i++) {
      if (labels.data[i] >= numClasses) {
        throw new DataError(
          `${src.labels}: label ${labels.data[i]} of example ${i} is out of range: classNames has ${numClasses} names (labels 0..${numClasses - 1})`,
          src.labels,
        );
      }
    }
  } else {
    numClasses = 0;
    for (let i = 0; i < n; i++) numClasses = Math.max(numClasses, labels.data[i] + 1);
  }
  const sel = selectByClass(labels.data, {
    numClasses,
    classes: src.classes,
    perClass: src.perClass,
    where: `idx labels ${src.labels}`,
    source: src.labels,
  });

  const bytesPer = height * width * channels;
  const count = sel.positions.length;
  let pixels: Uint8Array;
  let origin: (pos: number) => number;
  if (count === n) {
    pixels = images.data; // every example kept, in order: no copy
    origin = (pos) => pos;
  } else {
    pixels = new Uint8Array(count * bytesPer);
    for (let k = 0; k < count; k++) {
      const p = sel.positions[k];
      pixels.set(images.data.subarray(p * bytesPer, (p + 1) * bytesPer), k * bytesPer);
    }
    const positions = sel.positions;
    origin = (pos) => positions[pos];
  }
  const store = new PixelStore({
    pixels,
    count,
    height,
    width,
    channels,
    outChannels: ctx.image.channels,
    scale: ctx.image.scale,
    id: (pos) => `${src.images}#${origin(pos)}`,
  });
  const names = sel.classes.map((c) => src.classNames?.[c] ?? String(c));
  return { classNames: names, set: ExampleView.all(store, sel.labels), skipped: [] };
}
