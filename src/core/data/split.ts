/**
 * Seeded, stratified split of the training source into train / validation / test, and the
 * few-label cut `split.trainPerClass`.
 *
 * For each class separately, its examples are shuffled with a generator seeded from
 * (`seed`, "split"); the first round(validation × n) go to validation, the next round(test × n) to
 * test, the rest to train (at least one example of each class always stays in train). Only then does
 * `trainPerClass` keep the first k of the shuffled train part of each class. So the validation and
 * test sets depend on the seed, the fractions and the source — never on `trainPerClass` — and
 * experiments differing only in `trainPerClass` are evaluated on identical examples, with nested
 * training sets (k = 10 ⊂ k = 50).
 *
 * Every output set lists its examples in source order.
 */
import { ExampleView } from './example-set.js';
import { Rng, deriveSeed, shuffle } from './rng.js';

/** Fractions of each class held out, and the few-label cap (see `data.split`). */
export interface SplitOptions {
  /** Fraction 0..1 of each class for validation (0 when a validation source is given). */
  validation: number;
  /** Fraction 0..1 of each class for test (0 when a test source is given). */
  test: number;
  /** Keep at most this many training examples per class, after the split. */
  trainPerClass?: number;
  /** `training.seed`. */
  seed: number;
}

/** The three parts of a split; `validation`/`test` are empty views when their fraction is 0. */
export interface SplitResult {
  train: ExampleView;
  validation: ExampleView;
  test: ExampleView;
}

/**
 * Splits `set` (labels 0..numClasses-1) per class as described in the module comment.
 * @throws RangeError if a fraction is outside [0, 1] or validation + test ≥ 1 (nothing left to train on).
 */
export function stratifiedSplit(set: ExampleView, numClasses: number, opts: SplitOptions): SplitResult {
  for (const [k, v] of [
    ['validation', opts.validation],
    ['test', opts.test],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`split.${k} must be a fraction in [0, 1], got ${v}`);
  }
  if (opts.validation + opts.test >= 1) {
    throw new RangeError(`split.validation + split.test = ${opts.validation + opts.test} leaves nothing to train on`);
  }
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  set.labels.forEach((l, i) => byClass[l].push(i));

  const rng = new Rng(deriveSeed(opts.seed, 'split'));
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    const n = members.length;
    if (n === 0) continue;
    shuffle(members, rng);
    let nVal = Math.round(opts.validation * n);
    let nTest = Math.round(opts.test * n);
    // keep at least one training example of the class: shrink the larger held-out part first
    while (nVal + nTest > n - 1 && nVal + nTest > 0) {
      if (nVal >= nTest) nVal--;
      else nTest--;
    }
    validation.push(...members.slice(0, nVal));
    test.push(...members.slice(nVal, nVal + nTest));
    const rest = members.slice(nVal + nTest);
    train.push(...rest.slice(0, opts.trainPerClass ?? rest.length));
  }
  const ordered = (a: number[]) => set.subset(a.sort((x, y) => x - y));
  return { train: ordered(train), validation: ordered(validation), test: ordered(test) };
}

/**
 * `trainPerClass` alone, for a training source whose validation and test come from their own
 * sources: keeps k examples of each class chosen by the same seeded per-class shuffle.
 */
export function capPerClass(set: ExampleView, numClasses: number, trainPerClass: number, seed: number): ExampleView {
  return stratifiedSplit(set, numClasses, { validation: 0, test: 0, trainPerClass, seed }).train;
}
