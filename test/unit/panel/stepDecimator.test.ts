// The step series: every step while short, coarser buckets (mean loss, rate at the first step) when
// long, tail-only updates that rebuild exactly the full series, no duplicates, final values kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepDecimator } from '../../../src/extension/panel/metrics/stepDecimator.js';
import type { StepPoint } from '../../../src/protocol/webview.js';

const step = (i: number, loss = i) => ({ step: i, loss, lr: { head: 1 / (i + 1), base: 0.1 / (i + 1) } });

test('a short run keeps every step', () => {
  const d = new StepDecimator(10);
  for (let i = 0; i < 10; i++) d.add(step(i));
  const s = d.series();
  assert.equal(s.stride, 1);
  assert.deepEqual(
    s.points.map((p) => p.step),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(s.points[3], { step: 3, loss: 3, lr: { head: 0.25, base: 0.025 } });
});

test('a long run is bucketed: stride doubles, loss is the bucket mean, rate the first step’s', () => {
  const d = new StepDecimator(10);
  for (let i = 0; i < 100; i++) d.add(step(i));
  const s = d.series();
  assert.ok(s.points.length <= 10, `${s.points.length} points`);
  assert.equal(s.stride, 16);
  assert.deepEqual(s.points[0], { step: 0, loss: 7.5, lr: step(0).lr });
  const last = s.points[s.points.length - 1];
  assert.equal(last.step, 96);
  assert.equal(last.loss, (96 + 97 + 98 + 99) / 4); // the final, partial bucket holds the last values
});

test('updates carry only the changed tail and rebuild the full series exactly', () => {
  const d = new StepDecimator(8);
  let page: StepPoint[] = [];
  let stride = 1;
  for (let i = 0; i < 77; i++) {
    d.add(step(i, Math.sin(i)));
    if (i % 5 === 0 || i === 76) {
      const u = d.takeUpdate();
      if (!u) continue;
      page = u.stride !== stride ? [...u.points] : page.slice(0, u.from).concat(u.points);
      stride = u.stride;
    }
  }
  assert.deepEqual({ stride, points: page }, d.series());
  assert.equal(d.takeUpdate(), undefined);
});

test('a step seen before is ignored; non-finite losses do not poison the mean', () => {
  const d = new StepDecimator(100);
  d.add(step(0, 1));
  d.add(step(1, 2));
  d.add(step(1, 99));
  d.add(step(0, 99));
  d.add({ step: 2, loss: Number.NaN, lr: { head: 1 } });
  assert.deepEqual(
    d.series().points.map((p) => p.loss),
    [1, 2, null],
  );
  d.markSent();
  assert.equal(d.takeUpdate(), undefined);
});
