// The preparation's progress reports (core/progress.ts): throttled to one per interval, the first and
// the last item always reported, the ETA from the mean rate once the phase has run a second, and the
// words every surface shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhaseMeter, phaseText, type PhaseProgress } from '../../../src/core/progress.js';

test('PhaseMeter reports the first and last item and at most one report per interval between, with the ETA of the mean rate', () => {
  let now = 0;
  const reports: PhaseProgress[] = [];
  const meter = new PhaseMeter(
    'decoding',
    'train',
    100,
    (p) => reports.push(p),
    250,
    () => now,
  );
  // 100 photos, one every 40 ms: 4 s in all
  for (let i = 0; i < 100; i++) {
    now += 40;
    meter.add();
  }
  assert.deepEqual(reports[0], { phase: 'decoding', of: 'train', done: 1, total: 100 }, 'no ETA before a second has passed');
  assert.equal(reports[reports.length - 1]!.done, 100);
  const gaps = reports.slice(1).map((r, i) => (r.done - reports[i]!.done) * 40);
  assert.ok(
    gaps.slice(0, -1).every((g) => g >= 250),
    `reports closer than 250 ms: ${gaps.join(', ')}`,
  );
  assert.ok(reports.length >= 14 && reports.length <= 17, `${reports.length} reports in 4 s`);
  // at 2 s (50 done in 2000 ms): 50 left at 40 ms each = 2 s
  const half = reports.find((r) => r.done === 50) ?? reports.find((r) => r.done > 50)!;
  const expected = (((half.done * 40) / half.done) * (100 - half.done)) / 1000;
  assert.ok(Math.abs(half.etaSeconds! - expected) < 1e-9, `${half.etaSeconds} vs ${expected}`);
  assert.equal(reports[reports.length - 1]!.etaSeconds, 0);
});

test('PhaseMeter counts batches and never goes past the total', () => {
  const reports: PhaseProgress[] = [];
  let now = 0;
  const meter = new PhaseMeter(
    'features',
    'validation',
    70,
    (p) => reports.push(p),
    250,
    () => (now += 1000),
  );
  meter.add(32);
  meter.add(32);
  meter.add(32);
  assert.deepEqual(
    reports.map((r) => r.done),
    [32, 64, 70],
  );
});

test('phaseText: the words of the status bar, the Experiments view, the panel and the CLI', () => {
  assert.equal(phaseText({ phase: 'decoding', of: 'train', done: 120, total: 398, etaSeconds: 34.6 }), 'decoding photos 120/398 (train) · ETA 35 s');
  assert.equal(
    phaseText({ phase: 'features', of: 'validation', done: 64, total: 320, etaSeconds: 125 }),
    'frozen features 64/320 (validation) · ETA 2 min 5 s',
  );
  assert.equal(phaseText({ phase: 'features', of: 'train', done: 320, total: 320, etaSeconds: 0 }), 'frozen features 320/320 (train)');
  assert.equal(phaseText({ phase: 'decoding', of: 'test', done: 1, total: 9 }), 'decoding photos 1/9 (test)');
});
