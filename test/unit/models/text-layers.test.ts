import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { MaskedPooling1D, PrePad1D } from '../../../src/core/models/text-layers.js';
import { buildTextBase } from '../../../src/core/models/text-base.js';
import { loadShippedVectors } from '../../../src/core/text/vectors.js';

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
  close(
    y.dataSync(),
    ref.mean.flatMap((m, i) => [...m, ...ref.max[i]!]),
    'meanMax',
  );
  tf.dispose([x, g, y]);
});

// numpy moves each row's non-padding vectors to the end and maps the gradient back (padding: zero).
const PREPAD = `
import json, sys, numpy as np
x, dy = (np.array(a, dtype=np.float64) for a in json.load(sys.stdin))
out = np.zeros_like(x); grad = np.zeros_like(x)
for b in range(x.shape[0]):
    keep = np.abs(x[b]).sum(-1) != 0
    n = int(keep.sum()); L = x.shape[1]
    out[b, L - n:] = x[b][keep]              # documents are padded at the end: keep == first n positions
    grad[b][keep] = dy[b, L - n:]
print(json.dumps({"out": out.tolist(), "grad": grad.tolist()}))
`;

test('PrePad1D: documents moved to the end of the window and the gradient mapped back equal numpy', async () => {
  await initBackend('wasm');
  const x = [
    [
      [1, 2],
      [3, -1],
      [0, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    [
      [-1, 1],
      [2, 2],
      [0.5, 4],
      [1, 0],
    ],
    [
      [7, 7],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  ];
  const dy = x.map((doc, b) => doc.map((_, k) => [b + 0.1 * k, -b - 0.01 * k]));
  const ref = JSON.parse(execFileSync('python3', ['-c', PREPAD], { input: JSON.stringify([x, dy]), encoding: 'utf8' })) as {
    out: number[][][];
    grad: number[][][];
  };
  const layer = new PrePad1D({});
  const xt = tf.tensor3d(x);
  const y = layer.apply(xt) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), ref.out.flat(2));
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, tf.tensor3d(dy))))(xt);
  Array.from(g.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - ref.grad.flat(2)[i]!) < 1e-6, `grad[${i}] ${v} vs ${ref.grad.flat(2)[i]}`));
  tf.dispose([xt, y, g]);
});

test('gru/bigru text base: a document padded to 12 tokens gives the same features as the same document unpadded', async () => {
  await initBackend('wasm');
  const vectors = loadShippedVectors(500);
  for (const encoder of ['gru', 'bigru'] as const) {
    const base = { kind: 'wordVectors', vectors: 'glove-100d', encoder, filters: 8, kernelSize: 3, units: 6 } as const;
    const padded = buildTextBase(base, vectors, 12, 3);
    const exact = buildTextBase(base, vectors, 5, 3);
    exact.setWeights(padded.getWeights());
    const ids = [17, 4, 250, 2, 99];
    const a = padded.predict(tf.tensor2d([[...ids, 0, 0, 0, 0, 0, 0, 0]])) as tf.Tensor;
    const b = exact.predict(tf.tensor2d([ids])) as tf.Tensor;
    const [va, vb] = [a.dataSync(), b.dataSync()];
    assert.equal(va.length, encoder === 'gru' ? 6 : 12);
    // the forward GRU reads the pre-padded window, the backward one the end-padded window from its end:
    // either reads the zeros first, and its state stays 0 there (zero input, zero biases)
    va.forEach((v, i) => assert.ok(Math.abs(v - vb[i]!) < 1e-5, `${encoder}[${i}]: ${v} vs ${vb[i]}`));
    assert.ok(
      Array.from(va).some((v) => Math.abs(v) > 1e-3),
      'features are not all zero',
    );
    tf.dispose([a, b]);
    padded.dispose();
    exact.dispose();
  }
});
