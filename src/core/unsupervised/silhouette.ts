/**
 * The silhouette coefficient (Rousseeuw 1987, https://doi.org/10.1016/0377-0427(87)90125-7) with
 * Euclidean distances: for example i in cluster C,
 *   a(i) = mean distance to the other members of C,
 *   b(i) = lowest mean distance to the members of another cluster,
 *   s(i) = (b − a) / max(a, b), and s(i) = 0 when C has one member;
 * the score is the mean of s(i) over all examples (scikit-learn's `silhouette_score`). Needs at least
 * 2 and at most n − 1 clusters.
 */

/** Upper-triangle-free full matrix of Euclidean distances between the rows of `x` ([n, dim]), float64, n×n. */
export function pairwiseDistances(x: ArrayLike<number>, n: number, dim: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const t = x[i * dim + k]! - x[j * dim + k]!;
        s += t * t;
      }
      const r = Math.sqrt(s);
      d[i * n + j] = r;
      d[j * n + i] = r;
    }
  }
  return d;
}

/**
 * Mean silhouette of `labels` (0..k-1) from an n×n distance matrix.
 * @throws RangeError when there are fewer than 2 or more than n − 1 clusters.
 */
export function silhouetteFromDistances(dist: Float64Array, labels: ArrayLike<number>): number {
  const n = labels.length;
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  const size = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) size[labels[i]!]!++;
  const used = size.filter((s) => s > 0).length;
  if (used < 2 || used > n - 1) throw new RangeError(`the silhouette needs 2 to n − 1 clusters (n = ${n}), got ${used}`);
  let total = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    if (size[own] === 1) continue; // s(i) = 0
    sums.fill(0);
    for (let j = 0; j < n; j++) sums[labels[j]!] += dist[i * n + j]!;
    const a = sums[own]! / (size[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && size[c]! > 0) b = Math.min(b, sums[c]! / size[c]!);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** Mean silhouette of `labels` for the rows of `x` ([n, dim]). */
export function silhouette(x: ArrayLike<number>, dim: number, labels: ArrayLike<number>): number {
  return silhouetteFromDistances(pairwiseDistances(x, labels.length, dim), labels);
}
