// A model base that `validate` passes is one the run loads: the loader (io.ts) and validate
// (experiment/load.ts) share model-files.ts. Before: a missing weights.bin and an unknown layer
// class passed validate; a truncated weights.bin read "should have 10 values but has 0"; 4,000 extra
// bytes were accepted; a shard path "../../../etc/passwd" was read.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import { loadModelFile, saveModel } from '../../../src/core/models/io.js';

before(async () => {
  await initBackend('wasm');
});

/** A saved Dense 4→3 (kernel 48 bytes, bias 12 bytes) and an experiment file using it as its base. */
async function savedModel(): Promise<{ dir: string; modelJson: string; weights: string; experiment: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-model-files-'));
  const model = tf.sequential({ layers: [tf.layers.dense({ name: 'fc', units: 3, inputShape: [4] })] });
  await saveModel(model, path.join(dir, 'model'));
  const modelJson = path.join(dir, 'model', 'model.json');
  const experiment = path.join(dir, 'exp.transfer.json');
  fs.writeFileSync(experiment, JSON.stringify({ base: { kind: 'model', path: 'model/model.json' }, data: { train: { kind: 'mnist' } } }));
  return { dir, modelJson, weights: path.join(dir, 'model', 'weights.bin'), experiment };
}

/** The validate problem at /base/path (the editor and `transfer-lab validate` show the same). */
async function validateProblem(experiment: string): Promise<string | undefined> {
  const checked = await checkExperimentText(fs.readFileSync(experiment, 'utf8'), experiment);
  return checked.problems.find((p) => p.path === '/base/path' && p.severity === 'error')?.message;
}

test('truncated and oversized weight files name the weight and the file, in validate and at load', async () => {
  const m = await savedModel();
  const whole = fs.readFileSync(m.weights);
  assert.equal(whole.length, 60);
  fs.writeFileSync(m.weights, whole.subarray(0, 50)); // ends inside the bias (bytes 48–59)
  const short =
    /weights\.bin is truncated: 50 bytes, but the manifest's weights need 60; weight "fc\/bias" \(shape \[3\], bytes 48–59\) is cut short in .*weights\.bin/;
  assert.match((await validateProblem(m.experiment))!, short);
  await assert.rejects(loadModelFile(m.modelJson), (e: Error) => e.name === 'ModelError' && short.test(e.message));
  fs.writeFileSync(m.weights, Buffer.concat([whole, Buffer.alloc(4000)]));
  const long = /weights\.bin has 4060 bytes but the manifest's 2 weights need 60: 4000 extra bytes/;
  assert.match((await validateProblem(m.experiment))!, long);
  await assert.rejects(loadModelFile(m.modelJson), long);
  fs.writeFileSync(m.weights, whole);
  assert.equal(await validateProblem(m.experiment), undefined);
  fs.rmSync(m.dir, { recursive: true, force: true });
});

test('a missing weights.bin, a shard path outside the folder and an unknown layer class are validate errors', async () => {
  const m = await savedModel();
  const json = JSON.parse(fs.readFileSync(m.modelJson, 'utf8'));
  fs.renameSync(m.weights, `${m.weights}.away`);
  assert.match((await validateProblem(m.experiment))!, /weight file "weights\.bin" not found/);
  fs.renameSync(`${m.weights}.away`, m.weights);

  const escaping = structuredClone(json);
  escaping.weightsManifest[0].paths = ['../../../../../../../../etc/passwd'];
  fs.writeFileSync(m.modelJson, JSON.stringify(escaping));
  const outside = /weight file path "\.\.\/\.\.\/.*etc\/passwd" leaves the model's folder/;
  assert.match((await validateProblem(m.experiment))!, outside);
  await assert.rejects(loadModelFile(m.modelJson), outside);

  for (const cls of ['KerasLayer', 'Lambda']) {
    const unknown = structuredClone(json);
    (unknown.modelTopology.model_config ?? unknown.modelTopology).config.layers[0].class_name = cls;
    fs.writeFileSync(m.modelJson, JSON.stringify(unknown));
    assert.match(
      (await validateProblem(m.experiment))!,
      new RegExp(`layer "fc" is a ${cls}, a layer class TensorFlow.js Layers does not have|unknown layer class "${cls}" \\(layer "fc"\\)`),
    );
  }
  fs.rmSync(m.dir, { recursive: true, force: true });
});
