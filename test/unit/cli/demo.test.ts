// The demo's aggregation over label draws: statistics per (size, strategy) and the paired difference
// from scratch, checked against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateDemo, formatDemo, type DemoRow } from '../../../src/cli/commands/demo.js';

const r = (n: number | null, strategy: string, seed: number | undefined, test: number): DemoRow => ({
  labelsPerClass: n,
  experiment: `digits-5-9-${n}-${strategy}`,
  strategy,
  ...(seed !== undefined ? { seed } : {}),
  status: 'completed',
  runId: `${strategy}-${seed}`,
  testAccuracy: test,
  bestValAccuracy: test + 0.01,
  seconds: 2,
});

test('aggregateDemo: per size and strategy over draws, transfer minus scratch paired by seed; the source row is left out', () => {
  const rows = [
    r(null, 'scratch', undefined, 0.99),
    r(10, 'scratch', 1, 0.8),
    r(10, 'fineTune', 1, 0.9),
    r(10, 'scratch', 2, 0.9),
    r(10, 'fineTune', 2, 0.88),
    r(50, 'scratch', 1, 0.95),
    r(50, 'fineTune', 1, 0.96),
  ];
  const a = aggregateDemo(rows);
  assert.deepEqual(
    a.map((x) => `${x.labelsPerClass} ${x.strategy} ${x.test.n}`),
    ['10 scratch 2', '10 fineTune 2', '50 scratch 1', '50 fineTune 1'],
  );
  const ft10 = a[1]!;
  assert.ok(Math.abs(ft10.test.mean - 0.89) < 1e-12);
  assert.equal(ft10.seconds, 4);
  assert.deepEqual(ft10.vsScratch!.seeds, [1, 2]);
  assert.ok(Math.abs(ft10.vsScratch!.stats.mean - (0.1 - 0.02) / 2) < 1e-12);
  assert.equal(ft10.vsScratch!.wins, 1);
  assert.equal(a[0]!.vsScratch, undefined);
  const text = formatDemo({ createdAt: '', seconds: 10, draws: { 10: [1, 2], 50: [1] }, rows, aggregates: a }, 'summary.json');
  assert.match(text, /10 labels\/class {2}fineTune +\+4\.0 ± 6\.0 \(s\.e\.\), per draw \+10\.0 −2\.0: better in 1\/2/);
  assert.match(text, /source: digits-5-9-null-scratch \(scratch\) test 99\.0%/);
});
