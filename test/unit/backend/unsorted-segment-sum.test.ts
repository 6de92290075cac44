/**
 * UnsortedSegmentSum (missing on wasm) against the tfjs cpu backend: duplicate ids, empty segments,
 * out-of-range ids, rank-2 ids, int32 data, and the gradient of tf.gather that uses it.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isInstalledByUs } from '../../../src/core/backend/wasm-kernels/kernel-install.js';
import { ErrorLog, expectSameOnBothBackends, random, randomInt, runKernel, setUpBackends } from './helpers.js';

before(setUpBackends);

test('UnsortedSegmentSum on wasm matches cpu', async (t) => {
  // Stock tfjs-backend-wasm 4.22 has no UnsortedSegmentSum: the kernel compared below must be ours.
  assert.ok(isInstalledByUs('UnsortedSegmentSum', 'wasm'), 'our UnsortedSegmentSum kernel is installed on wasm');
  const log = new ErrorLog();
  const cases: Array<{ n: number[]; rest: number[]; segments: number; outOfRange: boolean; dtype: 'float32' | 'int32' }> = [
    { n: [10], rest: [3], segments: 4, outOfRange: false, dtype: 'float32' },
    { n: [50], rest: [5, 2], segments: 7, outOfRange: false, dtype: 'float32' },
    { n: [64], rest: [16], segments: 100, outOfRange: false, dtype: 'float32' },
    { n: [7], rest: [], segments: 3, outOfRange: false, dtype: 'float32' },
    { n: [4, 6], rest: [3], segments: 5, outOfRange: false, dtype: 'float32' },
    { n: [30], rest: [4], segments: 6, outOfRange: true, dtype: 'float32' },
    { n: [20], rest: [3], segments: 5, outOfRange: false, dtype: 'int32' },
  ];
  let seed = 3;
  for (const c of cases) {
    const size = c.n.reduce((a, b) => a * b, 1);
    const lo = c.outOfRange ? -3 : 0;
    const hi = c.outOfRange ? c.segments + 3 : c.segments - 1;
    const ids = Int32Array.from({ length: size }, () => randomInt(lo, hi, seed++));
    const xShape = [...c.n, ...c.rest];
    const x = random(xShape, seed++).map((v) => (c.dtype === 'int32' ? Math.round(v * 10) : v));
    const label = `ids[${c.n}] in [${lo}, ${hi}] x[${xShape}] ${c.dtype} → ${c.segments} segments`;
    // The cpu kernel mishandles rank > 1 ids and returns float32 for int32 data, so it gets ids and
    // x flattened and float32 (small integers: exact), and its result is cast back to the data dtype.
    const e = await expectSameOnBothBackends(
      () => {
        if (tf.getBackend() === 'cpu') {
          const data = tf.tensor(x, [size, ...c.rest], 'float32');
          return tf.unsortedSegmentSum(data, tf.tensor(ids, [size], 'int32'), c.segments).cast(c.dtype);
        }
        // The kernel directly: tf.unsortedSegmentSum's typing allows only rank-1 ids.
        return runKernel(tf.UnsortedSegmentSum, { x: tf.tensor(x, xShape, c.dtype), segmentIds: tf.tensor(ids, c.n, 'int32') }, { numSegments: c.segments });
      },
      label,
      c.dtype === 'int32' ? 0 : 1e-5,
    );
    log.add('UnsortedSegmentSum', label, e);
  }
  const table = random([20, 6], 99);
  const picks = [1, 3, 3, 7, 19, 0, 1, 1];
  log.add(
    'UnsortedSegmentSum',
    'gradient of gather',
    await expectSameOnBothBackends(
      () => tf.grad((e: tf.Tensor) => tf.sum(tf.square(tf.gather(e, tf.tensor1d(picks, 'int32')))))(tf.tensor2d(table, [20, 6])),
      'gradient of gather',
      1e-5,
    ),
  );
  for (const line of log.lines()) t.diagnostic(line);
});
