import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { classCounts } from '../../../src/core/data/example-set.js';
import { loadData, loadSource } from '../../../src/core/data/index.js';
import type { ImageTarget } from '../../../src/core/data/sources/source.js';
import { ids, resolvedData } from './helpers.js';

const ROOT = path.resolve(__dirname, '../../fixtures/images/folder');
const ECLAIR_NFD = 'e\u0301clair';
const ECLAIR_NFC = '\u00e9clair';
const rgb32: ImageTarget = { size: [32, 32], channels: 3, resize: 'contain', scale: 'unit' };
const tmp = mkdtempSync(path.join(tmpdir(), 'image-folder-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** RGB bytes (0..255) of pixel (y, x) of example i of a 3-channel unit-scaled set. */
function pixel(set: { shape: number[]; gather(i: number[]): Float32Array }, i: number, y: number, x: number): number[] {
  const [, w, c] = set.shape;
  const v = set.gather([i]);
  return Array.from(v.subarray((y * w + x) * c, (y * w + x) * c + c), (f) => Math.round(f * 255));
}

function near(actual: number[], expected: number[], tol: number, what: string): void {
  assert.ok(
    actual.length === expected.length && actual.every((a, k) => Math.abs(a - expected[k]) <= tol),
    `${what}: got [${actual}], expected [${expected}] ±${tol}`,
  );
}

test('fixture folder: NFC class names, hidden entries ignored, corrupt files skipped with reasons', async () => {
  const { classNames, set, skipped } = await loadSource({ kind: 'imageFolder', path: ROOT }, { role: 'train', image: rgb32 });
  assert.deepEqual(classNames, ['ants', 'bees', ECLAIR_NFC]);
  assert.deepEqual(set.shape, [32, 32, 3]);
  assert.deepEqual(classCounts(set, 3), [3, 3, 5]);
  for (const id of ids(set)) assert.doesNotMatch(id, /\.DS_Store|__MACOSX|ipynb_checkpoints|Thumbs\.db/);
  const odd = path.join(ROOT, ECLAIR_NFD);
  assert.deepEqual(
    ids(set)
      .filter((id) => id.startsWith(odd))
      .map((id) => path.basename(id)),
    ['deep16.png', 'exif-rotate.jpg', 'gray.png', 'really-a-gif.jpg', 'rgba.png'],
  );
  assert.deepEqual(
    skipped.map((s) => path.basename(s.file)),
    ['random-bytes.png', 'truncated.jpg'],
  );
  assert.match(skipped[0].reason, /unsupported image format/);
  assert.match(skipped[1].reason, /JPEG/i);
  assert.ok(skipped.every((s) => path.isAbsolute(s.file)));
});

test('formats: grey → RGB, alpha dropped (not premultiplied), 16-bit → 8-bit, GIF named .jpg', async () => {
  const { set } = await loadSource({ kind: 'imageFolder', path: ROOT, classes: [ECLAIR_NFD] }, { role: 'train', image: rgb32 });
  const at = (name: string) => ids(set).findIndex((id) => id.endsWith(name));
  near(pixel(set, at('gray.png'), 16, 16), [77, 77, 77], 1, 'gray.png');
  near(pixel(set, at('rgba.png'), 16, 16), [200, 100, 50], 2, 'rgba.png');
  near(pixel(set, at('deep16.png'), 16, 16), [255, 128, 0], 1, 'deep16.png');
  near(pixel(set, at('really-a-gif.jpg'), 16, 16), [0, 255, 0], 1, 'really-a-gif.jpg');
});

test('EXIF orientation 6 is applied: a wide red|blue image becomes tall red-over-blue, padded left and right', async () => {
  const { set } = await loadSource({ kind: 'imageFolder', path: ROOT, classes: [ECLAIR_NFC] }, { role: 'train', image: rgb32 });
  const i = ids(set).findIndex((id) => id.endsWith('exif-rotate.jpg'));
  // displayed 24×48 → contain in 32×32 → 16×32 centred: columns 0..7 and 24..31 are padding
  near(pixel(set, i, 16, 2), [0, 0, 0], 0, 'left padding');
  near(pixel(set, i, 16, 29), [0, 0, 0], 0, 'right padding');
  near(pixel(set, i, 4, 16), [255, 0, 0], 40, 'top is red');
  near(pixel(set, i, 28, 16), [0, 0, 255], 40, 'bottom is blue');
});

test('cover to 1 channel, and perClass counts readable images (a corrupt one is replaced by the next file)', async () => {
  const { set, skipped } = await loadSource(
    { kind: 'imageFolder', path: ROOT, classes: ['bees', ECLAIR_NFD], perClass: 4 },
    { role: 'train', image: { size: [20, 24], channels: 1, resize: 'cover', scale: 'unit' } },
  );
  assert.deepEqual(set.shape, [20, 24, 1]);
  assert.deepEqual(classCounts(set, 2), [3, 4]);
  assert.deepEqual(
    ids(set)
      .slice(3)
      .map((id) => path.basename(id)),
    ['deep16.png', 'exif-rotate.jpg', 'gray.png', 'really-a-gif.jpg'],
  );
  assert.deepEqual(
    skipped.map((s) => path.basename(s.file)),
    ['random-bytes.png'],
  );
  const g = set.gather([3 + 2]); // gray.png
  assert.ok(Math.abs(g[0] - 77 / 255) < 2 / 255);
});

test('loadData: target size from the model input, imagenet scaling, skipped reported', async () => {
  const d = await loadData(
    resolvedData(
      { kind: 'imageFolder', path: ROOT, classes: ['ants', 'bees'] },
      { split: { validation: 0.34, test: 0 }, image: { resize: 'stretch', scale: 'imagenet' } },
    ),
    {
      inputShape: [16, 16, 3],
      seed: 3,
    },
  );
  assert.deepEqual(d.classNames, ['ants', 'bees']);
  assert.deepEqual(d.train.shape, [16, 16, 3]);
  assert.deepEqual(classCounts(d.train, 2), [2, 2]);
  assert.deepEqual(classCounts(d.validation, 2), [1, 1]);
  assert.deepEqual(d.skipped, []);
  const low = d.train.range!.low;
  assert.ok(Math.abs(low[0] - -0.485 / 0.229) < 1e-6);
  const x = d.train.gather([0]);
  for (let k = 0; k < x.length; k++) assert.ok(x[k] >= d.train.range!.low[k % 3] - 1e-6 && x[k] <= d.train.range!.high[k % 3] + 1e-6);
});

function rejectsNaming(p: Promise<unknown>, where: string, pattern: RegExp) {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
    assert.equal(e.source, where);
    assert.ok(e.message.includes(where), `message does not name ${where}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('an empty class folder, a missing folder, a missing class are DataErrors naming them', async () => {
  const root = path.join(tmp, 'with-empty');
  mkdirSync(path.join(root, 'full'), { recursive: true });
  mkdirSync(path.join(root, 'empty'), { recursive: true });
  copyFileSync(path.join(ROOT, ECLAIR_NFD, 'gray.png'), path.join(root, 'full', 'a.png'));
  writeFileSync(path.join(root, 'empty', '.DS_Store'), 'x'); // hidden: still empty
  const ctx = { role: 'train' as const, image: rgb32 };
  await rejectsNaming(loadSource({ kind: 'imageFolder', path: root }, ctx), path.join(root, 'empty'), /is empty/);

  const missing = path.join(tmp, 'no-such-folder');
  await rejectsNaming(loadSource({ kind: 'imageFolder', path: missing }, ctx), missing, /not found/);
  await rejectsNaming(loadSource({ kind: 'imageFolder', path: ROOT, classes: ['ants', 'wasps'] }, ctx), ROOT, /class folder "wasps" not found/);

  const unreadable = path.join(tmp, 'unreadable');
  mkdirSync(path.join(unreadable, 'junk'), { recursive: true });
  writeFileSync(path.join(unreadable, 'junk', 'x.jpg'), 'not a jpeg');
  await rejectsNaming(loadSource({ kind: 'imageFolder', path: unreadable }, ctx), path.join(unreadable, 'junk'), /no readable images/);

  const twins = path.join(tmp, 'twins');
  mkdirSync(path.join(twins, ECLAIR_NFC), { recursive: true });
  mkdirSync(path.join(twins, ECLAIR_NFD), { recursive: true });
  await rejectsNaming(loadSource({ kind: 'imageFolder', path: twins }, ctx), twins, /differ only in Unicode normalisation/);

  await rejectsNaming(
    loadSource({ kind: 'imageFolder', path: ROOT }, { role: 'train', image: { channels: 3, resize: 'cover', scale: 'unit' } }),
    ROOT,
    /needs an image size/,
  );
});
