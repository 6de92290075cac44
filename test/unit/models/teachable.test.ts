// A nested pretrained model as Teachable Machine exports it (the committed miniature: Sequential ⊃
// [Sequential ⊃ [functional MobileNetV2-like model2, pooling], Sequential old head]): loaded with
// every weight checked, flattened into its inner layers in the same order the tfjs-free topology
// reader lists them, cut by default before the old head, run at another input size, metadata.json read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';
import { defaultCut } from '../../../src/core/models/cut.js';
import { flattenModel, peakActivationValues, runOps } from '../../../src/core/models/graph.js';
import { saveModel } from '../../../src/core/models/io.js';
import { buildNetwork, loadBase } from '../../../src/core/models/network.js';
import { readModelTopology } from '../../../src/core/models/topology.js';

const TEACHABLE = path.join(__dirname, '../../fixtures/models/teachable/model.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-teachable-'));
before(async () => {
  await initBackend('wasm');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function experiment(extra: Partial<ExperimentFile> = {}, modelPath = TEACHABLE) {
  return resolveExperiment({ base: { kind: 'model', path: modelPath }, data: { train: { kind: 'mnist' } }, ...extra }, path.join(tmp, 'e.transfer.json'));
}

test('loads the nested export; inner layers listed in the topology reader’s order; the default cut drops sequential_5', async () => {
  const loaded = await loadBase(experiment(), { runsDir: tmp });
  assert.deepEqual(loaded.inputShape, [32, 32, 3]);
  assert.deepEqual(loaded.metadata?.labels, ['Class 1', 'Class 2', 'Class 3']);
  const graph = flattenModel(loaded.model);
  const names = graph.ops.map((o) => o.layer.name);
  const topo = await readModelTopology(TEACHABLE);
  assert.deepEqual(
    names,
    topo.layers.map((l) => l.name),
    'graph and topology list the same layers in the same order',
  );
  assert.deepEqual(
    graph.ops.map((o) => o.parent),
    topo.layers.map((l) => l.parent),
  );
  for (const inner of ['Conv1_pad', 'block_12_expand', 'block_14_add', 'out_relu']) assert.ok(names.includes(inner), inner);
  assert.equal(graph.ops[names.indexOf('block_12_expand_BN')]!.parent, 'model2');

  const net = buildNetwork(experiment(), loaded, 2);
  assert.equal(net.baseLayers.at(-1), 'global_average_pooling2d_GlobalAveragePooling2D2');
  assert.equal(net.baseLayers.length, defaultCut(topo.layers).index + 1);
  assert.deepEqual(net.droppedLayers, ['dense_Dense1', 'dense_Dense2']);
  assert.equal(net.droppedModel, 'sequential_5');
  assert.deepEqual(net.featureShape, [16]);
  assert.deepEqual(
    net.graph.ops.slice(net.baseOps).map((o) => o.layer.name),
    ['head_logits'],
  );
  // the old head's weights are not in the new network
  assert.ok(!net.model.weights.some((w) => w.originalName.includes('dense_Dense')));
  net.model.dispose();
});

test('an inner cut layer and another input size: out_relu at 48×48 gives 24×24×16 features', async () => {
  const exp = experiment({ base: { kind: 'model', path: TEACHABLE, inputShape: [48, 48, 3] }, transfer: { cutLayer: 'out_relu' } });
  const loaded = await loadBase(exp, { runsDir: tmp });
  const net = buildNetwork(exp, loaded, 2);
  assert.deepEqual(net.inputShape, [48, 48, 3]);
  assert.deepEqual(net.featureShape, [24, 24, 16]);
  assert.equal(net.droppedModel, undefined);
  assert.deepEqual(net.droppedLayers, ['global_average_pooling2d_GlobalAveragePooling2D2', 'dense_Dense1', 'dense_Dense2']);
  const y = net.model.predict(tf.zeros([2, 48, 48, 3])) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 2]);
  y.dispose();
  net.model.dispose();
});

test('metadata.json imageSize is the input size of a model whose own input size is unknown', async () => {
  const input = tf.input({ shape: [null, null, 3] });
  const x = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c' }).apply(input) as tf.SymbolicTensor;
  const inner = tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({ name: 'g' }).apply(x) as tf.SymbolicTensor, name: 'inner' });
  const dir = path.join(tmp, 'any-size');
  await saveModel(tf.sequential({ layers: [inner, tf.layers.dense({ units: 2, name: 'old' })] }), dir);
  const model = path.join(dir, 'model.json');
  await assert.rejects(loadBase(experiment({}, model), { runsDir: tmp }), /an image base with a fixed size is needed/);
  fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ imageSize: 20, labels: ['x', 'y'] }));
  const loaded = await loadBase(experiment({}, model), { runsDir: tmp });
  assert.deepEqual(loaded.inputShape, [20, 20, 3]);
  fs.writeFileSync(path.join(dir, 'metadata.json'), '{ not json');
  const lenient = await loadBase(experiment({ base: { kind: 'model', path: model, inputShape: [8, 8, 3] } }, model), { runsDir: tmp });
  assert.match(lenient.metadataProblem ?? '', /metadata\.json: invalid JSON/);
});

test('memory-lean inference frees every activation once read; the peak estimate follows the live set', async () => {
  const exp = experiment({ transfer: { cutLayer: 'out_relu' } });
  const net = buildNetwork(exp, await loadBase(exp, { runsDir: tmp }), 2);
  const g = net.graph;
  const x = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 4);
  const before = tf.memory().numTensors;
  const lean = new Map<number, tf.Tensor>([[g.inputs[0]!, x]]);
  runOps(g, lean, 0, g.ops.length, () => false, new Set(g.outputs));
  assert.deepEqual([...lean.keys()].sort(), [g.inputs[0]!, g.outputs[0]!].sort(), 'only the input and the kept output remain');
  assert.equal(tf.memory().numTensors, before + 1);
  const expected = tf.tidy(() => {
    const full = new Map<number, tf.Tensor>([[g.inputs[0]!, x]]);
    runOps(g, full, 0, g.ops.length, () => false);
    return Array.from(full.get(g.outputs[0]!)!.dataSync());
  });
  assert.deepEqual(Array.from(lean.get(g.outputs[0]!)!.dataSync()), expected, 'same result');
  // At block_12_expand_BN: the input (32·32·3), the residual Conv1_relu (16·16·8), the BN input and
  // its output twice (16·16·16 each).
  assert.equal(peakActivationValues(g, 0, g.ops.length), 32 * 32 * 3 + 16 * 16 * 8 + 3 * 16 * 16 * 16);
  lean.get(g.outputs[0]!)!.dispose();
  x.dispose();
  net.model.dispose();
});
