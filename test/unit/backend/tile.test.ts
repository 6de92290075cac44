/**
 * The Tile override on wasm (broadcast tiles become a multiply by ones) against the tfjs cpu
 * backend: broadcast tiles of float32 and int32 (with -0, ±Infinity and NaN, which must survive
 * exactly), and general tiles left to the original kernel.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, random, runOn, setUpBackends } from './helpers.js';

before(setUpBackends);

test('Tile on wasm matches cpu exactly', async (t) => {
  const log = new ErrorLog();
  const cases: Array<[number[], number[], 'float32' | 'int32', string]> = [
    [[1, 1, 1, 5], [2, 3, 4, 1], 'float32', 'broadcast (override)'],
    [[3, 1], [1, 4], 'float32', 'broadcast (override)'],
    [[1, 6], [7, 1], 'int32', 'broadcast (override)'],
    [[2, 3], [2, 2], 'float32', 'general (original)'],
    [[2, 1, 3], [1, 2, 2], 'float32', 'mixed (original)'],
    [[4, 2], [1, 1], 'float32', 'identity (original)'],
  ];
  let seed = 5;
  for (const [shape, reps, dtype, kind] of cases) {
    const values = Array.from(random(shape, seed++), (v) => (dtype === 'int32' ? Math.round(v * 100) : v));
    if (dtype === 'float32' && values.length >= 4) values.splice(0, 4, -0, Infinity, -Infinity, NaN);
    const label = `${dtype} [${shape}] × [${reps}] ${kind}`;
    const e = await expectSameOnBothBackends(() => tf.tile(tf.tensor(values, shape, dtype), reps), label, 0);
    log.add(`Tile ${kind}`, label, e);
  }
  for (const line of log.lines()) t.diagnostic(line);
});

test('a broadcast tile keeps -0, ±Infinity and NaN bit for bit', async () => {
  const out = await runOn('wasm', () => tf.tile(tf.tensor([-0, Infinity, -Infinity, NaN], [1, 4]), [3, 1]));
  for (let row = 0; row < 3; row++) {
    const got = Array.from(out.values.slice(row * 4, row * 4 + 4));
    assert.ok(Object.is(got[0], -0) && got[1] === Infinity && got[2] === -Infinity && Number.isNaN(got[3]), `row ${row}: ${got}`);
  }
});
