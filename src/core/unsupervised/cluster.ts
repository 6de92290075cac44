/**
 * The clustering pipeline of unsupervised transfer: rows → PCA (`pca.ts`) → k-means (ml-kmeans,
 * k-means++ initialisation, best of several seeded restarts by inertia), with k given or chosen as
 * the k of the range with the highest mean silhouette (`silhouette.ts`) in the PCA space. No label is
 * read here; {@link scoreAgainst} compares a clustering with labels afterwards.
 */
import { kmeans } from 'ml-kmeans';
import type { ClusterScores, ClusteringResult } from '../runs/artifacts.js';
import { ari, nmi } from './metrics.js';
import { pca } from './pca.js';
import { pairwiseDistances, silhouetteFromDistances } from './silhouette.js';

/** Options of {@link clusterRows}. */
export interface ClusterOptions {
  components: number;
  /** Fixed k; else chosen in `kRange` by silhouette. */
  k?: number;
  kRange: [number, number];
  seed: number;
  /** k-means restarts (different seeds); the lowest inertia wins. Default 5. */
  restarts?: number;
}

/** A clustering of the rows. */
export interface Clustering {
  /** Cluster 0..k-1 of each row. */
  assignments: number[];
  k: number;
  /** PCA scores [n, components] (the space k-means and the silhouette work in). */
  scores: Float64Array;
  components: number;
  explainedVariance: number;
  silhouette: number;
  inertia: number;
  silhouetteByK?: { k: number; silhouette: number }[];
  sizes: number[];
}

/** Best-of-`restarts` k-means of the rows of `z` ([n, dim]); returns assignments and inertia. */
export function bestKmeans(points: number[][], k: number, seed: number, restarts = 5): { assignments: number[]; inertia: number } {
  let best: { assignments: number[]; inertia: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const res = kmeans(points, k, { initialization: 'kmeans++', seed: seed + 7919 * r, maxIterations: 300 });
    let inertia = 0;
    points.forEach((p, i) => {
      const c = res.centroids[res.clusters[i]!]!;
      for (let j = 0; j < p.length; j++) inertia += (p[j]! - c[j]!) ** 2;
    });
    if (!best || inertia < best.inertia) best = { assignments: res.clusters, inertia };
  }
  return best!;
}

/**
 * Clusters rows x [n, dim].
 * @param fixedK when given, overrides `opts.k`/`kRange` (the raw-pixel baseline uses the features' k).
 * @throws RangeError when n is too small for the requested k (k ≥ n).
 */
export function clusterRows(x: Float32Array, n: number, dim: number, opts: ClusterOptions, fixedK?: number): Clustering {
  const p = pca(x, n, dim, opts.components, opts.seed);
  const points = Array.from({ length: n }, (_, i) => Array.from(p.scores.subarray(i * p.components, (i + 1) * p.components)));
  const dist = pairwiseDistances(p.scores, n, p.components);
  const k0 = fixedK ?? opts.k;
  let chosen: { k: number; assignments: number[]; inertia: number; silhouette: number } | undefined;
  let byK: { k: number; silhouette: number }[] | undefined;
  const ks = k0 !== undefined ? [k0] : Array.from({ length: Math.max(0, Math.min(opts.kRange[1], n - 1) - opts.kRange[0] + 1) }, (_, i) => opts.kRange[0] + i);
  if (ks.length === 0 || ks.some((k) => k >= n)) throw new RangeError(`cannot make ${ks.join('/') || 'any'} clusters of ${n} examples`);
  for (const k of ks) {
    const km = bestKmeans(points, k, opts.seed, opts.restarts);
    const s = silhouetteFromDistances(dist, km.assignments);
    if (k0 === undefined) (byK ??= []).push({ k, silhouette: s });
    if (!chosen || s > chosen.silhouette) chosen = { k, ...km, silhouette: s };
  }
  const sizes = new Array<number>(chosen!.k).fill(0);
  for (const a of chosen!.assignments) sizes[a]!++;
  return {
    assignments: chosen!.assignments,
    k: chosen!.k,
    scores: p.scores,
    components: p.components,
    explainedVariance: p.explainedVariance,
    silhouette: chosen!.silhouette,
    inertia: chosen!.inertia,
    ...(byK ? { silhouetteByK: byK } : {}),
    sizes,
  };
}

/** The scores of a clustering, with NMI/ARI against `labels` when given. */
export function scoreAgainst(c: Clustering, labels?: ArrayLike<number>): ClusterScores {
  return {
    ...(labels ? { nmi: nmi(c.assignments, labels), ari: ari(c.assignments, labels) } : {}),
    silhouette: c.silhouette,
    inertia: c.inertia,
  };
}

/** The JSON form of a clustering (`clusters.json`). */
export function clusteringResult(c: Clustering, input: ClusteringResult['input'], dim: number, labels?: ArrayLike<number>, layer?: string): ClusteringResult {
  return {
    input,
    ...(layer !== undefined ? { layer } : {}),
    dim,
    components: c.components,
    explainedVariance: c.explainedVariance,
    k: c.k,
    ...(c.silhouetteByK ? { silhouetteByK: c.silhouetteByK } : {}),
    scores: scoreAgainst(c, labels),
    sizes: c.sizes,
  };
}
