/**
 * The BatchMatMul override on wasm (transposed operands are materialised) against the tfjs cpu
 * backend, for every transpose combination, batched and broadcast operands, and the plain case it
 * leaves to the original kernel.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, random, setUpBackends } from './helpers.js';
import { matMulForm } from '../../../src/core/backend/wasm-kernels/batch-mat-mul.js';

before(setUpBackends);

test('BatchMatMul on wasm matches cpu for all transpose flags', async (t) => {
  const log = new ErrorLog();
  // [batch of a, batch of b, m, k, n]; unbatched shapes with a transpose flag take either form
  // (matMulForm): e.g. [4, 200, 300] with b transposed the swapped one, [64, 300, 32] with a
  // transposed the direct one; both are checked here.
  const shapes: Array<[number[], number[], number, number, number]> = [
    [[], [], 5, 7, 3],
    [[], [], 64, 300, 32],
    [[], [], 4, 200, 300],
    [[1], [], 4, 6, 5],
    [[3], [3], 4, 6, 5],
    [[2, 3], [1, 3], 4, 6, 5],
    [[3], [], 9, 8, 2],
  ];
  let seed = 11;
  for (const [ba, bb, m, k, n] of shapes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const aShape = [...ba, ...(transposeA ? [k, m] : [m, k])];
        const bShape = [...bb, ...(transposeB ? [n, k] : [k, n])];
        const a = random(aShape, seed++);
        const b = random(bShape, seed++);
        const label = `a[${aShape}]${transposeA ? 'ᵀ' : ''} · b[${bShape}]${transposeB ? 'ᵀ' : ''}`;
        const e = await expectSameOnBothBackends(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB), label);
        log.add(transposeA || transposeB ? 'BatchMatMul (transposed: override)' : 'BatchMatMul (plain: original)', label, e);
      }
    }
  }
  for (const line of log.lines()) t.diagnostic(line);
});

test('the form of a transposed product: swapped where packing the wide operand dominates', () => {
  assert.equal(matMulForm(4, 200, 300, false, true), 'swapped');
  assert.equal(matMulForm(64, 300, 32, true, false), 'direct');
  // The MNIST CNN's dense layer fc1 (1600 → 128) at batch 64: dx = dy·Wᵀ packs dy instead of W; dW = xᵀ·dy stays direct.
  assert.equal(matMulForm(64, 128, 1600, false, true), 'swapped');
  assert.equal(matMulForm(1600, 64, 128, true, false), 'direct');
  // A small square product keeps the direct form.
  assert.equal(matMulForm(256, 256, 256, false, true), 'direct');
});
