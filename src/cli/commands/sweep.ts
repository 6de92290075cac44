/** `transfer-lab sweep <file>`: a linear head per candidate cut layer; prints `layer-sweep.json` as a table; `--apply` sets `transfer.cutLayer`. */
import type { LayerSweepFile } from '../../core/runs/artifacts.js';
import { formatTable, pct } from '../table.js';
import { analysis, num, out, type AnalysisCommandOptions } from './analysis.js';

/** `sweep <file>`. */
export function sweepCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<LayerSweepFile>(
    file,
    'layerSweep',
    'layerSweep',
    o,
    (v) => {
      out(
        `layer sweep of ${v.experiment}: a linear head per cut layer (${v.examples.train} train, ${v.examples.validation} validation, ${v.examples.test} test examples)`,
      );
      const rows = v.layers.map((l) => [
        l.layer + (l.layer === v.best ? ' *' : '') + (l.layer === v.currentCutLayer ? ' (current)' : ''),
        l.className,
        l.pool > 1 ? `${l.featureShape.join('×')} (avg ${l.pool}×${l.pool})` : l.featureShape.join('×'),
        pct(l.trainAccuracy),
        pct(l.valAccuracy),
        pct(l.testAccuracy),
        num(l.seconds, 1),
      ]);
      out(formatTable(['layer', 'class', 'features', 'train acc', 'val acc', 'test acc', 'seconds'], rows));
      if (v.best) out(`best by validation accuracy: ${v.best}`);
    },
    (v) => (v.edit ? [v.edit] : []),
  );
}
