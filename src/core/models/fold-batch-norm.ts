/**
 * BatchNorm folded into the convolution before it, for inference-only passes (the frozen prefix of
 * a run, the analyses' features). In inference mode a BatchNormalization layer is a per-channel
 * affine map, y = a·z + b with a = γ / sqrt(σ² + ε) and b = β − μ·a (μ, σ² its moving statistics),
 * so a convolution z = W∗x + c followed by it is the convolution with W' = W·a (per output channel)
 * and bias c' = a·c + b — the folding TensorFlow's and PyTorch's inference converters do
 * (Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient
 * Integer-Arithmetic-Only Inference", §3.2). XNNPACK then adds the bias inside the convolution, and
 * the BatchNorm's two passes over the activation disappear: on the Teachable Machine MobileNetV2 at
 * 224×224 they were a third of the frozen pass.
 *
 * Only exact pairs are folded: a `Conv2D` or `DepthwiseConv2D` (channels-last, linear activation,
 * one input, one output) immediately followed by a `BatchNormalization` over the last axis that
 * reads nothing but that output, where no other op reads the convolution's output and it is not a
 * kept tensor. Everything else stays as it is. The values differ from the unfolded pass by float32
 * rounding (the weights are folded in float64, then rounded once).
 *
 * The folded layers are new layers holding copies of the weights as they are when this is called:
 * fold again after the weights or moving statistics change (AdaBN, training).
 */
import * as tf from '@tensorflow/tfjs';
import type { Op, OpGraph } from './graph.js';

/** A graph of folded ops, and how many convolution + BatchNorm pairs were folded. */
export interface FoldedGraph {
  graph: OpGraph;
  /** Ops `0..end-1` of `graph` compute what ops `0..to-1` of the original did. */
  end: number;
  folded: number;
  /** Frees the folded layers' weights (the original layers are untouched). Idempotent. */
  dispose(): void;
}

/**
 * Ops `0..to-1` of `graph` with every foldable convolution + BatchNorm pair replaced by one
 * convolution (see the module comment). Ops from `to` on are not included. Shapes and keys are the
 * original's (the BatchNorm's output key is now the folded convolution's).
 * @param keep tensor keys that must stay computed (the features the caller reads): a convolution
 *   whose output is kept is not folded.
 * @throws Error from tfjs when a folded layer cannot be built (not expected for the pairs accepted).
 */
export function foldBatchNorms(graph: OpGraph, to: number, keep: ReadonlySet<number>): FoldedGraph {
  const readers = new Map<number, number>();
  for (const op of graph.ops) for (const k of op.inputs) readers.set(k, (readers.get(k) ?? 0) + 1);
  const outputs = new Set(graph.outputs);
  const ops: Op[] = [];
  const made: tf.layers.Layer[] = [];
  let folded = 0;
  for (let i = 0; i < to; i++) {
    const conv = graph.ops[i]!;
    const bn = i + 1 < to ? graph.ops[i + 1]! : undefined;
    if (bn && foldable(conv, bn, readers, keep, outputs)) {
      const layer = foldedLayer(conv.layer, bn.layer);
      made.push(layer);
      ops.push({ layer, inputs: conv.inputs, outputs: bn.outputs, ...(conv.parent ? { parent: conv.parent } : {}) });
      folded++;
      i++;
    } else ops.push(conv);
  }
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    // Layer.dispose() refuses a layer never called on a symbolic tensor: free its variables directly.
    for (const l of made) for (const w of l.weights) w.dispose();
  };
  return { graph: { inputs: graph.inputs, ops, outputs: graph.outputs, shapes: graph.shapes }, end: ops.length, folded, dispose };
}

type Config = Record<string, unknown>;

