/** `transfer-lab filters <file>`: the base's first-layer filters against Gabor kernels; prints `gabor-match.json` as a table. */
import type { GaborMatchFile } from '../../core/runs/artifacts.js';
import { formatTable } from '../table.js';
import { analysis, num, out, type AnalysisCommandOptions } from './analysis.js';

/** `filters <file>`. */
export function filtersCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<GaborMatchFile>(file, 'gaborMatch', 'gaborMatch', o, (v) => {
    out(
      `first-layer filters of ${v.baseSource}: layer "${v.layer}" ${v.kernelSize.join('×')}×${v.inputChannels}, ${v.filters.length} filters against ${v.search.kernels} Gabor kernels`,
    );
    const rows = v.filters.map((f) => [
      f.index,
      num(f.correlation),
      num(f.best.thetaDegrees, 1),
      num(f.best.lambda, 2),
      num(f.best.sigma, 2),
      num(f.best.gamma, 2),
      num(f.best.psiDegrees, 0),
    ]);
    out(formatTable(['filter', 'r', 'θ°', 'λ', 'σ', 'γ', 'ψ°'], rows));
    out(
      `mean r ${num(v.meanCorrelation)}, median ${num(v.medianCorrelation)}; random ${v.kernelSize.join('×')} kernels (chance): mean ${num(v.chance.meanCorrelation)}, median ${num(v.chance.medianCorrelation)}`,
    );
  });
}
