// The page's copy of the shown run: full history, then updates (tail replaced, epochs appended),
// updates of another run ignored, repeated points counted (the UI tests expect 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricsUpdate, RunMetrics } from '../../../src/protocol/webview.js';
import { MetricsModel } from '../../../webview/panel/metricsModel.js';

const pt = (step: number, loss = 1) => ({ step, loss, lr: { head: 0.1 } });
const ep = (epoch: number) => ({ kind: 'epoch' as const, epoch, stage: 0, trainLoss: 1, trainAccuracy: 0.5, seconds: 1, samplesPerSecond: 10, numTensors: 1 });
const history = (): RunMetrics => ({
  runId: 'r1',
  status: 'running',
  steps: { stride: 1, points: [pt(0), pt(1)] },
  epochs: [ep(0)],
  stages: [],
  epochsPlanned: 3,
});
const update = (u: Partial<MetricsUpdate>): MetricsUpdate => ({
  runId: 'r1',
  status: 'running',
  steps: { stride: 1, from: 2, points: [] },
  epochs: [],
  stages: [],
  ...u,
});

test('updates extend the history; the tail from `from` is replaced', () => {
  const m = new MetricsModel();
  m.reset(history());
  assert.ok(m.apply(update({ steps: { stride: 1, from: 2, points: [pt(2), pt(3)] }, epochs: [ep(1)] })));
  assert.ok(m.apply(update({ steps: { stride: 1, from: 3, points: [pt(3, 0.5), pt(4)] }, status: 'completed' })));
  assert.deepEqual(
    m.metrics!.steps.points.map((p) => [p.step, p.loss]),
    [
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 0.5],
      [4, 1],
    ],
  );
  assert.deepEqual(
    m.metrics!.epochs.map((e) => e.epoch),
    [0, 1],
  );
  assert.equal(m.metrics!.status, 'completed');
  assert.equal(m.duplicates, 0);
  assert.equal(m.updates, 2);
});

test('a new stride replaces the series; another run’s update is ignored', () => {
  const m = new MetricsModel();
  m.reset(history());
  assert.equal(m.apply(update({ runId: 'other' })), false);
  m.apply(update({ steps: { stride: 2, from: 0, points: [pt(0), pt(2)] } }));
  assert.deepEqual(m.metrics!.steps, { stride: 2, points: [pt(0), pt(2)] });
});

test('points and epochs that arrive twice are counted, not drawn twice', () => {
  const m = new MetricsModel();
  m.reset(history());
  m.apply(update({ steps: { stride: 1, from: 2, points: [pt(1), pt(2)] }, epochs: [ep(0)] }));
  assert.deepEqual(
    m.metrics!.steps.points.map((p) => p.step),
    [0, 1, 2],
  );
  assert.equal(m.duplicates, 2);
  m.reset(null);
  assert.equal(m.duplicates, 0);
  assert.equal(m.apply(update({})), false);
});
