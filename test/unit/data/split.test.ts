import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { classCounts } from '../../../src/core/data/example-set.js';
import { loadData } from '../../../src/core/data/index.js';
import type { ResolvedData } from '../../../src/core/experiment/types.js';
import { ids, resolvedData } from './helpers.js';

const opts = { inputShape: [28, 28, 1] as [number, number, number], seed: 5 };
const source = { kind: 'mnist' as const, classes: [0, 1, 2], perClass: 200 };
const withSplit = (split: ResolvedData['split']) => resolvedData(source, { split });

test('stratified split: per-class fractions, disjoint parts covering the source', async () => {
  const d = await loadData(withSplit({ validation: 0.2, test: 0.1 }), opts);
  assert.deepEqual(d.classNames, ['0', '1', '2']);
  assert.deepEqual(classCounts(d.train, 3), [140, 140, 140]);
  assert.deepEqual(classCounts(d.validation, 3), [40, 40, 40]);
  assert.ok(d.test);
  assert.deepEqual(classCounts(d.test, 3), [20, 20, 20]);
  const all = [...ids(d.train), ...ids(d.validation), ...ids(d.test)];
  assert.equal(new Set(all).size, 600, 'no example in two parts');
  // labels follow ids
  for (let i = 0; i < d.validation.count; i++) assert.equal(d.classNames[d.validation.labels[i]], d.validation.id(i).slice(6, 7));
});

test('split is deterministic for a seed and changes with it', async () => {
  const a = await loadData(withSplit({ validation: 0.2, test: 0.1 }), opts);
  const b = await loadData(withSplit({ validation: 0.2, test: 0.1 }), opts);
  const c = await loadData(withSplit({ validation: 0.2, test: 0.1 }), { ...opts, seed: 6 });
  assert.deepEqual(ids(a.validation), ids(b.validation));
  assert.deepEqual(ids(a.test!), ids(b.test!));
  assert.deepEqual(ids(a.train), ids(b.train));
  assert.notDeepEqual(ids(a.validation), ids(c.validation));
});

test('trainPerClass shrinks training only: validation and test stay identical, smaller sets nest', async () => {
  const full = await loadData(withSplit({ validation: 0.2, test: 0.1 }), opts);
  const k10 = await loadData(withSplit({ validation: 0.2, test: 0.1, trainPerClass: 10 }), opts);
  const k50 = await loadData(withSplit({ validation: 0.2, test: 0.1, trainPerClass: 50 }), opts);
  assert.deepEqual(classCounts(k10.train, 3), [10, 10, 10]);
  assert.deepEqual(classCounts(k50.train, 3), [50, 50, 50]);
  for (const d of [k10, k50]) {
    assert.deepEqual(ids(d.validation), ids(full.validation));
    assert.deepEqual(ids(d.test!), ids(full.test!));
  }
  const in50 = new Set(ids(k50.train));
  for (const id of ids(k10.train)) assert.ok(in50.has(id), `${id} of k=10 not in k=50`);
  const inFull = new Set(ids(full.train));
  for (const id of ids(k50.train)) assert.ok(inFull.has(id));
});

test('separate validation source: no split of train, classes aligned by name', async () => {
  const d = await loadData(
    resolvedData(
      { kind: 'mnist', classes: [0, 1, 2], perClass: 30 },
      { validation: { kind: 'mnist', classes: [2, 0], perClass: 4 }, split: { validation: 0, test: 0, trainPerClass: 5 } },
    ),
    opts,
  );
  assert.equal(d.test, undefined);
  assert.deepEqual(classCounts(d.train, 3), [5, 5, 5]);
  assert.equal(d.validation.count, 8);
  for (let i = 0; i < 8; i++) assert.equal(d.classNames[d.validation.labels[i]], d.validation.id(i).slice(6, 7));
  assert.deepEqual(classCounts(d.validation, 3), [4, 0, 4]);
});

test('a validation class that training lacks is a DataError', async () => {
  await assert.rejects(
    loadData(resolvedData({ kind: 'mnist', classes: [0, 1], perClass: 5 }, { validation: { kind: 'mnist', classes: [1, 7], perClass: 2 } }), opts),
    (e: unknown) => e instanceof DataError && /class "7"/.test(e.message) && e.source === 'mnist',
  );
});
