// Reading tfjs Layers model.json without tfjs: nested models flattened, params exact from the
// weights manifest and equal to the config-computed counts, output shapes inferred.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinTopology, parseModelTopology, readModelTopology, TopologyError } from '../../../src/core/models/topology.js';

const FIXTURE = path.join(__dirname, '../../fixtures/models/nested/model.json');
/** A real Teachable Machine MobileNetV2 export, present on the team's machines and in CI, not in a user's clone. */
const SHARED = path.join(__dirname, '../../../../shared/data/mobilenetv2-teachable/model.json');

test('hand-made nested model: Sequential ⊃ functional base_net, GAP, Sequential head, Dense', async () => {
  const t = await readModelTopology(FIXTURE);
  assert.equal(t.name, 'outer_seq');
  assert.equal(t.className, 'Sequential');
  assert.deepEqual(t.inputShape, [null, 8, 8, 3]);
  assert.deepEqual(t.nestedModels, ['base_net', 'head_seq']);
  assert.deepEqual(
    t.layers.map((l) => [l.index, l.name, l.className, l.parent ?? '-', l.params, l.outputShape]),
    [
      [0, 'conv_a', 'Conv2D', 'base_net', 108, [null, 8, 8, 4]],
      [1, 'bn_a', 'BatchNormalization', 'base_net', 16, [null, 8, 8, 4]],
      [2, 'relu_a', 'ReLU', 'base_net', 0, [null, 8, 8, 4]],
      [3, 'dw_b', 'DepthwiseConv2D', 'base_net', 40, [null, 4, 4, 4]],
      [4, 'pw_b', 'Conv2D', 'base_net', 20, [null, 4, 4, 4]],
      [5, 'skip_pool', 'MaxPooling2D', 'base_net', 0, [null, 4, 4, 4]],
      [6, 'add_b', 'Add', 'base_net', 0, [null, 4, 4, 4]],
      [7, 'out_relu', 'ReLU', 'base_net', 0, [null, 4, 4, 4]],
      [8, 'gap', 'GlobalAveragePooling2D', '-', 0, [null, 4]],
      [9, 'fc', 'Dense', 'head_seq', 15, [null, 3]],
      [10, 'logits', 'Dense', '-', 8, [null, 2]],
    ],
  );
  assert.equal(t.totalParams, 207); // tfjs' model.countParams() of this file
  assert.equal(t.paramsFromManifest, true);
  assert.deepEqual(
    t.layers.filter((l) => l.isBatchNorm).map((l) => l.name),
    ['bn_a'],
  );
  assert.deepEqual(
    t.layers.filter((l) => !l.trainableByDefault).map((l) => l.name),
    ['bn_a'],
  );
  // Without the manifest the counts come from the layer configs and agree.
  const fromConfig = parseModelTopology(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')), { ignoreManifest: true });
  assert.equal(fromConfig.paramsFromManifest, false);
  assert.deepEqual(
    fromConfig.layers.map((l) => l.params),
    t.layers.map((l) => l.params),
  );
});

test(
  'shared MobileNetV2 export (when present): 155-layer inner functional model flattened',
  { skip: !fs.existsSync(SHARED) && 'shared data not present' },
  async () => {
    const json = JSON.parse(fs.readFileSync(SHARED, 'utf8')) as {
      modelTopology: { config: { layers: { config: { name: string; layers: { class_name: string; config: { name: string; layers: unknown[] } }[] } }[] } };
      weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
    };
    // Read the file's own structure: sequential_6 ⊃ [sequential_3 ⊃ [model2 (functional), GAP], sequential_5 (head)].
    const inner = json.modelTopology.config.layers[0].config.layers[0];
    assert.equal(inner.config.name, 'model2');
    assert.equal(inner.config.layers.length, 155, 'functional MobileNetV2: 155 layers including its InputLayer');

    const t = await readModelTopology(SHARED);
    const names = t.layers.map((l) => l.name);
    assert.deepEqual(t.nestedModels, ['sequential_3', 'model2', 'sequential_5']);
    assert.equal(t.layers.filter((l) => l.parent === 'model2').length, 154, '155 minus the InputLayer');
    assert.equal(t.layers.length, 154 + 1 + 2);
    assert.ok(names.includes('block_13_expand'));
    assert.deepEqual(t.inputShape, [null, 224, 224, 3]);
    const byName = (n: string) => t.layers.find((l) => l.name === n)!;
    assert.deepEqual(byName('block_13_expand').outputShape, [null, 14, 14, 192]);
    assert.deepEqual(byName('out_relu').outputShape, [null, 7, 7, 1280]);
    assert.equal(byName('out_relu').parent, 'model2');
    assert.deepEqual(names.slice(-3), ['global_average_pooling2d_GlobalAveragePooling2D2', 'dense_Dense1', 'dense_Dense2']);
    assert.deepEqual(byName('dense_Dense2').outputShape, [null, 3]);
    assert.equal(t.layers.filter((l) => l.isBatchNorm).length, 52);
    // Every weight in the manifest belongs to a layer, and the config-computed counts are exact.
    const manifestTotal = json.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(t.totalParams, manifestTotal);
    assert.equal(manifestTotal * 4, fs.statSync(path.join(path.dirname(SHARED), 'weights.bin')).size);
    const fromConfig = parseModelTopology(json, { ignoreManifest: true });
    assert.deepEqual(
      fromConfig.layers.map((l) => [l.name, l.params]),
      t.layers.map((l) => [l.name, l.params]),
    );
  },
);

test('Keras <= 2.2 Sequential (config is a list) inside a converter model_config wrapper', () => {
  const t = parseModelTopology({
    modelTopology: {
      keras_version: '2.1.6',
      model_config: {
        class_name: 'Sequential',
        config: [
          {
            class_name: 'Conv2D',
            config: { name: 'c', filters: 8, kernel_size: [5, 5], strides: [1, 1], padding: 'valid', batch_input_shape: [null, 28, 28, 1] },
          },
          { class_name: 'MaxPooling2D', config: { name: 'p', pool_size: [2, 2], padding: 'valid', strides: null } },
          { class_name: 'Flatten', config: { name: 'f' } },
          { class_name: 'Dense', config: { name: 'd', units: 10, use_bias: false } },
        ],
      },
    },
  });
  assert.deepEqual(
    t.layers.map((l) => [l.name, l.params, l.outputShape]),
    [
      ['c', 5 * 5 * 8 + 8, [null, 24, 24, 8]],
      ['p', 0, [null, 12, 12, 8]],
      ['f', 0, [null, 1152]],
      ['d', 11520, [null, 10]],
    ],
  );
});

test('Keras 3 functional format (keras_history inbound nodes, batch_shape, single input_layers ref)', () => {
  const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] } });
  const t = parseModelTopology({
    class_name: 'Functional',
    config: {
      name: 'k3',
      layers: [
        { class_name: 'InputLayer', name: 'input_layer', config: { name: 'input_layer', batch_shape: [null, 16] }, inbound_nodes: [] },
        { class_name: 'Dense', name: 'a', config: { name: 'a', units: 4 }, inbound_nodes: [{ args: [tensor('input_layer')], kwargs: {} }] },
        { class_name: 'Dense', name: 'b', config: { name: 'b', units: 4 }, inbound_nodes: [{ args: [tensor('input_layer')], kwargs: {} }] },
        { class_name: 'Concatenate', name: 'cat', config: { name: 'cat', axis: -1 }, inbound_nodes: [{ args: [[tensor('a'), tensor('b')]], kwargs: {} }] },
        {
          class_name: 'LayerNormalization',
          name: 'ln',
          config: { name: 'ln', center: true, scale: true },
          inbound_nodes: [{ args: [tensor('cat')], kwargs: {} }],
        },
      ],
      input_layers: ['input_layer', 0, 0],
      output_layers: ['ln', 0, 0],
    },
  });
  assert.deepEqual(t.inputShape, [null, 16]);
  assert.deepEqual(
    t.layers.map((l) => [l.name, l.params, l.outputShape]),
    [
      ['a', 68, [null, 4]],
      ['b', 68, [null, 4]],
      ['cat', 0, [null, 8]],
      ['ln', 16, [null, 8]],
    ],
  );
});

