/** `transfer-lab advise <file>`: the strategy advisor; prints the numbers behind the verdict and the edit (`--apply` writes it). */
import * as path from 'node:path';
import type { AdvisorReport } from '../../core/advisor/advise.js';
import { explainAdvice } from '../../core/advisor/explain.js';
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
      out(`strategy advice for ${v.experiment} (source: ${path.basename(v.sourceExperiment)}, features at "${v.layer}")`);
      const x = explainAdvice(v);
      out(
        formatTable(
          ['measure', 'value', 'verdict'],
          [
            ...x.rows.map((m) => [m.measure, m.value, m.verdict]),
            ['proxy A-distance', num(s.proxyADistance), ''],
            ['nearest-neighbour distance ratio', num(s.nearestNeighbourRatio), ''],
            ['mean shift (per feature, source sd²)', num(s.meanShift), ''],
          ],
        ),
      );
      for (const m of x.rows) out(`  ${m.measure}: ${m.meaning}.`);
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
      out(`\nverdict: ${x.situation}. ${x.why}\nadvice: ${v.verdict.advice}`);
    },
    (v) => v.edits,
  );
}
