/**
 * The `idx` source: MNIST-format IDX files (Fashion-MNIST, MNIST, KMNIST …), gzip-compressed or raw.
 *
 * IDX layout (big-endian): bytes 0–1 zero, byte 2 the element type (0x08 = unsigned byte, the only
 * one accepted here), byte 3 the number of dimensions d, then d uint32 sizes, then the elements.
 * Images are [n, rows, cols] (or [n, rows, cols, channels]); labels are [n].
 *
 * Pixels stay in the buffer the file is read into (no copy) unless a class filter or
 * per-class cap drops examples, in which case the kept ones are copied once and the buffer released.
 */
import type { Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { IdxSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import { ExampleView, PixelStore } from '../example-set.js';
import { selectByClass } from './select.js';
import { checkFixedSize, type SourceContext, type SourceData } from './source.js';

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
  /** The elements, row-major (length = product of `dims`). */
  data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (gzip detected by content, not by name). Only regular files
 * are read, and never more bytes than the header announces plus one: a device such as `/dev/zero`,
 * a FIFO, or a file (or gzip stream) longer than its header says is refused without reading it all.
 * @param file     Absolute path.
 * @param expected Allowed numbers of dimensions, e.g. [1] for labels, [3, 4] for images.
 * @throws DataError naming `file` if it is missing, not a regular file, not gzip-decodable, not IDX
 *         (bad magic), of another element type or dimensionality, or shorter/longer than its header says.
 */
export async function readIdx(file: string, expected: number[]): Promise<IdxArray> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `IDX file not found: ${file}` : `cannot read IDX file ${file}: ${errorMessage(e)}`, file, { cause: e });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new DataError(`${file} is not a regular file (a ${fileKind(stat)}): an IDX source must be a file`, file);
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzipped = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const raw = handle.createReadStream({ start: 0, autoClose: false });
    return await decodeIdx(gzipped ? raw.pipe(createGunzip()) : raw, file, expected, gzipped ? undefined : stat.size);
  } finally {
    await handle.close();
  }
}

/** What a non-regular file is, for messages. */
function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'folder';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  return 'special file';
}

/**
 * Decodes IDX bytes from `stream`: checks the header as soon as it has arrived and stops reading one
 * byte past the size it announces (`fileSize`, known for an uncompressed file, is checked before
 * any data is read). @throws DataError naming `file` (see {@link readIdx}).
 */
async function decodeIdx(stream: Readable, file: string, expected: number[], fileSize: number | undefined): Promise<IdxArray> {
  let header: Buffer = Buffer.alloc(0);
  let dims: number[] | undefined;
  let data: Uint8Array | undefined;
  let got = 0;
  let size = 0;
  let headerBytes = 0;
  const fail = (message: string): never => {
    throw new DataError(`${file}${message}`, file);
  };
  const parseHeader = (): void => {
    if (header.length < 4) return;
    if (header[0] !== 0 || header[1] !== 0) {
      fail(` is not an IDX file (magic number 0x${header.subarray(0, 4).toString('hex')}, expected 0x0000080${expected[0]})`);
    }
    const type = header[2]!;
    const ndim = header[3]!;
    if (type !== 0x08)
      fail(`: IDX element type 0x${type.toString(16).padStart(2, '0')} (${IDX_TYPES[type] ?? 'unknown'}) is not supported; expected unsigned bytes (0x08)`);
    if (!expected.includes(ndim)) fail(`: IDX file has ${ndim} dimension(s), expected ${expected.join(' or ')}`);
    headerBytes = 4 + 4 * ndim;
    if (header.length < headerBytes) return;
    dims = Array.from({ length: ndim }, (_, i) => header.readUInt32BE(4 + 4 * i));
    size = dims.reduce((a, b) => a * b, 1);
    const what = `header says ${dims.join('×')} = ${size} bytes of data`;
    if (fileSize !== undefined && fileSize - headerBytes !== size) {
      fail(`: ${what} but the file has ${fileSize - headerBytes} (${fileSize - headerBytes < size ? 'truncated' : 'trailing bytes'})`);
    }
    if (size > MAX_IDX_BYTES) fail(`: ${what}, more than the ${MAX_IDX_BYTES} bytes an IDX source may hold`);
    data = new Uint8Array(size);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let c = chunk;
      if (!data) {
        header = Buffer.concat([header, c]);
        parseHeader();
        if (!data) continue;
        c = header.subarray(headerBytes);
      }
      if (got + c.length > size) fail(`: header says ${dims!.join('×')} = ${size} bytes of data but the file has more (trailing bytes)`);
      data.set(c, got);
      got += c.length;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file}: gzip data is corrupt or truncated (${errorMessage(e)})`, file, { cause: e });
  } finally {
    stream.destroy();
  }
  if (!data) {
    if (header.length >= 4) fail(`: IDX header is truncated (${header.length} bytes)`);
    fail(` is not an IDX file (magic number 0x${header.toString('hex').padEnd(8, '.')}, expected 0x0000080${expected[0]})`);
  }
  if (got !== size) fail(`: header says ${dims!.join('×')} = ${size} bytes of data but the file has ${got} (truncated)`);
  return { dims: dims!, data: data! };
}

/** Largest IDX data accepted, bytes (2 GiB: Fashion-MNIST's training images are 47 MB). */
const MAX_IDX_BYTES = 2 ** 31 - 1;

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
