// The photo pipeline on the committed real photos (ants/bees, downscaled): [-1, 1] scaling for
// MobileNet bases, the three resize policies on a landscape photo, and the random crop (zoom)
// augmentation — bilinear, no black border, seeded.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { augmentBatch, cropResize, isAugmenting } from '../../../src/core/data/augment.js';
import { loadSource } from '../../../src/core/data/index.js';
import { Rng } from '../../../src/core/data/rng.js';
import type { ImageTarget } from '../../../src/core/data/sources/source.js';
import { ids } from './helpers.js';

const PHOTOS = path.resolve(__dirname, '../../fixtures/images/folder');
const source = { kind: 'imageFolder' as const, path: PHOTOS, classes: ['ants', 'bees'] };
const target = (over: Partial<ImageTarget>): ImageTarget => ({ size: [32, 32], channels: 3, resize: 'cover', scale: 'unit', ...over });

test('symmetric scaling maps bytes to [-1, 1] (2·unit − 1), with range −1…1', async () => {
  const unit = (await loadSource(source, { role: 'train', image: target({}) })).set;
  const sym = (await loadSource(source, { role: 'train', image: target({ scale: 'symmetric' }) })).set;
  assert.deepEqual(Array.from(sym.range!.low), [-1, -1, -1]);
  assert.deepEqual(Array.from(sym.range!.high), [1, 1, 1]);
  const all = Array.from({ length: sym.count }, (_, i) => i);
  const u = unit.gather(all);
  const s = sym.gather(all);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    assert.ok(Math.abs(s[i]! - (2 * u[i]! - 1)) < 1e-5, `value ${i}: ${s[i]} vs unit ${u[i]}`);
    lo = Math.min(lo, s[i]!);
    hi = Math.max(hi, s[i]!);
  }
  assert.ok(lo >= -1 && lo < -0.8 && hi <= 1 && hi > 0.8, `photos span the range: ${lo}..${hi}`);
});

test('resize policies on a 64×43 landscape photo: contain pads top and bottom with black, cover and stretch fill the frame and differ', async () => {
  const load = async (resize: ImageTarget['resize']) => {
    const { set } = await loadSource({ ...source, classes: ['ants'] }, { role: 'train', image: target({ resize }) });
    const i = ids(set).findIndex((id) => id.endsWith('0013035.jpg'));
    return set.gather([i]);
  };
  const [cover, contain, stretch] = [await load('cover'), await load('contain'), await load('stretch')];
  const row = (img: Float32Array, y: number) => img.subarray(y * 32 * 3, (y + 1) * 32 * 3);
  const black = (img: Float32Array, y: number) => row(img, y).every((v) => v === 0);
  // 64×43 → contain: 32×21.5 → 22 rows of picture, 5 black rows above and below
  assert.ok(black(contain, 0) && black(contain, 4) && black(contain, 31) && !black(contain, 16), 'contain: black bands, picture in the middle');
  for (const img of [cover, stretch]) assert.ok(!black(img, 0) && !black(img, 31), 'cover/stretch: no band');
  assert.notDeepEqual(Array.from(cover), Array.from(stretch));
});

test('crop: a full window is the identity; a window of a ramp is the ramp over that window (bilinear, half-pixel centres)', () => {
  const [h, w, c] = [4, 8, 1];
  const ramp = Float32Array.from({ length: h * w }, (_, i) => i % w);
  const same = ramp.slice();
  cropResize(same, h, w, c, 0, 0, h, w, new Float32Array(h * w));
  assert.deepEqual(same, ramp);
  const y = ramp.slice();
  cropResize(y, h, w, c, 0, 2, 2, 4, new Float32Array(h * w)); // columns 2..5, scaled ×2
  // output x samples source column 2 + clamp((x + 0.5)/2 − 0.5, 0, 3)
  const expected = Array.from({ length: w }, (_, x) => 2 + Math.min(Math.max((x + 0.5) / 2 - 0.5, 0), 3));
  for (let r = 0; r < h; r++) assert.deepEqual(Array.from(y.subarray(r * w, (r + 1) * w)), expected);
});

test('augmentBatch with crop: values stay within each image’s own range (no black border), seeded, and count as augmentation', () => {
  const [n, h, w, c] = [3, 16, 12, 3];
  const r = new Rng(4);
  const x = Float32Array.from({ length: n * h * w * c }, () => 0.2 + 0.6 * r.next());
  const a = x.slice();
  const b = x.slice();
  augmentBatch(a, [h, w, c], { crop: 0.3 }, new Rng(11));
  augmentBatch(b, [h, w, c], { crop: 0.3 }, new Rng(11));
  assert.deepEqual(a, b, 'same seed, same crops');
  assert.notDeepEqual(a, x);
  const size = h * w * c;
  for (let k = 0; k < n; k++) {
    const src = x.subarray(k * size, (k + 1) * size);
    const [lo, hi] = [Math.min(...src), Math.max(...src)];
    for (const v of a.subarray(k * size, (k + 1) * size)) assert.ok(v >= lo - 1e-6 && v <= hi + 1e-6, `image ${k}: ${v} outside ${lo}..${hi}`);
  }
  assert.equal(isAugmenting({ crop: 0.2 }), true);
  assert.equal(isAugmenting({ crop: 0 }), false);
});
