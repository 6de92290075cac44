/**
 * Learning-rate schedules as pure functions of the step. The trainer calls `rateAt` every step and
 * the panel's preview calls `planRates`, so the preview is exactly the schedule that runs.
 *
 * Conventions: steps are optimizer steps (one batch each), counted from 0 within a stage; every
 * stage restarts its schedule and warmup at its own peak rate (fastai's `fine_tune` runs one
 * `fit_one_cycle` per stage). The head's rate is the scheduled rate; a layer group's rate is the
 * scheduled rate times the group's multiplier.
 */
import type { ResolvedExperiment } from '../experiment/types.js';
import type { ScheduleSpec, WarmupSpec } from '../experiment/schema.js';

/** Inputs of one stage's schedule. */
export interface StageScheduleInput {
  /** Peak (oneCycle) or initial rate of the head in this stage. */
  peak: number;
  /** Optimizer steps per epoch (ceil(trainExamples / batchSize)). */
  stepsPerEpoch: number;
  /** Epochs in the stage. */
  epochs: number;
  schedule: Required<ScheduleSpec>;
  warmup: Required<WarmupSpec>;
}

/** Cosine interpolation from `start` (pct=0) to `end` (pct=1), as in PyTorch's OneCycleLR. */
function cosineAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/**
 * The scheduled rate (before warmup) at `step` of a stage.
 *
 * - constant: `peak`.
 * - step: `peak · gamma^floor(epoch / stepEpochs)` with epoch = floor(step / stepsPerEpoch)
 *   (PyTorch `StepLR` stepped per epoch).
 * - exponential: `peak · gamma^(step / stepsPerEpoch)` (per-epoch decay `gamma`, applied smoothly).
 * - cosine: `minRate + (peak − minRate)(1 + cos(π t/T))/2`, T = total steps − 1
 *   (Loshchilov & Hutter 2017, SGDR without restarts).
 * - oneCycle: cosine rise from `peak/divFactor` to `peak` over `pctStart` of the steps, then cosine
 *   fall to `peak/(divFactor·finalDivFactor)` (Smith 2018; PyTorch `OneCycleLR`, anneal 'cos').
 *
 * @param step 0-based step within the stage.
 * @returns rate per step (≥ 0).
 */
export function scheduledRate(step: number, s: StageScheduleInput): number {
  const total = Math.max(1, s.stepsPerEpoch * s.epochs);
  const { schedule } = s;
  switch (schedule.type) {
    case 'constant':
      return s.peak;
    case 'step':
      return s.peak * Math.pow(schedule.gamma, Math.floor(Math.floor(step / s.stepsPerEpoch) / schedule.stepEpochs));
    case 'exponential':
      return s.peak * Math.pow(schedule.gamma, step / s.stepsPerEpoch);
    case 'cosine': {
      const t = total <= 1 ? 0 : Math.min(1, step / (total - 1));
      return cosineAnneal(s.peak, schedule.minRate, t);
    }
    case 'oneCycle': {
      const initial = s.peak / schedule.divFactor;
      const final = initial / schedule.finalDivFactor;
      // Phase ends as in PyTorch OneCycleLR (three_phase=False): rise ends at pctStart·total − 1.
      const up = schedule.pctStart * total - 1;
      if (step <= up && up > 0) return cosineAnneal(initial, s.peak, step / up);
      const start = Math.max(0, up);
      const down = total - 1 - start;
      return down <= 0 ? final : cosineAnneal(s.peak, final, Math.min(1, (step - start) / down));
    }
  }
}

/**
 * The rate applied at `step` of a stage: the scheduled rate times a linear warmup factor that goes
 * from `warmup.startFactor` at step 0 to 1 at step `warmup.steps` (PyTorch `LinearLR`).
 */
export function rateAt(step: number, s: StageScheduleInput): number {
  const base = scheduledRate(step, s);
  const w = s.warmup;
  if (w.steps <= 0 || step >= w.steps) return base;
  return base * (w.startFactor + ((1 - w.startFactor) * step) / w.steps);
}

/**
 * Multiplier of each rate group: `head` (1), `base` (`baseMultiplier`) and each named layer group.
 * With the `scratch` strategy nothing is pretrained, so every group learns at the head's rate.
 */
export function groupMultipliers(lr: ResolvedExperiment['learningRate'], strategy?: ResolvedExperiment['transfer']['strategy']): Record<string, number> {
  const scratch = strategy === 'scratch';
  const m: Record<string, number> = { head: 1, base: scratch ? 1 : lr.baseMultiplier };
  for (const g of lr.layerGroups) m[g.name] = scratch ? 1 : g.multiplier;
  return m;
}

/** One planned step: the global step, its stage and epoch, and the rate of every group. */
export interface PlannedStep {
  step: number;
  stage: number;
  epoch: number;
  rates: Record<string, number>;
}

/**
 * Every step's rate for every group over all stages, as the trainer will apply them.
 * @param stepsPerEpoch optimizer steps per epoch (ceil(train examples / batch size)).
 */
export function planRates(exp: Pick<ResolvedExperiment, 'learningRate' | 'transfer'>, stepsPerEpoch: number): PlannedStep[] {
  const mult = groupMultipliers(exp.learningRate, exp.transfer.strategy);
  const out: PlannedStep[] = [];
  let step = 0;
  let epoch = 0;
  exp.transfer.stages.forEach((stage, si) => {
    const input = stageScheduleInput(exp, si, stepsPerEpoch);
    for (let k = 0; k < stage.epochs * stepsPerEpoch; k++) {
      const r = rateAt(k, input);
      const rates: Record<string, number> = {};
      for (const [g, m] of Object.entries(mult)) rates[g] = r * m;
      out.push({ step, stage: si, epoch: epoch + Math.floor(k / stepsPerEpoch), rates });
      step++;
    }
    epoch += stage.epochs;
  });
  return out;
}

/** The schedule input of stage `stageIndex` of an experiment. */
export function stageScheduleInput(exp: Pick<ResolvedExperiment, 'learningRate' | 'transfer'>, stageIndex: number, stepsPerEpoch: number): StageScheduleInput {
  const stage = exp.transfer.stages[stageIndex];
  if (!stage) throw new RangeError(`stage ${stageIndex} does not exist (experiment has ${exp.transfer.stages.length})`);
  return {
    peak: stage.learningRate,
    stepsPerEpoch,
    epochs: stage.epochs,
    schedule: exp.learningRate.schedule,
    warmup: exp.learningRate.warmup,
  };
}
