/**
 * Pure axis helpers of the panel's charts (no DOM, no Chart.js): the accuracy axis fitted to the
 * data instead of a fixed [0, 1] (95–99 % curves are otherwise squashed at the top), and the choice of
 * logarithmic tick labels that do not overlap (Chart.js's own log formatter labels every tick in the
 * top fifth of the axis, which overlap on a 200-px chart).
 */

/**
 * Range of an accuracy axis: the data's range widened by 10 % of its span on each side (at least
 * ±1 point), snapped outwards to a multiple of 10, 5 or 1 points (widened span ≥ 30, ≥ 10, else) and
 * kept inside [0, 1]. Returns [0, 1] when there is
 * no finite value.
 * @param values accuracies (fractions in [0, 1]; null and non-finite values are ignored)
 */
export function fitUnitRange(values: readonly (number | null | undefined)[]): { min: number; max: number } {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return { min: 0, max: 1 };
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const pad = Math.max(0.01, (hi - lo) * 0.1);
  // Snap to a round step for the span (10, 5 or 1 points), so the axis ends on a labelled tick.
  const span = Math.round((hi - lo + 2 * pad) * 1e6) / 1e6;
  const step = span >= 0.3 ? 10 : span >= 0.1 ? 5 : 1;
  const snap = (x: number, f: (v: number) => number) => (f(Math.round(x * 1e6) / (1e4 * step)) * step) / 100;
  return { min: Math.max(0, snap(lo - pad, Math.floor)), max: Math.min(1, snap(hi + pad, Math.ceil)) };
}

/** The significand of a positive value in [1, 10) (rounded to 6 digits so 3e-4 gives 3, not 2.9999…). */
export function significand(v: number): number {
  const s = v / Math.pow(10, Math.floor(Math.log10(v)));
  const r = Math.round(s * 1e6) / 1e6;
  return r >= 10 ? r / 10 : r;
}

/** Rank of a log tick: powers of ten first, then 5, then 2, then 3, then the others. */
function rank(v: number): number {
  const s = significand(v);
  return s === 1 ? 0 : s === 5 ? 1 : s === 2 ? 2 : s === 3 ? 3 : 4;
}

/**
 * Which ticks of a logarithmic axis get a label: taken in rank order (powers of ten, then 5, 2, 3,
 * then the rest), a tick is labelled when its position is at least `minGapPx` from every tick
 * labelled before it. Positions are `lengthPx · (log v − log min) / (log max − log min)`.
 * @param values tick values (positive; others are never labelled)
 * @param lengthPx axis length in CSS pixels
 * @param minGapPx least distance between two labels (a label's height plus a margin)
 * @returns the indices of `values` that get a label
 */
export function logTickLabelled(values: readonly number[], lengthPx: number, minGapPx: number): Set<number> {
  const pos = values.filter((v) => v > 0);
  const out = new Set<number>();
  if (!pos.length) return out;
  const lo = Math.log10(Math.min(...pos));
  const hi = Math.log10(Math.max(...pos));
  const span = hi - lo || 1;
  const px = (v: number) => ((Math.log10(v) - lo) / span) * lengthPx;
  const order = values
    .map((v, i) => i)
    .filter((i) => values[i]! > 0)
    .sort((a, b) => rank(values[a]!) - rank(values[b]!) || values[a]! - values[b]!);
  const taken: number[] = [];
  for (const i of order) {
    const p = px(values[i]!);
    if (taken.every((q) => Math.abs(q - p) >= minGapPx)) {
      taken.push(p);
      out.add(i);
    }
  }
  return out;
}

/** A short label for a log-axis value: `1e-4`, `3e-5` below 0.01 or from 10 000 up, else plain (`0.05`, `2`, `300`). */
export function logTickText(v: number): string {
  if (v === 0) return '0';
  if (v < 0.01 || v >= 1e4) {
    const e = Math.floor(Math.log10(v));
    const s = significand(v);
    return `${Number(s.toPrecision(3))}e${e}`;
  }
  return String(Number(v.toPrecision(3)));
}
