// resolveExperiment: schema defaults, absolute paths, derived stages, total epochs, augment, name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { experimentNameFromFile, resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';
import { minimal } from './helpers.js';

const FILE = path.resolve('/work/exp/digits.transfer.json');

test('every default is filled from the schema', () => {
  const r = resolveExperiment(minimal(), FILE);
  assert.equal(r.name, 'digits');
  assert.equal(r.file, FILE);
  assert.equal(r.dir, path.dirname(FILE));
  assert.deepEqual(r.base, { kind: 'builtin', architecture: 'smallCnn' });
  assert.deepEqual(r.data.split, { validation: 0.1, test: 0 });
  assert.deepEqual(r.data.image, { resize: 'cover', scale: 'unit' });
  assert.equal(r.data.augment, undefined);
  assert.equal(r.transfer.strategy, 'fineTune');
  assert.deepEqual(r.transfer.head, { units: [], dropout: 0, activation: 'relu' });
  assert.deepEqual(r.transfer.stages, [{ name: 'fineTune', epochs: 5, freeze: {}, learningRate: 0.001 }]);
  assert.deepEqual(r.optimizer, { type: 'adam', momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, rho: 0.9 });
  assert.deepEqual(r.learningRate, {
    base: 0.001,
    schedule: { type: 'constant', stepEpochs: 7, gamma: 0.1, minRate: 0, pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 },
    warmup: { steps: 0, startFactor: 0.1 },
    baseMultiplier: 0.1,
    layerGroups: [],
  });
  assert.deepEqual(r.training, { epochs: 5, batchSize: 32, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' });
});

test('given values win over defaults; early stopping is filled when present', () => {
  const r = resolveExperiment(
    minimal({
      name: 'custom',
      training: { epochs: 2, batchSize: 8, earlyStopping: { patience: 4 } },
      learningRate: { base: 0.01, schedule: { type: 'cosine', minRate: 0.001 } },
      optimizer: { type: 'momentum', nesterov: true },
    }),
    FILE,
  );
  assert.equal(r.name, 'custom');
  assert.equal(r.training.batchSize, 8);
  assert.deepEqual(r.training.earlyStopping, { patience: 4, minDelta: 0 });
  assert.equal(r.learningRate.schedule.type, 'cosine');
  assert.equal(r.learningRate.schedule.minRate, 0.001);
  assert.equal(r.learningRate.schedule.gamma, 0.1);
  assert.equal(r.optimizer.nesterov, true);
  assert.equal(r.transfer.stages[0].learningRate, 0.01);
});

test('paths become absolute against the file folder', () => {
  const file: ExperimentFile = {
    base: { kind: 'model', path: 'models/m/model.json' },
    data: {
      train: { kind: 'imageFolder', path: 'data/train' },
      validation: { kind: 'csv', path: '../shared/val.csv' },
      test: { kind: 'idx', images: 't-images.gz', labels: '/abs/t-labels.gz' },
    },
  };
  const r = resolveExperiment(file, FILE);
  const dir = path.dirname(FILE);
  assert.deepEqual(r.base, { kind: 'model', path: path.join(dir, 'models/m/model.json') });
  assert.deepEqual(r.data.train, { kind: 'imageFolder', path: path.join(dir, 'data/train') });
  assert.deepEqual(r.data.validation, { kind: 'csv', path: path.resolve(dir, '../shared/val.csv'), labelColumn: 'label' });
  assert.deepEqual(r.data.test, { kind: 'idx', images: path.join(dir, 't-images.gz'), labels: path.resolve('/abs/t-labels.gz') });
  // a separate validation/test source replaces the split fraction
  assert.deepEqual(r.data.split, { validation: 0, test: 0 });
  const run = resolveExperiment({ base: { kind: 'run', experiment: 'src.transfer.json' }, data: { train: { kind: 'mnist' } } }, FILE);
  assert.deepEqual(run.base, { kind: 'run', experiment: path.join(dir, 'src.transfer.json'), checkpoint: 'best' });
});

test('relative experiment path resolves against the current directory', () => {
  const r = resolveExperiment(minimal(), 'rel/x.transfer.json');
  assert.equal(r.file, path.resolve('rel/x.transfer.json'));
  assert.equal(r.name, 'x');
});

test('derived stage per strategy', () => {
  const freeze = { upTo: 'pool2' };
  const fe = resolveExperiment(minimal({ transfer: { strategy: 'featureExtraction', freeze }, training: { epochs: 3 } }), FILE);
  assert.deepEqual(fe.transfer.stages, [{ name: 'featureExtraction', epochs: 3, freeze: { all: true }, learningRate: 0.001 }]);
  const ft = resolveExperiment(minimal({ transfer: { strategy: 'fineTune', freeze } }), FILE);
  assert.deepEqual(ft.transfer.stages[0].freeze, freeze);
  assert.notEqual(ft.transfer.stages[0].freeze, freeze, 'copied, not shared');
  const sc = resolveExperiment(minimal({ transfer: { strategy: 'scratch', freeze } }), FILE);
  assert.deepEqual(sc.transfer.stages[0].freeze, {});
});

test('explicit stages: names, rates, total epochs', () => {
  const r = resolveExperiment(
    minimal({
      transfer: {
        stages: [
          { name: 'head', epochs: 2, freeze: { all: true } },
          { epochs: 3, freeze: {}, learningRate: 0.0001 },
        ],
      },
      training: { epochs: 50 },
    }),
    FILE,
  );
  assert.deepEqual(r.transfer.stages, [
    { name: 'head', epochs: 2, freeze: { all: true }, learningRate: 0.001 },
    { name: 'stage 2', epochs: 3, freeze: {}, learningRate: 0.0001 },
  ]);
  assert.equal(r.training.epochs, 5);
});

test('augment is kept when any augmentation is on, with defaults filled', () => {
  assert.equal(resolveExperiment(minimal({ data: { train: { kind: 'mnist' }, augment: { flipHorizontal: false, shift: 0 } } }), FILE).data.augment, undefined);
  const r = resolveExperiment(minimal({ data: { train: { kind: 'mnist' }, augment: { shift: 2 } } }), FILE);
  assert.deepEqual(r.data.augment, { flipHorizontal: false, shift: 2, noise: 0, colorJitter: 0, crop: 0 });
});

test('the input file object is not modified', () => {
  const file = minimal({ transfer: { freeze: { names: ['conv1'] } }, learningRate: { layerGroups: [{ name: 'g', layers: { all: true }, multiplier: 0.5 }] } });
  const before = JSON.stringify(file);
  const r = resolveExperiment(file, FILE);
  r.transfer.stages[0].freeze.names!.push('x');
  r.learningRate.layerGroups[0].multiplier = 9;
  assert.equal(JSON.stringify(file), before);
});

test('experiment name from the file name', () => {
  assert.equal(experimentNameFromFile('/a/foo.transfer.json'), 'foo');
  assert.equal(experimentNameFromFile('/a/Foo.Transfer.JSON'), 'Foo');
  assert.equal(experimentNameFromFile('/a/bar.json'), 'bar');
});
