// Deterministic domain shifts: each operation against its arithmetic, a 90° rotation against the
// exact pixel permutation, noise fixed per example id, ids and labels kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExampleView, PixelStore } from '../../../src/core/data/example-set.js';
import { isShifting, shiftImage, withTransform } from '../../../src/core/data/transform.js';

const UNIT = { low: new Float32Array([0]), high: new Float32Array([1]) };
const SYM = { low: new Float32Array([-1]), high: new Float32Array([1]) };

test('invert, contrast and brightness in the unit range, with clamping and any pixel scaling', () => {
  const img = Float32Array.from([0, 0.25, 1]);
  shiftImage(img, [1, 3, 1], { invert: true }, UNIT, 0);
  assert.deepEqual(Array.from(img), [1, 0.75, 0]);
  const sym = Float32Array.from([-1, 0, 0.5]); // unit 0, 0.5, 0.75
  shiftImage(sym, [1, 3, 1], { invert: true }, SYM, 0);
  assert.deepEqual(Array.from(sym), [1, 0, -0.5]);
  // u → 0.5 + 0.5·(u − 0.5) + 0.4, clamped: 0 → 0.65, 0.5 → 0.9, 1 → 1.15 → 1.
  const c = Float32Array.from([0, 0.5, 1]);
  shiftImage(c, [1, 3, 1], { contrast: 0.5, brightness: 0.4 }, UNIT, 0);
  assert.deepEqual(
    Array.from(c).map((v) => +v.toFixed(6)),
    [0.65, 0.9, 1],
  );
  assert.equal(isShifting({ rotate: 0, contrast: 1 }), false);
  assert.equal(isShifting({ noise: 0.1 }), true);
});

test('rotate 90° counter-clockwise is the exact permutation out[r][c] = in[c][w−1−r]', () => {
  const h = 3;
  const w = 3;
  const src = Float32Array.from({ length: 9 }, (_, i) => i / 8);
  const img = Float32Array.from(src);
  shiftImage(img, [h, w, 1], { rotate: 90 }, UNIT, 0);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) assert.ok(Math.abs(img[r * w + c]! - src[c * w + (w - 1 - r)]!) < 1e-6, `${r},${c}`);
  // 180° twice is the identity; 45° keeps the centre pixel.
  const twice = Float32Array.from(src);
  shiftImage(twice, [3, 3, 1], { rotate: 180 }, UNIT, 0);
  shiftImage(twice, [3, 3, 1], { rotate: 180 }, UNIT, 0);
  twice.forEach((v, i) => assert.ok(Math.abs(v - src[i]!) < 1e-6));
  const c45 = Float32Array.from(src);
  shiftImage(c45, [3, 3, 1], { rotate: 45 }, UNIT, 0);
  assert.ok(Math.abs(c45[4]! - src[4]!) < 1e-6);
});

test('a transformed source: noise fixed per example id, ids and labels kept, others untouched', () => {
  const pixels = new Uint8Array(4 * 2 * 2).fill(128);
  const store = new PixelStore({ pixels, count: 4, height: 2, width: 2, channels: 1, scale: 'unit', id: (p) => `img#${p}` });
  const data = { classNames: ['a', 'b'], set: new ExampleView(store, Int32Array.from([0, 1, 2, 3]), Int32Array.from([0, 1, 0, 1])), skipped: [] };
  const shifted = withTransform(data, { noise: 0.2 }).set;
  assert.equal(shifted.id(2), 'img#2');
  assert.deepEqual(Array.from(shifted.labels), [0, 1, 0, 1]);
  const once = shifted.gather([2, 1]);
  const again = shifted.gather([1, 2]);
  assert.deepEqual(Array.from(once.subarray(0, 4)), Array.from(again.subarray(4, 8)), 'example 2 looks the same in every batch');
  assert.notDeepEqual(Array.from(once.subarray(0, 4)), Array.from(once.subarray(4, 8)), 'examples 1 and 2 get different noise');
  assert.ok(
    once.every((v) => v >= 0 && v <= 1),
    'clamped to the unit range',
  );
  assert.deepEqual(Array.from(data.set.gather([0])), [128 / 255, 128 / 255, 128 / 255, 128 / 255].map(Math.fround));
  assert.equal(withTransform(data, { rotate: 0 }), data, 'a no-op spec returns the same data');
});
