/**
 * The four rules of thumb of transfer learning, as a pure function of two verdicts — is the labelled
 * target small, is it similar to the source — with the experiment edit that puts each into practice.
 * Sources: CS231n, "Transfer Learning" (https://cs231n.github.io/transfer-learning/, section "When and
 * how to fine-tune?" and its note on learning rates); Yosinski et al. 2014, "How transferable are
 * features in deep neural networks?" (NeurIPS; features go from general in the first layers to
 * specific to the source task in the last ones).
 *
 * | target | similar to the source | different from the source |
 * | --- | --- | --- |
 * | small | linear head on the pretrained features (`featureExtraction`, cut at the layer the validation sweep favours) | linear head on earlier activations (`featureExtraction`, the sweep's best layer before the last features) |
 * | large | fine-tune through the network (`fineTune`, base at 0.1× the head rate) | initialise from pretrained and fine-tune everything (`fineTune`, base at the full rate) |
 *
 * - small × similar (cs231n: "train a linear classifier on the CNN codes"): with little data, training
 *   the base overfits, so it stays frozen. Which layer's codes is measured, not assumed: the head goes
 *   on the layer whose linear head scores best on the target's validation data (the penultimate layer
 *   unless an earlier one beats it), because a small source network's last hidden layer can be
 *   specific to its own classes even when the inputs are alike.
 * - small × different (cs231n: "train the SVM classifier from activations somewhere earlier in the
 *   network"): the top layers hold "more dataset-specific features"; the earlier layer is the sweep's
 *   best before the last features.
 * - large × similar (cs231n: "we can have more confidence that we won't overfit if we were to try to
 *   fine-tune through the full network", and "use a smaller learning rate for ConvNet weights that are
 *   being fine-tuned … we expect that the ConvNet weights are relatively good, so we don't wish to
 *   distort them too quickly and too much"): the base trains at 0.1× the head's rate.
 * - large × different (cs231n: "it is very often still beneficial to initialize with weights from a
 *   pretrained model … fine-tune through the entire network"): the weights are a starting point, not
 *   something to preserve, so the base trains at the full rate (Yosinski et al.: fine-tuning recovers
 *   from the specificity of the transferred top layers).
 *
 * "Similar" needs both: a domain classifier that cannot tell the inputs apart well, and last-layer
 * features that serve the target task as well as earlier ones up to the noise of the measurement
 * (see `advise.ts`). Every measurement behind the verdicts uses the target's training and validation
 * data only.
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
   * …or when a linear head on the best earlier layer beats one on the last features by more than
   * this (validation accuracy): the source's last features are too specific for the target task.
   * The advisor reports the value it applied, which allows for the measured gap's standard error.
   */
  maxSpecificityGap: number;
}

/**
 * Default thresholds, and where each comes from:
 *
 * - `smallPerClass` 100: cs231n gives no number; 100 labelled examples per class is the usual order of
 *   magnitude below which fine-tuning a CNN overfits. The advisor cases sit at 10 and 300–400 per class,
 *   far on either side, so they check the rules, not this exact value.
 * - `differentDomainAccuracy` 0.98: measured, not tuned on outcomes. Through the last features of a
 *   CNN trained on digits 0–4, the source-vs-target probe tells digits 5–9 from 0–4 with 0.89–0.95
 *   held-out accuracy (the last features are class-specific, so unseen classes of the same domain
 *   are already fairly separable), and Fashion-MNIST from digits with 0.99+. A threshold below the
 *   same-domain values would call a new label set "a different domain"; the task part of similarity
 *   (the specificity gap) is what catches a label set the last features do not serve.
 * - `maxSpecificityGap` 0.02: how much worse than the best earlier layer the last features may be and
 *   still count as serving the target task (Yosinski et al. 2014 measure transfer losses of a few
 *   points when the top layers are specific). The gap is measured on a few hundred validation
 *   examples, so "similar" must be shown, not presumed: the gap plus twice its standard error must
 *   stay within the margin ({@link specificityThreshold}, a non-inferiority test). Keeping the top
 *   layers nearly fixed (large × similar) or reading the head off them is only justified when they
 *   are known to fit the target; an unresolved gap is no such evidence. At 10 examples per class the
 *   single-draw gap moves by several points, and the old bare 2-point threshold made the verdict flip
 *   between draws.
 */
export const DEFAULT_THRESHOLDS: AdvisorThresholds = { smallPerClass: 100, differentDomainAccuracy: 0.98, maxSpecificityGap: 0.02 };

/** Standard errors added to a specificity gap before it is held to the margin (≈ a one-sided 97.7% bound). */
export const GAP_STANDARD_ERRORS = 2;

/**
 * The largest measured specificity gap that still counts as similar: the margin minus
 * {@link GAP_STANDARD_ERRORS} standard errors of the gap (similar ⇔ gap + 2·SE ≤ margin). Negative when
 * the validation set is too small to show the last features are within the margin of the best.
 */
export function specificityThreshold(margin: number, standardError: number): number {
  return margin - GAP_STANDARD_ERRORS * standardError;
}

/**
 * The two verdicts from the measurements: small when the median labelled examples per class is below
 * `smallPerClass`; similar when the domain classifier stays below `differentDomainAccuracy` and the
 * specificity gap (best earlier layer's validation accuracy minus the last features'; undefined when it
 * could not be measured) is at most `maxSpecificityGap` (pass the threshold of
 * {@link specificityThreshold}, which allows for the gap's noise).
 */
export function verdicts(
  medianPerClass: number,
  domainAccuracy: number,
  specificityGap: number | undefined,
  t: AdvisorThresholds,
): { small: boolean; similar: boolean } {
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

/** Cut layers the sweep chose (absent: the default cut). */
export interface RuleLayers {
  /** The best layer overall by validation accuracy, when it is not the last features: the cut of `smallSimilar`. */
  featureLayer?: string | undefined;
  /** The cut of `smallDifferent`: the best layer before the last features (see `advise.ts`). */
  earlierLayer?: string | undefined;
}

/**
 * The edit of each rule. Both frozen-feature rules cut where the validation sweep says: `smallSimilar`
 * at the best layer overall (the last features unless an earlier layer scores higher), `smallDifferent`
 * at the best earlier layer. Absent layers mean the default cut. The fine-tuning rules keep the
 * default cut (only the old classifier replaced).
 */
export function editsFor(rule: Rule, layers: RuleLayers = {}): ExperimentEdit[] {
  const common: ExperimentEdit[] = [{ pointer: '/transfer/freeze' }, { pointer: '/transfer/stages' }];
  const cut = (name: string | undefined): ExperimentEdit => ({ pointer: '/transfer/cutLayer', ...(name !== undefined ? { value: name } : {}) });
  switch (rule) {
    case 'smallSimilar':
      return [{ pointer: '/transfer/strategy', value: 'featureExtraction' }, cut(layers.featureLayer), ...common];
    case 'smallDifferent':
      return [{ pointer: '/transfer/strategy', value: 'featureExtraction' }, cut(layers.earlierLayer), ...common];
    case 'largeSimilar':
      return [{ pointer: '/transfer/strategy', value: 'fineTune' }, cut(undefined), ...common, { pointer: '/learningRate/baseMultiplier', value: 0.1 }];
    case 'largeDifferent':
      return [{ pointer: '/transfer/strategy', value: 'fineTune' }, cut(undefined), ...common, { pointer: '/learningRate/baseMultiplier', value: 1 }];
  }
}
