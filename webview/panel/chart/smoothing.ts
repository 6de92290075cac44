/**
 * Exponential-moving-average smoothing of a noisy curve, as TensorBoard's scalar dashboard does it
 * (tensorboard/webapp/widgets/line_chart_v2/lib/smoothing, formerly vz_line_chart2 `resmoothDataset`):
 * a first-order low-pass filter started at 0 and debiased by dividing by `1 − w^n`, so the first
 * smoothed value is the first raw value rather than a value pulled towards 0. Non-finite values
 * (gaps, NaN) pass through unchanged and do not advance the average; a constant series is returned
 * as it is.
 */

/**
 * Smooths `values` (one per point, in x order) with weight `weight` in [0, 1): 0 returns the values
 * unchanged, 0.99 averages over roughly the last 100 points. Point t (counting finite points only) is
 * `Σ_{i≤t} w^{t−i}(1−w)·v_i / (1 − w^{t+1})`, i.e. the weighted mean of the points so far with weights
 * `w^{t−i}`.
 * @throws RangeError when `weight` is outside [0, 1).
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight ${weight} is outside [0, 1)`);
  const first = values[0];
  if (weight === 0 || values.every((v) => v === first)) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - Math.pow(weight, n));
  });
}
