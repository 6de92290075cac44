// Keras Applications builders: parameter counts equal to the keras.io/api/applications table, Keras'
// layer names, the committed layer table up to date; weights-only ImageNet-style .h5 files written by
// h5py (test/fixtures/keras/write_weights_h5.py) load by layer name, by order when the names are
// Keras 2.0's, and are refused with a clear message when they belong to another architecture.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { buildApplication } from '../../../src/core/models/keras/applications/build.js';
import { EFFICIENTNET_NORMALIZATION_PARAMS } from '../../../src/core/models/keras/applications/efficientnet.js';
import {
  applicationOfFile,
  APPLICATION_LAST_BASE_LAYER,
  KERAS_APPLICATIONS,
  type KerasApplication,
} from '../../../src/core/models/keras/applications/names.js';
import { loadKerasBase } from '../../../src/core/models/keras/load.js';
import { ModelError } from '../../../src/core/models/io.js';
import { readModelTopology } from '../../../src/core/models/topology.js';
import { ModelFileBaseSchema } from '../../../src/core/experiment/schema.js';
import { ExperimentError, loadExperiment } from '../../../src/core/experiment/load.js';
import { buildNetwork, loadBase } from '../../../src/core/models/network.js';
import { APPLICATION_TOPOLOGIES_FILE, layerTable } from '../../../scripts/gen-builtin-topologies.js';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const WRITER = path.join(__dirname, '..', '..', 'fixtures', 'keras', 'write_weights_h5.py');

before(async () => {
  await initBackend('wasm');
});

/** Total parameters (include_top=True) in the keras.io/api/applications table. */
const KERAS_PARAMS: Record<KerasApplication, number> = {
  ResNet50: 25_636_712,
  VGG16: 138_357_544,
  InceptionV3: 23_851_784,
  MobileNet: 4_253_864,
  MobileNetV2: 3_538_984,
  EfficientNetB0: 5_330_571,
};

/** Layer names from the Keras sources (applications/*.py), a few per architecture, with the base's output shape without top. */
const KERAS_NAMES: Record<KerasApplication, { names: string[]; notop: number[] }> = {
  ResNet50: {
    names: ['conv1_pad', 'conv1_conv', 'pool1_pool', 'conv2_block1_0_conv', 'conv3_block4_2_bn', 'conv5_block3_out', 'avg_pool', 'predictions'],
    notop: [7, 7, 2048],
  },
  VGG16: { names: ['block1_conv1', 'block3_conv3', 'block5_pool', 'flatten', 'fc1', 'fc2', 'predictions'], notop: [7, 7, 512] },
  InceptionV3: {
    names: ['conv2d', 'conv2d_93', 'batch_normalization_93', 'mixed0', 'mixed9_0', 'mixed9_1', 'mixed10', 'avg_pool', 'predictions'],
    notop: [8, 8, 2048],
  },
  MobileNet: { names: ['conv1', 'conv1_bn', 'conv_pad_2', 'conv_dw_13', 'conv_pw_13_relu', 'conv_preds', 'act_softmax'], notop: [7, 7, 1024] },
  MobileNetV2: {
    names: ['Conv1', 'bn_Conv1', 'expanded_conv_project_BN', 'block_1_pad', 'block_16_project', 'block_15_add', 'Conv_1_bn', 'out_relu', 'predictions'],
    notop: [7, 7, 1280],
  },
  EfficientNetB0: {
    names: [
      'stem_conv_pad',
      'stem_conv',
      'block1a_se_excite',
      'block2b_drop',
      'block6d_add',
      'block7a_project_bn',
      'top_activation',
      'top_dropout',
      'predictions',
    ],
    notop: [7, 7, 1280],
  },
};

