// The rate preview is planRates (the trainer's schedule code), sampled without moving the stage jumps;
// the steps per epoch come from the panel, a run, or the MNIST data settings (checked against the
// real split of the real digits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadData } from '../../../src/core/data/index.js';
import { planRates } from '../../../src/core/training/schedules.js';
import { estimateStepsPerEpoch, previewRates } from '../../../src/extension/panel/view/lrPreview.js';
import { STAGES_TEXT, contextOf } from './helpers.js';

test('every group of every planned step, the same numbers as planRates', async () => {
  const { experiment: exp } = await contextOf(STAGES_TEXT);
  const p = previewRates(exp, { stepsPerEpoch: 15, source: 'test' });
  const plan = planRates(exp, 15);
  assert.equal(p.totalSteps, 5 * 15);
  assert.deepEqual(
    p.series.map((s) => s.group),
    ['head', 'base', 'early'],
  );
  assert.deepEqual(
    p.steps,
    plan.map((x) => x.step),
    'short plans keep every step',
  );
  p.series.forEach((s) =>
    assert.deepEqual(
      s.rates,
      plan.map((x) => x.rates[s.group]),
    ),
  );
  assert.deepEqual(p.stageStarts, [0, 30]);
});

test('long plans are sampled, keeping both sides of each stage boundary and the last step', async () => {
  const { experiment: exp } = await contextOf(STAGES_TEXT);
  const p = previewRates(exp, { stepsPerEpoch: 1000, source: 'test' }, 100);
  const plan = planRates(exp, 1000);
  assert.ok(p.steps.length <= 104, `${p.steps.length} points`);
  for (const must of [0, 1999, 2000, 4999]) assert.ok(p.steps.includes(must), `step ${must} missing`);
  p.steps.forEach((s, i) => assert.equal(p.series[0].rates[i], plan[s].rates.head));
});

test('steps per epoch: typed, from a run, from the MNIST settings (as the real split), else assumed', async () => {
  const { experiment: exp } = await contextOf(STAGES_TEXT);
  assert.deepEqual(estimateStepsPerEpoch(exp, [], 7), { stepsPerEpoch: 7, source: 'set in the panel' });
  assert.equal(estimateStepsPerEpoch(exp, [{ runId: 'r', examples: { train: 100, validation: 0, test: 0 } }]).stepsPerEpoch, 7);
  const est = estimateStepsPerEpoch(exp, []);
  const data = await loadData(exp.data, { inputShape: [28, 28, 1], seed: exp.training.seed });
  assert.equal(est.stepsPerEpoch, Math.ceil(data.train.count / exp.training.batchSize), est.source);
  const csv = { ...exp, data: { ...exp.data, train: { kind: 'csv' as const, path: '/x.csv', labelColumn: 'label' } } };
  assert.match(estimateStepsPerEpoch(csv, []).source, /assumed/);
});
