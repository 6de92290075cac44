/**
 * BatchNorm folded into convolutions for inference passes: the folded graph computes what the
 * original computes (tfjs' own BatchNormalization layers in inference mode are the reference) on a
 * small network with every kind of pair (Conv2D with and without bias, DepthwiseConv2D with a depth
 * multiplier, BatchNorm without scale or without centre, non-trivial moving statistics), pairs that
 * must not be folded are left alone, folded weights are freed on dispose, and on the real Teachable
 * Machine MobileNetV2 over real photos the 1280 pooled features agree.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { decodeImage } from '../../../src/core/data/sources/decode-image.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import { foldBatchNorms } from '../../../src/core/models/fold-batch-norm.js';
import { flattenModel, runOps, type OpGraph } from '../../../src/core/models/graph.js';
import { loadBase } from '../../../src/core/models/network.js';

const SHARED = path.join(__dirname, '../../../../shared/data');
const MOBILENET = path.join(SHARED, 'mobilenetv2-teachable', 'model.json');
const PHOTOS = path.join(SHARED, 'hymenoptera_data', 'val');

before(async () => {
  await initBackend('wasm');
});

/** Runs ops `0..end-1` of `graph` in inference mode on `x` and returns tensor `key`'s values. */
function run(graph: OpGraph, end: number, x: tf.Tensor, key: number): Float32Array {
  return tf.tidy(() => {
    const env = new Map<number, tf.Tensor>([[graph.inputs[0]!, x]]);
    runOps(graph, env, 0, end, () => false, new Set([key]));
    return env.get(key)!.dataSync() as Float32Array;
  });
}

/** Largest |a − b| over the largest |b| (1 at least). */
function relErr(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

/** Seeded BatchNorm weights: γ, β around 1 and 0, means ±1, variances 0.2–2.2. */
function randomizeBatchNorm(layer: tf.layers.Layer, seed: number): void {
  layer.setWeights(
    layer.getWeights().map((w, i, all) => {
      const n = w.shape[0]!;
      const u = tf.randomUniform([n], 0, 1, 'float32', seed + i).dataSync();
      const isVariance = i === all.length - 1;
      const isMean = i === all.length - 2;
      return tf.tensor1d(Array.from(u, (v) => (isVariance ? 0.2 + 2 * v : isMean ? 2 * v - 1 : w.dataSync()[0] === 1 ? 0.5 + v : v - 0.5)));
    }),
  );
}

test('every kind of pair is folded and the folded graph computes the original', () => {
  const input = tf.input({ shape: [11, 11, 3] });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: true, name: 'c1' }).apply(input) as tf.SymbolicTensor;
  const b1 = tf.layers.batchNormalization({ scale: false, name: 'b1' }).apply(c1) as tf.SymbolicTensor;
  const r1 = tf.layers.reLU({ maxValue: 6 }).apply(b1) as tf.SymbolicTensor;
  const d2 = tf.layers
    .depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', useBias: false, name: 'd2' })
    .apply(r1) as tf.SymbolicTensor;
  const b2 = tf.layers.batchNormalization({ center: false, epsilon: 1e-5, name: 'b2' }).apply(d2) as tf.SymbolicTensor;
  const c3 = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, name: 'c3' }).apply(b2) as tf.SymbolicTensor;
  const b3 = tf.layers.batchNormalization({ name: 'b3' }).apply(c3) as tf.SymbolicTensor;
  const out = tf.layers.flatten().apply(b3) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  ['b1', 'b2', 'b3'].forEach((n, i) => randomizeBatchNorm(model.getLayer(n), 10 * i + 1));
  const graph = flattenModel(model);
  const outKey = graph.outputs[0]!;
  const x = tf.randomNormal([3, 11, 11, 3], 0, 1, 'float32', 5);
  const want = run(graph, graph.ops.length, x, outKey);
  const folded = foldBatchNorms(graph, graph.ops.length, new Set([outKey]));
  assert.equal(folded.folded, 3);
  assert.equal(folded.end, graph.ops.length - 3);
  assert.deepEqual(
    folded.graph.ops.map((o) => o.layer.getClassName()),
    ['Conv2D', 'ReLU', 'DepthwiseConv2D', 'Conv2D', 'Flatten'],
  );
  const got = run(folded.graph, folded.end, x, outKey);
  const e = relErr(got, want);
  assert.ok(e < 1e-5, `folded vs original: relative error ${e}`);
  const before = tf.memory().numTensors;
  folded.dispose();
  folded.dispose();
  assert.equal(tf.memory().numTensors, before - 6, 'the three folded layers’ kernels and biases are freed');
  x.dispose();
});

