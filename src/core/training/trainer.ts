/**
 * The training loop. It splits the network at the freeze boundary:
 *
 * - the **frozen prefix** (the longest run of leading ops that are frozen or have no weights and
 *   end in a single tensor) runs in inference mode outside the gradient tape — frozen BatchNorm keeps
 *   its moving statistics, the tape holds none of its activations, each activation is freed as soon
 *   as it has been read, and when the data is not augmented its outputs are computed once per stage
 *   and cached (validation features are cached either way: validation is never augmented);
 * - only the **trainable suffix** and the head are differentiated; a frozen layer inside the suffix
 *   is not updated and runs in inference mode.
 *
 * Rates come from `schedules.ts` per step and per layer group and are applied by
 * `PerVariableOptimizer`, so the rate logged for a step is the rate applied at that step.
 */
import * as tf from '@tensorflow/tfjs';
import { PhaseMeter } from '../progress.js';
import type { ExampleSet } from '../data/example-set.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { selectLayers } from '../experiment/layer-selector.js';
import type { Network } from '../models/network.js';
import { buildFlatModel, crossingKeys, inferenceBatchSize, peakActivationValues, runOps, type OpGraph } from '../models/graph.js';
import type { EpochEvent } from '../runs/events.js';
import type { TrainerHooks, TrainResult } from './hooks.js';
import { defaultRules, type RuleContext, type Stop, type TrainerRule } from './rules.js';
import { groupMultipliers, rateAt, stageScheduleInput } from './schedules.js';
import { PerVariableOptimizer } from './optimizers.js';
import { deriveSeed, Rng, shuffle } from '../data/rng.js';
import { batches } from '../data/batches.js';
import { classWeights, correct, crossEntropy, type Evaluation } from './loss.js';
import type { FeatureDiskCache } from '../features/disk-cache.js';
import { foldBatchNorms, type FoldedGraph } from '../models/fold-batch-norm.js';
import { cachedPassParallel, describeStats, passIdentity, type PassStats } from '../features/cached-pass.js';
import type { FrozenPassHelpers, PassHelperGroup, RemotePass } from '../features/pass-helpers.js';

export type { TrainerHooks, TrainResult } from './hooks.js';

/** Features at the split point, for every example of a set: computed once per stage when cacheable. */
interface FeatureCache {
  data: Float32Array;
  shape: number[];
  /** How the features were obtained (persistent cache hits, computed, time). */
  stats: PassStats;
  /** The pass ended early on a stop request (rows not computed are zero). */
  stopped?: boolean;
}

/** The trainer for one network and one experiment. */
export class Trainer {
  private readonly inputKey: number;
  private readonly outputKey: number;
  /** Index of the last op of the frozen prefix (−1: none). */
  private boundary = -1;
  private boundaryKey: number;
  private frozen = new Set<string>();
  private readonly optimizer: PerVariableOptimizer;
  private readonly numClasses: number;
  /** Examples per inference batch, from the network's peak activations (`inferenceBatchSize` of models/graph.ts). */
  readonly inferenceBatch: number;

  /**
   * @param diskCache persistent frozen-feature cache shared by runs (none: features are computed
   *   every stage, as before).
   * @param helpers other cores for the frozen pass of each stage's preparation (none: this thread alone).
   */
  constructor(
    readonly exp: ResolvedExperiment,
    readonly net: Network,
    numClasses: number,
    private readonly diskCache?: FeatureDiskCache,
    private readonly helpers?: FrozenPassHelpers,
  ) {
    this.inputKey = net.graph.inputs[0]!;
    this.outputKey = net.graph.outputs[0]!;
    this.boundaryKey = this.inputKey;
    this.optimizer = new PerVariableOptimizer(exp.optimizer);
    this.numClasses = numClasses;
    const values = peakActivationValues(net.graph, 0, net.graph.ops.length);
    this.inferenceBatch = inferenceBatchSize(values);
  }

  /** Names of the base layers frozen in the current stage. */
  get frozenLayers(): ReadonlySet<string> {
    return this.frozen;
  }

  /** Index of the last op run outside the tape in the current stage (−1 when none). */
  get prefixEnd(): number {
    return this.boundary;
  }

