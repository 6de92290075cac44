/**
 * Transductive transfer (`transfer.kind: "transductive"`), run after the network was trained on the
 * labelled source (`data.train`) and the best checkpoint restored: adapt it to the unlabelled target
 * (`data.target`) with
 * 1. AdaBN (`adabn.ts`): BatchNorm statistics re-estimated on the target, then
 * 2. self-training (`pseudo-labels.ts`): rounds of predicting the target, keeping confident,
 *    class-balanced pseudo-labels and training on them (with the last stage's frozen layers and
 *    rate; a fresh optimizer each round; no validation, since target labels may not be used).
 * Target labels, when the target has them, are read only to report accuracy after each step.
 * Target examples that are also training or validation examples (same example id) are left out.
 * Writes `transductive.json` and the adapted weights as `checkpoints/adapted/`.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ExampleSet, LoadedData } from '../data/index.js';
import { batches } from '../data/batches.js';
import { ConcatSet, PickedSet } from '../data/set-views.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Network } from '../models/network.js';
import { loadModelFile, saveModel } from '../models/io.js';
import type { TransductiveFile, TransductivePhase } from '../runs/artifacts.js';
import type { AdaptEvent, RunEvent, RunResult } from '../runs/events.js';
import { adaptBatchNorm } from './adabn.js';
import { selectPseudoLabels } from './pseudo-labels.js';
import { Trainer } from './trainer.js';
import { cacheFromEnv } from '../features/cache-config.js';

/** What the transductive steps need from the run. */
export interface TransductiveHooks {
  emit(e: RunEvent): void;
  shouldStop(): boolean;
  writeArtifact(name: 'transductive', value: TransductiveFile): void;
  result(name: string, value: number, unit?: RunResult['unit']): void;
  /** Run folder (the adapted checkpoint goes to `checkpoints/adapted/`). */
  runDir: string;
  /** The checkpoint to start from (`model.json`), e.g. the best; absent: the weights as they are. */
  startCheckpoint?: string;
  /** Metadata saved with the adapted checkpoint. */
  metadata: Record<string, NonNullable<unknown>>;
}

/**
 * Indices of target examples whose id is not the id of a training or validation example.
 */
export function targetIndices(target: ExampleSet, exclude: ExampleSet[]): number[] {
  const seen = new Set<string>();
  for (const s of exclude) for (let i = 0; i < s.count; i++) seen.add(s.id(i));
  const out: number[] = [];
  for (let i = 0; i < target.count; i++) if (!seen.has(target.id(i))) out.push(i);
  return out;
}

/** Softmax probabilities [count, K] of the network on `set`, inference mode. */
export function predictProbabilities(model: tf.LayersModel, set: ExampleSet, batchSize = 128): Float32Array {
  let out: Float32Array | undefined;
  for (const { start, idx } of batches(set.count, batchSize)) {
    const p = tf.tidy(() => tf.softmax(model.predict(tf.tensor(set.gather(idx), [idx.length, ...set.shape])) as tf.Tensor2D));
    const k = p.shape[1]!;
    out ??= new Float32Array(set.count * k);
    out.set(p.dataSync() as Float32Array, start * k);
    p.dispose();
  }
  return out ?? new Float32Array(0);
}

/** Accuracy of probabilities [n, K] against labels. */
export function accuracyOf(probs: Float32Array, labels: Int32Array): number {
  const k = probs.length / Math.max(1, labels.length);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let c = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j]! > probs[i * k + c]!) c = j;
    if (c === labels[i]) hits++;
  }
  return hits / Math.max(1, labels.length);
}

/**
 * Runs AdaBN and self-training on `net` (already trained on the source).
 * @throws Error when the experiment has no target data (the semantic checks prevent it).
 */
