/**
 * Statistics over repeated runs of one experiment on different label draws (the same file run with
 * other `training.seed`s: other labelled images, split and initialisation). With 10 labels per class
 * one draw can differ from the next by several accuracy points, so a comparison of strategies is
 * reported over several draws, paired by draw (every strategy sees the same draws).
 */

/** Summary of one metric over draws. */
export interface DrawStats {
  /** Number of draws. */
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1); 0 for a single draw. */
  sd: number;
  min: number;
  max: number;
}

/**
 * Mean, sample standard deviation, min and max of `values`.
 * @throws RangeError when `values` is empty.
 */
export function drawStats(values: readonly number[]): DrawStats {
  if (values.length === 0) throw new RangeError('drawStats: no values');
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

/** `treatment − control` per draw, over the draws both have. */
export interface PairedComparison {
  /** Draws (seeds) present in both, ascending. */
  seeds: number[];
  /** Per-draw differences, in the order of `seeds`. */
  differences: number[];
  /** Statistics of the differences. */
  stats: DrawStats;
  /** Standard error of the mean difference: sd / √n (0 for one draw). */
  standardError: number;
  /** Draws where the treatment is strictly higher. */
  wins: number;
}

/**
 * Pairs two strategies' results by draw and summarises the differences (e.g. test accuracy of
 * fine-tuning minus scratch, per seed): a paired comparison, which removes the draw-to-draw
 * variation both share.
 * @param treatment seed → metric.
 * @param control seed → metric.
 * @throws RangeError when no seed is in both.
 */
export function pairedComparison(treatment: ReadonlyMap<number, number>, control: ReadonlyMap<number, number>): PairedComparison {
  const seeds = [...treatment.keys()].filter((s) => control.has(s)).sort((a, b) => a - b);
  if (seeds.length === 0) throw new RangeError('pairedComparison: no draw in common');
  const differences = seeds.map((s) => treatment.get(s)! - control.get(s)!);
  const stats = drawStats(differences);
  return { seeds, differences, stats, standardError: stats.sd / Math.sqrt(stats.n), wins: differences.filter((d) => d > 0).length };
}
