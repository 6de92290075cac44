import assert from 'node:assert/strict';
import { test } from 'node:test';
import { augmentBatch, flipHorizontal, isAugmenting, translate } from '../../../src/core/data/augment.js';
import { Rng } from '../../../src/core/data/rng.js';
import { valueRange } from '../../../src/core/data/scale.js';

/** A batch of n [h, w, c] images with distinct values in [0, 1]. */
function batch(n: number, h: number, w: number, c: number, seed = 1): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n * h * w * c }, () => r.next());
}

test('flip twice is the identity; once mirrors each row', () => {
  const x = batch(1, 3, 5, 2);
  const y = x.slice();
  flipHorizontal(y, 3, 5, 2);
  for (let yy = 0; yy < 3; yy++) {
    for (let xx = 0; xx < 5; xx++) {
      for (let c = 0; c < 2; c++) assert.equal(y[(yy * 5 + xx) * 2 + c], x[(yy * 5 + (4 - xx)) * 2 + c]);
    }
  }
  flipHorizontal(y, 3, 5, 2);
  assert.deepEqual(y, x);
});

test('shift moves values unchanged and fills the uncovered border with black', () => {
  const [h, w, c] = [6, 7, 3];
  const x = batch(1, h, w, c);
  const y = x.slice();
  const fill = [-1, -2, -3];
  translate(y, h, w, c, 2, -1, fill, new Float32Array(h * w * c));
  for (let yy = 0; yy < h; yy++) {
    for (let xx = 0; xx < w; xx++) {
      const sy = yy - 2;
      const sx = xx + 1;
      for (let ch = 0; ch < c; ch++) {
        const expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[(sy * w + sx) * c + ch] : fill[ch];
        assert.equal(y[(yy * w + xx) * c + ch], expected);
      }
    }
  }
});

test('augmentBatch with shift only: every kept value comes from the same image, padding is range.low', () => {
  const [n, h, w, c] = [4, 8, 8, 3];
  const x = batch(n, h, w, c);
  const y = x.slice();
  const range = valueRange('imagenet', 3);
  augmentBatch(y, [h, w, c], { shift: 2 }, new Rng(9), range);
  const size = h * w * c;
  for (let k = 0; k < n; k++) {
    const src = new Set(x.subarray(k * size, (k + 1) * size));
    for (let i = 0; i < size; i++) {
      const v = y[k * size + i];
      assert.ok(src.has(v) || v === range.low[i % c], `image ${k} value ${v} appeared from nowhere`);
    }
  }
});

test('seeded determinism: same seed → same batch, other seed → different', () => {
  const spec = { flipHorizontal: true, shift: 2, noise: 0.05, colorJitter: 0.2 };
  const x = batch(8, 10, 10, 3);
  const a = x.slice();
  const b = x.slice();
  const c = x.slice();
  augmentBatch(a, [10, 10, 3], spec, new Rng(42));
  augmentBatch(b, [10, 10, 3], spec, new Rng(42));
  augmentBatch(c, [10, 10, 3], spec, new Rng(43));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(a, x);
});

test('colour jitter stays in range; noise has the requested spread; off does nothing', () => {
  const x = batch(16, 8, 8, 3);
  const j = x.slice();
  const range = valueRange('symmetric', 3);
  for (let i = 0; i < j.length; i++) j[i] = j[i] * 2 - 1; // into [-1, 1]
  augmentBatch(j, [8, 8, 3], { colorJitter: 0.5 }, new Rng(1), range);
  for (const v of j) assert.ok(v >= -1 - 1e-6 && v <= 1 + 1e-6, `${v} out of [-1, 1]`);

  const z = new Float32Array(3 * 32 * 32);
  augmentBatch(z, [32, 32, 3], { noise: 0.1 }, new Rng(2));
  const sd = Math.sqrt(z.reduce((a, v) => a + v * v, 0) / z.length);
  assert.ok(Math.abs(sd - 0.1) < 0.01, `sd ${sd}`);

  const same = x.slice();
  augmentBatch(same, [8, 8, 3], { flipHorizontal: false, shift: 0, noise: 0, colorJitter: 0 }, new Rng(3));
  assert.deepEqual(same, x);
  assert.equal(isAugmenting({ flipHorizontal: false, shift: 0, noise: 0, colorJitter: 0 }), false);
  assert.equal(isAugmenting({ shift: 1 }), true);
});

test('1-D examples get noise only; a ragged batch is refused', () => {
  const x = new Float32Array(10).fill(1);
  augmentBatch(x, [5], { flipHorizontal: true, shift: 3, colorJitter: 0.5 }, new Rng(1));
  assert.deepEqual(x, new Float32Array(10).fill(1));
  augmentBatch(x, [5], { noise: 0.5 }, new Rng(1));
  assert.ok(x.some((v) => v !== 1));
  assert.throws(() => augmentBatch(new Float32Array(7), [5], { noise: 1 }, new Rng(1)), RangeError);
});
