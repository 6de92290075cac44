/**
 * zeroUpsampleFramed (the stride-s gradients' framing of an upsampled dy) against the composition
 * it replaces, zeroUpsample then padOrCrop, on wasm and cpu: pads, crops into the trailing zeros
 * and beyond them, strides 1–3 and unequal strides. Exact: it only moves values and zeros.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { padOrCrop, zeroUpsample, zeroUpsampleFramed } from '../../../src/core/backend/wasm-kernels/spatial.js';
import { random, runOn, setUpBackends } from './helpers.js';

before(setUpBackends);

test('zeroUpsampleFramed equals padOrCrop(zeroUpsample(x)) exactly', async () => {
  let seed = 3;
  const strides: Array<[number, number]> = [
    [1, 1],
    [2, 2],
    [3, 2],
    [1, 3],
  ];
  const frames: Array<[number, number, number, number]> = [
    [0, 0, 0, 0],
    [2, 1, 2, 1],
    [1, -1, 0, -2],
    [-1, 2, 1, -3],
    [0, 3, 2, 0],
  ];
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const [sh, sw] of strides) {
      for (const [top, bottom, left, right] of frames) {
        const shape: [number, number, number, number] = [2, 4, 5, 3];
        const x = random(shape, seed++);
        const label = `${backend} s${sh}×${sw} frame ${top},${bottom},${left},${right}`;
        const want = await runOn(backend, () => padOrCrop(zeroUpsample(tf.tensor4d(x, shape), sh, sw), top, bottom, left, right));
        const got = await runOn(backend, () => zeroUpsampleFramed(tf.tensor4d(x, shape), sh, sw, top, bottom, left, right));
        assert.deepEqual(got.shape, want.shape, label);
        assert.deepEqual(Array.from(got.values), Array.from(want.values), label);
      }
    }
  }
});
