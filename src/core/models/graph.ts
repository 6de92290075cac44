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
  /**
   * Symbolic shape (batch dimension first, `null` for unknown sizes) of each key, where the model
   * records one: every tensor of a functional model, the inputs of any model.
   */
  shapes: Map<number, (number | null)[]>;
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
  const shapes = new Map<number, (number | null)[]>([[inputKey, [...model.inputs[0]!.shape]]]);
  const [out] = expand(model, [inputKey], keys, ops, undefined, shapes);
  return { inputs: [inputKey], ops, outputs: [out!], shapes };
}

function expand(model: tf.LayersModel, inputKeys: number[], keys: KeyAllocator, ops: Op[], parent: string | undefined, shapes: OpGraph['shapes']): number[] {
  if (isSequential(model)) {
    let cur = inputKeys;
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      cur = applyLayer(layer, cur, keys, ops, parent, shapes);
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
      const outs = applyLayer(layer, ins, keys, ops, parent, shapes, node.outputTensors.length);
      node.outputTensors.forEach((t, j) => {
        keys.alias(t, outs[j]!);
        if (!shapes.has(outs[j]!)) shapes.set(outs[j]!, [...t.shape]);
      });
    }
  }
  return model.outputs.map((t) => keys.of(t));
}

/**
 * Adds the op(s) of one layer call.
 * @param outputs number of output tensors of the call, when known (a functional node tells; a layer
 *   shared by models of different input sizes has no single `outputShape` to ask).
 */
function applyLayer(
  layer: Layer,
  ins: number[],
  keys: KeyAllocator,
  ops: Op[],
  parent: string | undefined,
  shapes: OpGraph['shapes'],
  outputs?: number,
): number[] {
  if (isModel(layer)) return expand(layer, ins, keys, ops, layer.name, shapes);
  const nOut = outputs ?? layer.inboundNodes[0]?.outputTensors.length ?? 1;
  const outs = Array.from({ length: nOut }, () => keys.fresh());
  ops.push({ layer, inputs: ins, outputs: outs, ...(parent ? { parent } : {}) });
  return outs;
}

/** Per-op `training` flag: `true` while training, except where the caller says otherwise. */
export type TrainingFlag = (op: Op, index: number) => boolean;

/**
 * Executes ops `from..to-1` on concrete tensors. `env` maps keys to tensors and receives every
 * output (the caller disposes them, e.g. by running inside `tf.tidy`).
 *
 * With `keep`, the run is memory-lean (inference outside a gradient tape only): each layer runs in
 * its own `tf.tidy`, and a tensor an op of this range produced is disposed, and its key removed from
 * `env`, as soon as no later op of the range reads it, unless its key is in `keep`. Peak memory is then that of the live activations
 * (see {@link peakActivationValues}), not the sum of every activation of the range — for a
 * MobileNetV2 at 224×224 the difference between fitting in the wasm heap and aborting.
 * Never pass `keep` inside `tf.grad`/`tf.variableGrads`: the tape needs the activations.
 */
export function runOps(graph: OpGraph, env: Map<number, tf.Tensor>, from: number, to: number, training: TrainingFlag, keep?: ReadonlySet<number>): void {
  const lastRead = keep ? lastReaders(graph, from, to) : undefined;
  const produced = new Set<number>();
  for (let i = from; i < to; i++) {
    const op = graph.ops[i]!;
    const xs = op.inputs.map((k) => {
      const t = env.get(k);
      if (!t) throw new Error(`internal: input ${k} of layer "${op.layer.name}" was not computed`);
      return t;
    });
    const call = () => op.layer.apply(xs.length === 1 ? xs[0]! : xs, { training: training(op, i) }) as tf.Tensor | tf.Tensor[];
    // Lean: a layer's own temporaries (ReLU6's unclipped values…) are freed when it returns.
    const y = keep ? tf.tidy(call) : call();
    const ys = Array.isArray(y) ? y : [y];
    op.outputs.forEach((k, j) => {
      env.set(k, ys[j]!);
      produced.add(k);
    });
    if (!keep || !lastRead) continue;
    for (const k of [...op.inputs, ...op.outputs]) {
      if (!produced.has(k) || keep.has(k) || (lastRead.get(k) ?? -1) > i) continue;
      const t = env.get(k)!;
      env.delete(k);
      // A layer may return its input unchanged (inference-mode Dropout): dispose only unshared tensors.
      if (![...env.values()].includes(t)) t.dispose();
    }
  }
}