  /**
   * Freezes the layers `stage` selects (all layers for none when the strategy is `scratch`), sets
   * `layer.trainable`, and finds the frozen prefix.
   * @throws Error naming the field when a selector names a layer that is not in the base.
   */
  setStage(stageIndex: number): void {
    const stage = this.exp.transfer.stages[stageIndex]!;
    const names = this.net.baseLayers;
    this.frozen = this.exp.transfer.strategy === 'scratch' ? new Set() : selectLayers(stage.freeze, names);
    const ops = this.net.graph.ops;
    ops.forEach((op, i) => {
      op.layer.trainable = i >= this.net.baseOps || !this.frozen.has(op.layer.name);
    });
    let boundary = -1;
    for (let i = 0; i < this.net.baseOps; i++) {
      const op = ops[i]!;
      const fixed = this.frozen.has(op.layer.name) || op.layer.weights.length === 0;
      if (!fixed) break;
      if (crossingKeys(this.net.graph, i).size === 1) boundary = i;
    }
    this.boundary = boundary;
    this.boundaryKey = boundary < 0 ? this.inputKey : [...crossingKeys(this.net.graph, boundary)][0]!;
  }

  /** Runs the frozen prefix on input batch `x` [n, h, w, c] in inference mode, memory-lean. Not taped. */
  private prefix(x: tf.Tensor): tf.Tensor {
    return this.runPrefix(this.net.graph, this.boundary + 1, x);
  }

  /**
   * Runs ops `0..end-1` of `graph` — the frozen prefix, folded ({@link foldedPrefix}) or not — on `x`
   * in inference mode, memory-lean, and returns the boundary tensor. Not taped.
   */
  private runPrefix(graph: OpGraph, end: number, x: tf.Tensor): tf.Tensor {
    if (this.boundary < 0) return x;
    return tf.tidy(() => {
      const env = new Map<number, tf.Tensor>([[this.inputKey, x]]);
      runOps(graph, env, 0, end, () => false, new Set([this.boundaryKey]));
      return env.get(this.boundaryKey)!;
    });
  }

  /**
   * Runs the suffix (trainable part and head) from split-point features to logits [n, K].
   * @param training false for evaluation: every layer in inference mode, activations freed as soon
   *   as read (only outside a gradient tape).
   */
  private suffix(features: tf.Tensor, training: boolean): tf.Tensor2D {
    const env = new Map<number, tf.Tensor>([[this.boundaryKey, features]]);
    // A frozen layer (BatchNorm above all) runs in inference mode even inside the trainable suffix.
    const keep = training ? undefined : new Set([this.outputKey]);
    runOps(this.net.graph, env, this.boundary + 1, this.net.graph.ops.length, (op) => training && !this.frozen.has(op.layer.name), keep);
    return env.get(this.outputKey) as tf.Tensor2D;
  }

  /**
   * Split-point features of every example of `set`, computed in batches in inference mode, or read
   * from the persistent feature cache when the trainer has one (see `features/cached-pass.ts`).
   * Memory: count × prod(feature shape) × 4 bytes.
   * @param batchSize examples per batch (default {@link inferenceBatch}).
   * @param meter counts the examples done (progress), when given.
   * @param startHelpers starts helpers on other cores running the frozen prefix (see
   *   `features/pass-helpers.ts`); called only when at least two batches must be computed.
   * @throws Error from the file system when a cache entry cannot be written.
   */
  async cacheFeatures(
    set: ExampleSet,
    batchSize = this.inferenceBatch,
    meter?: PhaseMeter,
    startHelpers?: () => Promise<RemotePass[]>,
    shouldStop?: () => boolean,
  ): Promise<FeatureCache> {
    const pass = this.diskCache?.enabled ? passIdentity(this.net.graph, this.boundary, this.boundaryKey, set.shape) : { key: '', description: '' };
    const indices = Array.from({ length: set.count }, (_, i) => i);
    // Inference only: BatchNorm folded into the convolutions before it (new layers, freed below).
    let folded: FoldedGraph | undefined;
    try {
      return await cachedPassParallel(
        this.diskCache,
        pass,
        set,
        indices,
        batchSize,
        (x, n) => {
          folded ??= this.foldedPrefix();
          const f = tf.tidy(() => this.runPrefix(folded!.graph, folded!.end, tf.tensor(x, [n, ...set.shape])));
          const data = f.dataSync() as Float32Array;
          const shape = f.shape.slice(1);
          f.dispose();
          return { data, shape };
        },
        startHelpers,
        meter ? (n) => meter.add(n) : undefined,
        shouldStop,
      );
    } finally {
      folded?.dispose();
    }
  }

