// The loss-per-step smoothing (TensorBoard's debiased EMA) against NumPy's closed form
// Σ w^(t−i)·v_i / Σ w^(t−i) over the finite points so far (test/fixtures/charts/ema-reference.json,
// written by scripts/ema-reference.py): 300 noisy loss values with a two-point gap, weights 0–0.99.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emaSmooth } from '../../../webview/panel/chart/smoothing.js';

const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/charts/ema-reference.json'), 'utf8')) as {
  values: (number | null)[];
  cases: { weight: number; smoothed: (number | null)[] }[];
};

test('emaSmooth equals the weighted mean of the points so far (NumPy closed form), gaps kept', () => {
  assert.equal(ref.cases.length, 4);
  for (const c of ref.cases) {
    const got = emaSmooth(ref.values, c.weight);
    assert.equal(got.length, c.smoothed.length);
    for (let i = 0; i < got.length; i++) {
      const want = c.smoothed[i];
      if (want === null) {
        assert.equal(got[i], null, `weight ${c.weight}, point ${i} is a gap`);
        continue;
      }
      assert.ok(Math.abs(got[i]! - want) <= 1e-12 * Math.max(1, Math.abs(want)), `weight ${c.weight}, point ${i}: ${got[i]} vs ${want}`);
    }
  }
});

test('emaSmooth: the first point is the raw value (debiased), heavy smoothing flattens the noise', () => {
  const heavy = emaSmooth(ref.values, 0.99);
  assert.equal(heavy[0], ref.values[0]);
  const diffs = (ys: (number | null)[]) => ys.slice(1).map((y, i) => (y !== null && ys[i] !== null ? Math.abs(y - ys[i]!) : 0));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(diffs(heavy)) < mean(diffs(ref.values)) / 10, 'step-to-step changes shrink by over 10×');
});

test('emaSmooth: weight 0 and constant series are returned unchanged; a weight outside [0, 1) is refused', () => {
  assert.deepEqual(emaSmooth([1, 2, null, 3], 0), [1, 2, null, 3]);
  assert.deepEqual(emaSmooth([0.5, 0.5, 0.5], 0.9), [0.5, 0.5, 0.5]);
  assert.deepEqual(emaSmooth([NaN, 2, 4], 0.5), [NaN, 2, (0.5 * 0.5 * 2 + 0.5 * 4) / 0.75]);
  assert.throws(() => emaSmooth([1, 2], 1), /smoothing weight 1 is outside \[0, 1\)/);
  assert.throws(() => emaSmooth([1, 2], -0.1), RangeError);
});
