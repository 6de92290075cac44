/**
 * The trainer's rules, as small objects in the manner of fastai's callbacks
 * (`fastai/callback/tracker.py`: TerminateOnNaNCallback, SaveModelCallback, EarlyStoppingCallback):
 * the training loop in `trainer.ts` only steps, evaluates and reports; when to stop and what to save
 * is decided here. A rule implements any of the hooks; each hook may answer {@link Stop} to end
 * training. {@link defaultRules} lists the rules of a run in the order they are consulted.
 *
 * To add a rule (a weight check, a faster stop): implement {@link TrainerRule} and add it to
 * {@link defaultRules} (or pass a list to `Trainer.train`). Rules must not change the weights.
 */
import type { ResolvedExperiment } from '../experiment/types.js';
import type { EpochEvent } from '../runs/events.js';
import type { Evaluation } from './loss.js';
import type { TrainerHooks, TrainResult } from './hooks.js';

/**
 * A rule's answer: `undefined` goes on. `'afterEpoch'` ends training once the current epoch is
 * recorded (validation, checkpoints, the epoch event); `'now'` ends it at once (from `onStepEnd`: no
 * validation, no checkpoint, no epoch event — used when the weights cannot be trusted).
 * `log` is emitted as an info log event after the epoch event (or at once, with `'now'`).
 */
export type Stop = { stop: 'afterEpoch' | 'now'; log?: string } | undefined;

/** What every hook sees: the experiment, the host's hooks (emit, stop polling, checkpoint saving), the result so far. */
export interface RuleContext {
  readonly exp: ResolvedExperiment;
  readonly hooks: TrainerHooks;
  /** The result being built; rules set `status`, `error`, `bestEpoch`, `best`, `checkpoints`. */
  readonly result: TrainResult;
  /** True when every weight of the network (trainable or not) is finite: no checkpoint is written otherwise. */
  weightsFinite(): boolean;
}

/** One optimizer step that has been taken (or skipped, when its loss was not finite). */
export interface StepEnd {
  /** Global step index (0-based, over all stages). */
  step: number;
  /** Global epoch index (0-based, over all stages). */
  epoch: number;
  stage: number;
  /** Mean loss of the batch (weighted by class weights when set); may be NaN or ±Infinity. */
  loss: number;
}

/** One epoch that has ended: its train figures and validation, before its epoch event is emitted. */
export interface EpochEnd {
  epoch: number;
  stage: number;
  /** The epoch event the trainer emits after every rule's `onEpochEnd`. */
  event: EpochEvent;
  /** Validation loss and accuracy; undefined without validation examples. */
  validation: Evaluation | undefined;
}

/** A training rule. Every hook is optional; hooks run in list order. */
export interface TrainerRule {
  /** After each step, before the next batch. The first rule answering `'now'` ends training; later rules are not asked. */
  onStepEnd?(ctx: RuleContext, s: StepEnd): Stop;
  /** After each epoch's validation, before its epoch event. Every rule is asked; any stop ends training after the event. */
  onEpochEnd?(ctx: RuleContext, e: EpochEnd): Stop | Promise<Stop>;
}

/**
 * What a diverged run leaves on disk, for its message: the checkpoints written before (their epochs),
 * or that there is none. A checkpoint is never written with non-finite weights.
 */
export function keptCheckpoints(r: TrainResult): string {
  const kept = [
    ...(r.checkpoints.best && r.bestEpoch !== undefined ? [`best (epoch ${r.bestEpoch + 1})`] : []),
    ...(r.checkpoints.last && r.lastEpochSaved !== undefined ? [`last (epoch ${r.lastEpochSaved + 1})`] : []),
  ];
  return kept.length > 0 ? `the checkpoints written before are kept: ${kept.join(', ')}` : 'no checkpoint was written';
}

/**
 * Ends a run as `diverged` when training loss, validation loss or the weights stop being finite
 * (fastai's TerminateOnNaN, extended to validation and weights): at once after a step whose loss is
 * NaN or infinite (that step's update is not applied); after an epoch whose training or validation
 * loss or weights are not finite, before any checkpoint of that epoch is written (this rule comes
 * before {@link SaveCheckpoints}, which also refuses non-finite weights). The message says which
 * checkpoints survive ({@link keptCheckpoints}).
 */
export class StopOnNonFinite implements TrainerRule {
  onStepEnd(ctx: RuleContext, s: StepEnd): Stop {
    if (Number.isFinite(s.loss)) return undefined;
    ctx.result.status = 'diverged';
    ctx.result.error = `training loss became ${s.loss} at step ${s.step} (epoch ${s.epoch + 1}); ${keptCheckpoints(ctx.result)}`;
    return { stop: 'now' };
  }

