/**
 * Identity (tf.clone; the engine clones every tensor it saves for the backward pass) on wasm shares
 * the input's buffer instead of copying it: same values, shape and dtype as cpu, one buffer with a
 * reference count, each tensor disposable on its own; strings keep the original kernel. A Cast to
 * the tensor's own dtype shares the buffer the same way; real conversions still convert.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, random, setUpBackends } from './helpers.js';

before(setUpBackends);

interface RefCounted {
  refCount(dataId: tf.DataId): number;
}

test('clone on wasm equals cpu for float32, int32 and bool (with -0, ±Infinity, NaN)', async () => {
  const values = Array.from(random([12], 7));
  values.splice(0, 4, -0, Infinity, -Infinity, NaN);
  for (const [dtype, v] of [
    ['float32', values],
    ['int32', values.slice(4).map((x) => Math.round(x * 100))],
    ['bool', [1, 0, 1, 1]],
  ] as const) {
    const e = await expectSameOnBothBackends(() => tf.clone(tf.tensor(v as number[], [v.length], dtype)), `clone ${dtype}`, 0);
    assert.equal(e.err, 0);
  }
});

test('a clone shares the buffer (reference counted) and outlives its source', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend() as unknown as RefCounted;
  const x = tf.tensor([1, 2, 3]);
  const y = tf.clone(x);
  assert.equal(y.dataId, x.dataId);
  assert.equal(backend.refCount(x.dataId), 2);
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3]);
  assert.equal(backend.refCount(y.dataId), 1);
  y.dispose();
  assert.equal(backend.refCount(y.dataId), 0);
});

test('string tensors are still copied by the original kernel', async () => {
  await tf.setBackend('wasm');
  const s = tf.tensor(['a', 'b']);
  const c = tf.clone(s);
  assert.deepEqual(await c.data(), ['a', 'b']);
  tf.dispose([s, c]);
});

test('a variable assigned from a clone is unaffected when the clone’s source is reassigned', async () => {
  await tf.setBackend('wasm');
  const v = tf.variable(tf.tensor([1, 2]));
  const snapshot = tf.clone(v);
  v.assign(tf.tensor([5, 6]));
  assert.deepEqual(Array.from(await snapshot.data()), [1, 2]);
  assert.deepEqual(Array.from(await v.data()), [5, 6]);
  tf.dispose([v, snapshot]);
});

test('cast to the same dtype shares the buffer; conversions equal cpu', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend() as unknown as RefCounted;
  const x = tf.tensor([1.5, -2, 0]);
  const y = tf.cast(x, 'float32');
  assert.equal(y.dataId, x.dataId);
  assert.equal(backend.refCount(x.dataId), 2);
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1.5, -2, 0]);
  y.dispose();
  assert.equal(backend.refCount(y.dataId), 0);
  const values = [1.7, -2.2, 0, 3, -0.5, NaN, -0];
  for (const [from, to] of [
    ['float32', 'int32'],
    ['int32', 'float32'],
    ['float32', 'bool'],
    ['bool', 'float32'],
    ['int32', 'int32'],
    ['bool', 'bool'],
  ] as const) {
    const e = await expectSameOnBothBackends(
      () => tf.cast(tf.tensor(from === 'float32' ? values : values.slice(0, 5).map((v) => Math.trunc(v)), [from === 'float32' ? 7 : 5], from), to),
      `cast ${from} → ${to}`,
      0,
    );
    assert.equal(e.err, 0);
  }
});
