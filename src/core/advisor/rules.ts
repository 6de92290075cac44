/**
 * The four rules of thumb of transfer learning (CS231n, "Transfer Learning",
 * https://cs231n.github.io/transfer-learning/; Yosinski et al. 2014), as a pure function of two
 * verdicts — is the labelled target small, is it similar to the source — with the experiment edit
 * that puts each into practice:
 *
 * | target | similar to the source | different from the source |
 * | --- | --- | --- |
 * | small | linear head on the pretrained features (`featureExtraction`, default cut) | linear head on earlier activations (`featureExtraction`, an earlier `cutLayer`) |
 * | large | fine-tune through the network (`fineTune`, base at 0.1× the head rate) | initialise from pretrained and fine-tune everything (`fineTune`, base at the full rate) |
 *
 * Small data overfits when many weights train, so the base stays frozen; features from a different
 * domain are too specific in the last layers, so an earlier, more generic layer feeds the head.
 * "Similar" needs both: a domain classifier that cannot tell the inputs apart well, and last-layer
 * features that serve the target task about as well as earlier ones (see `advise.ts`).
 */

/** The four cases. */
export type Rule = 'smallSimilar' | 'smallDifferent' | 'largeSimilar' | 'largeDifferent';

/** One change of the experiment file: set `value` at the JSON `pointer`, or remove it when `value` is undefined. */
export interface ExperimentEdit {
  pointer: string;
  value?: unknown;
}

/** Thresholds of the two verdicts. */
export interface AdvisorThresholds {
  /** The target is small when its median labelled examples per class is below this. */
  smallPerClass: number;
  /** The target is different when the domain classifier's held-out accuracy is at least this. */
  differentDomainAccuracy: number;
  /**
   * …or when a linear head on the best earlier layer beats one on the default cut layer by more than
   * this (validation accuracy): the source's last features are too specific for the target task.
   */
  maxSpecificityGap: number;
}

/**
 * Default thresholds: 100 labelled examples per class (a linear head on ~1,000 features starts to
 * be data-limited below it); a domain accuracy of 0.98 — digits 0–4 vs 5–9 through the digits 0–4
 * CNN score about 0.90 (different classes are separable, even in one domain), digits vs
 * Fashion-MNIST 0.99; a specificity gap of 2 points of validation accuracy (Yosinski et al. 2014:
 * the last layers of a network are specific to its task, the first ones general).
 */
export const DEFAULT_THRESHOLDS: AdvisorThresholds = { smallPerClass: 100, differentDomainAccuracy: 0.98, maxSpecificityGap: 0.02 };

/**
 * The two verdicts from the measurements: small when the median labelled examples per class is below
 * `smallPerClass`; similar when the domain classifier stays below `differentDomainAccuracy` and the
 * specificity gap (best earlier layer's validation accuracy minus the default cut's; undefined when it
 * could not be measured) is at most `maxSpecificityGap`.
 */
export function verdicts(medianPerClass: number, domainAccuracy: number, specificityGap: number | undefined, t: AdvisorThresholds): { small: boolean; similar: boolean } {
  return {
    small: medianPerClass < t.smallPerClass,
    similar: domainAccuracy < t.differentDomainAccuracy && (specificityGap === undefined || specificityGap <= t.maxSpecificityGap),
  };
}

/** Which rule applies. */
export function ruleFor(small: boolean, similar: boolean): Rule {
  return small ? (similar ? 'smallSimilar' : 'smallDifferent') : similar ? 'largeSimilar' : 'largeDifferent';
}

/** One line describing each rule. */
export const RULE_TEXT: Record<Rule, string> = {
  smallSimilar: 'small target, similar to the source: train a linear head on the pretrained features (base frozen)',
  smallDifferent: 'small target, different from the source: train a linear head on earlier activations (base frozen, earlier cut layer)',
  largeSimilar: 'large target, similar to the source: fine-tune through the network (base at a smaller rate than the head)',
  largeDifferent: 'large target, different from the source: initialise from the pretrained weights and fine-tune everything at the full rate',
};

/**
 * The edit of each rule.
 * @param earlierLayer the cut layer for `smallDifferent` (an earlier layer, e.g. the sweep's best).
 */
export function editsFor(rule: Rule, earlierLayer?: string): ExperimentEdit[] {
  const common: ExperimentEdit[] = [{ pointer: '/transfer/freeze' }, { pointer: '/transfer/stages' }];
  switch (rule) {
    case 'smallSimilar':
      return [{ pointer: '/transfer/strategy', value: 'featureExtraction' }, { pointer: '/transfer/cutLayer' }, ...common];
    case 'smallDifferent':
      return [{ pointer: '/transfer/strategy', value: 'featureExtraction' }, { pointer: '/transfer/cutLayer', ...(earlierLayer !== undefined ? { value: earlierLayer } : {}) }, ...common];
    case 'largeSimilar':
      return [{ pointer: '/transfer/strategy', value: 'fineTune' }, { pointer: '/transfer/cutLayer' }, ...common, { pointer: '/learningRate/baseMultiplier', value: 0.1 }];
    case 'largeDifferent':
      return [{ pointer: '/transfer/strategy', value: 'fineTune' }, { pointer: '/transfer/cutLayer' }, ...common, { pointer: '/learningRate/baseMultiplier', value: 1 }];
  }
}
