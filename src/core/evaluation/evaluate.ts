/**
 * Evaluates a model on a labelled set and builds the run's `evaluation.json` (see
 * `runs/artifacts.ts`): one pass of inference in batches, then the metrics of
 * `classification-metrics.ts` on the softmax of the logits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ExampleSet } from '../data/example-set.js';
import { MAX_MISTAKES, type EvaluationFile } from '../runs/artifacts.js';
import {
  argmaxRows,
  averageScores,
  biggestConfusions,
  confidentMistakes,
  confusionMatrix,
  perClassScores,
  softmaxRows,
  topKAccuracy,
  topKValues,
} from './classification-metrics.js';

/**
 * Logits of every example of `set`, row-major [set.count, numClasses], in batches of `batchSize`
 * (one `predict` call per batch).
 */
export function predictLogits(model: tf.LayersModel, set: ExampleSet, batchSize = 128): { logits: Float32Array; numClasses: number } {
  let out: Float32Array | undefined;
  let k = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const t = tf.tidy(() => model.predict(tf.tensor(set.gather(idx), [idx.length, ...set.shape]), { batchSize: idx.length }) as tf.Tensor2D);
    k = t.shape[1];
    out ??= new Float32Array(set.count * k);
    out.set(t.dataSync(), start * k);
    t.dispose();
  }
  if (!out) {
    const shape = model.outputs[0]!.shape;
    k = shape[shape.length - 1] ?? 0;
    out = new Float32Array(0);
  }
  return { logits: out, numClasses: k };
}

/** What {@link evaluationReport} needs besides the predictions. */
export interface EvaluationContext {
  experiment: string;
  split: 'test' | 'validation';
  checkpoint: 'best' | 'last';
  classNames: string[];
  /** Text of example i (text runs), for the mistakes' snippets. */
  text?: (i: number) => string;
}

/**
 * Builds `evaluation.json` from the logits of a set.
 * @param logits row-major [set.count, classNames.length]
 * @throws RangeError when the logits do not have one row of `classNames.length` per example
 */
export function evaluationReport(logits: ArrayLike<number>, set: ExampleSet, ctx: EvaluationContext): EvaluationFile {
  const k = ctx.classNames.length;
  if (logits.length !== set.count * k) throw new RangeError(`evaluationReport: ${logits.length} logits for ${set.count} examples of ${k} classes`);
  const probs = softmaxRows(logits, k);
  const pred = argmaxRows(probs, k);
  let loss = 0;
  for (let i = 0; i < set.count; i++) loss -= Math.log(Math.max(probs[i * k + set.labels[i]!]!, Number.MIN_VALUE));
  const confusion = confusionMatrix(set.labels, pred, k);
  const scores = perClassScores(confusion);
  const hits = confusion.reduce((a, row, c) => a + row[c]!, 0);
  const wrong = confidentMistakes(probs, set.labels, k, Number.POSITIVE_INFINITY);
  const name = (c: number) => ctx.classNames[c]!;
  return {
    version: 1,
    experiment: ctx.experiment,
    split: ctx.split,
    checkpoint: ctx.checkpoint,
    classNames: ctx.classNames,
    examples: set.count,
    loss: set.count ? loss / set.count : 0,
    accuracy: set.count ? hits / set.count : 0,
    confusion,
    perClass: scores.map((s, c) => ({ name: name(c), ...s })),
    ...averageScores(scores),
    topK: topKValues(k).map((kk) => ({ k: kk, accuracy: topKAccuracy(probs, set.labels, k, kk) })),
    confusions: biggestConfusions(confusion, 10).map((c) => ({ trueClass: name(c.trueClass), predictedClass: name(c.predictedClass), count: c.count })),
    mistakes: wrong.slice(0, MAX_MISTAKES).map((m) => {
      const id = set.id(m.index);
      const file = exampleFile(id);
      const snippet = ctx.text?.(m.index);
      return {
        id,
        ...(file ? { path: file } : {}),
        ...(snippet !== undefined ? { snippet: snippet.length > 300 ? `${snippet.slice(0, 300)}…` : snippet } : {}),
        trueClass: name(m.trueClass),
        predictedClass: name(m.predictedClass),
        probability: m.probability,
        trueProbability: m.trueProbability,
      };
    }),
    mistakesTotal: wrong.length,
  };
}

/** The example's file when its id is an absolute path of an existing file (image folders), else undefined. */
function exampleFile(id: string): string | undefined {
  if (!path.isAbsolute(id)) return undefined;
  try {
    return fs.statSync(id).isFile() ? id : undefined;
  } catch {
    return undefined;
  }
}
