/**
 * The Sum/Mean override on wasm (leading-axes reductions become ones · x) against the tfjs cpu
 * backend: batch-norm-like reductions with and without keepDims, negative and unsorted axes, and
 * the cases left to the original kernels (inner axes, all axes, few rows, int32).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isInstalledByUs } from '../../../src/core/backend/wasm-kernels/kernel-install.js';
import { ErrorLog, expectSameOnBothBackends, random, setUpBackends } from './helpers.js';

before(setUpBackends);

test('Sum and Mean on wasm match cpu', async (t) => {
  assert.ok(isInstalledByUs('Sum', 'wasm') && isInstalledByUs('Mean', 'wasm'), 'the Sum/Mean overrides are installed on wasm');
  const log = new ErrorLog();
  const cases: Array<[number[], number | number[], boolean, string]> = [
    [[4, 6, 6, 8], [0, 1, 2], false, 'leading (override)'],
    [[4, 6, 6, 8], [0, 1, 2], true, 'leading, keepDims (override)'],
    [[300, 7], 0, true, 'leading (override)'],
    [[5, 9, 3], [1, 0], false, 'unsorted leading (override)'],
    [[8, 8, 3], [-3, -2], false, 'negative leading (override)'],
    [[16, 20, 20, 8], [0, 1, 2], false, 'BN-sized, offset data (override)'],
    [[2, 3, 4], [0], false, 'few rows (original)'],
    [[5, 9, 3], [1, 2], false, 'inner (original)'],
    [[40, 9, 3], [0, 2], false, 'non-contiguous (original)'],
    [[6, 7], [0, 1], false, 'all axes (original)'],
  ];
  let seed = 21;
  for (const [shape, axis, keepDims, kind] of cases) {
    const offset = kind.startsWith('BN') ? 3 : 0; // a mean far from 0 makes summation error visible
    const x = random(shape, seed++).map((v) => v + offset);
    for (const op of ['sum', 'mean'] as const) {
      const label = `${op} [${shape}] axis ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''} ${kind}`;
      const e = await expectSameOnBothBackends(() => tf[op](tf.tensor(x, shape), axis, keepDims), label, 1e-5);
      log.add(`${op === 'sum' ? 'Sum' : 'Mean'} ${kind.includes('override') ? '(override)' : '(original)'}`, label, e);
      // The override's fast path runs an AvgPool kernel; the original kernel does not. Without this the
      // comparison above would pass as well if the override were never installed or never taken.
      await tf.setBackend('wasm');
      const profile = await tf.profile(() => tf[op](tf.tensor(x, shape), axis, keepDims));
      assert.equal(profile.kernelNames.includes('AvgPool'), kind.includes('override'), `${label}: kernels run ${profile.kernelNames.join(', ')}`);
    }
  }
  const ints = Int32Array.from({ length: 64 * 3 }, (_, i) => (i * 7) % 11);
  for (const op of ['sum', 'mean'] as const) {
    const label = `${op} int32 [64,3] axis 0 (original)`;
    log.add(
      `${op === 'sum' ? 'Sum' : 'Mean'} (original)`,
      label,
      await expectSameOnBothBackends(() => tf[op](tf.tensor(ints, [64, 3], 'int32'), 0), label, 1e-6),
    );
  }
  for (const line of log.lines()) t.diagnostic(line);
});
