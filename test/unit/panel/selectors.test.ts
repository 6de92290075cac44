// Writing a layer set back as a selector: the current one when it still fits, the simplest form,
// the user's own form (names / allBut) kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorFor, selectorForm, selectedSet } from '../../../src/extension/panel/edits/selectors.js';

const L = ['conv1', 'pool1', 'conv2', 'pool2', 'flatten'];
const set = (...xs: string[]) => new Set(xs);

test('the current selector is kept when it selects the wanted set', () => {
  const cur = { regex: '^conv' };
  assert.equal(selectorFor(set('conv1', 'conv2'), L, cur), cur);
});

test('none, all and prefixes get their short forms', () => {
  assert.deepEqual(selectorFor(set(), L, { upTo: 'conv1' }), {});
  assert.deepEqual(selectorFor(set(...L), L, { upTo: 'conv1' }), { all: true });
  assert.deepEqual(selectorFor(set('conv1', 'pool1', 'conv2'), L, { upTo: 'pool1' }), { upTo: 'conv2' });
  assert.deepEqual(selectorFor(set('conv1'), L, {}), { upTo: 'conv1' });
});

test('a names selector stays a names list, in layer order', () => {
  assert.deepEqual(selectorFor(set('conv2', 'conv1'), L, { names: ['conv1'] }), { names: ['conv1', 'conv2'] });
  assert.deepEqual(selectorFor(set('conv1', 'pool1'), L, { names: ['conv1'] }), { names: ['conv1', 'pool1'] });
});

test('an allBut selector stays allBut', () => {
  assert.deepEqual(selectorFor(set('conv1', 'pool1', 'pool2'), L, { allBut: ['flatten'] }), { allBut: ['conv2', 'flatten'] });
});

test('otherwise the shorter of names and allBut', () => {
  assert.deepEqual(selectorFor(set('conv2'), L, { regex: 'x' }), { names: ['conv2'] });
  assert.deepEqual(selectorFor(set('conv1', 'pool1', 'pool2', 'flatten'), L, { upTo: 'pool1' }), { allBut: ['conv2'] });
});

test('forms and sets', () => {
  assert.equal(selectorForm(undefined), 'empty');
  assert.equal(selectorForm({ all: false }), 'empty');
  assert.equal(selectorForm({ names: ['a'], upTo: 'b' }), 'mixed');
  assert.equal(selectorForm({ range: [0, 1] }), 'mixed');
  assert.deepEqual([...selectedSet({ upTo: 'pool1' }, L)!], ['conv1', 'pool1']);
  assert.equal(selectedSet({ names: ['nope'] }, L), undefined);
});
