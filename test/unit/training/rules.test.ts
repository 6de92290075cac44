// The trainer's rules on their own (scores, checkpoints and stops epoch by epoch) and inside the real
// trainer on real digits: a rule of one's own is consulted after every step and epoch and can end
// training at once or after the epoch's record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadData } from '../../../src/core/data/index.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';
import { buildNetwork, loadBase } from '../../../src/core/models/network.js';
import type { EpochEvent, RunEvent } from '../../../src/core/runs/events.js';
import type { TrainResult } from '../../../src/core/training/hooks.js';
import {
  defaultRules,
  EarlyStopping,
  ImprovementTracker,
  SaveCheckpoints,
  StopOnNonFinite,
  StopOnRequest,
  type EpochEnd,
  type RuleContext,
  type StepEnd,
  type TrainerRule,
} from '../../../src/core/training/rules.js';
import { Trainer } from '../../../src/core/training/trainer.js';

/** An experiment watching validation loss unless `training` says otherwise. */
const experiment = (training: ExperimentFile['training'] = {}) =>
  resolveExperiment(
    { base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } }, training: { monitor: 'valLoss', ...training } },
    path.join(os.tmpdir(), 'rules.transfer.json'),
  );

function context(exp = experiment(), stop = false, finite = true): RuleContext & { saved: string[] } {
  const saved: string[] = [];
  const result: TrainResult = { status: 'completed', epochsDone: 0, checkpoints: { best: false, last: false } };
  return {
    exp,
    result,
    saved,
    weightsFinite: () => finite,
    hooks: { emit: () => {}, shouldStop: () => stop, saveCheckpoint: async (w) => void saved.push(w) },
  };
}

/** The end of epoch `epoch` with validation loss and accuracy (train loss 1). */
function epochEnd(epoch: number, valLoss: number | undefined, valAccuracy = 0.5): EpochEnd {
  const event: EpochEvent = { kind: 'epoch', epoch, stage: 0, trainLoss: 1, trainAccuracy: 0.5, seconds: 1, samplesPerSecond: 1, numTensors: 0 };
  return { epoch, stage: 0, event, validation: valLoss === undefined ? undefined : { loss: valLoss, accuracy: valAccuracy } };
}

const step = (loss: number): StepEnd => ({ step: 7, epoch: 2, stage: 0, loss });

test('StopOnNonFinite: a finite loss goes on; NaN and Infinity end the run at once as diverged', () => {
  const rule = new StopOnNonFinite();
  const ctx = context();
  assert.equal(rule.onStepEnd(ctx, step(0.3)), undefined);
  assert.equal(ctx.result.status, 'completed');
  for (const loss of [NaN, Infinity, -Infinity]) {
    const c = context();
    assert.deepEqual(rule.onStepEnd(c, step(loss)), { stop: 'now' });
    assert.equal(c.result.status, 'diverged');
    assert.equal(c.result.error, `training loss became ${loss} at step 7 (epoch 3); no checkpoint was written`);
  }
});

