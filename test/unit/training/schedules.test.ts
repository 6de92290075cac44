// Learning-rate schedules against PyTorch's own schedulers (test/fixtures/schedules/torch-reference.json,
// written by scripts/torch-schedule-reference.py with Debian's python3-torch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planRates, rateAt, type StageScheduleInput } from '../../../src/core/training/schedules.js';
import type { ResolvedExperiment } from '../../../src/core/experiment/types.js';

interface RefCase {
  name: string;
  stepsPerEpoch: number;
  epochs: number;
  peak: number;
  schedule: StageScheduleInput['schedule'];
  warmup: StageScheduleInput['warmup'];
  rates: number[];
}
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/schedules/torch-reference.json'), 'utf8')) as { cases: RefCase[] };

for (const c of ref.cases) {
  test(`schedule ${c.name} matches PyTorch step by step`, () => {
    const input: StageScheduleInput = { peak: c.peak, stepsPerEpoch: c.stepsPerEpoch, epochs: c.epochs, schedule: c.schedule, warmup: c.warmup };
    assert.equal(c.rates.length, c.stepsPerEpoch * c.epochs);
    c.rates.forEach((expected, step) => {
      const got = rateAt(step, input);
      assert.ok(Math.abs(got - expected) <= 1e-9 + 1e-6 * Math.abs(expected), `${c.name} step ${step}: ${got} vs torch ${expected}`);
    });
  });
}

test('planRates restarts the schedule each stage and scales each layer group', () => {
  const exp = {
    learningRate: {
      base: 0.01,
      schedule: { type: 'cosine', stepEpochs: 7, gamma: 0.1, minRate: 0, pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 },
      warmup: { steps: 0, startFactor: 0.1 },
      baseMultiplier: 0.1,
      layerGroups: [{ name: 'early', layers: { names: ['conv1'] }, multiplier: 0.01 }],
    },
    transfer: {
      strategy: 'fineTune',
      head: { units: [], dropout: 0, activation: 'relu' },
      stages: [
        { name: 'head', epochs: 1, freeze: { all: true }, learningRate: 0.01 },
        { name: 'all', epochs: 2, freeze: {}, learningRate: 0.001 },
      ],
    },
  } as unknown as Pick<ResolvedExperiment, 'learningRate' | 'transfer'>;
  const plan = planRates(exp, 4);
  assert.equal(plan.length, 12);
  assert.equal(plan[0]!.rates.head, 0.01);
  assert.equal(plan[4]!.stage, 1);
  assert.equal(plan[4]!.epoch, 1);
  assert.equal(plan[4]!.rates.head, 0.001, 'stage 2 restarts at its own peak');
  assert.ok(Math.abs(plan[11]!.rates.head!) < 1e-12, 'cosine ends at minRate');
  for (const p of plan) {
    assert.ok(Math.abs(p.rates.base! - 0.1 * p.rates.head!) < 1e-15);
    assert.ok(Math.abs(p.rates.early! - 0.01 * p.rates.head!) < 1e-15);
  }
});

test('scratch trains every layer group at the head rate (nothing is pretrained)', () => {
  const exp = {
    learningRate: {
      base: 0.01,
      schedule: { type: 'constant', stepEpochs: 7, gamma: 0.1, minRate: 0, pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 },
      warmup: { steps: 0, startFactor: 0.1 },
      baseMultiplier: 0.1,
      layerGroups: [{ name: 'early', layers: { names: ['conv1'] }, multiplier: 0.01 }],
    },
    transfer: {
      strategy: 'scratch',
      head: { units: [], dropout: 0, activation: 'relu' },
      stages: [{ name: 'scratch', epochs: 1, freeze: {}, learningRate: 0.01 }],
    },
  } as unknown as Pick<ResolvedExperiment, 'learningRate' | 'transfer'>;
  const [first] = planRates(exp, 2);
  assert.deepEqual(first!.rates, { head: 0.01, base: 0.01, early: 0.01 });
});
