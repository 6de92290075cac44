import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../../src/core/data/errors.js';
import { classCounts } from '../../../src/core/data/example-set.js';
import { loadSource } from '../../../src/core/data/index.js';
import { readIdx } from '../../../src/core/data/sources/idx.js';
import type { ImageTarget } from '../../../src/core/data/sources/source.js';
import { FASHION } from './helpers.js';

const gray: ImageTarget = { size: [28, 28], channels: 1, resize: 'cover', scale: 'unit' };
const images = `${FASHION}/t10k-images-idx3-ubyte.gz`;
const labels = `${FASHION}/t10k-labels-idx1-ubyte.gz`;
const FASHION_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const tmp = mkdtempSync(path.join(tmpdir(), 'idx-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes an IDX file of unsigned bytes (optionally gzipped) and returns its path. */
function idx(name: string, dims: number[], data: Uint8Array | number[], opts: { gzip?: boolean; type?: number } = {}): string {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = opts.type ?? 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  let buf: Buffer = Buffer.concat([header, Buffer.from(data)]);
  if (opts.gzip) buf = gzipSync(buf);
  const file = path.join(tmp, name);
  writeFileSync(file, buf);
  return file;
}

test('Fashion-MNIST t10k (gzip): header size, labels, class names and real pixels', async () => {
  const all = await readIdx(labels, [1]);
  assert.deepEqual(all.dims, [10000]);
  assert.deepEqual([...all.data.subarray(0, 10)], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);

  const { classNames, set } = await loadSource(
    { kind: 'idx', images, labels, classNames: FASHION_NAMES, classes: [9, 1], perClass: 3 },
    { role: 'train', image: gray },
  );
  assert.deepEqual(classNames, ['Ankle boot', 'Trouser']);
  assert.deepEqual(set.shape, [28, 28, 1]);
  // the first three of each class in file order, found from the label file
  const nines = [...all.data.keys()].filter((i) => all.data[i] === 9).slice(0, 3);
  const ones = [...all.data.keys()].filter((i) => all.data[i] === 1).slice(0, 3);
  assert.deepEqual(
    ids(set),
    [...nines, ...ones].sort((a, b) => a - b).map((i) => `${images}#${i}`),
  );
  assert.deepEqual(
    [...set.labels],
    [...nines, ...ones].sort((a, b) => a - b).map((i) => (all.data[i] === 9 ? 0 : 1)),
  );
  // example 0 is the first test image: an ankle boot, pixel sum 33456 (bytes), row 14 cols 10..17 known
  const x = set.gather([0]);
  const sum = x.reduce((a, v) => a + Math.round(v * 255), 0);
  assert.equal(sum, 33456);
  assert.deepEqual(
    Array.from(x.subarray(14 * 28 + 10, 14 * 28 + 18), (v) => Math.round(v * 255)),
    [0x00, 0x00, 0x62, 0x88, 0x6e, 0x6d, 0x6e, 0xa2],
  );
});

test('all 10,000 t10k images without classNames: labels 0..9, 1,000 each', async () => {
  const { classNames, set } = await loadSource({ kind: 'idx', images, labels }, { role: 'test', image: gray });
  assert.deepEqual(classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(classCounts(set, 10), new Array(10).fill(1000));
});

function ids(set: { count: number; id(i: number): string }): string[] {
  return Array.from({ length: set.count }, (_, i) => set.id(i));
}

test('raw (uncompressed) files and 1 → 3 channel expansion', async () => {
  const img = idx('raw-images', [2, 2, 3], [0, 255, 10, 20, 30, 40, 1, 2, 3, 4, 5, 6]);
  const lab = idx('raw-labels', [2], [1, 0]);
  const { set } = await loadSource({ kind: 'idx', images: img, labels: lab }, { role: 'train', image: { ...gray, channels: 3 } });
  assert.deepEqual(set.shape, [2, 3, 3]);
  assert.deepEqual([...set.labels], [1, 0]);
  const x = set.gather([0]);
  assert.deepEqual(
    Array.from(x.subarray(0, 6), (v) => Math.round(v * 255)),
    [0, 0, 0, 255, 255, 255],
  );
});

async function rejectsWith(p: Promise<unknown>, file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
    assert.equal(e.source, file);
    assert.ok(e.message.includes(file), `message does not name the file: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('corrupt IDX files are DataErrors naming the file', async () => {
  const good = idx('labels-ok', [3], [0, 1, 2]);
  const img3 = idx('images-3', [3, 2, 2], new Uint8Array(12));
  const src = (images: string, labels: string) => loadSource({ kind: 'idx', images, labels }, { role: 'train', image: { ...gray, size: [2, 2] } });

  const truncated = idx('images-truncated', [3, 2, 2], new Uint8Array(11));
  await rejectsWith(src(truncated, good), truncated, /12 bytes of data but the file has 11 \(truncated\)/);

  const png = path.join(tmp, 'not-idx.gz');
  writeFileSync(png, gzipSync(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])));
  await rejectsWith(src(png, good), png, /not an IDX file \(magic number 0x89504e47/);

  const badGzip = path.join(tmp, 'bad.gz');
  const whole = gzipSync(
    Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 10, 0, 0, 0, 10]), Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251))]),
  );
  writeFileSync(badGzip, whole.subarray(0, whole.length >> 1));
  await rejectsWith(src(badGzip, good), badGzip, /gzip data is corrupt or truncated/);

  const floats = idx('images-float', [3, 2, 2], new Uint8Array(48), { type: 0x0d });
  await rejectsWith(src(floats, good), floats, /0x0d \(float32\) is not supported/);

  const fewer = idx('labels-2', [2], [0, 1]);
  await rejectsWith(src(img3, fewer), fewer, /has 3 images but .* has 2 labels/);

  const missing = path.join(tmp, 'nope.gz');
  await rejectsWith(src(missing, good), missing, /not found/);
});

test('non-regular files and data longer than the header are refused without reading them all (/dev/zero hung the run)', { timeout: 30_000 }, async () => {
  const good = idx('labels-ok3', [3], [0, 1, 2]);
  const src = (images: string, labels: string) => loadSource({ kind: 'idx', images, labels }, { role: 'train', image: { ...gray, size: [2, 2] } });
  await rejectsWith(src('/dev/zero', good), '/dev/zero', /is not a regular file \(a device\)/);
  await rejectsWith(src(tmp, good), tmp, /is not a regular file \(a folder\)/);
  // 64 MB of zeros after a 3×2×2 header, gzipped (64 KB on disk): refused at the first chunk past 12 bytes.
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]);
  const long = path.join(tmp, 'long.gz');
  writeFileSync(long, gzipSync(Buffer.concat([header, Buffer.alloc(64 << 20)])));
  await rejectsWith(src(long, good), long, /12 bytes of data but the file has more \(trailing bytes\)/);
  const extra = idx('images-extra', [3, 2, 2], new Uint8Array(13));
  await rejectsWith(src(extra, good), extra, /12 bytes of data but the file has 13 \(trailing bytes\)/);
});

test('a label ≥ classNames.length names the file, the example and the value', async () => {
  const img = idx('images-l', [3, 2, 2], new Uint8Array(12));
  const lab = idx('labels-l', [3], [0, 1, 5], { gzip: true });
  await rejectsWith(
    loadSource({ kind: 'idx', images: img, labels: lab, classNames: ['a', 'b', 'c'] }, { role: 'train', image: { ...gray, size: [2, 2] } }),
    lab,
    /label 5 of example 2 is out of range: classNames has 3 names/,
  );
  await rejectsWith(
    loadSource({ kind: 'idx', images: img, labels: lab, classes: [7] }, { role: 'train', image: { ...gray, size: [2, 2] } }),
    lab,
    /class 7 is not a label/,
  );
  await rejectsWith(
    loadSource({ kind: 'idx', images: img, labels: lab, classes: [2] }, { role: 'train', image: { ...gray, size: [2, 2] } }),
    lab,
    /no examples of classes \[2\]/,
  );
});
