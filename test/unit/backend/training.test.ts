/**
 * A small conv net with batch norm, max-pooling and a depthwise conv trains on wasm with our
 * kernels through tfjs-layers' fit(): the loss falls and no tensors leak between epochs.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { random, setUpBackends } from './helpers.js';

const SIZE = 12;
const CLASSES = 3;

/** 48 noisy 12×12 images: a bright block top-left (class 0), bottom-right (1), or a bar (2). */
function dataset(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const n = 48;
  const noise = random([n, SIZE, SIZE, 1], 77);
  const pixels = new Float32Array(n * SIZE * SIZE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % CLASSES;
    labels[i] = label;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const on = (label === 0 && r < 5 && c < 5) || (label === 1 && r >= 7 && c >= 7) || (label === 2 && r >= 5 && r < 7);
        const k = (i * SIZE + r) * SIZE + c;
        pixels[k] = (on ? 1 : 0) + 0.3 * noise[k]!;
      }
    }
  }
  return {
    xs: tf.tensor4d(pixels, [n, SIZE, SIZE, 1]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES, 1, 0, 'float32') as tf.Tensor2D,
  };
}

function model(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, kernelInitializer: init(1) }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.reLU());
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthwiseInitializer: init(2) }));
  m.add(tf.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu', kernelInitializer: init(3) }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(4) }));
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return m;
}

before(setUpBackends);

test('a conv net with BatchNorm and max-pooling trains on wasm', async (t) => {
  await tf.setBackend('wasm');
  const { xs, ys } = dataset();
  const m = model();
  const tensorsAfterEpoch: number[] = [];
  const started = Date.now();
  const history = await m.fit(xs, ys, {
    epochs: 6,
    batchSize: 16,
    shuffle: false,
    verbose: 0,
    callbacks: { onEpochEnd: async () => void tensorsAfterEpoch.push(tf.memory().numTensors) },
  });
  const losses = history.history.loss as number[];
  t.diagnostic(`loss per epoch: ${losses.map((l) => l.toFixed(3)).join(' → ')} (${Date.now() - started} ms)`);
  assert.ok(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `loss did not halve: ${losses}`);
  assert.deepEqual(new Set(tensorsAfterEpoch.slice(1)).size, 1, `tensor count drifts: ${tensorsAfterEpoch}`);
  m.dispose();
  tf.dispose([xs, ys]);
});
