/**
 * End-to-end gradients of a tiny conv net (conv → batch norm → max-pool → depthwise conv → 1×1
 * conv → global average → dense + embedding → softmax cross-entropy) computed with tf.grads on wasm
 * (with our kernels) and on the tfjs cpu backend: every parameter's gradient and the input's must
 * agree to ~1e-4 relative.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { maxAbsError, random, type Readout, runOn, setUpBackends } from './helpers.js';

const SHAPES = {
  x: [3, 12, 10, 3],
  conv1: [3, 3, 3, 6],
  bias1: [6],
  gamma: [6],
  beta: [6],
  depthwise: [3, 3, 6, 2],
  pointwise: [1, 1, 12, 8],
  dense: [8, 5],
  embedding: [10, 5],
} as const;
type Name = keyof typeof SHAPES;
const NAMES = Object.keys(SHAPES) as Name[];

function loss(p: Record<Name, tf.Tensor>): tf.Scalar {
  const h1 = tf.tanh(tf.add(tf.conv2d(p.x as tf.Tensor4D, p.conv1 as tf.Tensor4D, 1, 'same'), p.bias1));
  const { mean, variance } = tf.moments(h1, [0, 1, 2]);
  const bn = tf.batchNorm(h1, mean, variance, p.beta as tf.Tensor1D, p.gamma as tf.Tensor1D, 1e-3);
  const pooled = tf.maxPool(bn as tf.Tensor4D, 3, 2, 'same');
  const dw = tf.depthwiseConv2d(pooled, p.depthwise as tf.Tensor4D, 2, 'same');
  const pw = tf.elu(tf.conv2d(dw, p.pointwise as tf.Tensor4D, 1, 'valid'));
  const features = tf.mean(pw, [1, 2]);
  const logits = tf.add(tf.matMul(features, p.dense), tf.gather(p.embedding, tf.tensor1d([4, 1, 4], 'int32')));
  const labels = tf.oneHot(tf.tensor1d([0, 3, 2], 'int32'), 5, 1, 0, 'float32');
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

before(setUpBackends);

test('tf.grads of a tiny conv net agree on wasm and cpu', async (t) => {
  const values = Object.fromEntries(NAMES.map((n, i) => [n, random(SHAPES[n], 1000 + i)])) as Record<Name, Float32Array>;
  const sizes = NAMES.map((n) => SHAPES[n].reduce((a: number, b: number) => a * b, 1));
  // All gradients flattened into one tensor, so each backend differentiates once.
  const gradsOn = (backend: 'cpu' | 'wasm') =>
    runOn(backend, () => {
      const params = NAMES.map((n) => tf.tensor(values[n], [...SHAPES[n]]));
      const f = (...xs: tf.Tensor[]) => loss(Object.fromEntries(NAMES.map((n, i) => [n, xs[i]!])) as Record<Name, tf.Tensor>);
      return tf.concat(
        tf
          .grads(f)(params)
          .map((g) => g.reshape([-1])),
      );
    });
  const all = { cpu: await gradsOn('cpu'), wasm: await gradsOn('wasm') };
  const part = (r: Readout, i: number): Readout => {
    const start = sizes.slice(0, i).reduce((a, b) => a + b, 0);
    return { ...r, values: r.values.slice(start, start + sizes[i]!), shape: [sizes[i]!] };
  };
  for (const [i, name] of NAMES.entries()) {
    const { err, scale } = maxAbsError(part(all.wasm, i), part(all.cpu, i));
    t.diagnostic(`d loss / d ${name}: max abs err ${err.toExponential(2)}, max |ref| ${scale.toExponential(2)}`);
    assert.ok(scale > 0, `${name}: reference gradient is all zero, so the comparison would prove nothing`);
    assert.ok(err <= 1e-4 * scale, `${name}: max abs err ${err} > 1e-4 × ${scale}`);
  }
});
