// Statistics over label draws, checked against values worked out by hand (and Python's statistics
// module: statistics.stdev([0.8, 0.9, 1.0]) = 0.1, statistics.stdev([0.04, 0.02, 0.05, -0.01]) = 0.02645...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawStats, pairedComparison } from '../../../src/core/runs/draws.js';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} vs ${b}`);

test('drawStats: mean, sample sd (n − 1), min, max; one value has sd 0; empty throws', () => {
  const s = drawStats([0.8, 1.0, 0.9]);
  close(s.mean, 0.9);
  close(s.sd, 0.1);
  assert.deepEqual([s.n, s.min, s.max], [3, 0.8, 1.0]);
  assert.deepEqual(drawStats([0.7]), { n: 1, mean: 0.7, sd: 0, min: 0.7, max: 0.7 });
  assert.throws(() => drawStats([]), RangeError);
});

test('pairedComparison: differences by seed over the common draws, standard error, wins', () => {
  const treatment = new Map([
    [4, 0.9],
    [1, 0.94],
    [2, 0.9],
    [3, 0.95],
    [9, 0.5],
  ]);
  const control = new Map([
    [1, 0.9],
    [2, 0.88],
    [3, 0.9],
    [4, 0.91],
    [7, 0.99],
  ]);
  const c = pairedComparison(treatment, control);
  assert.deepEqual(c.seeds, [1, 2, 3, 4]);
  [0.04, 0.02, 0.05, -0.01].forEach((d, i) => close(c.differences[i]!, d, `draw ${c.seeds[i]}`));
  close(c.stats.mean, 0.025);
  const sd = Math.sqrt((0.015 ** 2 + 0.005 ** 2 + 0.025 ** 2 + 0.035 ** 2) / 3);
  close(c.stats.sd, sd);
  close(c.standardError, sd / 2);
  assert.equal(c.wins, 3);
  assert.throws(() => pairedComparison(new Map([[1, 1]]), new Map([[2, 1]])), RangeError);
});
