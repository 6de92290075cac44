// The advisor's rules and edits, the edits applied to a commented file, and the similarity measures
// on synthetic domains: the same distribution looks similar, a shifted one different.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { DEFAULT_THRESHOLDS, editsFor, ruleFor, specificityThreshold, verdicts } from '../../../src/core/advisor/rules.js';
import { chooseLayers, differentCut, featureGroups, medianOf, pairedDifference } from '../../../src/core/advisor/advise.js';
import { cutPoints } from '../../../src/core/features/extract.js';
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
  const get = (rule: Parameters<typeof editsFor>[0], layers?: Parameters<typeof editsFor>[1]) =>
    Object.fromEntries(editsFor(rule, layers).map((e) => [e.pointer, e.value]));
  assert.deepEqual(get('smallSimilar')['/transfer/strategy'], 'featureExtraction');
  assert.equal(get('smallSimilar')['/transfer/cutLayer'], undefined);
  assert.ok(
    editsFor('smallSimilar').some((e) => e.pointer === '/transfer/cutLayer' && e.value === undefined),
    'no feature layer: the cutLayer is removed (default cut)',
  );
  assert.equal(
    get('smallSimilar', { featureLayer: 'pool2', earlierLayer: 'pool1' })['/transfer/cutLayer'],
    'pool2',
    "the sweep's best layer, not the penultimate one",
  );
  assert.equal(get('smallDifferent', { earlierLayer: 'pool1', featureLayer: 'pool2' })['/transfer/cutLayer'], 'pool1');
  assert.equal(get('largeSimilar', { featureLayer: 'pool2' })['/transfer/cutLayer'], undefined, 'fine-tuning keeps the default cut');
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
  const text =
    '{\n  // the base\n  "base": { "kind": "run", "experiment": "s.transfer.json" },\n  "transfer": { "strategy": "fineTune", "cutLayer": "fc1" } /* end */\n}\n';
  const out = applyPointerEdits(text, editsFor('smallDifferent', { earlierLayer: 'pool1' }));
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

test('pairedDifference: gap and standard error against the discordant-pair counts', () => {
  // 40 examples: 20 both right, 4 both wrong, 11 only a right (b), 5 only b right (c).
  const a: number[] = [];
  const b: number[] = [];
  const push = (x: number, y: number, k: number) => {
    for (let i = 0; i < k; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(1, 1, 20);
  push(0, 0, 4);
  push(1, 0, 11);
  push(0, 1, 5);
  const n = 40;
  const nb = 11;
  const nc = 5;
  // Independent form: d ∈ {−1, 0, 1}; mean (b − c)/n; sample variance (b + c − n·mean²)/(n − 1).
  const mean = (nb - nc) / n;
  const se = Math.sqrt((nb + nc - n * mean * mean) / (n - 1) / n);
  const r = pairedDifference(a, b);
  assert.equal(r.n, n);
  assert.ok(Math.abs(r.gap - 0.15) < 1e-12, `gap ${r.gap}`);
  assert.ok(Math.abs(r.standardError - se) < 1e-12, `se ${r.standardError} vs ${se}`);
  assert.deepEqual(pairedDifference([1, 0, 1], [1, 0, 1]), { gap: 0, standardError: 0, n: 3 }, 'identical classifiers: no gap, no noise');
  assert.throws(() => pairedDifference([1], [1, 0]), RangeError);
});

test('specificity threshold: similar only when the gap plus 2 standard errors stays within the margin', () => {
  assert.ok(Math.abs(specificityThreshold(0.02, 0.005) - 0.01) < 1e-12);
  assert.ok(Math.abs(specificityThreshold(0.02, 0.02) + 0.02) < 1e-12);
  const t = { ...DEFAULT_THRESHOLDS, maxSpecificityGap: specificityThreshold(0.02, 0.01) };
  assert.equal(verdicts(10, 0.9, 0.01, t).similar, false, 'a 1-point gap with a 1-point standard error may be 3 points: not shown similar');
  assert.equal(verdicts(10, 0.9, -0.005, t).similar, true, 'the last features ahead, within noise: similar');
  const tight = { ...DEFAULT_THRESHOLDS, maxSpecificityGap: specificityThreshold(0.02, 0.002) };
  assert.equal(verdicts(400, 0.9, 0.01, tight).similar, true, 'a resolved 1-point gap is within the 2-point margin');
});

test('differentCut: the best earlier layer unless the last features validate better', () => {
  assert.equal(differentCut({ earlierLayer: 'pool2', gap: { gap: 0.03, standardError: 0.02, n: 100 } }), 'pool2');
  assert.equal(
    differentCut({ earlierLayer: 'pool2', gap: { gap: 0, standardError: 0.02, n: 100 } }),
    'pool2',
    'a tie goes to the earlier layer (the rule of thumb)',
  );
  assert.equal(differentCut({ earlierLayer: 'pool2', gap: { gap: -0.01, standardError: 0.02, n: 100 } }), undefined);
  assert.equal(differentCut({ earlierLayer: 'pool2' }), 'pool2');
});

test('chooseLayers: best overall and best earlier layer by validation hits, gap paired against the last features', () => {
  const hits = (s: string) => Uint8Array.from(s, (c) => (c === '1' ? 1 : 0));
  const layer = (name: string, features: number, h: string) => ({
    layer: name,
    features,
    trainAccuracy: 1,
    valAccuracy: hits(h).reduce((x, y) => x + y, 0) / h.length,
    hits: hits(h),
  });
  const layers = [layer('pool1', 5408, '11000000'), layer('pool2', 1600, '11111100'), layer('fc1', 128, '11110000')];
  const c = chooseLayers(layers, 2);
  assert.equal(c.featureLayer, 'pool2');
  assert.equal(c.earlierLayer, 'pool2');
  assert.equal(c.gap!.gap, 0.25);
  assert.equal(c.gap!.n, 8);
  // Ties go to fewer features: the last features win a tie with an earlier layer.
  const tie = chooseLayers([layer('pool2', 1600, '1100'), layer('fc1', 128, '1010')], 1);
  assert.equal(tie.featureLayer, 'fc1');
  assert.equal(tie.earlierLayer, 'pool2');
  assert.equal(tie.gap!.gap, 0);
});

test('featureGroups: a trailing dropout (and a flatten) repeat the features of the layer before them', () => {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'c1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
      tf.layers.flatten({ name: 'fl' }),
      tf.layers.dense({ units: 4, name: 'fc' }),
      tf.layers.dropout({ rate: 0.5, name: 'drop' }),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  const graph = flattenModel(m);
  const points = cutPoints(graph, graph.ops.length - 1);
  assert.deepEqual(
    points.map((p) => p.name),
    ['c1', 'p1', 'fl', 'fc', 'drop'],
  );
  assert.deepEqual(featureGroups(graph, points), [0, 1, 1, 3, 3]);
  m.dispose();
});
