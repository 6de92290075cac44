import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { MaskedPooling1D } from '../../../src/core/models/text-layers.js';

// numpy computes the masked mean/max and the gradient of sum(mean) independently.
const NUMPY = `
import json, sys, numpy as np
x = np.array(json.load(sys.stdin), dtype=np.float64)
m = (np.abs(x).sum(-1, keepdims=True) != 0).astype(np.float64)
n = np.maximum(m.sum(1), 1)
mean = (x * m).sum(1) / n
mx = np.where(m > 0, x, -np.inf).max(1); mx[~np.isfinite(mx)] = 0
grad = np.broadcast_to(m / n[:, None, :], x.shape)
print(json.dumps({"mean": mean.tolist(), "max": mx.tolist(), "grad": grad.tolist()}))
`;

test('MaskedPooling1D: mean, max and meanMax over non-padding tokens and the mean gradient equal numpy', async () => {
  await initBackend('wasm');
  const rows = [
    [
      [0.5, -1, 2],
      [0, 0, 0],
      [3, 1, -2],
      [0, 0, 0],
    ],
    [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
    [
      [-1, -2, -3],
      [-0.5, 4, 1],
      [2, 2, 2],
      [1, 0, 0],
    ],
  ];
  const ref = JSON.parse(execFileSync('python3', ['-c', NUMPY], { input: JSON.stringify(rows), encoding: 'utf8' })) as {
    mean: number[][];
    max: number[][];
    grad: number[][][];
  };
  const x = tf.tensor3d(rows);
  const close = (a: ArrayLike<number>, b: number[], what: string) =>
    Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-6, `${what}[${i}] ${v} vs ${b[i]}`));
  const mean = new MaskedPooling1D({ mode: 'mean' });
  const max = new MaskedPooling1D({ mode: 'max' });
  close((mean.apply(x) as tf.Tensor).dataSync(), ref.mean.flat(), 'mean');
  close((max.apply(x) as tf.Tensor).dataSync(), ref.max.flat(), 'max');
  const g = tf.grad((a: tf.Tensor) => tf.sum(mean.apply(a) as tf.Tensor))(x);
  close(g.dataSync(), ref.grad.flat(2), 'grad');
  assert.deepEqual(new MaskedPooling1D({ mode: 'max' }).getConfig().mode, 'max');
  // meanMax: [mean, max] per document, 2 × dim features
  const both = new MaskedPooling1D({ mode: 'meanMax' });
  const y = both.apply(x) as tf.Tensor;
  assert.deepEqual(y.shape, [3, 6]);
  assert.deepEqual(both.computeOutputShape([null, 4, 3]), [null, 6]);
  close(y.dataSync(), ref.mean.flatMap((m, i) => [...m, ...ref.max[i]!]), 'meanMax');
  tf.dispose([x, g, y]);
});