test('each builder: Keras parameter count, Keras layer names, and the committed layer table (npm run topologies)', () => {
  const committed = JSON.parse(fs.readFileSync(APPLICATION_TOPOLOGIES_FILE, 'utf8')) as Record<string, unknown[]>;
  for (const name of KERAS_APPLICATIONS) {
    const model = buildApplication(name);
    try {
      // Keras' EfficientNet also counts its Normalization layer (mean 3, variance 3, count 1), left to the data pipeline here.
      const extra = name === 'EfficientNetB0' ? EFFICIENTNET_NORMALIZATION_PARAMS : 0;
      assert.equal(model.countParams() + extra, KERAS_PARAMS[name], name);
      const names = new Set(model.layers.map((l) => l.name));
      for (const n of KERAS_NAMES[name].names) assert.ok(names.has(n), `${name} has no layer "${n}"`);
      assert.deepEqual(committed[name], JSON.parse(JSON.stringify(layerTable(model))), `${name}: application-topologies.json is stale`);
      assert.deepEqual(model.getLayer(APPLICATION_LAST_BASE_LAYER[name]).outputShape, [null, ...KERAS_NAMES[name].notop], name);
    } finally {
      model.dispose();
    }
  }
  assert.deepEqual(Object.keys(committed), [...KERAS_APPLICATIONS]);
});

test('without the top each builder ends at its last base layer; the schema lists the same architectures', () => {
  for (const name of ['MobileNet', 'MobileNetV2', 'EfficientNetB0'] as const) {
    const m = buildApplication(name, { includeTop: false });
    assert.equal(m.layers.at(-1)!.name, APPLICATION_LAST_BASE_LAYER[name]);
    m.dispose();
  }
  const schemaEnum = (ModelFileBaseSchema.properties.application as unknown as { enum: string[] }).enum;
  assert.deepEqual([...schemaEnum].sort(), [...KERAS_APPLICATIONS].sort());
});

test('weights file names: architecture and top recognised as keras.applications names them', () => {
  assert.deepEqual(applicationOfFile('/x/resnet50_weights_tf_dim_ordering_tf_kernels.h5'), { application: 'ResNet50', includeTop: true });
  assert.deepEqual(applicationOfFile('vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'), { application: 'VGG16', includeTop: false });
  assert.deepEqual(applicationOfFile('inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5'), { application: 'InceptionV3', includeTop: false });
  assert.deepEqual(applicationOfFile('mobilenet_1_0_224_tf_no_top.h5'), { application: 'MobileNet', includeTop: false });
  assert.deepEqual(applicationOfFile('mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5'), { application: 'MobileNetV2', includeTop: true });
  assert.deepEqual(applicationOfFile('efficientnetb0_notop.h5'), { application: 'EfficientNetB0', includeTop: false });
  assert.equal(applicationOfFile('mobilenet_7_5_224_tf.h5'), undefined);
  assert.equal(applicationOfFile('model.h5'), undefined);
});

/** Writes a weights-only .h5 for `model`'s layers (renamed by `rename`) with h5py; returns python's per-weight sums. */
function writeWeights(model: tf.LayersModel, file: string, rename: (n: string) => string = (n) => n): Record<string, number> {
  const layers = model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => [rename(l.name), l.weights.map((w) => [w.originalName.split('/').pop(), w.shape])]);
  const spec = path.join(path.dirname(file), 'spec.json');
  fs.writeFileSync(spec, JSON.stringify({ layers, seed: 7 }));
  const r = spawnSync(PYTHON, [WRITER, spec, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { sums: Record<string, number> }).sums;
}

function assertSums(model: tf.LayersModel, sums: Record<string, number>, rename: (n: string) => string = (n) => n): void {
  let checked = 0;
  for (const l of model.layers) {
    for (const w of l.weights) {
      const key = `${rename(l.name)}/${w.originalName.split('/').pop()}`;
      const want = sums[key];
      assert.ok(want !== undefined, `no sum for ${key}`);
      const got = tf.tidy(() => w.read().sum().dataSync()[0]!);
      assert.ok(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)), `${key}: ${got} ≠ ${want}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} weights checked`);
}

