/**
 * The strategy advice in plain words, one wording for the panel and the CLI: the headline names the
 * verdicts and which measurement decided "different"; each measurement row says what its number means
 * and how it is judged, and its verdict uses the headline's words, so the two never disagree.
 *
 * "Similar to the source" needs both parts (`rules.ts`): inputs the domain classifier cannot tell
 * apart well, and last features that serve the target task about as well as the best earlier layer.
 * The second is judged on the gap's upper bound (gap + 2 standard errors ≤ the margin), which the
 * report stores as a possibly negative "largest gap that still counts" — shown here as the bound and
 * the margin instead ("+1.2 pt, up to +3.0 pt allowing for noise; similar needs ≤ 2.0 pt").
 */
import type { AdvisorReport } from './advise.js';
import { GAP_STANDARD_ERRORS } from './rules.js';

/** One measurement behind the verdict. */
export interface AdviceMeasure {
  key: 'perClass' | 'domain' | 'gap';
  /** What was measured (short). */
  measure: string;
  /** The number, formatted. */
  value: string;
  /** What the number means and how it is judged, in plain words. */
  meaning: string;
  /** The verdict of this row, in the headline's words (`small target`, `similar inputs`, …). */
  verdict: string;
  /** Which way this row pulls: `similar`/`different` for the similarity rows, `small`/`large` for the size row. */
  says: 'small' | 'large' | 'similar' | 'different';
}

/** The advice as text. */
export interface AdviceExplanation {
  /** `Small target, different from the source` (no advice text). */
  situation: string;
  /** Why the situation reads so, naming the rows that decided it. */
  why: string;
  rows: AdviceMeasure[];
}

/** `12.3%`. */
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** `+1.2 pt` / `−0.4 pt` from a fraction. */
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pt`;

/**
 * Explains an advisor report. The row verdicts are recomputed from the report's numbers with the
 * same comparisons as `verdicts()` in `rules.ts`, so they agree with `r.verdict`.
 */
export function explainAdvice(r: AdvisorReport): AdviceExplanation {
  const t = r.thresholds;
  const s = r.similarity;
  const rows: AdviceMeasure[] = [];
  const small = r.target.medianPerClass < t.smallPerClass;
  rows.push({
    key: 'perClass',
    measure: 'labelled examples per class (median)',
    value: String(r.target.medianPerClass),
    meaning: `fewer than ${t.smallPerClass} is a small target: too few to train the base's weights without overfitting`,
    verdict: small ? 'small target' : 'large target',
    says: small ? 'small' : 'large',
  });
  const inputsDiffer = s.domainAccuracy >= t.differentDomainAccuracy;
  rows.push({
    key: 'domain',
    measure: 'telling your inputs from the source\u2019s (domain classifier, held out)',
    value: percent(s.domainAccuracy),
    meaning: `how often a classifier on the base's features tells a target input from a source input: 50% means it cannot tell them apart; at ${percent(t.differentDomainAccuracy)} or more the inputs count as different`,
    verdict: inputsDiffer ? 'different inputs' : 'similar inputs',
    says: inputsDiffer ? 'different' : 'similar',
  });
  let featuresDiffer = false;
  if (r.specificityGap !== undefined) {
    const se = r.specificityStandardError ?? 0;
    const margin = t.maxSpecificityGap + GAP_STANDARD_ERRORS * se;
    const upper = r.specificityGap + GAP_STANDARD_ERRORS * se;
    featuresDiffer = r.specificityGap > t.maxSpecificityGap;
    rows.push({
      key: 'gap',
      measure: `best earlier layer (${r.earlierLayer}) minus last features (${r.layer}), validation accuracy of a linear head`,
      value: points(r.specificityGap),
      meaning:
        `how much better your task is served by an earlier layer than by the source's last features; ` +
        `allowing for noise (± ${(100 * se).toFixed(1)} pt, twice that added) it is up to ${points(upper)}. ` +
        `The last features fit your task when that is at most ${points(margin)}`,
      verdict: featuresDiffer ? 'last features too specific' : 'last features fit your task',
      says: featuresDiffer ? 'different' : 'similar',
    });
  }
  const similar = !inputsDiffer && !featuresDiffer;
  const situation = `${small ? 'Small' : 'Large'} target, ${similar ? 'similar to' : 'different from'} the source`;
  let why: string;
  if (similar) {
    why =
      r.specificityGap !== undefined
        ? 'Similar: your inputs look like the source\u2019s, and the source\u2019s last features serve your task as well as an earlier layer\u2019s.'
        : 'Similar: your inputs look like the source\u2019s (without validation data, how well the last features serve your task was not measured).';
  } else if (inputsDiffer && featuresDiffer) {
    why = 'Different: your inputs are unlike the source\u2019s, and the source\u2019s last features are too specific to its own task.';
  } else if (inputsDiffer) {
    why = 'Different: your inputs are unlike the source\u2019s.';
  } else {
    why =
      'Different: your inputs look like the source\u2019s, but the source\u2019s last features are too specific to its own task ' +
      '(an earlier layer serves yours better), so similar inputs alone do not make it similar.';
  }
  return { situation, why, rows };
}
