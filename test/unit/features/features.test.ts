// Earlier-layer features: the cut points of the small CNN, features at a layer against tfjs's own
// sub-model (pooled and not), the pooling window, and the linear probe on separable data.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { smallCnn } from '../../../src/core/models/builtin.js';
import { flattenModel } from '../../../src/core/models/graph.js';
import { cutPoints, extractFeatures, poolWindow } from '../../../src/core/features/extract.js';
import { fitLinearProbe } from '../../../src/core/features/linear-probe.js';
import { bestLayer, capExamples } from '../../../src/core/features/layer-sweep.js';
import type { ExampleSet } from '../../../src/core/data/example-set.js';
import { Rng } from '../../../src/core/data/rng.js';

before(async () => {
  await initBackend('wasm');
});

function randomSet(n: number, shape: number[], seed: number, labels?: number[]): ExampleSet {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n * size }, () => rng.next());
  return {
    count: n,
    shape,
    labels: Int32Array.from(labels ?? new Array<number>(n).fill(0)),
    id: (i) => `x#${i}`,
    gather: (idx) => {
      const out = new Float32Array(idx.length * size);
      for (let k = 0; k < idx.length; k++) out.set(data.subarray(idx[k]! * size, (idx[k]! + 1) * size), k * size);
      return out;
    },
  };
}

test('cut points of the small CNN, and features at a layer equal its tfjs sub-model, pooled or not', () => {
  const model = smallCnn(10, 1);
  const graph = flattenModel(model);
  const points = cutPoints(graph, graph.ops.length - 1, true);
  assert.deepEqual(
    points.map((p) => p.name),
    ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1'],
  );
  const set = randomSet(5, [28, 28, 1], 2);
  const conv1 = points.find((p) => p.name === 'conv1')!;
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('conv1').output as tf.SymbolicTensor });
  const x = tf.tensor4d(set.gather([0, 1, 2, 3, 4]), [5, 28, 28, 1]);
  const want = sub.predict(x) as tf.Tensor4D;
  const plain = extractFeatures(graph, conv1, set, { batchSize: 2 });
  assert.deepEqual(plain.shape, [26, 26, 32]);
  const w = want.dataSync();
  plain.data.forEach((v, i) => assert.ok(Math.abs(v - w[i]!) < 1e-5));
  // 26·26·32 = 21,632 > 8,192: window 2 (13·13·32 = 5,408).
  const pooled = extractFeatures(graph, conv1, set, { batchSize: 3, maxFeatures: 8192 });
  assert.equal(pooled.pool, 2);
  assert.equal(pooled.dim, 5408);
  const wp = tf.avgPool(want, 2, 2, 'valid').dataSync();
  pooled.data.forEach((v, i) => assert.ok(Math.abs(v - wp[i]!) < 1e-5));
  assert.equal(poolWindow([11, 11, 64], 8192), 1);
  assert.equal(poolWindow([4, 4, 9000], 8192), 4, 'global pooling when nothing smaller fits');
  assert.equal(poolWindow([128], 8), 1, 'vectors are never pooled');
  model.dispose();
});

test('the linear probe separates separable classes, is deterministic, and scores held-out rows', () => {
  // Two classes differing in feature 0 (±2, noise 0.2), plus 5 noise features.
  const rng = new Rng(4);
  const make = (n: number) => {
    const x = new Float32Array(n * 6);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i * 6] = (y[i] ? 2 : -2) + 0.2 * rng.normal();
      for (let j = 1; j < 6; j++) x[i * 6 + j] = rng.normal();
    }
    return { x, y, dim: 6 };
  };
  const train = make(60);
  const test = make(40);
  const a = fitLinearProbe(train, { classes: 2, iterations: 100 }, [test]);
  const b = fitLinearProbe(train, { classes: 2, iterations: 100 }, [test]);
  assert.equal(a.trainAccuracy, 1);
  assert.equal(a.evaluations[0]!.accuracy, 1);
  assert.deepEqual(Array.from(a.probabilities[0]!), Array.from(b.probabilities[0]!), 'deterministic');
  assert.throws(() => fitLinearProbe({ x: new Float32Array(2), y: Int32Array.from([3]), dim: 2 }, { classes: 2 }), RangeError);
});

test('sweep helpers: examples capped evenly over classes; best layer by validation, ties to fewer features', () => {
  const set = randomSet(10, [1], 1, [0, 0, 0, 0, 0, 0, 1, 1, 2, 2]);
  assert.deepEqual(capExamples(set, 3, 6), [0, 1, 6, 7, 8, 9]);
  const entry = (layer: string, valAccuracy: number, features: number) => ({
    layer,
    index: 0,
    className: 'X',
    featureShape: [features],
    features,
    pool: 1,
    trainAccuracy: 1,
    valAccuracy,
    seconds: 0,
  });
  assert.equal(bestLayer([entry('a', 0.8, 100), entry('b', 0.9, 500), entry('c', 0.9, 200)]), 'c');
  assert.equal(bestLayer([{ ...entry('a', 0, 1), valAccuracy: undefined }]), undefined);
});
