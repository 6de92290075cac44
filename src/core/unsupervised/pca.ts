/**
 * Principal component analysis of feature rows, with ml-pca doing the decomposition.
 *
 * ml-pca's eigen/SVD solvers (pure JS) are quick for tens to a few hundred dimensions but take minutes
 * for raw 28×28 pixels (784 dimensions) on 2,000 rows. Above {@link DIRECT_MAX_DIM} dimensions the
 * data is therefore first projected onto a randomized subspace that captures its leading principal
 * directions (Halko, Martinsson & Tropp 2011, "Finding structure with randomness", Alg. 4.4:
 * Q = orth((XcᵀXc)^q Xcᵀ Xc Ω) for a Gaussian Ω of c + 10 columns, q = 3 power iterations, with
 * re-orthonormalisation in between), and ml-pca runs on the projected rows Xc·Q. The large products
 * run in tfjs; orthonormalisation is modified Gram–Schmidt in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { PCA } from 'ml-pca';
import { Rng } from '../data/rng.js';

/** Up to this many dimensions ml-pca decomposes the data directly. */
export const DIRECT_MAX_DIM = 256;
/** Extra columns of the randomized subspace (oversampling). */
const OVERSAMPLE = 10;
/** Power iterations of the randomized subspace. */
const POWER_ITERATIONS = 3;

/** Result of {@link pca}. */
export interface PcaResult {
  /** Principal-component scores, [n, components] row-major, float64. */
  scores: Float64Array;
  components: number;
  /** Fraction of the total variance of the rows that the kept components carry. */
  explainedVariance: number;
}

/** Column means and the total variance Σ_j var_j (divisor n) of rows x [n, dim]. */
function moments(x: ArrayLike<number>, n: number, dim: number): { mean: Float64Array; total: number } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j] /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const d = x[i * dim + j]! - mean[j]!;
      total += d * d;
    }
  }
  return { mean, total: total / n };
}

/** Modified Gram–Schmidt on the columns of q [rows, cols] (row-major), in place. */
function orthonormalize(q: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += q[r * cols + c]! * q[r * cols + p]!;
      for (let r = 0; r < rows; r++) q[r * cols + c] -= dot * q[r * cols + p]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += q[r * cols + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) q[r * cols + c] /= norm;
  }
}

/**
 * Projects rows x [n, dim] onto their first `components` principal components (fewer when n − 1 or
 * dim is smaller).
 * @param seed seeds the randomized subspace (only used above {@link DIRECT_MAX_DIM} dimensions).
 * @throws RangeError when there are fewer than 2 rows.
 */
export function pca(x: Float32Array, n: number, dim: number, components: number, seed: number): PcaResult {
  if (n < 2) throw new RangeError(`PCA needs at least 2 rows, got ${n}`);
  const c = Math.max(1, Math.min(components, dim, n - 1));
  const { mean, total } = moments(x, n, dim);
  let rows: number[][];
  if (dim <= DIRECT_MAX_DIM) {
    rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
  } else {
    const width = Math.min(dim, c + OVERSAMPLE);
    const rng = new Rng(seed);
    const q = Float64Array.from({ length: dim * width }, () => rng.normal());
    const xc = tf.tidy(() => tf.sub(tf.tensor2d(x, [n, dim]), tf.tensor1d(Float32Array.from(mean))));
    for (let it = 0; it <= POWER_ITERATIONS; it++) {
      const next = tf.tidy(() => {
        const qt = tf.tensor2d(Float32Array.from(q), [dim, width]);
        return tf.matMul(xc, tf.matMul(xc, qt), true, false).dataSync();
      });
      q.set(next);
      orthonormalize(q, dim, width);
    }
    // Read outside tidy: a typed array returned from tidy is walked element by element (~1 µs each).
    const yt = tf.tidy(() => tf.matMul(xc, tf.tensor2d(Float32Array.from(q), [dim, width])));
    const y = yt.dataSync() as Float32Array;
    yt.dispose();
    xc.dispose();
    rows = Array.from({ length: n }, (_, i) => Array.from(y.subarray(i * width, (i + 1) * width)));
  }
  const model = new PCA(rows, { center: true, scale: false });
  const z = model.predict(rows, { nComponents: c });
  const scores = new Float64Array(n * c);
  let kept = 0;
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = z.get(i, j);
      scores[i * c + j] = v;
      s += v * v;
    }
    kept += s / n;
  }
  return { scores, components: c, explainedVariance: total > 0 ? Math.min(1, kept / total) : 0 };
}
