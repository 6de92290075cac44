// Keras `.h5` and `.keras` files from public repositories (test/fixtures/keras/SOURCES.md) read without Python,
// converted to tfjs, and checked against an independent NumPy forward pass reading the same file
// with h5py (test/fixtures/keras/numpy_forward.py) on real MNIST digits.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadModelFile, ModelError, saveModel } from '../../../src/core/models/io.js';
import { loadKerasModel } from '../../../src/core/models/keras/load.js';
import { readKerasFile } from '../../../src/core/models/keras/read.js';
import { toSnakeCase } from '../../../src/core/models/keras/keras3.js';
import { readModelTopology } from '../../../src/core/models/topology.js';
import { mnistDigitsDir } from '../../../src/core/data/sources/mnist.js';
import tfjsLayerClasses from '../../../src/core/models/tfjs-layer-classes.json';
import { tfjsLayerClasses as registeredClasses } from '../../../scripts/gen-layer-classes.js';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'keras');
const CNN = path.join(FIXTURES, 'mnist-cnn.h5');
const LENET = path.join(FIXTURES, 'lenet5-mnist.h5');
const WEIGHTS_ONLY = path.join(FIXTURES, 'lenet5-weights-only.h5');
/** Debian's python3 has h5py and NumPy (python3-h5py); a pyenv python3 on PATH may not. */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

before(async () => {
  await initBackend('wasm');
});

/** `perDigit` real MNIST digits of each class 0–9 in [0, 1], 28×28, row-major, with their labels. */
function digits(perDigit: number): { pixels: Float32Array; labels: number[] } {
  const pixels = new Float32Array(10 * perDigit * 784);
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), `${d}.json`), 'utf8')) as { data: number[] }).data;
    for (let k = 0; k < perDigit; k++) {
      pixels.set(data.slice((100 + k) * 784, (101 + k) * 784), labels.length * 784);
      labels.push(d);
    }
  }
  return { pixels, labels };
}

/** The NumPy forward pass of `model` on NHWC float32 input `x`. */
function numpyForward(model: string, x: Float32Array, shape: [number, number, number, number], upto?: string): { shape: number[]; values: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-keras-np-'));
  const input = path.join(dir, 'x.f32');
  fs.writeFileSync(input, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const r = spawnSync(PYTHON, [path.join(FIXTURES, 'numpy_forward.py'), model, input, ...shape.map(String), ...(upto ? ['--upto', upto] : [])], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { shape: number[]; values: number[] };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

test('mnist-cnn.h5 (tf.keras 2.10): the converted model equals a NumPy forward pass to 1e-5 and reads real digits', async () => {
  const model = await loadKerasModel(CNN);
  const { pixels, labels } = digits(5);
  // The repository trained on raw 0–255 pixels.
  const raw = pixels.map((v) => v * 255);
  const probs = tf.tidy(() => (model.predict(tf.tensor4d(raw, [labels.length, 28, 28, 1])) as tf.Tensor).dataSync().slice());
  const ref = numpyForward(CNN, raw, [labels.length, 28, 28, 1]);
  assert.deepEqual(ref.shape, [labels.length, 10]);
  const diff = maxAbsDiff(probs, ref.values);
  assert.ok(diff < 1e-5, `max |tfjs − numpy| = ${diff}`);
  // The hidden layers too (logits before the softmax can differ where the softmax saturates).
  const hidden = numpyForward(CNN, raw, [labels.length, 28, 28, 1], 'dense_1');
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('dense_1').output as tf.SymbolicTensor });
  const h = tf.tidy(() => (sub.predict(tf.tensor4d(raw, [labels.length, 28, 28, 1])) as tf.Tensor).dataSync().slice());
  const scale = Math.max(...hidden.values.map(Math.abs));
  assert.ok(maxAbsDiff(h, hidden.values) / scale < 1e-5, `dense_1 relative diff ${maxAbsDiff(h, hidden.values) / scale}`);
  let correct = 0;
  labels.forEach((l, i) => {
    const row = Array.from(probs.slice(i * 10, i * 10 + 10));
    if (row.indexOf(Math.max(...row)) === l) correct++;
  });
  assert.ok(correct >= 45, `${correct}/50 real digits classified correctly`);
  model.dispose();
});

test('lenet5-mnist.h5 (Keras 2.4, 32×32 input): equal to NumPy to 1e-5 on padded digits', async () => {
  const model = await loadKerasModel(LENET);
  const { pixels, labels } = digits(3);
  const n = labels.length;
  const padded = new Float32Array(n * 32 * 32);
  for (let i = 0; i < n; i++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) padded[i * 1024 + (y + 2) * 32 + x + 2] = pixels[i * 784 + y * 28 + x]!;
  const out = tf.tidy(() => (model.predict(tf.tensor4d(padded, [n, 32, 32, 1])) as tf.Tensor).dataSync().slice());
  const ref = numpyForward(LENET, padded, [n, 32, 32, 1]);
  const diff = maxAbsDiff(out, ref.values);
  assert.ok(diff < 1e-5, `max |tfjs − numpy| = ${diff}`);
  const argmax = (i: number) => {
    const row = Array.from(out.slice(i * 10, i * 10 + 10));
    return row.indexOf(Math.max(...row));
  };
  assert.ok(labels.filter((l, i) => argmax(i) === l).length >= 27, 'LeNet reads at least 27 of 30 real digits');
  model.dispose();
});

test('the file is read without tfjs: version, layer groups, weight names and shapes; the layer list has exact parameter counts', async () => {
  const k = readKerasFile(LENET);
  assert.equal(k.kerasVersion, '2.4.0');
  assert.equal(k.backend, 'tensorflow');
  assert.equal(k.topology.class_name, 'Sequential');
  const conv = k.layers.find((l) => l.layer === 'conv2d')!;
  assert.deepEqual(
    conv.weights.map((w) => [w.name, w.shape]),
    [
      ['conv2d/kernel', [5, 5, 1, 6]],
      ['conv2d/bias', [6]],
    ],
  );
  const topo = await readModelTopology(LENET);
  assert.deepEqual(
    topo.layers.map((l) => l.className),
    ['Conv2D', 'AveragePooling2D', 'Conv2D', 'AveragePooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense'],
  );
  assert.equal(topo.paramsFromManifest, true);
  assert.equal(topo.totalParams, 61706); // 156 + 2416 + 48120 + 10164 + 850
  assert.deepEqual(topo.layers[4]!.outputShape, [null, 1, 1, 120]);
});

test('convert: the written tfjs folder loads with our strict loader and predicts the same', async () => {
  const model = await loadKerasModel(CNN);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-keras-conv-'));
  await saveModel(model, dir);
  const again = await loadModelFile(path.join(dir, 'model.json'));
  const x = tf.randomUniform([4, 28, 28, 1], 0, 255, 'float32', 7);
  const a = (model.predict(x) as tf.Tensor).dataSync();
  const b = (again.predict(x) as tf.Tensor).dataSync();
  assert.equal(maxAbsDiff(a, b), 0);
  x.dispose();
  model.dispose();
  again.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a weights-only file (save_weights) is refused: no architecture, with what to do', async () => {
  await assert.rejects(loadKerasModel(WEIGHTS_ONLY), (e: Error) => {
    assert.ok(e instanceof ModelError);
    assert.match(e.message, /lenet5-weights-only\.h5: this file holds weights only \(model\.save_weights\).*model\.save\("model\.h5"\)/);
    return true;
  });
});

test('a layer class TensorFlow.js lacks is named with its layer; a weight of the wrong shape names layer and shapes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-keras-bad-'));
  // Edit copies of the real file with h5py: a Lambda layer in place of the flatten; a transposed kernel.
  const lambda = path.join(dir, 'lambda.h5');
  const shape = path.join(dir, 'shape.h5');
  const py = `
import h5py, json, shutil, sys
src, lam, shp = sys.argv[1:4]
shutil.copy(src, lam); shutil.copy(src, shp)
with h5py.File(lam, 'r+') as f:
    c = json.loads(f.attrs['model_config'])
    for l in c['config']['layers']:
        if l['config']['name'] == 'flatten': l['class_name'] = 'Lambda'
    f.attrs['model_config'] = json.dumps(c)
with h5py.File(shp, 'r+') as f:
    g = f['model_weights/dense']
    k = g['dense/kernel:0'][()]
    del g['dense/kernel:0']
    g['dense/kernel:0'] = k.T.copy()
`;
  const r = spawnSync(PYTHON, ['-c', py, LENET, lambda, shape], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  await assert.rejects(loadKerasModel(lambda), /lambda\.h5: unknown layer class "Lambda" \(layer "flatten"\)/);
  await assert.rejects(
    loadKerasModel(shape),
    /shape\.h5: layer "dense": weight "dense\/kernel" has shape \[84, 120\] in the file, the architecture needs \[120, 84\]/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the committed list of tfjs layer classes (validate checks against it) equals the registry', () => {
  assert.deepEqual(tfjsLayerClasses, registeredClasses(), 'stale: run npx tsx scripts/gen-layer-classes.ts');
});