function foldable(conv: Op, bn: Op, readers: ReadonlyMap<number, number>, keep: ReadonlySet<number>, outputs: ReadonlySet<number>): boolean {
  const cls = conv.layer.getClassName();
  if (cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') return false;
  if (bn.layer.getClassName() !== 'BatchNormalization') return false;
  if (conv.inputs.length !== 1 || conv.outputs.length !== 1 || bn.inputs.length !== 1 || bn.outputs.length !== 1) return false;
  const z = conv.outputs[0]!;
  if (bn.inputs[0] !== z || readers.get(z) !== 1 || keep.has(z) || outputs.has(z)) return false;
  const c = conv.layer.getConfig() as Config;
  if ((c.activation ?? 'linear') !== 'linear' || (c.dataFormat ?? 'channelsLast') !== 'channelsLast') return false;
  const b = bn.layer.getConfig() as Config;
  const axis = b.axis;
  return axis === -1 || axis === 3 || (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 3));
}

/** The convolution `conv` with BatchNorm `bn` folded in, as a new built layer holding the folded weights. */
function foldedLayer(conv: tf.layers.Layer, bn: tf.layers.Layer): tf.layers.Layer {
  const c = conv.getConfig() as Config;
  const b = bn.getConfig() as Config;
  const [kernel, bias] = conv.getWeights();
  const w = bn.getWeights();
  let j = 0;
  const gamma = b.scale === false ? undefined : w[j++];
  const beta = b.center === false ? undefined : w[j++];
  const mean = w[j++]!.dataSync();
  const variance = w[j]!.dataSync();
  const eps = Number(b.epsilon ?? 1e-3);
  const channels = mean.length;
  const g = gamma?.dataSync();
  const be = beta?.dataSync();
  const a = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let o = 0; o < channels; o++) {
    a[o] = (g ? g[o]! : 1) / Math.sqrt(variance[o]! + eps);
    shift[o] = (be ? be[o]! : 0) - mean[o]! * a[o]!;
  }
  // Kernel [kh, kw, in, out] (Conv2D) or [kh, kw, in, multiplier] (DepthwiseConv2D, output channel
  // in·multiplier + m): either way the output channel of element e is e mod (in·multiplier) for the
  // depthwise kernel, e mod out for Conv2D — the last one or two axes, flattened.
  const kv = kernel!.dataSync();
  const perTap = conv.getClassName() === 'Conv2D' ? kernel!.shape[3]! : kernel!.shape[2]! * kernel!.shape[3]!;
  if (perTap !== channels) throw new Error(`layer "${conv.name}": ${perTap} output channels, BatchNorm "${bn.name}" has ${channels}`);
  const k2 = new Float32Array(kv.length);
  for (let e = 0; e < kv.length; e++) k2[e] = kv[e]! * a[e % channels]!;
  const bv = bias?.dataSync();
  const b2 = new Float32Array(channels);
  for (let o = 0; o < channels; o++) b2[o] = (bv ? bv[o]! : 0) * a[o]! + shift[o]!;
  const common = {
    kernelSize: c.kernelSize as [number, number],
    strides: c.strides as [number, number],
    padding: c.padding as 'valid' | 'same',
    dataFormat: 'channelsLast' as const,
    dilationRate: c.dilationRate as [number, number],
    useBias: true,
    name: `${conv.name}__${bn.name}`,
    trainable: false,
  };
  const layer =
    conv.getClassName() === 'Conv2D'
      ? tf.layers.conv2d({ ...common, filters: c.filters as number })
      : tf.layers.depthwiseConv2d({ ...common, kernelSize: c.kernelSize as [number, number], depthMultiplier: c.depthMultiplier as number });
  // Built by a symbolic call (not `build`), so its variables get the layer's name scope (`<name>/kernel`):
  // a model serialised from the folded graph (the frozen-pass threads) maps weights by those names.
  layer.apply(tf.input({ shape: [null, null, kernel!.shape[2]!] }));
  const values = [tf.tensor(k2, kernel!.shape), tf.tensor1d(b2)];
  layer.setWeights(values);
  tf.dispose(values);
  return layer;
}
