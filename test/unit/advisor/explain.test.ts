// The advice in plain words: the headline and the rows agree (on the case the issue showed: inputs
// similar, last features too specific, a threshold that read "> -2.8 pt is different"), and over a grid
// of measurements the words match the verdicts of rules.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdvisorReport } from '../../../src/core/advisor/advise.js';
import { explainAdvice } from '../../../src/core/advisor/explain.js';
import { DEFAULT_THRESHOLDS, ruleFor, specificityThreshold, verdicts } from '../../../src/core/advisor/rules.js';

/** A report as advise() builds it from these measurements (thresholds adjusted for the gap's standard error). */
function report(perClass: number, domainAccuracy: number, gap?: { gap: number; se: number }): AdvisorReport {
  const thresholds = gap
    ? { ...DEFAULT_THRESHOLDS, maxSpecificityGap: specificityThreshold(DEFAULT_THRESHOLDS.maxSpecificityGap, gap.se) }
    : DEFAULT_THRESHOLDS;
  const { small, similar } = verdicts(perClass, domainAccuracy, gap?.gap, thresholds);
  const rule = ruleFor(small, similar);
  return {
    version: 1,
    experiment: 'target',
    experimentFile: '/w/target.transfer.json',
    baseSource: 'run',
    sourceExperiment: '/w/source.transfer.json',
    sourceExamples: 4000,
    target: { classes: ['5', '6'], labelledPerClass: [perClass, perClass], medianPerClass: perClass, examples: 2 * perClass },
    layer: 'dense1',
    similarity: {
      domainAccuracy,
      proxyADistance: 2 * (1 - 2 * (1 - domainAccuracy)),
      nearestNeighbourRatio: 1.1,
      meanShift: 0.2,
      examplesPerDomain: 500,
      features: 128,
    },
    thresholds,
    verdict: { small, similar, rule, advice: 'advice text' },
    ...(gap ? { specificityGap: gap.gap, specificityStandardError: gap.se, validationExamples: 300, earlierLayer: 'pool1' } : {}),
    edits: [],
  };
}

test('inputs similar, last features too specific: the headline says different and why; the rows say which; no negative threshold', () => {
  // the numbers: margin 2 pt, s.e. 2.4 pt -> the old "> -2.8 pt is different"
  const r = report(10, 0.93, { gap: 0.01, se: 0.024 });
  assert.equal(r.verdict.similar, false);
  const x = explainAdvice(r);
  assert.equal(x.situation, 'Small target, different from the source');
  assert.match(x.why, /^Different: your inputs look like the source’s, but the source’s last features are too specific/);
  const byKey = Object.fromEntries(x.rows.map((m) => [m.key, m]));
  assert.equal(byKey.perClass!.verdict, 'small target');
  assert.equal(byKey.domain!.verdict, 'similar inputs');
  assert.equal(byKey.domain!.value, '93.0%');
  assert.equal(byKey.gap!.verdict, 'last features too specific');
  assert.equal(byKey.gap!.value, '+1.0 pt');
  // 1.0 + 2 × 2.4 = 5.8 pt against the 2.0 pt margin
  assert.match(byKey.gap!.meaning, /± 2\.4 pt, twice that added\) it is up to \+5\.8 pt\. The last features fit your task when that is at most \+2\.0 pt$/);
  for (const m of x.rows) assert.doesNotMatch(`${m.meaning} ${m.verdict}`, /-2\.8|−2\.8|is different$/);
});

test('the words follow the verdicts of rules.ts over a grid of measurements', () => {
  for (const perClass of [10, 99, 100, 400])
    for (const domain of [0.5, 0.9, 0.979, 0.98, 0.999])
      for (const gap of [undefined, { gap: -0.03, se: 0.002 }, { gap: 0.0, se: 0.005 }, { gap: 0.015, se: 0.01 }, { gap: 0.05, se: 0.01 }]) {
        const r = report(perClass, domain, gap);
        const x = explainAdvice(r);
        const what = `${perClass}/${domain}/${JSON.stringify(gap)}`;
        assert.equal(x.situation, `${r.verdict.small ? 'Small' : 'Large'} target, ${r.verdict.similar ? 'similar to' : 'different from'} the source`, what);
        assert.equal(x.why.startsWith(r.verdict.similar ? 'Similar' : 'Different'), true, what);
        // "different" exactly when a similarity row says so
        assert.equal(
          x.rows.some((m) => m.says === 'different'),
          !r.verdict.similar,
          what,
        );
        assert.equal(x.rows.find((m) => m.key === 'perClass')!.says, r.verdict.small ? 'small' : 'large', what);
      }
});
