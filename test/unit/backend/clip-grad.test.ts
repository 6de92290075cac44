/**
 * The wasm gradient of ClipByValue (elementwise float ops instead of comparisons and a select)
 * against tfjs-core's own gradient, which the cpu backend keeps: values inside, outside and exactly
 * on the bounds, NaN and ±Infinity, ReLU6 as tfjs-layers builds it, and the fall-back cases.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { registerClipByValueGradient } from '../../../src/core/backend/wasm-kernels/clip-grad.js';
import { ErrorLog, expectSameOnBothBackends, random, runOn, setUpBackends } from './helpers.js';

before(setUpBackends);

const clipGrad = (x: tf.Tensor, dy: tf.Tensor, min: number, max: number) => tf.grad((t: tf.Tensor) => tf.clipByValue(t, min, max))(x, dy);

test('ClipByValue gradient on wasm equals tfjs-core’s exactly (bounds included, NaN and ±Infinity)', async (t) => {
  const log = new ErrorLog();
  const bounds: Array<[number, number]> = [
    [0, 6],
    [-1, 1],
    [-0.25, 0.5],
    [2, 2.5],
  ];
  let seed = 11;
  for (const [min, max] of bounds) {
    for (const shape of [[7], [2, 9, 9, 5], [3, 17, 4]]) {
      const x = random(shape, seed++).map((v) => v * 8);
      const special = [min, max, NaN, Infinity, -Infinity, -0, Math.fround(max + 1e-6), Math.fround(min - 1e-6)];
      x.set(special.slice(0, Math.min(special.length, x.length)));
      const dy = random(shape, seed++);
      const label = `[${min}, ${max}] x[${shape}]`;
      const e = await expectSameOnBothBackends(() => clipGrad(tf.tensor(x, shape), tf.tensor(dy, shape), min, max), label, 0);
      assert.equal(e.err, 0, label);
      log.add('ClipByValue gradient', label, e);
    }
  }
  for (const line of log.lines()) t.diagnostic(line);
});

test('ReLU6 (tfjs-layers ReLU with maxValue 6) trains with the same input gradient on both backends', async () => {
  const layer = tf.layers.reLU({ maxValue: 6 });
  const shape = [4, 6, 6, 3];
  const x = random(shape, 3).map((v) => v * 9);
  const dy = random(shape, 4);
  const e = await expectSameOnBothBackends(
    () => tf.grad((t: tf.Tensor) => layer.apply(t, { training: true }) as tf.Tensor)(tf.tensor(x, shape), tf.tensor(dy, shape)),
    'relu6',
    0,
  );
  assert.equal(e.err, 0);
});

test('known values: dy passes inside [min, max] and on the bounds, 0 outside and for NaN', async () => {
  const out = await runOn('wasm', () => clipGrad(tf.tensor1d([-1, 0, 3, 6, 7, NaN, Infinity, -Infinity]), tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]), 0, 6));
  assert.deepEqual(
    Array.from(out.values, (v) => (Object.is(v, -0) ? 0 : v)),
    [0, 2, 3, 4, 0, 0, 0, 0],
  );
});

test('infinite bounds keep tfjs-core’s gradient (Infinity is inside [0, Infinity])', async () => {
  const out = await runOn('wasm', () => clipGrad(tf.tensor1d([-1, 5, Infinity]), tf.tensor1d([1, 2, 3]), 0, Infinity));
  assert.deepEqual(Array.from(out.values), [0, 2, 3]);
});

test('registering again is a no-op', () => {
  assert.equal(registerClipByValueGradient(), false);
});