test('mnist-mlp.keras (Keras 3.5 zip): read by content, equal to NumPy reading the zip to 1e-5, reads real digits', async () => {
  const MLP = path.join(FIXTURES, 'mnist-mlp.keras');
  const k = readKerasFile(MLP);
  assert.equal(k.format, 'keras');
  assert.equal(k.kerasVersion, '3.5.0');
  // Keras 3 config rewritten for tfjs: dtype policies to names, batch_shape to batch_input_shape.
  const layers = (k.topology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
  assert.deepEqual(layers[0]!.config.batch_input_shape, [null, 28, 28]);
  assert.equal(layers[1]!.config.dtype, 'float32');
  const model = await loadKerasModel(MLP);
  const { pixels, labels } = digits(5);
  const out = tf.tidy(() => (model.predict(tf.tensor3d(pixels, [labels.length, 28, 28])) as tf.Tensor).dataSync().slice());
  const ref = numpyForward(MLP, pixels, [labels.length, 28, 28, 1]);
  const diff = maxAbsDiff(out, ref.values);
  assert.ok(diff < 1e-5, `max |tfjs − numpy| = ${diff}`);
  const argmax = (i: number) => {
    const row = Array.from(out.slice(i * 10, i * 10 + 10));
    return row.indexOf(Math.max(...row));
  };
  assert.ok(labels.filter((l, i) => argmax(i) === l).length >= 45, 'the MLP reads at least 45 of 50 real digits');
  const topo = await readModelTopology(MLP);
  assert.equal(topo.totalParams, 101770); // 784·128 + 128 + 128·10 + 10
  model.dispose();
});

test('Keras 3 weight keys are snake_case class names numbered per class (keras naming.to_snake_case)', () => {
  assert.deepEqual(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'ReLU', 'DepthwiseConv2D', 'GlobalAveragePooling2D'].map(toSnakeCase), [
    'conv2d',
    'max_pooling2d',
    'batch_normalization',
    're_lu',
    'depthwise_conv2d',
    'global_average_pooling2d',
  ]);
});
