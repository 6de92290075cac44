import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { classCounts } from '../../../src/core/data/example-set.js';
import { loadSource } from '../../../src/core/data/index.js';
import { mnistDigitsDir } from '../../../src/core/data/sources/mnist.js';
import type { ImageTarget } from '../../../src/core/data/sources/source.js';

const gray: ImageTarget = { size: [28, 28], channels: 1, resize: 'cover', scale: 'unit' };

test('class filter re-indexes in the given order; perClass keeps the first N in file order', async () => {
  const { classNames, set } = await loadSource({ kind: 'mnist', classes: [7, 2], perClass: 5 }, { role: 'train', image: gray });
  assert.deepEqual(classNames, ['7', '2']);
  assert.equal(set.count, 10);
  assert.deepEqual(set.shape, [28, 28, 1]);
  assert.deepEqual([...set.labels], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.equal(set.id(0), 'mnist:7#0');
  assert.equal(set.id(4), 'mnist:7#4');
  assert.equal(set.id(5), 'mnist:2#0');
  // the pixels are the package's real digits: example 6 is the second "2"
  const raw = JSON.parse(readFileSync(path.join(mnistDigitsDir(), '2.json'), 'utf8')).data as number[];
  const x = set.gather([6]);
  assert.equal(x.length, 784);
  for (let k = 0; k < 784; k++) assert.ok(Math.abs(x[k] - raw[784 + k]) <= 0.0006, `pixel ${k}: ${x[k]} vs ${raw[784 + k]}`);
});

test('all 10,000 digits, about 1,000 per class', async () => {
  const { classNames, set } = await loadSource({ kind: 'mnist' }, { role: 'train', image: gray });
  assert.deepEqual(classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(set.count, 10000);
  for (const n of classCounts(set, 10)) assert.ok(n > 800 && n < 1200, `class count ${n}`);
  const x = set.gather([0, 9999]);
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.equal(min, 0);
  assert.ok(max > 0.95 && max <= 1);
});

test('scaling: symmetric → [-1, 1]; imagenet with 3 channels replicates grey and normalises per channel', async () => {
  const sym = await loadSource({ kind: 'mnist', classes: [1], perClass: 2 }, { role: 'train', image: { ...gray, scale: 'symmetric' } });
  const s = sym.set.gather([0]);
  assert.equal(Math.min(...s), -1);
  assert.ok(Math.max(...s) <= 1 && Math.max(...s) > 0.9);

  const rgb = await loadSource({ kind: 'mnist', classes: [1], perClass: 2 }, { role: 'train', image: { ...gray, channels: 3, scale: 'imagenet' } });
  assert.deepEqual(rgb.set.shape, [28, 28, 3]);
  const v = rgb.set.gather([0]);
  assert.equal(v.length, 28 * 28 * 3);
  assert.ok(Math.abs(v[0] - -0.485 / 0.229) < 1e-6);
  assert.ok(Math.abs(v[1] - -0.456 / 0.224) < 1e-6);
  assert.ok(Math.abs(v[2] - -0.406 / 0.225) < 1e-6);
  // each pixel's three channels come from one byte
  const unit = (await loadSource({ kind: 'mnist', classes: [1], perClass: 2 }, { role: 'train', image: gray })).set.gather([0]);
  for (let p = 0; p < 784; p++) assert.ok(Math.abs(v[p * 3 + 1] - (unit[p] - 0.456) / 0.224) < 1e-5);
});

test('bad class filters and sizes are DataErrors naming the source', async () => {
  await assert.rejects(loadSource({ kind: 'mnist', classes: [3, 10] }, { role: 'train', image: gray }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.source, 'mnist');
    assert.match(e.message, /class 10/);
    return true;
  });
  await assert.rejects(
    loadSource({ kind: 'mnist' }, { role: 'train', image: { ...gray, explicitSize: [32, 32], size: [32, 32] } }),
    (e: unknown) => e instanceof DataError && /28×28/.test(e.message),
  );
});

test('gather refuses indices out of range', async () => {
  const { set } = await loadSource({ kind: 'mnist', classes: [0], perClass: 3 }, { role: 'train', image: gray });
  assert.throws(() => set.gather([3]), RangeError);
  assert.throws(() => set.gather([-1]), RangeError);
  assert.throws(() => set.id(1.5), RangeError);
});
