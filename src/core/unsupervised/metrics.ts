/**
 * Agreement between two partitions of the same examples (a clustering and the evaluation labels):
 * normalised mutual information and the adjusted Rand index, from their contingency table.
 *
 * - NMI(U, V) = I(U; V) / mean(H(U), H(V)) with the arithmetic mean, natural logs — scikit-learn's
 *   `normalized_mutual_info_score` default (average_method="arithmetic"); Strehl & Ghosh 2002 use the
 *   geometric mean. Two single-cluster partitions score 1 (as scikit-learn does).
 * - ARI (Hubert & Arabie 1985):
 *     (Σ_ij C(n_ij, 2) − Σ_i C(a_i, 2)·Σ_j C(b_j, 2) / C(n, 2))
 *     / (½[Σ_i C(a_i, 2) + Σ_j C(b_j, 2)] − Σ_i C(a_i, 2)·Σ_j C(b_j, 2) / C(n, 2)),
 *   1 for identical partitions (up to renaming), about 0 for independent ones, negative below
 *   chance; a zero denominator (both partitions all-in-one or all-singletons) scores 1, as in
 *   scikit-learn's `adjusted_rand_score`.
 * Reference: https://scikit-learn.org/stable/modules/clustering.html#clustering-performance-evaluation
 */

/** Contingency table n_ij of two labelings (any integers), with row sums a_i and column sums b_j. */
export interface Contingency {
  table: number[][];
  rows: number[];
  cols: number[];
  n: number;
}

/**
 * Counts how many examples have label i in `u` and j in `v` (labels renumbered in order of first
 * appearance).
 * @throws RangeError when the labelings differ in length or are empty.
 */
export function contingency(u: ArrayLike<number>, v: ArrayLike<number>): Contingency {
  if (u.length !== v.length) throw new RangeError(`labelings differ in length: ${u.length} and ${v.length}`);
  if (u.length === 0) throw new RangeError('cannot compare empty labelings');
  const iu = new Map<number, number>();
  const iv = new Map<number, number>();
  const pairs: [number, number][] = [];
  for (let k = 0; k < u.length; k++) {
    if (!iu.has(u[k]!)) iu.set(u[k]!, iu.size);
    if (!iv.has(v[k]!)) iv.set(v[k]!, iv.size);
    pairs.push([iu.get(u[k]!)!, iv.get(v[k]!)!]);
  }
  const table = Array.from({ length: iu.size }, () => new Array<number>(iv.size).fill(0));
  for (const [i, j] of pairs) table[i]![j]!++;
  const rows = table.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = Array.from({ length: iv.size }, (_, j) => table.reduce((a, r) => a + r[j]!, 0));
  return { table, rows, cols, n: u.length };
}

/** Shannon entropy (nats) of a distribution given by counts summing to n. */
export function entropy(counts: readonly number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/** Mutual information I(U; V) in nats. */
export function mutualInformation(c: Contingency): number {
  let mi = 0;
  c.table.forEach((row, i) =>
    row.forEach((nij, j) => {
      if (nij > 0) mi += (nij / c.n) * Math.log((c.n * nij) / (c.rows[i]! * c.cols[j]!));
    }),
  );
  return Math.max(0, mi);
}

/** Normalised mutual information (arithmetic mean of the entropies), in [0, 1]. */
export function nmi(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const c = contingency(u, v);
  if (c.rows.length === 1 && c.cols.length === 1) return 1;
  const hu = entropy(c.rows, c.n);
  const hv = entropy(c.cols, c.n);
  const denom = (hu + hv) / 2;
  return denom > 0 ? Math.min(1, mutualInformation(c) / denom) : 0;
}

const pairs2 = (x: number) => (x * (x - 1)) / 2;

/** Adjusted Rand index. */
export function ari(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const c = contingency(u, v);
  let index = 0;
  for (const row of c.table) for (const nij of row) index += pairs2(nij);
  const sa = c.rows.reduce((s, a) => s + pairs2(a), 0);
  const sb = c.cols.reduce((s, b) => s + pairs2(b), 0);
  const total = pairs2(c.n);
  const expected = total > 0 ? (sa * sb) / total : 0;
  const max = (sa + sb) / 2;
  if (max - expected === 0) return 1;
  return (index - expected) / (max - expected);
}