test('a NaN validation loss or non-finite weights at an epoch end: diverged, no checkpoint written, the message names what survives', async () => {
  // Was: a NaN validation loss was not caught and `last` was overwritten with junk, while the message said "the last good checkpoint is kept".
  for (const [name, end, finite, what] of [
    ['NaN validation loss', epochEnd(1, NaN), true, 'the validation loss of epoch 2 is NaN'],
    [
      'infinite training loss',
      { ...epochEnd(1, 0.5), event: { ...epochEnd(1, 0.5).event, trainLoss: Infinity } },
      true,
      'the training loss of epoch 2 is Infinity',
    ],
    ['non-finite weights', epochEnd(1, 0.5), false, 'weights became non-finite in epoch 2'],
  ] as const) {
    const c = context();
    const rules = defaultRules(c.exp);
    for (const r of rules) await r.onEpochEnd?.(c, epochEnd(0, 0.9));
    assert.deepEqual(c.saved, ['best', 'last'], name);
    const bad = context(c.exp, false, finite);
    Object.assign(bad.result, c.result);
    const answers = [];
    for (const r of rules) answers.push(await r.onEpochEnd?.(bad, end));
    assert.deepEqual(bad.saved, [], `${name}: nothing written`);
    assert.ok(
      answers.some((a) => a?.stop === 'afterEpoch'),
      name,
    );
    assert.equal(bad.result.status, 'diverged');
    assert.equal(bad.result.error, `${what}; the checkpoints written before are kept: best (epoch 1), last (epoch 1)`);
  }
  // SaveCheckpoints alone (a rule list without StopOnNonFinite) refuses non-finite weights too.
  const alone = context(experiment(), false, false);
  assert.deepEqual(await new SaveCheckpoints(alone.exp).onEpochEnd(alone, epochEnd(0, 0.5)), { stop: 'afterEpoch' });
  assert.deepEqual(alone.saved, []);
  assert.match(alone.result.error!, /^weights became non-finite in epoch 1; no checkpoint was written$/);
});

test('StopOnRequest: polls shouldStop; a request stops after the epoch with status stopped', () => {
  const rule = new StopOnRequest();
  assert.equal(rule.onStepEnd(context()), undefined);
  const c = context(experiment(), true);
  assert.deepEqual(rule.onStepEnd(c), { stop: 'afterEpoch' });
  assert.equal(c.result.status, 'stopped');
});

test('ImprovementTracker: -val loss (valLoss), val accuracy when monitored, minDelta, -train loss without validation', () => {
  const byLoss = new ImprovementTracker(experiment());
  assert.deepEqual(
    [0.9, 0.8, 0.8, 0.85, 0.7].map((l, i) => byLoss.update(epochEnd(i, l))),
    [true, true, false, false, true],
  );
  const byAcc = new ImprovementTracker(experiment({ monitor: 'valAccuracy', earlyStopping: { patience: 3, minDelta: 0.05 } }));
  // 0.5 first; 0.54 is within minDelta; 0.56 beats 0.5 + 0.05; 0.6 is within 0.05 of 0.56.
  assert.deepEqual(
    [0.5, 0.54, 0.56, 0.6].map((a, i) => byAcc.update(epochEnd(i, 1, a))),
    [true, false, true, false],
  );
  const noVal = new ImprovementTracker(experiment());
  assert.equal(noVal.score(epochEnd(0, undefined)), -1);
});

test('SaveCheckpoints: best on improvement, last every epoch; "best", "last" and a stopped epoch', async () => {
  const losses = [0.9, 0.95, 0.7];
  for (const [keep, want] of [
    ['both', ['best', 'last', 'last', 'best', 'last']],
    ['best', ['best', 'best']],
    ['last', ['last', 'last', 'last']],
  ] as const) {
    const c = context(experiment({ checkpoints: keep }));
    const rule = new SaveCheckpoints(c.exp);
    for (const [i, l] of losses.entries()) assert.equal(await rule.onEpochEnd(c, epochEnd(i, l)), undefined);
    assert.deepEqual(c.saved, want, keep);
    assert.equal(c.result.bestEpoch, 2);
    assert.deepEqual(c.result.best, { valLoss: 0.7, valAccuracy: 0.5 });
    assert.deepEqual(c.result.checkpoints, { best: keep !== 'last', last: keep !== 'best' });
  }
  const stopped = context(experiment({ checkpoints: 'best' }));
  stopped.result.status = 'stopped';
  await new SaveCheckpoints(stopped.exp).onEpochEnd(stopped, epochEnd(0, 1));
  assert.deepEqual(stopped.saved, ['best', 'last'], 'a stopped run keeps its final weights');
});

