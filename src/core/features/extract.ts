/**
 * Frozen features at any layer of a network: the valid cut points of a base, and the activations of
 * one of them for every example of a set, computed in inference mode (BatchNorm uses its moving
 * statistics, dropout is off) outside any gradient tape. The layer sweep, the unsupervised pipeline
 * and the strategy advisor read features through here.
 */
import * as tf from '@tensorflow/tfjs';
import { batches } from '../data/batches.js';
import type { ExampleSet } from '../data/example-set.js';
import { crossingKeys, runOps, type OpGraph } from '../models/graph.js';

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
}

/** Options of {@link extractFeatures}. */
export interface ExtractOptions {
  /** Rows of `set` to use, in this order (default all). */
  indices?: ArrayLike<number>;
  /** Examples per forward pass (default 128). */
  batchSize?: number;
  /**
   * When an [h, w, c] feature map has more values than this, it is average-pooled with the smallest
   * window p (stride p, `valid`) that brings it to at most this many (p up to min(h, w): global
   * average pooling). Default: no limit.
   */
  maxFeatures?: number;
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
 * Activations of op `cut.index` (the input for −1) for examples of `set`, in inference mode.
 * Memory: rows × dim × 4 bytes, plus one batch's activations.
 */
export function extractFeatures(graph: OpGraph, cut: Pick<CutPoint, 'index' | 'key'>, set: ExampleSet, opts: ExtractOptions = {}): FeatureMatrix {
  const indices = opts.indices ?? Array.from({ length: set.count }, (_, i) => i);
  const n = indices.length;
  const batch = opts.batchSize ?? 128;
  let data: Float32Array | undefined;
  let shape: number[] = [];
  let pool = 1;
  for (const { start, idx } of batches(indices, batch)) {
    const f = tf.tidy(() => {
      const x = tf.tensor(set.gather(idx), [idx.length, ...set.shape]);
      const env = new Map<number, tf.Tensor>([[graph.inputs[0]!, x]]);
      runOps(graph, env, 0, cut.index + 1, () => false);
      let y = env.get(cut.key)!;
      if (data === undefined) pool = poolWindow(y.shape.slice(1), opts.maxFeatures);
      if (pool > 1) y = tf.avgPool(y as tf.Tensor4D, pool, pool, 'valid');
      return y;
    });
    if (!data) {
      shape = f.shape.slice(1);
      data = new Float32Array(n * shape.reduce((a, b) => a * b, 1));
    }
    data.set(f.dataSync() as Float32Array, start * (data.length / n));
    f.dispose();
  }
  const dim = shape.reduce((a, b) => a * b, 1);
  return { data: data ?? new Float32Array(0), rows: n, dim, shape, pool };
}
