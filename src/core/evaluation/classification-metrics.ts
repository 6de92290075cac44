/**
 * Classification metrics of one evaluated checkpoint: confusion matrix, per-class precision, recall,
 * F1 and support, their macro and support-weighted averages, top-k accuracy and the most confidently
 * wrong examples. Pure functions on plain arrays (no tfjs), with scikit-learn's definitions
 * (`sklearn.metrics.confusion_matrix`, `precision_recall_fscore_support`, `top_k_accuracy_score`);
 * a ratio whose denominator is 0 is 0, as scikit-learn's `zero_division=0`.
 */

/** Scores of one class (or an average over classes). Fractions in [0, 1]; `support` counts true examples. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Confusion matrix: `m[t][p]` counts examples of true class `t` predicted as `p` (rows: true class).
 * @param trueLabels true class index of each example, in 0..numClasses-1
 * @param predicted predicted class index of each example (same length)
 * @throws RangeError when the lengths differ or a label is outside 0..numClasses-1
 */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  if (trueLabels.length !== predicted.length) throw new RangeError(`confusionMatrix: ${trueLabels.length} true labels but ${predicted.length} predictions`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses && Number.isInteger(t) && Number.isInteger(p))) {
      throw new RangeError(`confusionMatrix: example ${i} has true class ${t} and prediction ${p}, outside 0..${numClasses - 1}`);
    }
    m[t]![p]!++;
  }
  return m;
}

/** Precision, recall, F1 and support of each class from a confusion matrix (rows: true class). */
export function perClassScores(m: number[][]): ClassScores[] {
  return m.map((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    const predictedAs = m.reduce((a, r) => a + r[c]!, 0);
    const tp = row[c]!;
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/**
 * Macro (unweighted mean over classes) and weighted (by support) averages of per-class scores, as
 * scikit-learn's `average='macro'` / `'weighted'`; `support` is the total.
 */
export function averageScores(scores: ClassScores[]): { macro: ClassScores; weighted: ClassScores } {
  const total = scores.reduce((a, s) => a + s.support, 0);
  const mean = (f: (s: ClassScores) => number, w: (s: ClassScores) => number, d: number) => (d === 0 ? 0 : scores.reduce((a, s) => a + f(s) * w(s), 0) / d);
  const avg = (w: (s: ClassScores) => number, d: number): ClassScores => ({
    precision: mean((s) => s.precision, w, d),
    recall: mean((s) => s.recall, w, d),
    f1: mean((s) => s.f1, w, d),
    support: total,
  });
  return { macro: avg(() => 1, scores.length), weighted: avg((s) => s.support, total) };
}

/**
 * Index of the largest value in each row of a row-major [n, k] matrix (the first on ties, as numpy's argmax).
 * @throws RangeError when `values.length` is not a multiple of `k`
 */
export function argmaxRows(values: ArrayLike<number>, k: number): Int32Array {
  if (k < 1 || values.length % k !== 0) throw new RangeError(`argmaxRows: ${values.length} values are not rows of ${k}`);
  const n = values.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[i * k + j]! > values[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Top-k accuracy: the fraction of examples whose true class is among the `k` highest scores of its
 * row: the true class counts when fewer than `k` classes score strictly higher (ties in the example's
 * favour; scikit-learn's `top_k_accuracy_score` breaks ties by class order instead, which only differs
 * on exactly equal scores).
 * @param scores row-major [n, numClasses] probabilities or logits
 * @throws RangeError when the shapes disagree or k is not in 1..numClasses
 */
export function topKAccuracy(scores: ArrayLike<number>, trueLabels: ArrayLike<number>, numClasses: number, k: number): number {
  if (scores.length !== trueLabels.length * numClasses)
    throw new RangeError(`topKAccuracy: ${scores.length} scores for ${trueLabels.length} examples of ${numClasses} classes`);
  if (!(Number.isInteger(k) && k >= 1 && k <= numClasses)) throw new RangeError(`topKAccuracy: k = ${k} is not in 1..${numClasses}`);
  let hits = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = scores[i * numClasses + trueLabels[i]!]!;
    let higher = 0;
    for (let j = 0; j < numClasses; j++) if (scores[i * numClasses + j]! > t) higher++;
    if (higher < k) hits++;
  }
  return trueLabels.length === 0 ? 0 : hits / trueLabels.length;
}

/** The k of top-k accuracy reported for `numClasses` classes: 2, 3 and 5 where below the class count. */
export function topKValues(numClasses: number): number[] {
  return [2, 3, 5].filter((k) => k < numClasses);
}

/** A misclassified example. */
export interface Mistake {
  /** Position in the evaluated set. */
  index: number;
  trueClass: number;
  predictedClass: number;
  /** Probability the model gave its (wrong) prediction. */
  probability: number;
  /** Probability it gave the true class. */
  trueProbability: number;
}

/**
 * The misclassified examples with the highest predicted probability, most confident first (ties: the
 * earlier example).
 * @param probs row-major [n, numClasses] probabilities (softmax of the logits)
 * @param limit how many to return at most
 */
export function confidentMistakes(probs: ArrayLike<number>, trueLabels: ArrayLike<number>, numClasses: number, limit: number): Mistake[] {
  const pred = argmaxRows(probs, numClasses);
  const out: Mistake[] = [];
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = pred[i]!;
    if (p === t) continue;
    out.push({ index: i, trueClass: t, predictedClass: p, probability: probs[i * numClasses + p]!, trueProbability: probs[i * numClasses + t]! });
  }
  out.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return out.slice(0, limit);
}

/** Off-diagonal cells of a confusion matrix, largest count first (ties: row, then column order). */
export function biggestConfusions(m: number[][], limit: number): { trueClass: number; predictedClass: number; count: number }[] {
  const cells: { trueClass: number; predictedClass: number; count: number }[] = [];
  m.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && cells.push({ trueClass: t, predictedClass: p, count })));
  cells.sort((a, b) => b.count - a.count || a.trueClass - b.trueClass || a.predictedClass - b.predictedClass);
  return cells.slice(0, limit);
}

/** Row-wise softmax of row-major [n, k] logits, in float64 (max subtracted first). */
export function softmaxRows(logits: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[i + j] = Math.exp(logits[i + j]! - max);
    for (let j = 0; j < k; j++) out[i + j]! /= sum;
  }
  return out;
}
