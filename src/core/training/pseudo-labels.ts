/**
 * Which target examples get a pseudo-label in a round of self-training (Lee 2013, "Pseudo-Label: The
 * Simple and Efficient Semi-Supervised Learning Method for Deep Neural Networks"; the confidence
 * threshold and per-class balancing follow the usual self-training recipe, e.g. Zou et al. 2018,
 * "Unsupervised Domain Adaptation for Semantic Segmentation via Class-Balanced Self-Training").
 *
 * Rules, in order:
 * 1. the pseudo-label of an example is its most probable class (ties: the lower class index);
 * 2. it is kept only when that probability is ≥ `threshold`;
 * 3. per predicted class the kept examples are ranked by probability (ties: lower example index
 *    first) and at most `maxPerClass` are kept;
 * 4. with `classBalance`, every class keeps the same number: the smallest count among the classes
 *    that have any kept example (a class with none does not veto the others).
 * The result lists examples in increasing index order.
 */

/** Selection settings. */
export interface PseudoLabelRule {
  threshold: number;
  classBalance: boolean;
  maxPerClass?: number;
}

/** The kept examples. */
export interface PseudoLabels {
  /** Example indices, ascending. */
  indices: number[];
  /** Pseudo-label of each kept example. */
  labels: number[];
  /** Its probability. */
  confidence: number[];
  /** Kept examples per class. */
  perClass: number[];
}

/**
 * Applies the rules to class probabilities `probs` ([n, classes] row-major, rows summing to 1).
 * @throws RangeError when `probs.length` is not a multiple of `classes`.
 */
export function selectPseudoLabels(probs: ArrayLike<number>, classes: number, rule: PseudoLabelRule): PseudoLabels {
  if (classes < 1 || probs.length % classes !== 0) throw new RangeError(`${probs.length} probabilities are not rows of ${classes} classes`);
  const n = probs.length / classes;
  const groups: { i: number; p: number }[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 1; j < classes; j++) if (probs[i * classes + j]! > probs[i * classes + c]!) c = j;
    const p = probs[i * classes + c]!;
    if (p >= rule.threshold) groups[c]!.push({ i, p });
  }
  let cap = rule.maxPerClass ?? Infinity;
  if (rule.classBalance) {
    const nonEmpty = groups.filter((g) => g.length > 0).map((g) => g.length);
    if (nonEmpty.length > 0) cap = Math.min(cap, ...nonEmpty);
  }
  const kept: { i: number; p: number; c: number }[] = [];
  const perClass = groups.map((g, c) => {
    const top = [...g].sort((a, b) => b.p - a.p || a.i - b.i).slice(0, cap);
    for (const e of top) kept.push({ ...e, c });
    return top.length;
  });
  kept.sort((a, b) => a.i - b.i);
  return { indices: kept.map((e) => e.i), labels: kept.map((e) => e.c), confidence: kept.map((e) => e.p), perClass };
}
