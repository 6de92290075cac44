/**
 * Frozen features at any layer of a network: the valid cut points of a base, and the activations of
 * one of them for every example of a set, computed in inference mode (BatchNorm uses its moving
 * statistics, folded into the convolution before it where it can be: `models/fold-batch-norm.ts`;
 * dropout is off) outside any gradient tape. The layer sweep, the unsupervised pipeline
 * and the strategy advisor read features through here.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExampleSet } from '../data/example-set.js';
import { crossingKeys, inferenceBatchSize, peakActivationValues, runOps, type OpGraph } from '../models/graph.js';
import type { FeatureDiskCache } from './disk-cache.js';
import { foldBatchNorms, type FoldedGraph } from '../models/fold-batch-norm.js';
import { cachedPass, passIdentity, type PassStats } from './cached-pass.js';

/** A layer whose output alone carries everything later layers need: a place the network can be cut. */
export interface CutPoint {
  /** Layer name (`input` for the raw input, index −1). */
  name: string;
  /** Op index in the graph, −1 for the input. */
  index: number;
  /** Key of the output tensor. */
  key: number;
  /** Keras class name (`Input` for the input). */
  className: string;
}

/**
 * The cut points among ops `0..end-1`: ops whose first output is the only tensor that crosses from
 * ops `0..i` to ops `i+1..` (so features there determine everything after). Layers inside a residual
 * block are not cut points.
 * @param includeInput put the raw input first (index −1).
 */
export function cutPoints(graph: OpGraph, end: number, includeInput = false): CutPoint[] {
  const out: CutPoint[] = includeInput ? [{ name: 'input', index: -1, key: graph.inputs[0]!, className: 'Input' }] : [];
  for (let i = 0; i < end; i++) {
    const op = graph.ops[i]!;
    const crossing = crossingKeys(graph, i, end);
    // The last op of the range has no reader inside it: it is a cut point by definition.
    const only = i === end - 1 ? op.outputs.length === 1 : crossing.size === 1 && crossing.has(op.outputs[0]!);
    if (only) out.push({ name: op.layer.name, index: i, key: op.outputs[0]!, className: op.layer.getClassName() });
  }
  return out;
}

/** Features of a set at one cut point, one row per example. */
export interface FeatureMatrix {
  /** [rows, dim] row-major. */
  data: Float32Array;
  rows: number;
  /** Features per example (product of `shape`). */
  dim: number;
  /** Shape of one example's features after pooling, e.g. [13, 13, 32] or [128]. */
  shape: number[];
  /** Spatial average-pooling window applied to reach `maxFeatures` (1: none). */
  pool: number;
  /** How the rows were obtained (persistent cache hits, computed, time). */
  stats: PassStats;
}

/** Options of {@link extractFeatures}. */
export interface ExtractOptions {
  /** Rows of `set` to use, in this order (default all). */
  indices?: ArrayLike<number>;
  /** Examples per forward pass (default: as many as fit `INFERENCE_MEMORY_BYTES` of live activations, at most 128). */
  batchSize?: number;
  /**
   * When an [h, w, c] feature map has more values than this, it is average-pooled with the smallest
   * window p (stride p, `valid`) that brings it to at most this many (p up to min(h, w): global
   * average pooling). Default: no limit.
   */
  maxFeatures?: number;
  /** Persistent frozen-feature cache to read and fill (default none: everything is computed). */
  cache?: FeatureDiskCache;
}

/**
 * The smallest average-pooling window p ≥ 1 with ⌊h/p⌋·⌊w/p⌋·c ≤ max for a [h, w, c] map; 1 when it
 * already fits or is not spatial; min(h, w) when nothing smaller fits.
 */
export function poolWindow(shape: readonly number[], max: number | undefined): number {
  if (max === undefined || shape.length !== 3) return 1;
  const [h, w, c] = shape as [number, number, number];
  for (let p = 1; p <= Math.min(h, w); p++) if (Math.floor(h / p) * Math.floor(w / p) * c <= max) return p;
  return Math.min(h, w);
}

/**
 * Activations of op `cut.index` (the input for −1) for examples of `set`, in inference mode, read
 * from `opts.cache` where present (see `cached-pass.ts` for what the key covers).
 * Memory: rows × dim × 4 bytes, plus the live activations of one batch (freed as read, see `runOps`).
 * @throws Error from the file system when a cache entry cannot be written.
 */
export function extractFeatures(graph: OpGraph, cut: Pick<CutPoint, 'index' | 'key'>, set: ExampleSet, opts: ExtractOptions = {}): FeatureMatrix {
  const indices = opts.indices ?? Array.from({ length: set.count }, (_, i) => i);
  // Memory-lean: activations are freed as soon as no later op reads them, and the batch is sized so
  // that the live ones fit INFERENCE_MEMORY_BYTES (a MobileNetV2 at 224×224: 16, not 128, examples).
  const keep = new Set([cut.key]);
  const batch = opts.batchSize ?? inferenceBatchSize(peakActivationValues(graph, 0, cut.index + 1, keep));
  const symbolic = graph.shapes.get(cut.key)?.slice(1);
  let pool = symbolic && symbolic.every((d) => typeof d === 'number') ? poolWindow(symbolic as number[], opts.maxFeatures) : undefined;
  // Inference only: BatchNorm folded into the convolutions before it (new layers, freed below).
  let folded: FoldedGraph | undefined;
  const compute = (x: Float32Array, n: number) => {
    folded ??= foldBatchNorms(graph, cut.index + 1, keep);
    const f = tf.tidy(() => {
      const env = new Map<number, tf.Tensor>([[graph.inputs[0]!, tf.tensor(x, [n, ...set.shape])]]);
      runOps(folded!.graph, env, 0, folded!.end, () => false, keep);
      let y = env.get(cut.key)!;
      pool ??= poolWindow(y.shape.slice(1), opts.maxFeatures);
      if (pool > 1) y = tf.avgPool(y as tf.Tensor4D, pool, pool, 'valid');
      return y;
    });
    const data = f.dataSync() as Float32Array;
    const shape = f.shape.slice(1);
    f.dispose();
    return { data, shape };
  };
  const extra = opts.maxFeatures === undefined ? '' : `max ${opts.maxFeatures} features`;
  const pass = opts.cache?.enabled ? passIdentity(graph, cut.index, cut.key, set.shape, extra) : { key: '', description: '' };
  let r: ReturnType<typeof cachedPass>;
  try {
    r = cachedPass(opts.cache, pass, set, indices, batch, compute);
    // Every row came from the cache and the model records no shape: one example computed gives the window.
    if (pool === undefined && indices.length > 0) compute(set.gather([indices[0]!]), 1);
  } finally {
    (folded as FoldedGraph | undefined)?.dispose();
  }
  const dim = r.shape.reduce((a, b) => a * b, 1);
  return { data: r.data, rows: indices.length, dim, shape: r.shape, pool: pool ?? 1, stats: r.stats };
}