/** Index of the last op of `from..to-1` reading each key. */
function lastReaders(graph: OpGraph, from: number, to: number): Map<number, number> {
  const last = new Map<number, number>();
  for (let i = from; i < to; i++) for (const k of graph.ops[i]!.inputs) last.set(k, i);
  return last;
}

/**
 * Estimated activation memory allowed for one batch of inference (feature caching, evaluation),
 * bytes: the batch size is chosen so that {@link peakActivationValues} × 4 × batch stays below it.
 * For the Teachable Machine MobileNetV2 at 224×224 (estimated 7.9 MB per example) that is a batch
 * of 16, measured at 116 MB of live tensors and a 139 MB wasm heap; a batch of 128 with every
 * activation kept (tfjs' `tf.tidy` alone) needs more than the 4 GiB wasm32 heap and aborts.
 */
export const INFERENCE_MEMORY_BYTES = 128 * 1024 ** 2;

/** Largest inference batch, whatever the memory. */
const MAX_INFERENCE_BATCH = 128;

/**
 * Examples per memory-lean inference batch ({@link runOps} with `keep`) for `values` from
 * {@link peakActivationValues}: within {@link INFERENCE_MEMORY_BYTES}, between 1 and 128; 32 when unknown.
 */
export function inferenceBatchSize(values: number | undefined): number {
  return values ? Math.max(1, Math.min(MAX_INFERENCE_BATCH, Math.floor(INFERENCE_MEMORY_BYTES / (4 * values)))) : 32;
}

/**
 * Peak number of float values per example alive at once while ops `from..to-1` run memory-lean
 * (`runOps` with `keep` = `keepKeys`): at each op, the tensors still to be read or kept, plus twice
 * the op's outputs (the outputs and the layer's temporaries while it runs). Multiply by 4 bytes and
 * the batch size for the activation memory of a batch. An estimate: for the Teachable Machine
 * MobileNetV2 (α 0.35, 224×224) it gives 7.9 MB per example; 7.3 MB of tensors were measured live
 * at the peak on wasm (batch 16).
 * @returns undefined when a shape along the way is unknown (not recorded, or with a `null` size).
 */
export function peakActivationValues(graph: OpGraph, from: number, to: number, keepKeys: ReadonlySet<number> = new Set()): number | undefined {
  const size = (k: number): number | undefined => {
    const s = graph.shapes.get(k);
    if (!s) return undefined;
    let n = 1;
    for (const d of s.slice(1)) {
      if (d === null) return undefined;
      n *= d;
    }
    return n;
  };
  const lastRead = lastReaders(graph, from, to);
  const live = new Map<number, number>();
  // Tensors fed into the range belong to the caller and stay alive throughout.
  const given = new Set<number>();
  for (let i = from; i < to; i++) {
    for (const k of graph.ops[i]!.inputs) {
      if (given.has(k) || producerOf(graph, k) >= from) continue;
      const n = size(k);
      if (n === undefined) return undefined;
      given.add(k);
      live.set(k, n);
    }
  }
  let peak = 0;
  for (let i = from; i < to; i++) {
    const op = graph.ops[i]!;
    for (const k of op.outputs) {
      const n = size(k);
      if (n === undefined) return undefined;
      live.set(k, n);
    }
    // A layer's own temporaries (conv then bias, batch-norm arithmetic, clipped ReLU) come to about
    // one more copy of its output while it runs.
    let total = 0;
    for (const n of live.values()) total += n;
    for (const k of op.outputs) total += live.get(k)!;
    peak = Math.max(peak, total);
    for (const k of [...op.inputs, ...op.outputs]) if (!given.has(k) && !keepKeys.has(k) && (lastRead.get(k) ?? -1) <= i) live.delete(k);
  }
  return peak;
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
      throw new Error(`layer "${op.layer.name}" (${op.layer.getClassName()}) cannot take input shape [${inputShape.join(', ')}]: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const ys = Array.isArray(y) ? y : [y];
    op.outputs.forEach((k, j) => env.set(k, ys[j]!));
  }
  const out = env.get(outputKey);
  if (!out) throw new Error(`internal: output ${outputKey} not computed`);
  return tf.model({ inputs: input, outputs: out, name });
}