  /** The frozen prefix (ops `0..boundary`) with its convolution + BatchNorm pairs folded, for inference. */
  private foldedPrefix(): FoldedGraph {
    return foldBatchNorms(this.net.graph, this.boundary + 1, new Set([this.boundaryKey]));
  }

  /**
   * Starts the trainer's helpers on the current frozen prefix (ops `0..boundary`, as a flat model
   * sharing this network's layers), at most once whoever calls the starter (training and validation
   * features of a stage share the helpers).
   * @returns a starter for {@link cacheFeatures} and a `close` for the end of the preparation; no
   *   starter when the trainer has no helpers or no frozen prefix.
   */
  helperStarter(exampleShape: readonly number[]): { start?: () => Promise<RemotePass[]>; close: () => Promise<void> } {
    const helpers = this.helpers;
    if (!helpers || helpers.count === 0 || this.boundary < 0) return { close: async () => {} };
    let group: Promise<PassHelperGroup> | undefined;
    return {
      start: () => {
        // The helpers get the folded prefix (as cacheFeatures computes it), serialised when they start.
        group ??= (async () => {
          const folded = this.foldedPrefix();
          try {
            return await helpers.start(buildFlatModel(folded.graph, folded.end, this.boundaryKey, [...exampleShape], 'frozen_prefix'), exampleShape);
          } finally {
            folded.dispose();
          }
        })();
        return group.then((g) => g.passes);
      },
      close: async () => {
        if (group)
          await group.then(
            (g) => g.close(),
            () => undefined,
          );
      },
    };
  }

  /** Split-point features of examples `idx` of `set` (from the cache when given). */
  private features(set: ExampleSet, idx: number[], cache: FeatureCache | undefined, augment?: (x: Float32Array, n: number) => void): tf.Tensor {
    if (cache) {
      const size = cache.shape.reduce((a, b) => a * b, 1);
      const out = new Float32Array(idx.length * size);
      idx.forEach((j, i) => out.set(cache.data.subarray(j * size, (j + 1) * size), i * size));
      return tf.tensor(out, [idx.length, ...cache.shape]);
    }
    const x = set.gather(idx);
    augment?.(x, idx.length);
    return tf.tidy(() => this.prefix(tf.tensor(x, [idx.length, ...set.shape])));
  }

  /**
   * Loss and accuracy of the current weights on `set`, in inference mode.
   * @param batchSize examples per batch (without a cache, at most {@link inferenceBatch} are used).
   * @param cache split-point features of `set` for the current stage, when available.
   */
  evaluate(set: ExampleSet, batchSize: number, cache?: FeatureCache): Evaluation {
    if (!cache) batchSize = Math.min(batchSize, this.inferenceBatch);
    let loss = 0;
    let hits = 0;
    for (const { idx } of batches(set.count, batchSize)) {
      const labels = Int32Array.from(idx, (j) => set.labels[j]!);
      const f = this.features(set, idx, cache);
      const logits = tf.tidy(() => this.suffix(f, false));
      const l = crossEntropy(logits, labels);
      loss += l.dataSync()[0]! * idx.length;
      hits += correct(logits, labels);
      tf.dispose([f, logits, l]);
    }
    return { loss: loss / Math.max(1, set.count), accuracy: hits / Math.max(1, set.count) };
  }