export async function adaptTransductive(exp: ResolvedExperiment, net: Network, data: LoadedData, hooks: TransductiveHooks): Promise<TransductiveFile> {
  const cfg = exp.transfer.transductive!;
  if (!data.target) throw new Error('a transductive experiment needs data.target');
  if (hooks.startCheckpoint) {
    const saved = await loadModelFile(hooks.startCheckpoint);
    net.model.setWeights(saved.getWeights());
    saved.dispose();
  }
  const keep = targetIndices(data.target, [data.train, data.validation]);
  const target = new PickedSet(data.target, keep);
  const k = data.classNames.length;
  const st = cfg.selfTraining;
  const file: TransductiveFile = {
    version: 1,
    experiment: exp.name,
    targetExamples: target.count,
    targetOverlapRemoved: data.target.count - target.count,
    labelledTarget: true,
    phases: [],
    settings: {
      adaBN: cfg.adaBN,
      selfTraining: {
        rounds: st.rounds,
        threshold: st.threshold,
        classBalance: st.classBalance,
        portion: st.portion,
        ...(st.maxPerClass !== undefined ? { maxPerClass: st.maxPerClass } : {}),
        epochs: st.epochs,
        includeSource: st.includeSource,
      },
    },
  };
  hooks.emit({
    kind: 'log',
    level: 'info',
    message: `transductive: ${target.count} target examples (${file.targetOverlapRemoved} left out as training/validation examples)`,
  });
  if (target.count === 0) throw new Error('no target examples are left after leaving out the training and validation examples');

  const phase = (p: Omit<TransductivePhase, 'targetAccuracy' | 'sourceValAccuracy' | 'seconds'>, t0: number, probs?: Float32Array): Float32Array => {
    const tp = probs ?? predictProbabilities(net.model, target);
    const targetAccuracy = accuracyOf(tp, target.labels);
    const sourceValAccuracy = data.validation.count > 0 ? accuracyOf(predictProbabilities(net.model, data.validation), data.validation.labels) : undefined;
    const entry: TransductivePhase = {
      ...p,
      targetAccuracy,
      ...(sourceValAccuracy !== undefined ? { sourceValAccuracy } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
    file.phases.push(entry);
    const ev: AdaptEvent = {
      kind: 'adapt',
      phase: p.phase,
      ...(p.round !== undefined ? { round: p.round } : {}),
      targetAccuracy,
      ...(sourceValAccuracy !== undefined ? { sourceValAccuracy } : {}),
      ...(p.pseudoLabels !== undefined ? { pseudoLabels: p.pseudoLabels } : {}),
      ...(p.pseudoLabelAccuracy !== undefined ? { pseudoLabelAccuracy: p.pseudoLabelAccuracy } : {}),
    };
    hooks.emit(ev);
    return tp;
  };

  let t0 = performance.now();
  let probs = phase({ phase: 'source' }, t0);
  hooks.result('target accuracy, source model', file.phases[0]!.targetAccuracy!, 'fraction');

  if (cfg.adaBN && !hooks.shouldStop()) {
    t0 = performance.now();
    const r = adaptBatchNorm(net.graph, net.graph.ops.length, target);
    if (r.layers.length === 0) hooks.emit({ kind: 'log', level: 'warn', message: 'AdaBN: the network has no BatchNorm layer; nothing changed' });
    probs = phase({ phase: 'adaBN', batchNormLayers: r.layers }, t0);
    hooks.result('after AdaBN', file.phases[file.phases.length - 1]!.targetAccuracy!, 'fraction');
  }

  const last = exp.transfer.stages[exp.transfer.stages.length - 1]!;
  for (let round = 1; round <= st.rounds && !hooks.shouldStop(); round++) {
    t0 = performance.now();
    const sel = selectPseudoLabels(probs, k, st);
    let hits = 0;
    sel.indices.forEach((i, j) => (hits += target.labels[i] === sel.labels[j] ? 1 : 0));
    const pseudo = new PickedSet(target, sel.indices, sel.labels);
    if (pseudo.count === 0) {
      hooks.emit({ kind: 'log', level: 'warn', message: `self-training round ${round}: no target prediction reaches the threshold ${st.threshold}; stopping` });
      break;
    }
    const trainSet: ExampleSet = st.includeSource ? new ConcatSet(data.train, pseudo) : pseudo;
    const roundExp: ResolvedExperiment = {
      ...exp,
      transfer: {
        ...exp.transfer,
        stages: [{ name: `self-training ${round}`, epochs: st.epochs, freeze: last.freeze, learningRate: st.learningRate ?? last.learningRate }],
      },
      training: { ...exp.training, epochs: st.epochs, seed: exp.training.seed + round, checkpoints: 'last' },
    };
    delete roundExp.training.earlyStopping;
    const trainer = new Trainer(roundExp, net, k, cacheFromEnv());
    try {
      await trainer.train(trainSet, undefined, {
        // Step and epoch events of the rounds would restart the run's epoch count: keep only logs.
        emit: (e) => (e.kind === 'log' ? hooks.emit(e) : undefined),
        shouldStop: hooks.shouldStop,
        saveCheckpoint: async () => {},
      });
    } finally {
      trainer.dispose();
    }
    probs = phase(
      { phase: 'selfTraining', round, pseudoLabels: sel.indices.length, pseudoLabelsPerClass: sel.perClass, pseudoLabelAccuracy: hits / sel.indices.length },
      t0,
    );
  }
  if (file.phases[file.phases.length - 1]!.phase === 'selfTraining') {
    hooks.result('after self-training', file.phases[file.phases.length - 1]!.targetAccuracy!, 'fraction');
  }
  await saveModel(net.model, path.join(hooks.runDir, 'checkpoints', 'adapted'), hooks.metadata);
  hooks.writeArtifact('transductive', file);
  return file;
}
