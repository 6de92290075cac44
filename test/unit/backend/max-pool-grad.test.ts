/**
 * MaxPoolGrad on wasm (replaced: the native kernel drops the gradient of windows whose values are
 * all ≤ 0 and sends ties to the last maximum). Checked on hand-computed cases, then against the
 * tfjs cpu backend with all-negative inputs, heavy ties and overlapping windows: the kernel (a loop
 * over the wasm heap) and the composition of tfjs ops that serves other backends.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, maxAbsError, random, runKernel, runOn, setUpBackends } from './helpers.js';
import { maxPoolGrad } from '../../../src/core/backend/wasm-kernels/max-pool-grad.js';

type Pair = number | [number, number];

function maxPoolGradOf(x: tf.Tensor4D, dy: tf.Tensor4D, filterSize: Pair, strides: Pair, pad: 'same' | 'valid'): tf.Tensor {
  const y = tf.maxPool(x, filterSize, strides, pad);
  return runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, { filterSize, strides, pad });
}

before(setUpBackends);

test('an all-negative window sends its gradient to its first maximum', async () => {
  const dx = await runOn('wasm', () =>
    maxPoolGradOf(tf.tensor4d([-3, -1, -1, -5, -2, -1, -4, -4], [1, 2, 4, 1]), tf.tensor4d([10, 20], [1, 1, 2, 1]), 2, 2, 'valid'),
  );
  assert.deepEqual(Array.from(dx.values), [0, 10, 20, 0, 0, 0, 0, 0]);
});

test('ties (all-zero window after ReLU) go to the first position; overlapping windows add up', async () => {
  const zeros = await runOn('wasm', () => maxPoolGradOf(tf.zeros([1, 2, 2, 1]), tf.tensor4d([5], [1, 1, 1, 1]), 2, 2, 'valid'));
  assert.deepEqual(Array.from(zeros.values), [5, 0, 0, 0]);
  // 1×5 row, 3-wide windows with stride 2: [0..2] and [2..4] share x[2], the maximum of both.
  const overlap = await runOn('wasm', () =>
    maxPoolGradOf(tf.tensor4d([1, 2, 9, 2, 1], [1, 1, 5, 1]), tf.tensor4d([3, 4], [1, 1, 2, 1]), [1, 3], [1, 2], 'valid'),
  );
  assert.deepEqual(Array.from(overlap.values), [0, 0, 7, 0, 0]);
});

test('MaxPoolGrad on wasm matches cpu (negative values, ties, overlapping windows)', async (t) => {
  const log = new ErrorLog();
  const pools: Array<[Pair, Pair, 'same' | 'valid']> = [
    [2, 2, 'valid'],
    [2, 2, 'same'],
    [3, 2, 'same'],
    [3, 2, 'valid'],
    [3, 1, 'same'],
    [3, 3, 'valid'],
    [2, 3, 'same'],
    [[2, 3], [1, 2], 'same'],
  ];
  const inputs: Array<[string, (v: number) => number]> = [
    ['all negative', (v) => v - 1.01],
    ['ties (4 levels)', (v) => Math.round(v * 1.5) / 1.5 - 0.5],
    ['relu (half zeros)', (v) => Math.max(0, v)],
  ];
  let seed = 1;
  for (const [filterSize, strides, pad] of pools) {
    for (const batch of [1, 3]) {
      for (const [kind, map] of inputs) {
        const xShape: [number, number, number, number] = [batch, 7 + (seed % 3), 9, 2 + (seed % 2)];
        const label = `f${filterSize} s${strides} ${pad} x[${xShape}] ${kind}`;
        const x = random(xShape, seed++).map(map);
        const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad);
        const dy = random(info.outShape, seed++);
        const e = await expectSameOnBothBackends(
          () => maxPoolGradOf(tf.tensor4d(x, xShape), tf.tensor4d(dy, info.outShape), filterSize, strides, pad),
          label,
          1e-6,
        );
        log.add('MaxPoolGrad', label, e);
        // The composition (used when the tensors' backend has no heap), on wasm, against cpu's kernel.
        const ref = await runOn('cpu', () => maxPoolGradOf(tf.tensor4d(x, xShape), tf.tensor4d(dy, info.outShape), filterSize, strides, pad));
        const composed = await runOn('wasm', () => maxPoolGrad(tf.tensor4d(dy, info.outShape), tf.tensor4d(x, xShape), filterSize, strides, pad));
        const ec = maxAbsError(composed, ref);
        assert.ok(ec.err <= 1e-6 * Math.max(ec.scale, 1), `composition, ${label}: max abs err ${ec.err}`);
        log.add('MaxPoolGrad (composition)', label, ec);
      }
    }
  }
  for (const line of log.lines()) t.diagnostic(line);
});

test('a window of -Infinity only gets no gradient (as on cpu); its neighbours are unaffected', async () => {
  const x = [-Infinity, -Infinity, -5, -7, -Infinity, -Infinity, -6, -5];
  const e = await expectSameOnBothBackends(
    () => maxPoolGradOf(tf.tensor4d(x, [1, 2, 4, 1]), tf.tensor4d([10, 20], [1, 1, 2, 1]), 2, 2, 'valid'),
    '-Infinity window',
    0,
  );
  assert.equal(e.err, 0);
  const dx = await runOn('wasm', () => maxPoolGradOf(tf.tensor4d(x, [1, 2, 4, 1]), tf.tensor4d([10, 20], [1, 1, 2, 1]), 2, 2, 'valid'));
  assert.deepEqual(Array.from(dx.values), [0, 0, 20, 0, 0, 0, 0, 0]);
});

test('MaxPoolGrad rejects a dy of the wrong shape', async () => {
  await tf.setBackend('wasm');
  assert.throws(
    () =>
      tf.tidy(() =>
        runKernel(
          tf.MaxPoolGrad,
          { dy: tf.zeros([1, 3, 3, 1]), input: tf.zeros([1, 4, 4, 1]), output: tf.zeros([1, 2, 2, 1]) },
          { filterSize: 2, strides: 2, pad: 'valid' },
        ),
      ),
    /MaxPoolGrad: dy has shape \[1, 3, 3, 1\], expected \[1, 2, 2, 1\]/,
  );
});

test('with or without the forward output, the same gradient; a wrongly shaped output is rejected', async () => {
  const shape: [number, number, number, number] = [2, 7, 9, 3];
  const x = random(shape, 91).map((v) => Math.max(0, v));
  const info = tf.backend_util.computePool2DInfo(shape, 3, 2, 1, 'same');
  const dy = random(info.outShape, 92);
  const build = (withOutput: boolean) => () => {
    const xt = tf.tensor4d(x, shape);
    return maxPoolGrad(tf.tensor4d(dy, info.outShape), xt, 3, 2, 'same', undefined, withOutput ? tf.maxPool(xt, 3, 2, 'same') : undefined);
  };
  const a = await runOn('wasm', build(true));
  const b = await runOn('wasm', build(false));
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
  await tf.setBackend('wasm');
  assert.throws(
    () => tf.tidy(() => maxPoolGrad(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 4, 4, 1]), 2, 2, 'valid', undefined, tf.zeros([1, 3, 3, 1]))),
    /MaxPoolGrad: output has shape \[1, 3, 3, 1\], expected \[1, 2, 2, 1\]/,
  );
});