  onEpochEnd(ctx: RuleContext, e: EpochEnd): Stop {
    const what = !Number.isFinite(e.event.trainLoss)
      ? `the training loss of epoch ${e.epoch + 1} is ${e.event.trainLoss}`
      : e.validation && !Number.isFinite(e.validation.loss)
        ? `the validation loss of epoch ${e.epoch + 1} is ${e.validation.loss}`
        : !ctx.weightsFinite()
          ? `weights became non-finite in epoch ${e.epoch + 1}`
          : undefined;
    if (!what) return undefined;
    ctx.result.status = 'diverged';
    ctx.result.error = `${what}; ${keptCheckpoints(ctx.result)}`;
    return { stop: 'afterEpoch' };
  }
}

/** Polls the host's `shouldStop` after each step; a request ends the run as `stopped` once the epoch is recorded. */
export class StopOnRequest implements TrainerRule {
  onStepEnd(ctx: RuleContext): Stop {
    if (!ctx.hooks.shouldStop()) return undefined;
    ctx.result.status = 'stopped';
    return { stop: 'afterEpoch' };
  }
}

/**
 * Whether an epoch's score improves on the best so far: the score is validation accuracy
 * (`training.monitor: "valAccuracy"`) or −validation loss, −training loss without validation; it
 * improves when it beats the best by more than `training.earlyStopping.minDelta` (0 by default).
 * The first epoch always improves. Each rule that needs it keeps its own tracker (fastai's TrackerCallback).
 */
export class ImprovementTracker {
  private best = -Infinity;
  private seen = false;

  constructor(private readonly exp: ResolvedExperiment) {}

  /** The epoch's score (larger is better). */
  score(e: EpochEnd): number {
    const v = e.validation;
    return v ? (this.exp.training.monitor === 'valAccuracy' ? v.accuracy : -v.loss) : -e.event.trainLoss;
  }

  /** Records the epoch; true when it is the best so far. */
  update(e: EpochEnd): boolean {
    const score = this.score(e);
    const minDelta = this.exp.training.earlyStopping?.minDelta ?? 0;
    const improved = score > this.best + minDelta || !this.seen;
    this.seen = true;
    if (improved) this.best = Math.max(score, this.best);
    return improved;
  }
}

/**
 * Records the best epoch and saves the checkpoints `training.checkpoints` asks for: `best` when the
 * epoch improves (not with `"last"`), `last` after every epoch (not with `"best"`, except in a stopped
 * epoch, so a stopped run always has its final weights). Saves before the epoch event is emitted.
 */
export class SaveCheckpoints implements TrainerRule {
  private readonly tracker: ImprovementTracker;

  constructor(private readonly exp: ResolvedExperiment) {
    this.tracker = new ImprovementTracker(exp);
  }

  async onEpochEnd(ctx: RuleContext, e: EpochEnd): Promise<Stop> {
    const keep = this.exp.training.checkpoints;
    const r = ctx.result;
    // A diverged epoch (StopOnNonFinite) or non-finite weights are never written over a checkpoint.
    if (r.status === 'diverged') return undefined;
    if (!ctx.weightsFinite()) {
      r.status = 'diverged';
      r.error = `weights became non-finite in epoch ${e.epoch + 1}; ${keptCheckpoints(r)}`;
      return { stop: 'afterEpoch' };
    }
    // A partial epoch (a stop before its last step) is not comparable with full ones: never the best.
    if (!e.event.partial && this.tracker.update(e)) {
      r.bestEpoch = e.epoch;
      r.best = e.validation ? { valLoss: e.validation.loss, valAccuracy: e.validation.accuracy } : {};
      if (keep !== 'last') {
        await ctx.hooks.saveCheckpoint('best');
        r.checkpoints.best = true;
      }
    }
    if (keep !== 'best' || r.status === 'stopped') {
      await ctx.hooks.saveCheckpoint('last');
      r.checkpoints.last = true;
      r.lastEpochSaved = e.epoch;
    }
    return undefined;
  }
}

/** Early stopping (`training.earlyStopping`): ends training after `patience` epochs without improvement. */
export class EarlyStopping implements TrainerRule {
  private readonly tracker: ImprovementTracker;
  private sinceBest = 0;

  constructor(
    private readonly patience: number,
    exp: ResolvedExperiment,
  ) {
    this.tracker = new ImprovementTracker(exp);
  }

  onEpochEnd(ctx: RuleContext, e: EpochEnd): Stop {
    if (e.event.partial) return undefined; // training ends after it anyway
    this.sinceBest = this.tracker.update(e) ? 0 : this.sinceBest + 1;
    if (ctx.result.status !== 'completed' || this.sinceBest < this.patience) return undefined;
    return { stop: 'afterEpoch', log: `early stopping after epoch ${e.epoch}: no improvement for ${this.patience} epochs` };
  }
}

/** The rules of a run of `exp`, in the order they are consulted: non-finite loss, stop requests, checkpoints, early stopping. */
export function defaultRules(exp: ResolvedExperiment): TrainerRule[] {
  const patience = exp.training.earlyStopping?.patience;
  return [new StopOnNonFinite(), new StopOnRequest(), new SaveCheckpoints(exp), ...(patience !== undefined ? [new EarlyStopping(patience, exp)] : [])];
}
