/**
 * OneHot on wasm (replaced: the native kernel ignores the dtype and has no bounds check) against
 * the tfjs cpu backend and hand-computed values.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, runOn, setUpBackends } from './helpers.js';

before(setUpBackends);

test('float32 one-hot holds real 1s and 0s', async () => {
  const out = await runOn('wasm', () => tf.oneHot(tf.tensor1d([2, 0, 1], 'int32'), 3, 1, 0, 'float32'));
  assert.equal(out.dtype, 'float32');
  assert.ok(out.values instanceof Float32Array);
  assert.deepEqual(Array.from(out.values), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
});

test('out-of-range indices give rows of offValue and write nothing else', async () => {
  const out = await runOn('wasm', () => tf.oneHot(tf.tensor1d([-1, 3, 7, 1], 'int32'), 3, 5, -2, 'float32'));
  assert.deepEqual(Array.from(out.values), [-2, -2, -2, -2, -2, -2, -2, -2, -2, -2, 5, -2]);
});

test('OneHot on wasm matches cpu for float32 and int32, ranks 1 and 2', async (t) => {
  const log = new ErrorLog();
  const indices: Array<[number[], number[]]> = [
    [[0, 4, 2, -1, 5, 9, 3], [7]],
    [
      [1, 0, 3, 3, -7, 2],
      [2, 3],
    ],
  ];
  for (const [values, shape] of indices) {
    for (const dtype of ['float32', 'int32'] as const) {
      for (const [on, off] of [
        [1, 0],
        [3, -1],
      ] as const) {
        const label = `indices[${shape}] depth 5 ${dtype} on ${on} off ${off}`;
        const e = await expectSameOnBothBackends(() => tf.oneHot(tf.tensor(values, shape, 'int32'), 5, on, off, dtype), label, 0);
        log.add('OneHot', label, e);
      }
    }
  }
  for (const line of log.lines()) t.diagnostic(line);
});
