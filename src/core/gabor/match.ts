/**
 * How Gabor-like are a model's first-layer filters? Each learned kernel (averaged over its input
 * channels) is compared with every kernel of a dense Gabor search bank of the same size by the
 * Pearson correlation
 *   r(a, b) = Σ (a − ā)(b − b̄) / sqrt(Σ (a − ā)² · Σ (b − b̄)²),
 * and the best-matching Gabor is reported with its r. Because a small kernel has few degrees of
 * freedom, the same search is run on random Gaussian kernels of the same size: their correlations
 * are what chance alone gives (a 3×3 kernel has only 8 degrees of freedom after centring).
 */
import type { FilterMatch, GaborMatchFile, GaborParamsJson } from '../runs/artifacts.js';
import { Rng } from '../data/rng.js';
import { gaborKernel, normalizeKernel, type GaborParams } from './kernel.js';

/** Pearson correlation of two equally long vectors (0 when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`pearson: lengths ${a.length} and ${b.length} differ`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** The parameter grid of the search bank. */
export interface SearchGrid {
  orientations: number;
  wavelengths: number[];
  /** σ as multiples of λ. */
  sigmaPerWavelength: number[];
  gammas: number[];
  phasesDegrees: number[];
}

/**
 * A default grid for kernels of side `size`: 16 orientations, wavelengths from 2 px (Nyquist) to
 * 2·size in 12 log-spaced steps, σ/λ ∈ {0.3, 0.56, 1}, γ ∈ {0.5, 1}, 8 phases.
 */
export function defaultGrid(size: number): SearchGrid {
  const lo = 2;
  const hi = Math.max(3, 2 * size);
  const steps = 12;
  return {
    orientations: 16,
    wavelengths: Array.from({ length: steps }, (_, i) => +(lo * Math.pow(hi / lo, i / (steps - 1))).toFixed(4)),
    sigmaPerWavelength: [0.3, 0.56, 1],
    gammas: [0.5, 1],
    phasesDegrees: [0, 45, 90, 135, 180, 225, 270, 315],
  };
}

/** Every kernel of the grid at side `size`, zero-mean and unit-norm (flat kernels are skipped). */
export function searchBank(size: number, grid: SearchGrid): { params: GaborParams; kernel: Float64Array }[] {
  const out: { params: GaborParams; kernel: Float64Array }[] = [];
  for (const lambda of grid.wavelengths) {
    for (const ratio of grid.sigmaPerWavelength) {
      for (const gamma of grid.gammas) {
        for (let o = 0; o < grid.orientations; o++) {
          for (const deg of grid.phasesDegrees) {
            const params: GaborParams = { lambda, theta: (o * Math.PI) / grid.orientations, psi: (deg * Math.PI) / 180, sigma: ratio * lambda, gamma };
            const kernel = gaborKernel(size, params, true);
            if (kernel.some((v) => v !== 0)) out.push({ params, kernel });
          }
        }
      }
    }
  }
  return out;
}

/** Parameters in degrees for JSON. */
export function paramsJson(p: GaborParams): GaborParamsJson {
  const r = (v: number) => +v.toFixed(4);
  return { lambda: r(p.lambda), thetaDegrees: r((p.theta * 180) / Math.PI), psiDegrees: r((p.psi * 180) / Math.PI), sigma: r(p.sigma), gamma: r(p.gamma) };
}

/** The best-matching kernel of `bank` for a (flattened, size×size) filter. */
export function bestMatch(filter: ArrayLike<number>, bank: { params: GaborParams; kernel: Float64Array }[]): { index: number; correlation: number } {
  // The bank is zero-mean, unit-norm: r = Σ a_c·b / ‖a_c‖ with a_c the centred filter.
  const a = normalizeKernel(Float64Array.from(filter));
  let best = -Infinity;
  let index = -1;
  bank.forEach((g, j) => {
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i]! * g.kernel[i]!;
    if (dot > best) {
      best = dot;
      index = j;
    }
  });
  return { index, correlation: a.some((v) => v !== 0) ? best : 0 };
}

/**
 * Square kernels of a conv layer, channel-averaged: `kernel` laid out [kh, kw, cin, cout] (tfjs
 * conv2d) → cout row-major kh·kw vectors.
 */
export function channelAveraged(kernel: Float32Array, kh: number, kw: number, cin: number, cout: number): Float64Array[] {
  return Array.from({ length: cout }, (_, o) => {
    const f = new Float64Array(kh * kw);
    for (let p = 0; p < kh * kw; p++) {
      let s = 0;
      for (let c = 0; c < cin; c++) s += kernel[(p * cin + c) * cout + o]!;
      f[p] = s / cin;
    }
    return f;
  });
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

/** What {@link matchFilters} needs to know about the layer. */
export interface LayerKernel {
  experiment: string;
  baseSource: string;
  layer: string;
  className: string;
  /** [kh, kw, cin, cout] values (tfjs layout). */
  kernel: Float32Array;
  shape: [number, number, number, number];
}

/**
 * Matches every filter of a square first-layer kernel against the default search bank, and runs the
 * same search on `chanceFilters` seeded random Gaussian kernels.
 * @throws RangeError for a non-square kernel.
 */
export function matchFilters(k: LayerKernel, chanceFilters = 200, seed = 1): GaborMatchFile {
  const [kh, kw, cin, cout] = k.shape;
  if (kh !== kw) throw new RangeError(`layer "${k.layer}" has a ${kh}×${kw} kernel; only square kernels are matched`);
  const grid = defaultGrid(kh);
  const bank = searchBank(kh, grid);
  const filters: FilterMatch[] = channelAveraged(k.kernel, kh, kw, cin, cout).map((w, index) => {
    const m = bestMatch(w, bank);
    const g = bank[m.index]!;
    return {
      index,
      weights: Array.from(w, (v) => +v.toPrecision(6)),
      best: paramsJson(g.params),
      gabor: Array.from(g.kernel, (v) => +v.toPrecision(6)),
      correlation: m.correlation,
    };
  });
  const rng = new Rng(seed);
  const chance = Array.from(
    { length: chanceFilters },
    () =>
      bestMatch(
        Array.from({ length: kh * kw }, () => rng.normal()),
        bank,
      ).correlation,
  );
  const rs = filters.map((f) => f.correlation);
  return {
    version: 1,
    experiment: k.experiment,
    baseSource: k.baseSource,
    layer: k.layer,
    className: k.className,
    kernelSize: [kh, kw],
    inputChannels: cin,
    filters,
    meanCorrelation: mean(rs),
    medianCorrelation: median(rs),
    chance: { filters: chanceFilters, meanCorrelation: mean(chance), medianCorrelation: median(chance) },
    search: {
      kernels: bank.length,
      orientations: grid.orientations,
      wavelengths: grid.wavelengths,
      sigmaPerWavelength: grid.sigmaPerWavelength,
      gammas: grid.gammas,
      phasesDegrees: grid.phasesDegrees,
    },
  };
}
