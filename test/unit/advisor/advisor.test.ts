// The advisor's rules and edits, the edits applied to a commented file, and the similarity measures
// on synthetic domains: the same distribution looks similar, a shifted one different.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { DEFAULT_THRESHOLDS, editsFor, ruleFor, verdicts } from '../../../src/core/advisor/rules.js';
import { medianOf } from '../../../src/core/advisor/advise.js';
import { measureSimilarity, poolOf } from '../../../src/core/advisor/similarity.js';
import { applyPointerEdits } from '../../../src/core/experiment/edits.js';
import { flattenModel } from '../../../src/core/models/graph.js';
import type { ExampleSet } from '../../../src/core/data/example-set.js';
import { Rng } from '../../../src/core/data/rng.js';

before(async () => {
  await initBackend('wasm');
});

test('the four rules of thumb and their edits', () => {
  assert.equal(ruleFor(true, true), 'smallSimilar');
  assert.equal(ruleFor(true, false), 'smallDifferent');
  assert.equal(ruleFor(false, true), 'largeSimilar');
  assert.equal(ruleFor(false, false), 'largeDifferent');
  const get = (rule: Parameters<typeof editsFor>[0], layer?: string) => Object.fromEntries(editsFor(rule, layer).map((e) => [e.pointer, e.value]));
  assert.deepEqual(get('smallSimilar')['/transfer/strategy'], 'featureExtraction');
  assert.equal(get('smallSimilar')['/transfer/cutLayer'], undefined);
  assert.equal(get('smallDifferent', 'pool1')['/transfer/cutLayer'], 'pool1');
  assert.equal(get('largeSimilar')['/learningRate/baseMultiplier'], 0.1);
  assert.equal(get('largeDifferent')['/learningRate/baseMultiplier'], 1);
  assert.equal(medianOf([10, 3, 50, 7]), 8.5);
});

test('verdicts: size by the median per class; similar needs an indistinct domain and no specificity gap', () => {
  const t = DEFAULT_THRESHOLDS;
  assert.deepEqual(verdicts(10, 0.9, 0, t), { small: true, similar: true });
  assert.deepEqual(verdicts(100, 0.9, 0.02, t), { small: false, similar: true }, '100 is not below 100; a gap of exactly 2 points is tolerated');
  assert.deepEqual(verdicts(10, 0.98, -0.1, t), { small: true, similar: false }, 'the domain classifier alone says different');
  assert.deepEqual(verdicts(10, 0.5, 0.05, t), { small: true, similar: false }, 'the last layer is too specific');
  assert.deepEqual(verdicts(10, 0.5, undefined, t), { small: true, similar: true }, 'no validation data: the domain decides');
});

test('edits keep the comments and formatting of the file', () => {
  const text = '{\n  // the base\n  "base": { "kind": "run", "experiment": "s.transfer.json" },\n  "transfer": { "strategy": "fineTune", "cutLayer": "fc1" } /* end */\n}\n';
  const out = applyPointerEdits(text, editsFor('smallDifferent', 'pool1'));
  assert.ok(out.includes('// the base') && out.includes('/* end */'));
  const parsed = JSON.parse(out.replace(/\/\/.*$/gm, '').replace(/\/\*.*?\*\//g, '')) as { transfer: Record<string, unknown> };
  assert.deepEqual(parsed.transfer, { strategy: 'featureExtraction', cutLayer: 'pool1' });
});

function gaussianSet(n: number, dim: number, offset: number, seed: number): ExampleSet {
  const rng = new Rng(seed);
  const data = Float32Array.from({ length: n * dim }, (_, k) => rng.normal() + (k % dim < 3 ? offset : 0));
  return {
    count: n,
    shape: [dim, 1, 1],
    labels: new Int32Array(n),
    id: (i) => `g${seed}#${i}`,
    gather: (idx) => {
      const out = new Float32Array(idx.length * dim);
      for (let k = 0; k < idx.length; k++) out.set(data.subarray(idx[k]! * dim, (idx[k]! + 1) * dim), k * dim);
      return out;
    },
  };
}

test('similarity: one distribution is indistinguishable, a shifted one is told apart', () => {
  const input = tf.input({ shape: [10, 1, 1] });
  const flat = tf.layers.flatten({ name: 'flat' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(flat) as tf.SymbolicTensor });
  const graph = flattenModel(model);
  const cut = { index: 0, key: graph.ops[0]!.outputs[0]! };
  const source = poolOf(gaussianSet(200, 10, 0, 1));
  const same = measureSimilarity(graph, cut, source, poolOf(gaussianSet(200, 10, 0, 2)), { seed: 1, perDomain: 200 });
  const shifted = measureSimilarity(graph, cut, source, poolOf(gaussianSet(200, 10, 3, 3)), { seed: 1, perDomain: 200 });
  assert.ok(same.domainAccuracy < 0.65, `same: ${same.domainAccuracy}`);
  assert.ok(Math.abs(same.nearestNeighbourRatio - 1) < 0.2, `same NN ratio ${same.nearestNeighbourRatio}`);
  assert.ok(shifted.domainAccuracy > 0.95, `shifted: ${shifted.domainAccuracy}`);
  assert.ok(shifted.nearestNeighbourRatio > same.nearestNeighbourRatio);
  // Mean shift: 3 of 10 features moved by 3 sd → about 3·9/10 = 2.7 per feature.
  assert.ok(Math.abs(shifted.meanShift - 2.7) < 0.5, `mean shift ${shifted.meanShift}`);
  assert.ok(same.meanShift < 0.05);
  assert.equal(shifted.proxyADistance, 2 * (1 - 2 * (1 - shifted.domainAccuracy)));
  model.dispose();
});
