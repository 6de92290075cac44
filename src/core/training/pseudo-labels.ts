/**
 * Which target examples get a pseudo-label in a round of self-training (Lee 2013, "Pseudo-Label: The
 * Simple and Efficient Semi-Supervised Learning Method for Deep Neural Networks"; the confidence
 * threshold and per-class balancing follow the usual self-training recipe, e.g. Zou et al. 2018,
 * "Unsupervised Domain Adaptation for Semantic Segmentation via Class-Balanced Self-Training").
 *
 * Rules, in order:
 * 1. the pseudo-label of an example is its most probable class (ties: the lower class index);
 * 2. per predicted class, examples are ranked by that probability (ties: lower example index first);
 * 3. with `classBalance`, each class keeps only its most confident ⌈portion · n_c⌉ examples, n_c being
 *    how many examples are predicted as c — a per-class confidence threshold, so every class
 *    contributes the same share of its predictions and the easy classes, whose probabilities are
 *    highest, cannot crowd out the hard ones under one global threshold (Zou et al.'s CBST);
 * 4. an example is kept only when its probability is ≥ `threshold` (a floor for every class);
 * 5. at most `maxPerClass` are kept per class (the most confident).
 * The result lists examples in increasing index order.
 */

/** Selection settings. */
export interface PseudoLabelRule {
  threshold: number;
  classBalance: boolean;
  /** Share of each class's predictions kept with `classBalance`, in (0, 1]. */
  portion: number;
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
    groups[c]!.push({ i, p: probs[i * classes + c]! });
  }
  const kept: { i: number; p: number; c: number }[] = [];
  const perClass = groups.map((g, c) => {
    const ranked = [...g].sort((a, b) => b.p - a.p || a.i - b.i);
    const share = rule.classBalance ? ranked.slice(0, Math.ceil(rule.portion * ranked.length)) : ranked;
    const top = share.filter((e) => e.p >= rule.threshold).slice(0, rule.maxPerClass ?? Infinity);
    for (const e of top) kept.push({ ...e, c });
    return top.length;
  });
  kept.sort((a, b) => a.i - b.i);
  return { indices: kept.map((e) => e.i), labels: kept.map((e) => e.c), confidence: kept.map((e) => e.p), perClass };
}
