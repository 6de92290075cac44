/**
 * A tfjs Layers model flattened into an ordered list of layer applications ("ops"), with nested
 * models (a Sequential holding a functional MobileNetV2, say) expanded into their inner layers.
 *
 * The trainer executes these ops itself rather than calling `model.apply`, which lets it
 * - run the frozen prefix in inference mode outside the gradient tape and cache its output,
 * - give each layer its own `training` flag (a frozen BatchNorm stays in inference mode even in
 *   the trainable suffix — tfjs-layers would otherwise use batch statistics and update them),
 * - cut the network at any inner layer (earlier-layer features).
 * Running the same ops on a `tf.input` builds a flat functional model that shares the weights.
 */
import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;
type SymbolicTensor = tf.SymbolicTensor;

/** One layer application. Tensor keys are small integers local to the op list. */
export interface Op {
  layer: Layer;
  /** Keys of the input tensors, in the order the layer takes them. */
  inputs: number[];
  /** Keys of the output tensors. */
  outputs: number[];
  /** Name of the (innermost) nested model that holds the layer, if any. */
  parent?: string;
}

/** A flattened model: ops in an executable (topological) order. */
export interface OpGraph {
  /** Keys of the model inputs (one per model input). */
  inputs: number[];
  ops: Op[];
  /** Keys of the model outputs. */
  outputs: number[];
}

interface NodeLike {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  outboundLayer: Layer;
}

function isModel(layer: Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

function isSequential(model: tf.LayersModel): model is tf.Sequential {
  return model instanceof tf.Sequential;
}

class KeyAllocator {
  private next = 0;
  private readonly byId = new Map<number, number>();
  fresh(): number {
    return this.next++;
  }
  /** Key of a symbolic tensor (allocated on first sight). */
  of(t: SymbolicTensor): number {
    let k = this.byId.get(t.id);
    if (k === undefined) {
      k = this.fresh();
      this.byId.set(t.id, k);
    }
    return k;
  }
  alias(t: SymbolicTensor, key: number): void {
    this.byId.set(t.id, key);
  }
}

/**
 * Flattens `model` into ops.
 * @throws Error when the model has more than one input or output (not supported as a base).
 */
export function flattenModel(model: tf.LayersModel): OpGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`model "${model.name}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs; a base needs exactly one of each`);
  }
  const keys = new KeyAllocator();
  const inputKey = keys.fresh();
  const ops: Op[] = [];
  const [out] = expand(model, [inputKey], keys, ops, undefined);
  return { inputs: [inputKey], ops, outputs: [out!] };
}

function expand(model: tf.LayersModel, inputKeys: number[], keys: KeyAllocator, ops: Op[], parent: string | undefined): number[] {
  if (isSequential(model)) {
    let cur = inputKeys;
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      cur = applyLayer(layer, cur, keys, ops, parent);
    }
    return cur;
  }
  // Functional model: bind its inputs, then walk its nodes from the inputs outwards (by depth).
  model.inputs.forEach((t, i) => keys.alias(t, inputKeys[i]!));
  const container = model as unknown as { nodesByDepth: Record<string, NodeLike[]> };
  const depths = Object.keys(container.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of container.nodesByDepth[String(depth)]!) {
      const layer = node.outboundLayer;
      if (layer.getClassName() === 'InputLayer') continue;
      const ins = node.inputTensors.map((t) => keys.of(t));
      const outs = applyLayer(layer, ins, keys, ops, parent);
      node.outputTensors.forEach((t, j) => keys.alias(t, outs[j]!));
    }
  }
  return model.outputs.map((t) => keys.of(t));
}

function applyLayer(layer: Layer, ins: number[], keys: KeyAllocator, ops: Op[], parent: string | undefined): number[] {
  if (isModel(layer)) return expand(layer, ins, keys, ops, layer.name);
  const nOut = Array.isArray(layer.outputShape?.[0]) ? (layer.outputShape as unknown[]).length : 1;
  const outs = Array.from({ length: nOut }, () => keys.fresh());
  ops.push({ layer, inputs: ins, outputs: outs, ...(parent ? { parent } : {}) });
  return outs;
}

/** Per-op `training` flag: `true` while training, except where the caller says otherwise. */
export type TrainingFlag = (op: Op, index: number) => boolean;

/**
 * Executes ops `from..to-1` on concrete tensors. `env` maps keys to tensors and receives every
 * output (the caller disposes them, e.g. by running inside `tf.tidy`).
 */
export function runOps(graph: OpGraph, env: Map<number, tf.Tensor>, from: number, to: number, training: TrainingFlag): void {
  for (let i = from; i < to; i++) {
    const op = graph.ops[i]!;
    const xs = op.inputs.map((k) => {
      const t = env.get(k);
      if (!t) throw new Error(`internal: input ${k} of layer "${op.layer.name}" was not computed`);
      return t;
    });
    const y = op.layer.apply(xs.length === 1 ? xs[0]! : xs, { training: training(op, i) }) as tf.Tensor | tf.Tensor[];
    const ys = Array.isArray(y) ? y : [y];
    op.outputs.forEach((k, j) => env.set(k, ys[j]!));
  }
}

/**
 * Index of the op that produces `key`, or -1 for a graph input.
 */
export function producerOf(graph: OpGraph, key: number): number {
  return graph.ops.findIndex((op) => op.outputs.includes(key));
}

/**
 * Keys produced by ops `0..boundary` that ops after `boundary` (or the graph output) still read.
 * A boundary is a valid split point when exactly one key crosses it.
 */
export function crossingKeys(graph: OpGraph, boundary: number, end = graph.ops.length): Set<number> {
  const produced = new Set<number>(graph.inputs);
  for (let i = 0; i <= boundary; i++) for (const k of graph.ops[i]!.outputs) produced.add(k);
  const crossing = new Set<number>();
  for (let i = boundary + 1; i < end; i++) for (const k of graph.ops[i]!.inputs) if (produced.has(k)) crossing.add(k);
  return crossing;
}

/**
 * Builds a flat functional model from ops `0..to-1` of `graph` applied to a new input of
 * `inputShape` (which may differ from the original: a conv base runs at another size).
 * The new model shares every layer (and so every weight) with the original.
 * @param outputKey key whose tensor becomes the model output.
 * @throws Error naming the layer when a layer cannot take the new input shape.
 */
export function buildFlatModel(graph: OpGraph, to: number, outputKey: number, inputShape: number[], name: string): tf.LayersModel {
  const input = tf.input({ shape: inputShape, name: `${name}_input` });
  const env = new Map<number, SymbolicTensor>([[graph.inputs[0]!, input]]);
  for (let i = 0; i < to; i++) {
    const op = graph.ops[i]!;
    const xs = op.inputs.map((k) => env.get(k)!);
    let y: SymbolicTensor | SymbolicTensor[];
    try {
      y = op.layer.apply(xs.length === 1 ? xs[0]! : xs) as SymbolicTensor | SymbolicTensor[];
    } catch (e) {
      throw new Error(`layer "${op.layer.name}" (${op.layer.getClassName()}) cannot take input shape [${inputShape.join(', ')}]: ${(e as Error).message}`);
    }
    const ys = Array.isArray(y) ? y : [y];
    op.outputs.forEach((k, j) => env.set(k, ys[j]!));
  }
  const out = env.get(outputKey);
  if (!out) throw new Error(`internal: output ${outputKey} not computed`);
  return tf.model({ inputs: input, outputs: out, name });
}