  /**
   * Trains all stages. Events go to `hooks.emit`; when to stop and which checkpoints to save is
   * decided by `rules` (`rules.ts`; default: non-finite loss → `diverged` without overwriting the last
   * good checkpoint, stop requests, best/last checkpoints, early stopping).
   */
  async train(train: ExampleSet, validation: ExampleSet | undefined, hooks: TrainerHooks, rules: TrainerRule[] = defaultRules(this.exp)): Promise<TrainResult> {
    const exp = this.exp;
    const batchSize = exp.training.batchSize;
    const stepsPerEpoch = Math.max(1, Math.ceil(train.count / batchSize));
    const mult = groupMultipliers(exp.learningRate, exp.transfer.strategy);
    const weights = classWeights(exp.training.classWeights, train.labels, this.numClasses);
    const rng = new Rng(deriveSeed(exp.training.seed, 'shuffle'));
    const hasVal = !!validation && validation.count > 0;
    const result: TrainResult = { status: 'completed', epochsDone: 0, checkpoints: { best: false, last: false } };
    const ctx: RuleContext = { exp, hooks, result, weightsFinite: () => this.weightsFinite() };
    let step = 0;
    let epoch = 0;

    stages: for (let si = 0; si < exp.transfer.stages.length; si++) {
      const stage = exp.transfer.stages[si]!;
      this.setStage(si);
      const baseLayers = this.net.baseLayers;
      hooks.emit({
        kind: 'stage',
        stage: si,
        name: stage.name,
        epochs: stage.epochs,
        frozen: baseLayers.filter((n) => this.frozen.has(n)),
        trainable: baseLayers.filter((n) => !this.frozen.has(n)),
      });
      // Group of each trainable variable, and the variables themselves.
      const groupOfLayer = new Map<string, string>();
      for (const g of exp.learningRate.layerGroups) for (const n of selectLayers(g.layers, baseLayers)) if (!groupOfLayer.has(n)) groupOfLayer.set(n, g.name);
      const variables = new Map<string, tf.Variable>();
      const groupOfVar = new Map<string, string>();
      this.net.graph.ops.forEach((op, i) => {
        if (i <= this.boundary || !op.layer.trainable) return;
        const group = i >= this.net.baseOps ? 'head' : (groupOfLayer.get(op.layer.name) ?? 'base');
        for (const w of op.layer.trainableWeights) {
          const v = (w as unknown as { read(): tf.Variable }).read();
          variables.set(v.name, v);
          groupOfVar.set(v.name, group);
        }
      });
      const varList = [...variables.values()];
      // Augmented training examples change every epoch, so only their frozen features are not cached.
      const augment = stage.augment === false ? undefined : hooks.augment;
      const meter = (of: string, set: ExampleSet) => (hooks.progress ? new PhaseMeter('features', of, set.count, hooks.progress) : undefined);
      const helpers = this.helperStarter(train.shape);
      let trainCache: FeatureCache | undefined;
      let valCache: FeatureCache | undefined;
      // A stop during the preparation ends the run before the stage's first step (features computed so far stay in the disk cache).
      let stoppedEarly = false;
      try {
        if (!augment && this.boundary >= 0) {
          trainCache = await this.cacheFeatures(train, this.inferenceBatch, meter('train', train), helpers.start, hooks.shouldStop);
          stoppedEarly = !!trainCache.stopped;
        }
        if (!stoppedEarly && this.boundary >= 0 && hasVal) {
          valCache = await this.cacheFeatures(validation!, this.inferenceBatch, meter('validation', validation!), helpers.start, hooks.shouldStop);
          stoppedEarly = !!valCache.stopped;
        }
      } finally {
        await helpers.close();
      }
      if (stoppedEarly) {
        hooks.emit({ kind: 'log', level: 'info', message: `stage ${si}: stopped while computing frozen features, before the stage's first step` });
        result.status = 'stopped';
        break stages;
      }
      if (this.boundary >= 0) {
        const shape = (trainCache ?? valCache)?.shape.join('×');
        const cached = trainCache
          ? 'run once on training and validation examples'
          : `run every step on augmented training examples, once on validation examples`;
        hooks.emit({
          kind: 'log',
          level: 'info',
          message: `stage ${si}: ${this.boundary + 1} frozen leading layers ${cached}${shape ? `; cached features ${shape} per example` : ''}`,
        });
        for (const [what, c, n] of [
          ['training', trainCache, train.count],
          ['validation', valCache, validation?.count ?? 0],
        ] as const) {
          if (c)
            hooks.emit({
              kind: 'log',
              level: 'info',
              message: `stage ${si}: frozen features of ${n} ${what} examples: ${describeStats(c.stats)}`,
              topic: 'preparation',
            });
        }
      }
      const schedule = stageScheduleInput(exp, si, stepsPerEpoch);

      for (let e = 0; e < stage.epochs; e++, epoch++) {
        const t0 = performance.now();
        const order = shuffle(
          Array.from({ length: train.count }, (_, i) => i),
          rng,
        );
        let lossSum = 0;
        let hits = 0;
        let seen = 0;
        let trained = 0;
        /** Set by a rule's 'afterEpoch' answer in a step: training ends once this epoch is recorded. */
        let stepStop: Stop;
        for (const { start, idx } of batches(order.slice(0, stepsPerEpoch * batchSize), batchSize)) {
          const labels = Int32Array.from(idx, (j) => train.labels[j]!);
          const r = rateAt(e * stepsPerEpoch + start / batchSize, schedule);
          const lr: Record<string, number> = {};
          for (const [g, m] of Object.entries(mult)) lr[g] = r * m;
          const feats = this.features(train, idx, trainCache, augment);
          let pred: tf.Tensor | undefined;
          const lossValue = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => {
              const logits = this.suffix(feats, true);
              pred = tf.keep(tf.argMax(logits, 1));
              return crossEntropy(logits, labels, weights);
            }, varList);
            const v = value.dataSync()[0]!;
            // A non-finite loss leaves the weights as they are (StopOnNonFinite then ends the run).
            if (Number.isFinite(v)) this.optimizer.apply(grads, variables, (name) => lr[groupOfVar.get(name)!]!);
            return v;
          });
          feats.dispose();
          const p = pred!.dataSync();
          pred!.dispose();
          for (let i = 0; i < p.length; i++) if (p[i] === labels[i]) hits++;
          hooks.emit({ kind: 'step', step, epoch, stage: si, loss: lossValue, lr });
          const stepEnd = { step, epoch, stage: si, loss: lossValue };
          step++;
          for (const rule of rules) {
            const answer = rule.onStepEnd?.(ctx, stepEnd);
            if (answer?.stop === 'now') {
              if (answer.log) hooks.emit({ kind: 'log', level: 'info', message: answer.log });
              break stages;
            }
            stepStop ??= answer;
          }
          lossSum += lossValue * idx.length;
          seen += idx.length;
          trained++;
          if (stepStop) break;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        // A stop before the epoch's last step leaves it partial: recorded as such, never the best (rules.ts).
        const partial = stepStop && trained < stepsPerEpoch ? { steps: trained, of: stepsPerEpoch } : undefined;
        const trainLoss = lossSum / Math.max(1, seen);
        const trainAccuracy = hits / Math.max(1, seen);
        const val = hasVal ? this.evaluate(validation!, Math.max(batchSize, 128), valCache) : undefined;
        const seconds = (performance.now() - t0) / 1000;
        const ev: EpochEvent = {
          kind: 'epoch',
          epoch,
          stage: si,
          trainLoss,
          trainAccuracy,
          ...(val ? { valLoss: val.loss, valAccuracy: val.accuracy } : {}),
          seconds,
          samplesPerSecond: seen / seconds,
          numTensors: tf.memory().numTensors,
          ...(partial ? { partial } : {}),
        };
        if (!partial) result.epochsDone = epoch + 1;
        result.final = { trainLoss, trainAccuracy, ...(val ? { valLoss: val.loss, valAccuracy: val.accuracy } : {}) };
        const answers: Stop[] = [stepStop];
        for (const rule of rules) answers.push(await rule.onEpochEnd?.(ctx, { epoch, stage: si, event: ev, validation: val }));
        hooks.emit(ev);
        for (const a of answers) if (a?.log) hooks.emit({ kind: 'log', level: 'info', message: a.log });
        if (answers.some((a) => a !== undefined)) break stages;
      }
    }
    return result;
  }

  /** True when every weight of the network (trainable and not: BatchNorm statistics too) is finite. */
  weightsFinite(): boolean {
    return this.net.model.weights.every((w) => {
      const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(w.read()))));
      const any = bad.dataSync()[0] === 1;
      bad.dispose();
      return !any;
    });
  }

  /** Frees optimizer state (the network's weights belong to the caller). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
