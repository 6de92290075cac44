// AdaBN: after re-estimation every BatchNorm layer's moving mean and variance equal the mean and the
// population variance of its input over the target set, computed here directly in float64 from a
// sub-model's activations (the second BatchNorm's input depends on the first's new statistics).
// Pseudo-label selection rules on hand-made probabilities.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { adaptBatchNorm, ChannelMoments } from '../../../src/core/training/adabn.js';
import { selectPseudoLabels } from '../../../src/core/training/pseudo-labels.js';
import { flattenModel } from '../../../src/core/models/graph.js';
import type { ExampleSet } from '../../../src/core/data/example-set.js';
import { Rng } from '../../../src/core/data/rng.js';

before(async () => {
  await initBackend('wasm');
});

/** A set of random images (not in [0, 1], with an offset, so means and variances are far from 0 and 1). */
function imageSet(n: number, shape: number[], seed: number): ExampleSet {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n * size }, () => 3 + 2 * rng.normal());
  return {
    count: n,
    shape,
    labels: new Int32Array(n),
    id: (i) => `img#${i}`,
    gather: (idx) => {
      const out = new Float32Array(idx.length * size);
      for (let k = 0; k < idx.length; k++) out.set(data.subarray(idx[k]! * size, (idx[k]! + 1) * size), k * size);
      return out;
    },
  };
}

/** Float64 mean and population variance per channel (last axis) of a tensor's values. */
function direct(t: tf.Tensor): { mean: number[]; variance: number[] } {
  const v = t.dataSync();
  const c = t.shape[t.shape.length - 1]!;
  const n = v.length / c;
  const mean = new Array<number>(c).fill(0);
  for (let i = 0; i < v.length; i++) mean[i % c]! += v[i]! / n;
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < v.length; i++) variance[i % c]! += (v[i]! - mean[i % c]!) ** 2 / n;
  return { mean, variance };
}

test('re-estimated moving statistics equal the directly computed target statistics, layer by layer', () => {
  const input = tf.input({ shape: [6, 6, 2] });
  let x = tf.layers
    .conv2d({ name: 'c1', filters: 3, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'r1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ name: 'c2', filters: 4, kernelSize: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const set = imageSet(37, [6, 6, 2], 9);
  const gammaBefore = model.getLayer('bn1').getWeights()[0]!.dataSync().slice();

  const r = adaptBatchNorm(flattenModel(model), flattenModel(model).ops.length, set, { batchSize: 10 }); // 4 uneven batches
  assert.deepEqual(r.layers, ['bn1', 'bn2']);
  assert.deepEqual(r.counts, [37 * 4 * 4, 37 * 3 * 3]);

  const all = tf.tensor4d(set.gather(Array.from({ length: 37 }, (_, i) => i)), [37, 6, 6, 2]);
  for (const [bn, from] of [
    ['bn1', 'c1'],
    ['bn2', 'c2'],
  ] as const) {
    // The BatchNorm's input, in inference mode, with the statistics now in the model.
    const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(from).output as tf.SymbolicTensor });
    const want = direct(sub.predict(all) as tf.Tensor);
    const layer = model.getLayer(bn);
    const w = Object.fromEntries(layer.weights.map((v) => [v.originalName.split('/').pop(), Array.from(v.read().dataSync())]));
    want.mean.forEach((m, j) =>
      assert.ok(Math.abs(w.moving_mean![j]! - m) <= 1e-5 * Math.max(1, Math.abs(m)), `${bn} mean ${j}: ${w.moving_mean![j]} vs ${m}`),
    );
    want.variance.forEach((v, j) =>
      assert.ok(Math.abs(w.moving_variance![j]! - v) <= 1e-5 * Math.max(1, v), `${bn} variance ${j}: ${w.moving_variance![j]} vs ${v}`),
    );
  }
  // γ, β and the kernels are untouched.
  assert.deepEqual(Array.from(model.getLayer('bn1').getWeights()[0]!.dataSync()), Array.from(gammaBefore));
  model.dispose();
});

test('ChannelMoments stays accurate when the mean is far larger than the spread (shifted sums)', () => {
  const m = new ChannelMoments();
  // The float32 values the tensors hold; E[x²] − E[x]² in float32 would lose the variance entirely.
  const values = [1e4 + 0.1, 1e4 + 0.2, 1e4 + 0.3, 1e4 + 0.4].map(Math.fround);
  m.add(tf.tensor2d(values.slice(0, 3), [3, 1]));
  m.add(tf.tensor2d(values.slice(3), [1, 1]));
  const r = m.result();
  const mean = values.reduce((a, b) => a + b, 0) / 4;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / 4; // ≈ 0.0125
  assert.ok(Math.abs(r.mean[0]! - mean) < 1e-6, `${r.mean[0]} vs ${mean}`);
  assert.ok(Math.abs(r.variance[0]! - variance) < 1e-6, `${r.variance[0]} vs ${variance}`);
});

test('pseudo-labels: argmax class, floor threshold, per-class share, cap, index order', () => {
  // 8 examples, 3 classes; rows are probabilities.
  const p = [
    [0.9, 0.05, 0.05], // 0 → class 0, 0.9
    [0.6, 0.3, 0.1], //  1 → class 0, 0.6
    [0.2, 0.7, 0.1], //  2 → class 1, 0.7
    [0.1, 0.85, 0.05], // 3 → class 1, 0.85
    [0.4, 0.4, 0.2], //  4 → class 0 (tie: lower class), 0.4
    [0.1, 0.1, 0.8], //  5 → class 2, 0.8
    [0.95, 0.03, 0.02], // 6 → class 0, 0.95
    [0.34, 0.33, 0.33], // 7 → class 0, 0.34
  ].flat();
  // Threshold only.
  const a = selectPseudoLabels(p, 3, { threshold: 0.65, classBalance: false, portion: 1 });
  assert.deepEqual(a.indices, [0, 2, 3, 5, 6]);
  assert.deepEqual(a.labels, [0, 1, 1, 2, 0]);
  assert.deepEqual(a.perClass, [2, 2, 1]);
  // Class balance: class 0 has 5 predictions → top ⌈0.5·5⌉ = 3 (6, 0, 1); class 1 has 2 → 1 (3); class 2 has 1 → 1 (5).
  const b = selectPseudoLabels(p, 3, { threshold: 0, classBalance: true, portion: 0.5 });
  assert.deepEqual(b.indices, [0, 1, 3, 5, 6]);
  assert.deepEqual(b.perClass, [3, 1, 1]);
  // The floor still applies inside the share; the cap keeps the most confident.
  const c = selectPseudoLabels(p, 3, { threshold: 0.65, classBalance: true, portion: 0.5, maxPerClass: 1 });
  assert.deepEqual(c.indices, [3, 5, 6]);
  assert.deepEqual(c.confidence, [0.85, 0.8, 0.95]);
  assert.throws(() => selectPseudoLabels([0.5, 0.5, 1], 2, { threshold: 0, classBalance: false, portion: 1 }), RangeError);
});
