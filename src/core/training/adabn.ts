/**
 * AdaBN (Li, Wang, Shi, Liu & Hou 2016, "Revisiting Batch Normalization For Practical Domain
 * Adaptation", https://arxiv.org/abs/1603.04779, Algorithm 1): replace every BatchNorm layer's
 * moving statistics by the statistics of its input over the target data, so each layer sees
 * target activations normalised as the source's were. Weights (γ, β, kernels) do not change.
 *
 * Layers are re-estimated in network order, each from activations computed with the layers before it
 * already adapted (Algorithm 1 loops over neurons in order). For BatchNorm input x with channels last,
 * channel j gets
 *   moving_mean_j     = mean of x[..., j] over every example and spatial position,
 *   moving_variance_j = the variance with divisor N (the population variance, as the batch variance
 *                       BatchNorm normalises with in training mode).
 * Sums are accumulated per batch in float32 (shifted by the first batch's mean, which keeps the
 * E[x²] − E[x]² form accurate) and across batches in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { batches } from '../data/batches.js';
import type { ExampleSet } from '../data/example-set.js';
import { runOps, type OpGraph } from '../models/graph.js';

/** True for a tfjs BatchNormalization layer. */
export function isBatchNorm(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** Channel statistics of a tensor stream: mean and population variance per channel (last axis). */
export class ChannelMoments {
  private shift: Float64Array | undefined;
  private sum: Float64Array | undefined;
  private sq: Float64Array | undefined;
  private count = 0;

  /** Adds the values of `x` ([..., channels]). */
  add(x: tf.Tensor): void {
    const c = x.shape[x.shape.length - 1]!;
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    if (!this.shift) {
      const mt = tf.mean(x, axes);
      const m = mt.dataSync();
      mt.dispose();
      this.shift = Float64Array.from(m);
      this.sum = new Float64Array(c);
      this.sq = new Float64Array(c);
    }
    const [s, q] = tf.tidy(() => {
      const d = tf.sub(x, tf.tensor1d(Float32Array.from(this.shift!)));
      return [tf.sum(d, axes).dataSync(), tf.sum(tf.square(d), axes).dataSync()];
    });
    for (let j = 0; j < c; j++) {
      this.sum![j] += s![j]!;
      this.sq![j] += q![j]!;
    }
    this.count += x.size / c;
  }

  /** Mean and population variance per channel. @throws Error when nothing was added. */
  result(): { mean: Float64Array; variance: Float64Array; count: number } {
    if (!this.shift || this.count === 0) throw new Error('no values');
    const c = this.shift.length;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      const m = this.sum![j]! / this.count;
      mean[j] = this.shift[j]! + m;
      variance[j] = Math.max(0, this.sq![j]! / this.count - m * m);
    }
    return { mean, variance, count: this.count };
  }
}

/** Options of {@link adaptBatchNorm}. */
export interface AdaBnOptions {
  /** Rows of the set to use (default all). */
  indices?: readonly number[];
  /** Examples per forward pass (default 128). */
  batchSize?: number;
}

/** What was re-estimated. */
export interface AdaBnResult {
  /** Names of the BatchNorm layers whose moving statistics were replaced, in order. */
  layers: string[];
  /** Values per channel each statistic was computed from (examples × spatial positions), per layer. */
  counts: number[];
}

/**
 * Re-estimates the moving mean and variance of every BatchNorm layer among ops `0..end-1` on
 * `set`, in op order (see the module comment). Runs in inference mode; no gradient.
 * @throws Error for a BatchNorm layer that does not normalise the last axis.
 */
export function adaptBatchNorm(graph: OpGraph, end: number, set: ExampleSet, opts: AdaBnOptions = {}): AdaBnResult {
  const indices = opts.indices ?? Array.from({ length: set.count }, (_, i) => i);
  const batch = opts.batchSize ?? 128;
  const out: AdaBnResult = { layers: [], counts: [] };
  for (let i = 0; i < end; i++) {
    const op = graph.ops[i]!;
    if (!isBatchNorm(op.layer)) continue;
    const axis = (op.layer as unknown as { axis: number | number[] }).axis;
    const ax = Array.isArray(axis) ? axis : [axis];
    const rank = op.layer.inputSpec?.[0]?.ndim;
    if (!(ax.length === 1 && (ax[0] === -1 || (rank !== undefined && ax[0] === rank - 1)))) {
      throw new Error(`AdaBN: BatchNorm layer "${op.layer.name}" normalises axis ${JSON.stringify(axis)}; only the last (channels) axis is supported`);
    }
    const moments = new ChannelMoments();
    const inputKey = op.inputs[0]!;
    for (const { idx } of batches(indices, batch)) {
      tf.tidy(() => {
        const env = new Map<number, tf.Tensor>([[graph.inputs[0]!, tf.tensor(set.gather(idx), [idx.length, ...set.shape])]]);
        runOps(graph, env, 0, i, () => false);
        moments.add(env.get(inputKey)!);
      });
    }
    const { mean, variance, count } = moments.result();
    for (const w of op.layer.weights) {
      const short = w.originalName.split('/').pop();
      const value = short === 'moving_mean' ? mean : short === 'moving_variance' ? variance : undefined;
      if (!value) continue;
      const t = tf.tensor1d(Float32Array.from(value));
      w.write(t); // the variable takes a reference to t's data
      t.dispose();
    }
    out.layers.push(op.layer.name);
    out.counts.push(count);
  }
  return out;
}