test('pairs that must stay apart: an output read twice, a kept tensor, a fused activation, a BatchNorm on another axis', () => {
  const input = tf.input({ shape: [6, 6, 2] });
  const c1 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c1' }).apply(input) as tf.SymbolicTensor;
  const b1 = tf.layers.batchNormalization({ name: 'b1' }).apply(c1) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([b1, c1]) as tf.SymbolicTensor; // c1 read twice
  const c2 = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'c2' }).apply(sum) as tf.SymbolicTensor;
  const b2 = tf.layers.batchNormalization({ name: 'b2' }).apply(c2) as tf.SymbolicTensor; // activation inside the conv
  const c3 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c3' }).apply(b2) as tf.SymbolicTensor;
  const b3 = tf.layers.batchNormalization({ axis: 1, name: 'b3' }).apply(c3) as tf.SymbolicTensor; // not the channel axis
  const c4 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'c4' }).apply(b3) as tf.SymbolicTensor;
  const b4 = tf.layers.batchNormalization({ name: 'b4' }).apply(c4) as tf.SymbolicTensor;
  const graph = flattenModel(tf.model({ inputs: input, outputs: b4 }));
  assert.equal(foldBatchNorms(graph, graph.ops.length, new Set()).folded, 1, 'only c4 + b4');
  const c4Key = graph.ops.find((o) => o.layer.name === 'c4')!.outputs[0]!;
  assert.equal(foldBatchNorms(graph, graph.ops.length, new Set([c4Key])).folded, 0, 'c4 kept');
  assert.equal(foldBatchNorms(graph, graph.ops.length - 1, new Set()).folded, 0, 'b4 beyond the range');
});

test(
  'the real Teachable Machine MobileNetV2: every BatchNorm folded, the pooled features of real photos agree',
  { skip: !fs.existsSync(MOBILENET) && 'shared data not present' },
  async () => {
    const exp = resolveExperiment(
      { base: { kind: 'model', path: MOBILENET }, data: { train: { kind: 'imageFolder', path: PHOTOS } }, transfer: { strategy: 'featureExtraction' } },
      path.join(os.tmpdir(), 'fold.transfer.json'),
    );
    const base = await loadBase(exp, { runsDir: os.tmpdir() });
    const graph = flattenModel(base.model);
    const pooled = graph.ops.findIndex((o) => o.layer.getClassName() === 'GlobalAveragePooling2D');
    assert.ok(pooled > 0);
    const key = graph.ops[pooled]!.outputs[0]!;
    const bns = graph.ops.slice(0, pooled).filter((o) => o.layer.getClassName() === 'BatchNormalization').length;
    const folded = foldBatchNorms(graph, pooled + 1, new Set([key]));
    assert.equal(folded.folded, bns);
    assert.ok(bns >= 50, `${bns} BatchNorm layers`);
    const files = ['ants', 'bees'].flatMap((c) =>
      fs
        .readdirSync(path.join(PHOTOS, c))
        .sort()
        .slice(0, 2)
        .map((f) => path.join(PHOTOS, c, f)),
    );
    const pixels = await Promise.all(files.map((f) => decodeImage(f, { height: 224, width: 224, channels: 3, resize: 'cover' })));
    const x = tf.tensor4d(Float32Array.from(pixels.flatMap((p) => Array.from(p, (v) => v / 127.5 - 1))), [files.length, 224, 224, 3]);
    const want = run(graph, pooled + 1, x, key);
    const got = run(folded.graph, folded.end, x, key);
    folded.dispose();
    x.dispose();
    assert.equal(got.length, files.length * 1280);
    const e = relErr(got, want);
    assert.ok(e < 1e-4, `pooled features, folded vs original: relative error ${e}`);
  },
);
