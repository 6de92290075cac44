// The panel's view of an experiment: layer roles around the cut, frozen per stage, groups (first match
// wins), locks, the last valid settings kept while the text is broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import { defaultCut } from '../../../src/core/models/cut.js';
import { experimentView } from '../../../src/extension/panel/view/experimentView.js';
import { STAGES_TEXT } from './helpers.js';

const FILE = '/tmp/panel-demo.transfer.json';
const steps = () => ({ stepsPerEpoch: 10, source: 'test' });

test('layers: roles, frozen per stage, groups, cut', async () => {
  const c = await checkExperimentText(STAGES_TEXT, FILE, { checkFiles: false });
  const v = experimentView(FILE, c.problems, { text: STAGES_TEXT, experiment: c.experiment!, layers: c.layers }, true, steps);
  const d = v.detail!;
  assert.equal(v.name, 'panel-demo');
  assert.deepEqual(
    d.layers.map((l) => [l.name, l.role, l.frozen.map(Number).join(''), l.group]),
    [
      ['conv1', 'base', '11', 'early'],
      ['pool1', 'base', '11', null],
      ['conv2', 'base', '10', null],
      ['pool2', 'base', '10', null],
      ['flatten', 'cut', '10', null],
      ['fc1', 'dropped', '', null],
      ['logits', 'dropped', '', null],
    ],
  );
  assert.equal(d.layers[0].outputShape, '26×26×32');
  assert.equal(d.cutLayer, 'flatten');
  assert.equal(d.cutExplicit, true);
  assert.equal(d.stagesWritten, true);
  assert.deepEqual(
    d.stages.map((s) => [s.name, s.epochs, s.learningRate, s.freezeLocked]),
    [
      ['head', 2, 0.01, undefined],
      ['unfreeze', 3, 0.003, undefined],
    ],
  );
  assert.deepEqual(d.groups, [{ name: 'early', multiplier: 0.01, layerCount: 1 }]);
  assert.equal(d.preview.totalSteps, 50);
});

test('a broken text keeps the last valid settings and says so', async () => {
  const good = await checkExperimentText(STAGES_TEXT, FILE, { checkFiles: false });
  const broken = STAGES_TEXT.replace('"epochs": 2', '"epochs": "two"');
  const c = await checkExperimentText(broken, FILE, { checkFiles: false });
  assert.equal(c.experiment, undefined);
  const v = experimentView(FILE, c.problems, { text: STAGES_TEXT, experiment: good.experiment!, layers: good.layers }, false, steps);
  assert.equal(v.valid, false);
  assert.ok(v.problems.some((p) => p.severity === 'error' && p.path === '/transfer/stages/0/epochs'));
  assert.equal(v.detail?.layers.length, 7);
  const none = experimentView(FILE, c.problems, undefined, false, steps);
  assert.equal(none.detail, undefined);
  assert.equal(none.name, 'panel-demo');
});

test('scratch locks the freeze column; a URL base has no layers but a note', async () => {
  const text =
    '{ "base": { "kind": "url", "url": "https://example.invalid/model.json" }, "data": { "train": { "kind": "mnist" } }, "transfer": { "strategy": "scratch" } }';
  const c = await checkExperimentText(text, FILE, { checkFiles: false });
  const v = experimentView(FILE, c.problems, { text, experiment: c.experiment!, ...(c.layers ? { layers: c.layers } : {}) }, true, steps);
  assert.equal(v.detail?.layers.length, 0);
  assert.match(v.detail?.layersNote ?? '', /http/);
  assert.match(v.detail?.stages[0].freezeLocked ?? '', /unknown/);
});

test('the default cut is the engine’s (models/cut.ts): a nested old head is dropped whole', async () => {
  const model = path.resolve('test/fixtures/models/teachable/model.json');
  const text = JSON.stringify({ base: { kind: 'model', path: model }, data: { train: { kind: 'mnist' } }, transfer: { strategy: 'featureExtraction' } });
  const c = await checkExperimentText(text, FILE, { checkFiles: false });
  assert.ok(c.layers && c.experiment, c.problems.map((p) => p.message).join('; '));
  const v = experimentView(FILE, c.problems, { text, experiment: c.experiment, layers: c.layers }, true, steps);
  const d = defaultCut(c.layers);
  assert.ok(d.droppedModel, 'the fixture has a nested old head');
  const rows = v.detail!.layers;
  assert.strictEqual(
    rows.findIndex((r) => r.role === 'cut'),
    d.index,
  );
  assert.deepStrictEqual(
    rows.filter((r) => r.role === 'dropped').map((r) => r.name),
    d.dropped,
  );
});

test('the kind of transfer: what an unsupervised or transductive experiment does, not a strategy that does not apply', async () => {
  const base = { base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [28, 28, 1] }, data: { train: { kind: 'mnist' } } };
  const detail = async (transfer: object, data: object = {}) => {
    const text = JSON.stringify({ ...base, data: { ...base.data, ...data }, transfer });
    const c = await checkExperimentText(text, FILE, { checkFiles: false });
    assert.ok(c.experiment, c.problems.map((p) => p.message).join('; '));
    return experimentView(FILE, c.problems, { text, experiment: c.experiment, ...(c.layers ? { layers: c.layers } : {}) }, true, steps).detail!;
  };
  const unsup = await detail({ kind: 'unsupervised', cutLayer: 'pool2' });
  assert.equal(unsup.kind, 'unsupervised');
  assert.equal(unsup.method, 'PCA + k-means on pool2 features');
  assert.match(unsup.stages[0].freezeLocked ?? '', /unsupervised experiment trains nothing/);
  const target = { target: { kind: 'mnist', transform: { contrast: 0.5 } } };
  assert.equal((await detail({ kind: 'transductive' }, target)).method, 'AdaBN + self-training');
  assert.equal((await detail({ kind: 'transductive', transductive: { adaBN: false } }, target)).method, 'self-training');
  assert.equal((await detail({ kind: 'transductive', transductive: { selfTraining: { rounds: 0 } } }, target)).method, 'AdaBN');
  const inductive = await detail({ strategy: 'fineTune' });
  assert.equal(inductive.kind, 'inductive');
  assert.equal(inductive.method, undefined);
  assert.equal(inductive.strategy, 'fineTune');
});
