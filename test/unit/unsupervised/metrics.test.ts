// NMI, ARI and the silhouette against hand computations and scikit-learn's values; PCA's randomized
// path against ml-pca on the full data; the clustering pipeline on well-separated blobs.
//
// Reference values: scikit-learn 1.2.1 (Debian python3-sklearn), e.g.
//   python3 -c "from sklearn.metrics import normalized_mutual_info_score as n, adjusted_rand_score as a; print(n([0,0,1,1],[0,0,1,2]), a([0,0,1,1],[0,0,1,2]))"
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/core/backend/index.js';
import { ari, contingency, entropy, mutualInformation, nmi } from '../../../src/core/unsupervised/metrics.js';
import { silhouette } from '../../../src/core/unsupervised/silhouette.js';
import { pca } from '../../../src/core/unsupervised/pca.js';
import { clusterRows } from '../../../src/core/unsupervised/cluster.js';
import { PCA } from 'ml-pca';
import { Rng } from '../../../src/core/data/rng.js';

before(async () => {
  await initBackend('wasm');
});

const close = (a: number, b: number, tol = 1e-12, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('NMI and ARI of [0,0,1,1] vs [0,0,1,2], by hand', () => {
  // H(U) = ln 2, H(V) = ln 2 / 2 + ln 4 / 2 = 1.5 ln 2, I = ln 2 (V refines U): NMI = ln 2 / (1.25 ln 2) = 0.8.
  const c = contingency([0, 0, 1, 1], [0, 0, 1, 2]);
  close(entropy(c.rows, c.n), Math.LN2);
  close(entropy(c.cols, c.n), 1.5 * Math.LN2);
  close(mutualInformation(c), Math.LN2);
  close(nmi([0, 0, 1, 1], [0, 0, 1, 2]), 0.8);
  // Pairs: Σ C(n_ij,2) = 1; Σ C(a_i,2) = 2; Σ C(b_j,2) = 1; C(4,2) = 6; expected = 2/6;
  // ARI = (1 − 1/3) / (1.5 − 1/3) = 4/7.
  close(ari([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7);
});

test('NMI and ARI match scikit-learn on further cases (renaming, independence, below chance)', () => {
  const cases: [number[], number[], number, number][] = [
    [[0, 0, 1, 1], [1, 1, 0, 0], 1.0, 1.0],
    [[0, 0, 1, 1], [0, 1, 0, 1], 0.0, -0.5],
    [[0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2, 2], 0.589509827447305, 0.35714285714285715],
    [[0, 1, 2, 0, 1, 2, 0, 1, 2, 3], [0, 0, 0, 1, 1, 1, 2, 2, 2, 2], 0.0833624655813351, -0.2962962962962963],
    [[5, 5, 5, 5], [1, 1, 2, 2], 0.0, 0.0],
    [[0, 0, 0], [0, 0, 0], 1.0, 1.0],
  ];
  for (const [u, v, n, a] of cases) {
    close(nmi(u, v), n, 1e-12, `NMI ${u} ${v}`);
    close(ari(u, v), a, 1e-12, `ARI ${u} ${v}`);
    close(nmi(v, u), n, 1e-12, 'NMI is symmetric');
  }
  assert.throws(() => nmi([0, 1], [0]), RangeError);
});

test('silhouette of tiny sets, by hand and against scikit-learn', () => {
  // 1-D points 0, 1 | 4, 5, 5.5. s(0) = (29/6 − 1)/(29/6); s(1) = (23/6 − 1)/(23/6); s(4) = (3.5 − 1.25)/3.5;
  // s(5) = (4.5 − 0.75)/4.5; s(5.5) = (5 − 1)/5.
  const hand = ((29 / 6 - 1) / (29 / 6) + (23 / 6 - 1) / (23 / 6) + 2.25 / 3.5 + 3.75 / 4.5 + 4 / 5) / 5;
  const s = silhouette([0, 1, 4, 5, 5.5], 1, [0, 0, 1, 1, 1]);
  close(s, hand, 1e-12);
  close(s, 0.7616848718497895, 1e-12);
  // A singleton cluster scores 0 for its member (scikit-learn: 0.5403557437305931).
  close(silhouette([0, 0, 0, 1, 3, 0, 3, 1, 10, 10], 2, [0, 0, 1, 1, 2]), 0.5403557437305931, 1e-12);
  assert.throws(() => silhouette([0, 1, 2], 1, [0, 0, 0]), RangeError);
});

/** Gaussian blobs: `k` centres 10 apart in `dim` dimensions, `per` points each, unit noise. */
function blobs(k: number, per: number, dim: number, seed: number): { x: Float32Array; labels: number[] } {
  const rng = new Rng(seed);
  const x = new Float32Array(k * per * dim);
  const labels: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < per; p++) {
      const row = c * per + p;
      labels.push(c);
      for (let j = 0; j < dim; j++) x[row * dim + j] = (j === c ? 10 : 0) + rng.normal();
    }
  }
  return { x, labels };
}

test('randomized PCA (above 256 dimensions) keeps the variance of the exact top components', () => {
  // Rows with a clear 5-dimensional structure plus noise, in 300 dimensions.
  const rng = new Rng(3);
  const n = 150;
  const dim = 300;
  const basis = Array.from({ length: 5 }, () => Float64Array.from({ length: dim }, () => rng.normal()));
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const w = basis.map((_, k) => rng.normal() * (5 - k));
    for (let j = 0; j < dim; j++) x[i * dim + j] = basis.reduce((s, b, k) => s + w[k]! * b[j]!, 0) + 0.1 * rng.normal();
  }
  const approx = pca(x, n, dim, 5, 1);
  // Exact: ml-pca's SVD on all 300 dimensions; the variance of its top 5 scores over the total.
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
  const exact = new PCA(rows, { center: true });
  const ev = exact.getExplainedVariance();
  const top5 = ev.slice(0, 5).reduce((a, b) => a + b, 0);
  assert.equal(approx.components, 5);
  close(approx.explainedVariance, top5, 1e-4, 'explained variance');
  // Scores are centred and uncorrelated (principal components).
  for (let a = 0; a < 5; a++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += approx.scores[i * 5 + a]!;
    close(mean / n, 0, 1e-3, 'score mean');
    for (let b = a + 1; b < 5; b++) {
      let cov = 0;
      for (let i = 0; i < n; i++) cov += approx.scores[i * 5 + a]! * approx.scores[i * 5 + b]!;
      const va = approx.scores.filter((_, k) => k % 5 === a).reduce((s, v) => s + v * v, 0);
      const vb = approx.scores.filter((_, k) => k % 5 === b).reduce((s, v) => s + v * v, 0);
      assert.ok(Math.abs(cov) / Math.sqrt(va * vb) < 1e-3, `components ${a},${b} correlate`);
    }
  }
});

test('PCA → k-means recovers well-separated blobs; k by silhouette finds their number', () => {
  const { x, labels } = blobs(4, 30, 6, 11);
  const fixed = clusterRows(x, 120, 6, { components: 4, k: 4, kRange: [2, 6], seed: 1 });
  close(nmi(fixed.assignments, labels), 1, 1e-12);
  close(ari(fixed.assignments, labels), 1, 1e-12);
  const chosen = clusterRows(x, 120, 6, { components: 4, kRange: [2, 6], seed: 1 });
  assert.equal(chosen.k, 4);
  assert.deepEqual(
    chosen.silhouetteByK?.map((s) => s.k),
    [2, 3, 4, 5, 6],
  );
  assert.deepEqual(chosen.sizes, [30, 30, 30, 30]);
});
