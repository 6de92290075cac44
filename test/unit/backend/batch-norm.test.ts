/**
 * The FusedBatchNorm override on wasm (x · a + b with folded per-channel factors, two XNNPACK
 * passes) against tfjs-backend-wasm's own kernel, captured before Transfer Lab's kernels are
 * installed: within a few float32 rounding steps of the terms on channels-last shapes (with and
 * without scale and offset, with -0, ±Infinity, NaN and zero variance; non-finite results equal),
 * the original still serving other parameter shapes, and both against the cpu backend.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { isInstalledByUs } from '../../../src/core/backend/wasm-kernels/kernel-install.js';
import { expectSameOnBothBackends, random } from './helpers.js';
import { setUpBackends } from './helpers.js';

// tfjs-backend-wasm registered its kernels when imported; ours are installed by setUpBackends.
const original = tf.getKernel(tf.FusedBatchNorm, 'wasm')!.kernelFunc;

before(setUpBackends);

/** Runs tfjs-backend-wasm's own FusedBatchNorm on the given tensors. */
function originalBatchNorm(inputs: tf.NamedTensorMap, varianceEpsilon: number): Float32Array {
  const info = original({ inputs, attrs: { varianceEpsilon }, backend: tf.backend() }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Case: x shape, and which of scale and offset are given. */
const CASES: Array<{ shape: number[]; scale: boolean; offset: boolean }> = [
  { shape: [2, 5, 7, 16], scale: true, offset: true },
  { shape: [3, 9, 9, 3], scale: true, offset: false },
  { shape: [4, 6, 6, 8], scale: false, offset: true },
  { shape: [5, 11], scale: false, offset: false },
  { shape: [1, 112, 112, 32], scale: true, offset: true },
  { shape: [7], scale: true, offset: true },
];

test('FusedBatchNorm is ours on wasm', () => {
  assert.equal(isInstalledByUs(tf.FusedBatchNorm, 'wasm'), true);
});

test('the override gives the original wasm kernel’s values within float32 rounding', async () => {
  await tf.setBackend('wasm');
  let seed = 11;
  for (const c of CASES) {
    const ch = c.shape[c.shape.length - 1]!;
    const xv = random(c.shape, seed++).map((v) => v * 5);
    xv.set([-0, Infinity, -Infinity, NaN, 1e-40, -3e4].slice(0, xv.length));
    const mean = Float32Array.from(random([ch], seed++), (v) => v * 2);
    const variance = Float32Array.from(random([ch], seed++), (v, i) => (i === 0 ? 0 : (v + 1) * 3));
    const scale = Float32Array.from(random([ch], seed++), (v) => v * 1.7);
    const offset = Float32Array.from(random([ch], seed++), (v) => v * 0.3);
    for (const eps of [0.001, 1e-5]) {
      const inputs: tf.NamedTensorMap = { x: tf.tensor(xv, c.shape), mean: tf.tensor1d(mean), variance: tf.tensor1d(variance) };
      if (c.scale) inputs.scale = tf.tensor1d(scale);
      if (c.offset) inputs.offset = tf.tensor1d(offset);
      const want = originalBatchNorm(inputs, eps);
      const gotT = tf.engine().runKernel<tf.Tensor>(tf.FusedBatchNorm, inputs, { varianceEpsilon: eps } as unknown as tf.NamedAttrMap);
      const got = gotT.dataSync() as Float32Array;
      tf.dispose([gotT, ...Object.values(inputs)]);
      const label = `[${c.shape}] scale ${c.scale} offset ${c.offset} ε ${eps}`;
      assert.equal(got.length, want.length, label);
      for (let i = 0; i < want.length; i++) {
        const k = i % ch;
        const a = (c.scale ? scale[k]! : 1) / Math.sqrt(variance[k]! + eps);
        const ok = Number.isFinite(want[i])
          ? Math.abs(got[i]! - want[i]!) <=
            8 * 2 ** -24 * (Math.abs(xv[i]! * a) + Math.abs(mean[k]! * a) + Math.abs(want[i]!) + (c.offset ? Math.abs(offset[k]!) : 0))
          : Object.is(got[i], want[i]);
        if (!ok) assert.fail(`${label}: element ${i}: override ${got[i]}, original ${want[i]} (x ${xv[i]})`);
      }
    }
  }
});

test('other parameter shapes go to the original, and both agree with cpu', async () => {
  let seed = 40;
  const shape = [2, 4, 4, 6];
  const x = random(shape, seed++);
  // Rank-4 per-channel parameters and rank-1 ones: cpu is the independent reference (its own formula, so within rounding).
  for (const pShape of [[1, 1, 1, 6], [6]]) {
    const p = (k: number) =>
      tf.tensor(
        random([6], seed + k).map((v) => v + (k === 1 ? 1.5 : 0)),
        pShape,
      );
    await expectSameOnBothBackends(() => tf.batchNorm(tf.tensor(x, shape), p(0), p(1), p(2), p(3), 0.001), `params [${pShape}]`, 1e-5);
  }
});

test('gradients through tf.batchNorm on wasm match cpu', async () => {
  const shape = [3, 5, 5, 4];
  const x = random(shape, 77);
  const mean = random([4], 78);
  const variance = random([4], 79).map((v) => v + 1.5);
  const scale = random([4], 80);
  const offset = random([4], 81);
  for (const which of [0, 1, 2, 3, 4]) {
    await expectSameOnBothBackends(
      () => {
        const args = [tf.tensor(x, shape), tf.tensor1d(mean), tf.tensor1d(variance), tf.tensor1d(offset), tf.tensor1d(scale)] as const;
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
          tf
            .batchNorm(a, b as tf.Tensor1D, c as tf.Tensor1D, d as tf.Tensor1D, e as tf.Tensor1D, 0.001)
            .square()
            .sum(),
        )([...args]);
        return g[which]!;
      },
      `gradient ${which}`,
      1e-4,
    );
  }
});
