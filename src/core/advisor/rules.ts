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
}

/**
 * Default thresholds: 100 labelled examples per class (a linear head on ~1,000 features starts to
 * be data-limited below it), and a domain accuracy of 0.98 — digits 0–4 vs 5–9 through a digits
 * CNN score about 0.9 (different classes are separable, even in one domain), digits vs
 * Fashion-MNIST 1.0 (see the advisor's check in the report of issue 7).
 */
export const DEFAULT_THRESHOLDS: AdvisorThresholds = { smallPerClass: 100, differentDomainAccuracy: 0.98 };

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
