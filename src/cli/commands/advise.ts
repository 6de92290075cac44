/** `transfer-lab advise <file>`: the strategy advisor; prints the numbers behind the verdict and the edit (`--apply` writes it). */
import * as path from 'node:path';
import type { AdvisorReport } from '../../core/advisor/advise.js';
import { formatTable, pct } from '../table.js';
import { analysis, num, out, type AnalysisCommandOptions } from './analysis.js';

/** `advise <file>`. */
export function adviseCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<AdvisorReport>(
    file,
    'advise',
    'advice',
    o,
    (v) => {
      const s = v.similarity;
      const t = v.thresholds;
      out(`strategy advice for ${v.experiment} (source: ${path.basename(v.sourceExperiment)}, features at "${v.layer}")`);
      out(
        formatTable(
          ['measure', 'value', 'threshold', 'verdict'],
          [
            ['labelled examples per class (median)', String(v.target.medianPerClass), `< ${t.smallPerClass} is small`, v.verdict.small ? 'small' : 'large'],
            [
              'domain classifier accuracy (held out)',
              pct(s.domainAccuracy),
              `≥ ${pct(t.differentDomainAccuracy)} is different`,
              s.domainAccuracy >= t.differentDomainAccuracy ? 'different' : 'similar',
            ],
            ['proxy A-distance', num(s.proxyADistance), '', ''],
            ['nearest-neighbour distance ratio', num(s.nearestNeighbourRatio), '', ''],
            ['mean shift (per feature, source sd²)', num(s.meanShift), '', ''],
            ...(v.specificityGap !== undefined
              ? [
                  [
                    `best earlier layer (${v.earlierLayer}) − "${v.layer}", val acc`,
                    `${v.specificityGap >= 0 ? '+' : ''}${(v.specificityGap * 100).toFixed(1)} pt`,
                    `> ${(t.maxSpecificityGap * 100).toFixed(1)} pt is different`,
                    v.specificityGap > t.maxSpecificityGap ? 'different' : 'similar',
                  ],
                ]
              : []),
          ],
        ),
      );
      out(`(${s.examplesPerDomain} examples per domain, ${s.features} features; labelled per class: ${v.target.labelledPerClass.join(', ')})`);
      if (v.layers) {
        out('\nlinear head per cut layer (target training → validation):');
        out(
          formatTable(
            ['layer', 'features', 'train acc', 'val acc'],
            v.layers.map((l) => [l.layer, l.features, pct(l.trainAccuracy), pct(l.valAccuracy)]),
          ),
        );
      }
      out(`\nverdict: ${v.verdict.small ? 'small' : 'large'} and ${v.verdict.similar ? 'similar' : 'different'}; advice: ${v.verdict.advice}`);
    },
    (v) => v.edits,
  );
}
