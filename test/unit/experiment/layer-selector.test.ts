// selectLayers: the union of every rule; unknown names and bad rules throw naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayerSelectionError, isEmptySelector, selectLayers, selectorIssues } from '../../../src/core/experiment/layer-selector.js';

const LAYERS = ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1'];
const sel = (s: Parameters<typeof selectLayers>[0]) => [...selectLayers(s, LAYERS)];

test('each rule alone', () => {
  assert.deepEqual(sel({}), []);
  assert.deepEqual(sel({ all: false }), []);
  assert.deepEqual(sel({ all: true }), LAYERS);
  assert.deepEqual(sel({ names: ['pool2', 'conv1'] }), ['conv1', 'pool2'], 'layer order, not rule order');
  assert.deepEqual(sel({ range: [1, 3] }), ['pool1', 'conv2', 'pool2']);
  assert.deepEqual(sel({ range: [5, 5] }), ['fc1']);
  assert.deepEqual(sel({ regex: '^conv' }), ['conv1', 'conv2']);
  assert.deepEqual(sel({ regex: '2' }), ['conv2', 'pool2'], 'unanchored');
  assert.deepEqual(sel({ upTo: 'conv2' }), ['conv1', 'pool1', 'conv2']);
  assert.deepEqual(sel({ allBut: ['fc1', 'flatten'] }), ['conv1', 'pool1', 'conv2', 'pool2']);
  assert.deepEqual(sel({ allBut: [] }), LAYERS);
});

test('rules combine as a union', () => {
  assert.deepEqual(sel({ upTo: 'pool1', names: ['fc1'] }), ['conv1', 'pool1', 'fc1']);
  assert.deepEqual(sel({ regex: '^pool', range: [0, 0] }), ['conv1', 'pool1', 'pool2']);
  assert.deepEqual(sel({ all: false, names: ['conv2'] }), ['conv2']);
});

test('unknown names throw naming the field and suggesting the closest layer', () => {
  assert.throws(
    () => selectLayers({ names: ['conv1', 'conv2x'] }, LAYERS),
    (e: unknown) => {
      assert.ok(e instanceof LayerSelectionError);
      assert.match(e.message, /^names\[1\]: no layer "conv2x" in the base; did you mean "conv2"\?$/);
      assert.deepEqual(
        e.issues.map((i) => [i.field, i.index]),
        [['names', 1]],
      );
      return true;
    },
  );
  assert.throws(() => selectLayers({ upTo: 'pool_2' }, LAYERS), /upTo: no layer "pool_2" in the base; did you mean "pool2"\?/);
  assert.throws(
    () => selectLayers({ allBut: ['zzzzzz'] }, LAYERS),
    (e: unknown) => {
      assert.match((e as Error).message, /^allBut\[0\]: no layer "zzzzzz" in the base$/);
      return true;
    },
  );
});

test('bad regex and ranges throw naming the field', () => {
  assert.throws(() => selectLayers({ regex: '(' }, LAYERS), /regex: invalid regular expression \/\(\//);
  assert.throws(() => selectLayers({ range: [3, 1] }, LAYERS), /range: from 3 is after to 1/);
  assert.throws(() => selectLayers({ range: [2, 6] }, LAYERS), /range: to 6 is past the last layer \(index 5: the base has 6 layers\)/);
});

test('selectorIssues without layers checks only what it can', () => {
  assert.deepEqual(selectorIssues({ names: ['anything'], range: [0, 99] }, undefined), []);
  assert.deepEqual(
    selectorIssues({ regex: '[', range: [2, 1] }, undefined).map((i) => i.field),
    ['regex', 'range'],
  );
});

test('isEmptySelector', () => {
  assert.equal(isEmptySelector({}), true);
  assert.equal(isEmptySelector({ all: false, names: [] }), true);
  assert.equal(isEmptySelector({ allBut: [] }), false);
  assert.equal(isEmptySelector({ regex: 'x' }), false);
});
