// Run comparison: only the settings whose values differ, with '—' where a run lacks one; where
// files live does not count as a difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT, flattenSettings, settingsDiff } from '../../../src/extension/panel/metrics/settingsDiff.js';

test('flattening: dotted paths, arrays of objects indexed, arrays of scalars whole', () => {
  const flat = flattenSettings({ a: { b: 1, c: [1, 2] }, g: [{ n: 'x' }], e: {} });
  assert.deepEqual(
    [...flat],
    [
      ['a.b', '1'],
      ['a.c', '[1,2]'],
      ['g[0].n', '"x"'],
      ['e', '{}'],
    ],
  );
});

test('only differing settings are listed, sorted, in run order', () => {
  const base = {
    file: '/a/x.transfer.json',
    dir: '/a',
    base: { kind: 'builtin', path: '/m' },
    learningRate: { base: 0.01, schedule: { type: 'constant' } },
    training: { seed: 1 },
  };
  const other = { ...base, file: '/b/x.transfer.json', dir: '/b', learningRate: { base: 0.001, schedule: { type: 'cosine', minRate: 0 } } };
  const third = { ...base, training: { seed: 1, batchSize: 8 } };
  assert.deepEqual(settingsDiff([base, other, third]), [
    { key: 'learningRate.base', values: ['0.01', '0.001', '0.01'] },
    { key: 'learningRate.schedule.minRate', values: [ABSENT, '0', ABSENT] },
    { key: 'learningRate.schedule.type', values: ['"constant"', '"cosine"', '"constant"'] },
    { key: 'training.batchSize', values: [ABSENT, ABSENT, '8'] },
  ]);
  assert.deepEqual(settingsDiff([base, base]), []);
});

test('nested configs of runs of two experiments: stages by index, a stage only one run has, the name; not where files live', () => {
  const a = {
    name: 'photos-a',
    file: '/w/a.transfer.json',
    data: { train: { kind: 'imageFolder', dir: '/w/photos' }, image: { size: 96 } },
    transfer: { strategy: 'fineTune', stages: [{ epochs: 2, freeze: { all: true } }] },
  };
  const b = {
    name: 'photos-b',
    file: '/w/b.transfer.json',
    data: { train: { kind: 'imageFolder', dir: '/w/other' }, image: { size: 128 } },
    transfer: {
      strategy: 'fineTune',
      stages: [
        { epochs: 2, freeze: { all: true } },
        { epochs: 3, freeze: { upTo: 'conv2' } },
      ],
    },
  };
  assert.deepEqual(settingsDiff([a, b]), [
    { key: 'data.image.size', values: ['96', '128'] },
    { key: 'name', values: ['"photos-a"', '"photos-b"'] },
    { key: 'transfer.stages[1].epochs', values: [ABSENT, '3'] },
    { key: 'transfer.stages[1].freeze.upTo', values: [ABSENT, '"conv2"'] },
  ]);
});