test('a weights-only MobileNetV2 file (no top) loads by layer name onto the built architecture', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-kapps-'));
  try {
    const template = buildApplication('MobileNetV2', { includeTop: false });
    const file = path.join(dir, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5');
    const sums = writeWeights(template, file);
    template.dispose();
    const { model, application } = await loadKerasBase(file);
    assert.deepEqual(application, { application: 'MobileNetV2', includeTop: false });
    assert.equal(model.layers.at(-1)!.name, 'out_relu');
    assertSums(model, sums);
    // Same file, architecture set explicitly under another name: the top is read from the weight groups.
    const renamed = path.join(dir, 'my-weights.h5');
    fs.copyFileSync(file, renamed);
    await assert.rejects(loadKerasBase(renamed), (e: Error) => e instanceof ModelError && /holds weights only.*base\.application/.test(e.message));
    const explicit = await loadKerasBase(renamed, { application: 'MobileNetV2' });
    assert.deepEqual(explicit.application, { application: 'MobileNetV2', includeTop: false });
    assertSums(explicit.model, sums);
    // validate's layer list (no tfjs): the architecture's table without the top.
    const t = await readModelTopology(renamed, { application: 'MobileNetV2' });
    assert.equal(t.layers.at(-1)!.name, 'out_relu');
    assert.equal(t.totalParams, model.countParams());
    model.dispose();
    explicit.model.dispose();
    // As an experiment's base: validate passes (cut layer checked against the table), the family's
    // preprocessing is the default, the network cuts after out_relu (no old head to drop).
    const exp = path.join(dir, 'kapps.transfer.json');
    const body = (extra: object) => ({
      base: { kind: 'model', path: 'my-weights.h5', application: 'MobileNetV2' },
      data: { train: { kind: 'mnist', classes: [3, 8], perClass: 10 }, ...extra },
      transfer: { strategy: 'featureExtraction', cutLayer: 'block_16_project' },
    });
    fs.writeFileSync(exp, JSON.stringify(body({})));
    const { experiment } = await loadExperiment(exp);
    assert.equal(experiment.data.image.scale, 'symmetric');
    fs.writeFileSync(exp, JSON.stringify(body({ image: { scale: 'unit' } })));
    assert.equal((await loadExperiment(exp)).experiment.data.image.scale, 'unit');
    fs.writeFileSync(exp, JSON.stringify({ ...body({}), transfer: { strategy: 'featureExtraction', cutLayer: 'block_99_project' } }));
    await assert.rejects(loadExperiment(exp), (e: Error) => e instanceof ExperimentError && /block_99_project/.test(e.message + JSON.stringify(e)));
    const loaded = await loadBase({ ...experiment, transfer: { ...experiment.transfer, cutLayer: undefined } } as never, { runsDir: dir });
    assert.equal(loaded.headless, true);
    assert.match(loaded.source, /my-weights\.h5 \(MobileNetV2, no top\)$/);
    const net = buildNetwork({ ...experiment, transfer: { ...experiment.transfer, cutLayer: undefined } } as never, loaded, 2);
    assert.equal(net.baseLayers.at(-1), 'out_relu');
    assert.deepEqual(net.featureShape, [7, 7, 1280]);
    net.model.dispose();
    // Another architecture's weights: refused, naming the layer.
    await assert.rejects(
      loadKerasBase(renamed, { application: 'MobileNet' }),
      (e: Error) => e instanceof ModelError && /"Conv1" names no layer of MobileNet/.test(e.message),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a weights-only MobileNet file whose layers are named otherwise (Keras 2.0 numbering) loads by order', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-kapps-'));
  try {
    const template = buildApplication('MobileNet', { includeTop: false });
    const file = path.join(dir, 'mobilenet_1_0_224_tf_no_top.h5');
    const rename = (n: string) => `${n}_1`;
    const sums = writeWeights(template, file, rename);
    template.dispose();
    const { model } = await loadKerasBase(file);
    assertSums(model, sums, rename);
    model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
