/**
 * How similar is a target dataset to the source a base was trained on, seen through the base's
 * features at its cut layer? Three measures on equal-sized seeded samples of both:
 *
 * - **Domain-classifier accuracy** (Ben-David et al. 2007/2010, "A theory of learning from different
 *   domains"): a linear probe (`features/linear-probe.ts`) learns to tell source from target on half
 *   the sample and is scored on the other half. 0.5: indistinguishable; 1: fully separable. The
 *   proxy A-distance is d_A = 2(1 − 2ε) with ε the held-out error.
 * - **Nearest-neighbour distance ratio**: in the source-standardised feature space, the median
 *   distance from a target example to its nearest source example, over the median distance from a
 *   source example to its nearest other source example. ≈ 1: the target lies where source examples
 *   are; ≫ 1: it lies away from them.
 * - **Mean shift** (linear-kernel MMD², Gretton et al. 2012, normalised): ‖μ_s − μ_t‖² in the
 *   source-standardised space, divided by the number of features with non-zero source variance.
 */
import type { ExampleSet } from '../data/example-set.js';
import { deriveSeed, Rng, shuffle } from '../data/rng.js';
import { extractFeatures, type CutPoint } from '../features/extract.js';
import type { FeatureDiskCache } from '../features/disk-cache.js';
import { fitLinearProbe, standardizer } from '../features/linear-probe.js';
import type { OpGraph } from '../models/graph.js';

/** The three measures. */
export interface SimilarityMeasures {
  /** Held-out accuracy of the source-vs-target linear probe, in [0, 1]. */
  domainAccuracy: number;
  /** 2(1 − 2·error), in [−2, 2] (≤ 0 means chance). */
  proxyADistance: number;
  /** Median target→source nearest-neighbour distance over the median source→source one. */
  nearestNeighbourRatio: number;
  /** ‖μ_s − μ_t‖² / features in source-standardised units. */
  meanShift: number;
  /** Examples of each domain used. */
  examplesPerDomain: number;
  /** Features per example. */
  features: number;
}

/** Examples of several sets as one pool of (set, index). */
export type Pool = { set: ExampleSet; index: number }[];

/** All examples of the given sets. */
export function poolOf(...sets: (ExampleSet | undefined)[]): Pool {
  const out: Pool = [];
  for (const s of sets) if (s) for (let i = 0; i < s.count; i++) out.push({ set: s, index: i });
  return out;
}

/** Feature rows of the pool at `cut`, in pool order. */
function featureRows(
  graph: OpGraph,
  cut: Pick<CutPoint, 'index' | 'key'>,
  pool: Pool,
  maxFeatures: number,
  cache: FeatureDiskCache | undefined,
): { x: Float32Array; dim: number } {
  const bySet = new Map<ExampleSet, number[]>();
  pool.forEach((p, k) => bySet.set(p.set, [...(bySet.get(p.set) ?? []), k]));
  let x: Float32Array | undefined;
  let dim = 0;
  for (const [set, ks] of bySet) {
    const f = extractFeatures(graph, cut, set, { indices: ks.map((k) => pool[k]!.index), maxFeatures, ...(cache ? { cache } : {}) });
    dim = f.dim;
    x ??= new Float32Array(pool.length * dim);
    ks.forEach((k, j) => x!.set(f.data.subarray(j * dim, (j + 1) * dim), k * dim));
  }
  return { x: x ?? new Float32Array(0), dim };
}

const median = (v: Float64Array | number[]) => {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Options of {@link measureSimilarity}. */
export interface SimilarityOptions {
  /** Examples per domain (the smaller pool limits it). Default 500. */
  perDomain?: number;
  seed: number;
  /** Spatial pooling cap of the features (see `extractFeatures`). Default 8192. */
  maxFeatures?: number;
  /** Persistent frozen-feature cache (see `features/cached-pass.ts`). */
  cache?: FeatureDiskCache;
}

/**
 * Computes the three measures on `n` = min(perDomain, |source|, |target|) seeded examples of each.
 * @throws RangeError when either pool has fewer than 4 examples.
 */
export function measureSimilarity(
  graph: OpGraph,
  cut: Pick<CutPoint, 'index' | 'key'>,
  source: Pool,
  target: Pool,
  opts: SimilarityOptions,
): SimilarityMeasures {
  const n = Math.min(opts.perDomain ?? 500, source.length, target.length);
  if (n < 4) throw new RangeError(`similarity needs at least 4 examples of each domain (source ${source.length}, target ${target.length})`);
  const s = shuffle([...source], new Rng(deriveSeed(opts.seed, 'advisor-source'))).slice(0, n);
  const t = shuffle([...target], new Rng(deriveSeed(opts.seed, 'advisor-target'))).slice(0, n);
  const fs = featureRows(graph, cut, s, opts.maxFeatures ?? 8192, opts.cache);
  const ft = featureRows(graph, cut, t, opts.maxFeatures ?? 8192, opts.cache);
  const dim = fs.dim;

  // Domain classifier: first halves train, second halves test.
  const half = n >> 1;
  const rows = (a: Float32Array, from: number, to: number) => a.subarray(from * dim, to * dim);
  const join = (a: Float32Array, b: Float32Array) => {
    const o = new Float32Array(a.length + b.length);
    o.set(a);
    o.set(b, a.length);
    return o;
  };
  const lab = (na: number, nb: number) => Int32Array.from({ length: na + nb }, (_, i) => (i < na ? 0 : 1));
  const train = { x: join(rows(fs.x, 0, half), rows(ft.x, 0, half)), y: lab(half, half), dim };
  const test = { x: join(rows(fs.x, half, n), rows(ft.x, half, n)), y: lab(n - half, n - half), dim };
  const probe = fitLinearProbe(train, { classes: 2, iterations: 200, learningRate: 0.01, l2: 1e-3 }, [test]);
  const domainAccuracy = probe.evaluations[0]!.accuracy;

  // Source-standardised space.
  const { mean, std } = standardizer(fs.x, dim);
  const z = (x: Float32Array) => Float64Array.from(x, (v, k) => (v - mean[k % dim]!) / std[k % dim]!);
  const zs = z(fs.x);
  const zt = z(ft.x);
  const nn = (q: Float64Array, qi: number, ref: Float64Array, skipSelf: boolean) => {
    let best = Infinity;
    for (let r = 0; r < n; r++) {
      if (skipSelf && r === qi) continue;
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const e = q[qi * dim + j]! - ref[r * dim + j]!;
        d += e * e;
        if (d >= best) break;
      }
      best = Math.min(best, d);
    }
    return Math.sqrt(best);
  };
  const ss = Array.from({ length: n }, (_, i) => nn(zs, i, zs, true));
  const ts = Array.from({ length: n }, (_, i) => nn(zt, i, zs, false));
  const base = median(ss);
  const nearestNeighbourRatio = base > 0 ? median(ts) / base : Infinity;

  let shift = 0;
  let live = 0;
  for (let j = 0; j < dim; j++) {
    let ms = 0;
    let mt = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      ms += zs[i * dim + j]!;
      mt += zt[i * dim + j]!;
      sq += zs[i * dim + j]! ** 2;
    }
    // A feature constant on the source (sq = 0 after centring) still counts its shift, but not as a dimension.
    if (sq > 0) live++;
    shift += ((ms - mt) / n) ** 2;
  }
  return {
    domainAccuracy,
    proxyADistance: 2 * (1 - 2 * (1 - domainAccuracy)),
    nearestNeighbourRatio,
    meanShift: shift / Math.max(1, live),
    examplesPerDomain: n,
    features: dim,
  };
}