test('EarlyStopping: stops after `patience` epochs without improvement, with a log line; not in a stopped run', () => {
  const c = context();
  const rule = new EarlyStopping(2, c.exp);
  const answers = [1, 0.8, 0.9, 0.85].map((l, i) => rule.onEpochEnd(c, epochEnd(i, l)));
  assert.deepEqual(answers, [undefined, undefined, undefined, { stop: 'afterEpoch', log: 'early stopping after epoch 3: no improvement for 2 epochs' }]);
  const s = context();
  s.result.status = 'stopped';
  const r2 = new EarlyStopping(1, s.exp);
  assert.deepEqual(
    [1, 2].map((l, i) => r2.onEpochEnd(s, epochEnd(i, l))),
    [undefined, undefined],
  );
});

test('defaultRules: early stopping only when configured, in the order non-finite, request, checkpoints, patience', () => {
  assert.deepEqual(
    defaultRules(experiment()).map((r) => r.constructor.name),
    ['StopOnNonFinite', 'StopOnRequest', 'SaveCheckpoints'],
  );
  assert.deepEqual(
    defaultRules(experiment({ earlyStopping: { patience: 2 } })).map((r) => r.constructor.name),
    ['StopOnNonFinite', 'StopOnRequest', 'SaveCheckpoints', 'EarlyStopping'],
  );
});

test('the trainer consults a rule of its own after every step and epoch; "now" ends training without an epoch record', async () => {
  await initBackend('wasm');
  const exp = resolveExperiment(
    {
      base: { kind: 'builtin' },
      data: { train: { kind: 'mnist', classes: [0, 1], perClass: 30 }, split: { validation: 0.2, test: 0 } },
      transfer: { strategy: 'scratch' },
      training: { epochs: 3, batchSize: 16 },
    },
    path.join(os.tmpdir(), 'rules.transfer.json'),
  );
  const base = await loadBase(exp, { runsDir: os.tmpdir() });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  const net = buildNetwork(exp, base, data.classNames.length);
  const trainer = new Trainer(exp, net, 2);
  const seen: string[] = [];
  // 48 training examples at batch 16: 3 steps an epoch. Stop after the epoch in which step 4 ran.
  const afterStep4: TrainerRule = {
    onStepEnd: (_c, s) => (seen.push(`step ${s.step}`), s.step === 4 ? { stop: 'afterEpoch', log: 'enough' } : undefined),
    onEpochEnd: (_c, e) => (seen.push(`epoch ${e.epoch}`), undefined),
  };
  const events: RunEvent[] = [];
  const hooks = { emit: (e: RunEvent) => events.push(e), shouldStop: () => false, saveCheckpoint: async () => {} };
  const r = await trainer.train(data.train, data.validation, hooks, [afterStep4]);
  assert.equal(data.train.count, 48);
  assert.deepEqual(seen, ['step 0', 'step 1', 'step 2', 'epoch 0', 'step 3', 'step 4', 'epoch 1']);
  // the stop came after 2 of epoch 1's 3 steps: that epoch is recorded as partial, not counted as done
  assert.equal(r.epochsDone, 1);
  assert.deepEqual(
    events.filter((e) => e.kind === 'epoch').map((e) => (e.kind === 'epoch' ? e.partial : null)),
    [undefined, { steps: 2, of: 3 }],
  );
  assert.deepEqual(r.checkpoints, { best: false, last: false }, 'no checkpoint rule, no checkpoint');
  assert.deepEqual(
    events.slice(-2).map((e) => e.kind),
    ['epoch', 'log'],
    'the epoch of the stop is recorded, then the log',
  );
  const nowRule: TrainerRule = { onStepEnd: (_c, s) => (s.step === 1 ? { stop: 'now' } : undefined) };
  events.length = 0;
  const r2 = await trainer.train(data.train, data.validation, hooks, [nowRule]);
  assert.equal(r2.epochsDone, 0);
  assert.deepEqual(events.filter((e) => e.kind === 'step').length, 2);
  assert.equal(events.filter((e) => e.kind === 'epoch').length, 0);
  trainer.dispose();
  net.model.dispose();
});
