// Model loading and saving: our file-system handler, http(s) over a loopback server, every weight
// accounted for, unknown layer classes named; nested models flattened and run at a new input size.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadModelFile, saveModel } from '../../../src/core/models/io.js';
import { loadUrlModel } from '../../../src/core/models/url-base.js';
import { buildFlatModel, flattenModel, runOps } from '../../../src/core/models/graph.js';
import { builtinTopologies, TOPOLOGIES_FILE } from '../../../scripts/gen-builtin-topologies.js';

before(async () => {
  await initBackend('wasm');
});

/** A Sequential holding a functional conv block and a dense head: nested like a Teachable Machine export. */
function nestedModel(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers.conv2d({ name: 'inner_conv', filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const y = tf.layers.batchNormalization({ name: 'inner_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'inner_add' }).apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'inner_relu' }).apply(x) as tf.SymbolicTensor;
  const inner = tf.model({ inputs: input, outputs: x, name: 'backbone' });
  return tf.sequential({
    name: 'outer',
    layers: [inner, tf.layers.globalAveragePooling2d({ name: 'gap' }), tf.layers.dense({ name: 'old_head', units: 3 })],
  });
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tl-io-'));
}

test('save and reload through the file-system handler gives identical predictions', async () => {
  const m = nestedModel();
  const dir = tmp();
  await saveModel(m, dir, { labels: ['a', 'b', 'c'] });
  const back = await loadModelFile(path.join(dir, 'model.json'));
  const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 3);
  assert.deepEqual(Array.from((back.predict(x) as tf.Tensor).dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.deepEqual(json.userDefinedMetadata.labels, ['a', 'b', 'c']);
  fs.rmSync(dir, { recursive: true });
});

test('a missing weight, a missing weight file and an unknown layer class are errors that name them', async () => {
  const dir = tmp();
  await saveModel(nestedModel(), dir);
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));

  const dropped = structuredClone(json);
  const gone = dropped.weightsManifest[0].weights.pop();
  fs.writeFileSync(file, JSON.stringify(dropped));
  await assert.rejects(loadModelFile(file), (e: Error) => e.name === 'ModelError' && e.message.includes(file) && /weight/i.test(e.message));
  assert.ok(gone.name);

  const unknown = structuredClone(json);
  const text = JSON.stringify(unknown).replace('"class_name":"BatchNormalization"', '"class_name":"FancyNorm"');
  fs.writeFileSync(file, text);
  await assert.rejects(loadModelFile(file), /unknown layer class "FancyNorm" \(layer "inner_bn"\)/);

  fs.writeFileSync(file, JSON.stringify(json));
  fs.rmSync(path.join(dir, 'weights.bin'));
  await assert.rejects(loadModelFile(file), /weight file "weights.bin" not found/);
  await assert.rejects(loadModelFile(path.join(dir, 'nope', 'model.json')), /model file not found/);
  fs.rmSync(dir, { recursive: true });
});

test('loads a model over http from a loopback server', async () => {
  const m = nestedModel();
  const dir = tmp();
  await saveModel(m, dir);
  const server = http.createServer((req, res) => {
    const f = path.join(dir, path.basename(req.url ?? ''));
    if (!fs.existsSync(f)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(f));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const { model: back } = await loadUrlModel(`http://127.0.0.1:${port}/model.json`, { cache: tmp() });
    const x = tf.randomNormal([1, 12, 12, 3], 0, 1, 'float32', 5);
    assert.deepEqual(Array.from((back.predict(x) as tf.Tensor).dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
    await assert.rejects(
      loadUrlModel(`http://127.0.0.1:${port}/missing.json`, { cache: tmp() }),
      (e: Error) => e.name === 'DownloadError' && e.message.includes('missing.json: HTTP 404'),
    );
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true });
  }
});

test('a nested model flattens into its inner layers, runs identically, and runs at a new input size', () => {
  const m = nestedModel();
  const g = flattenModel(m);
  assert.deepEqual(
    g.ops.map((o) => o.layer.name),
    ['inner_conv', 'inner_bn', 'inner_add', 'inner_relu', 'gap', 'old_head'],
  );
  assert.equal(g.ops[1]!.parent, 'backbone');
  const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 9);
  const env = new Map([[g.inputs[0]!, x as tf.Tensor]]);
  runOps(g, env, 0, g.ops.length, () => false);
  assert.deepEqual(Array.from(env.get(g.outputs[0]!)!.dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
  const bigger = buildFlatModel(g, g.ops.length, g.outputs[0]!, [20, 16, 3], 'bigger');
  assert.deepEqual((bigger.predict(tf.zeros([1, 20, 16, 3])) as tf.Tensor).shape, [1, 3]);
});

test('the committed built-in topology table is up to date (npm run topologies)', () => {
  const committed = JSON.parse(fs.readFileSync(TOPOLOGIES_FILE, 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(builtinTopologies())));
});