test('unknown layer classes are listed without a shape; later shapes are unknown, not wrong', () => {
  const t = parseModelTopology({
    class_name: 'Sequential',
    config: {
      name: 's',
      layers: [
        { class_name: 'MyCustomLayer', config: { name: 'custom', batch_input_shape: [null, 4] } },
        { class_name: 'Dense', config: { name: 'd', units: 2 } },
      ],
    },
  });
  assert.deepEqual(
    t.layers.map((l) => [l.name, l.outputShape, l.params]),
    [
      ['custom', undefined, 0],
      ['d', undefined, 0],
    ],
  );
});

test('graph models and non-models are rejected with a TopologyError', () => {
  assert.throws(() => parseModelTopology({ format: 'graph-model', modelTopology: { node: [] } }), TopologyError);
  assert.throws(() => parseModelTopology({ modelTopology: { node: [{ name: 'x' }], library: {}, versions: {} } }), /no Layers model topology|graph model/);
  assert.throws(() => parseModelTopology([]), TopologyError);
});

test('builtinTopology reads a {arch: LayerInfo[] | {layers}} table, undefined when missing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-topo-'));
  try {
    const file = path.join(dir, 'builtin-topologies.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        smallCnn: [
          { name: 'conv1', className: 'Conv2D', index: 0, outputShape: [null, 26, 26, 32], params: 320, trainableByDefault: true, isBatchNorm: false },
        ],
        mobileNetLike: { layers: [{ name: 'stem', className: 'Conv2D', params: 432 }] },
      }),
    );
    assert.deepEqual(
      builtinTopology('smallCnn', file)?.map((l) => [l.name, l.params, l.outputShape]),
      [['conv1', 320, [null, 26, 26, 32]]],
    );
    assert.deepEqual(builtinTopology('mobileNetLike', file), [
      { name: 'stem', className: 'Conv2D', index: 0, params: 432, trainableByDefault: true, isBatchNorm: false },
    ]);
    assert.equal(builtinTopology('nope', file), undefined);
    assert.equal(builtinTopology('smallCnn', path.join(dir, 'missing.json')), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const COMMITTED = path.join(__dirname, '../../../src/core/models/builtin-topologies.json');
test('builtinTopology finds the committed table from the source tree', { skip: !fs.existsSync(COMMITTED) && 'table not generated yet' }, () => {
  const layers = builtinTopology('smallCnn');
  assert.ok(layers && layers.length > 0);
  assert.equal(layers[0].name, 'conv1');
  assert.deepEqual(
    layers.map((l) => l.index),
    layers.map((_, i) => i),
  );
});
