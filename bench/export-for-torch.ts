/**
 * Exports one benchmark experiment for the PyTorch reference (`torch_reference.py`), built by the
 * product's own code so that both sides train the same thing: the examples exactly as the worker
 * gathers them (`loadData`: same split, same scaling, float32 NHWC), the network exactly as the
 * worker builds it (`buildNetwork`: same layers, same *initial weights*, including the seeded new
 * head), which layers the first stage freezes (`Trainer.setStage`), each layer's learning-rate
 * multiplier, the optimizer and the batch size.
 *
 * Output: `<out>.json` (the spec below) and `<out>.bin` (the arrays it points to, little-endian).
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/backend/index.js';
import { loadData } from '../src/core/data/index.js';
import type { ExampleSet } from '../src/core/data/example-set.js';
import { selectLayers } from '../src/core/experiment/layer-selector.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { buildNetwork, loadBase } from '../src/core/models/network.js';
import { groupMultipliers } from '../src/core/training/schedules.js';
import { Trainer } from '../src/core/training/trainer.js';

/** Where an array lives in the `.bin` file. */
export interface ArrayRef {
  /** Byte offset in the `.bin` file. */
  offset: number;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** One layer of the (chain-shaped) network, in the product's NHWC terms. */
export interface LayerSpec {
  name: string;
  /** tfjs-layers class name: Conv2D, DepthwiseConv2D, Dense, MaxPooling2D, Flatten, BatchNormalization, ReLU, GlobalAveragePooling2D, Dropout. */
  type: string;
  /** Shape of the layer's input without the batch, [h, w, c] or [n]. */
  inputShape: number[];
  /** Keys of the layer's tfjs config that matter for the computation (filters, kernelSize, strides, padding, activation, …). */
  config: Record<string, unknown>;
  /** Initial weights by short name (kernel, bias, depthwise_kernel, gamma, beta, moving_mean, moving_variance), tfjs layout. */
  weights: Record<string, ArrayRef>;
  /** Frozen in the first stage: no gradient, BatchNorm in inference mode. */
  frozen: boolean;
  /** The layer's learning rate = the base rate × this (layer-group multiplier; 1 for the head). */
  lrMultiplier: number;
  /** Part of the new head. */
  head: boolean;
}

/** The `.json` file read by `torch_reference.py`. */
export interface TorchSpec {
  experiment: string;
  strategy: string;
  numClasses: number;
  inputShape: number[];
  layers: LayerSpec[];
  optimizer: { type: string; lr: number; beta1: number; beta2: number; epsilon: number };
  batchSize: number;
  epochs: number;
  /** Batch of the validation pass and of the test evaluation, as the run uses them. */
  evalBatchSize: number;
  testBatchSize: number;
  seed: number;
  /**
   * Examples; `checkX` (a few validation examples) with `checkLogits`, the product network's logits
   * for them in inference mode with the initial weights: the reference checks that its converted
   * network computes the same function before it trains.
   */
  data: Record<'trainX' | 'trainY' | 'valX' | 'valY' | 'checkX' | 'checkLogits', ArrayRef> & Partial<Record<'testX' | 'testY', ArrayRef>>;
}

/** Config keys copied per layer type. */
const CONFIG_KEYS: Record<string, string[]> = {
  Conv2D: ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'dilationRate'],
  DepthwiseConv2D: ['kernelSize', 'strides', 'padding', 'activation', 'useBias', 'depthMultiplier', 'dilationRate'],
  Dense: ['units', 'activation', 'useBias'],
  MaxPooling2D: ['poolSize', 'strides', 'padding'],
  BatchNormalization: ['epsilon', 'momentum', 'axis', 'center', 'scale'],
  ReLU: ['maxValue'],
  Flatten: [],
  GlobalAveragePooling2D: [],
  Dropout: ['rate'],
};

/** Collects arrays into one buffer. */
class BinWriter {
  private readonly chunks: Buffer[] = [];
  private offset = 0;
  add(values: Float32Array | Int32Array, shape: number[]): ArrayRef {
    const ref: ArrayRef = { offset: this.offset, shape, dtype: values instanceof Float32Array ? 'float32' : 'int32' };
    const b = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    this.chunks.push(Buffer.from(b));
    this.offset += b.length;
    return ref;
  }
  write(file: string): void {
    fs.writeFileSync(file, Buffer.concat(this.chunks));
  }
}

function addSet(bin: BinWriter, set: ExampleSet): [ArrayRef, ArrayRef] {
  const idx = Array.from({ length: set.count }, (_, i) => i);
  return [bin.add(set.gather(idx), [set.count, ...set.shape]), bin.add(Int32Array.from(set.labels), [set.count])];
}

/**
 * Writes `<out>.json` and `<out>.bin` for `experimentFile` (single-stage experiments only).
 * @param runsDir runs folder that holds the run a `run` base refers to.
 * @returns the spec written.
 * @throws Error when the experiment has several stages, a schedule, a non-Adam optimizer, or a
 *   network that is not a chain of the layer types in {@link CONFIG_KEYS}.
 */
export async function exportForTorch(experimentFile: string, runsDir: string, out: string): Promise<TorchSpec> {
  await initBackend('wasm');
  const { experiment: exp } = await loadExperiment(experimentFile);
  if (exp.transfer.stages.length !== 1) throw new Error(`${exp.name}: the PyTorch reference runs single-stage experiments only`);
  if (exp.optimizer.type !== 'adam' || exp.learningRate.schedule.type !== 'constant' || exp.learningRate.warmup.steps > 0) {
    throw new Error(`${exp.name}: the PyTorch reference supports Adam at a constant rate only`);
  }
  const base = await loadBase(exp, { runsDir });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  const numClasses = data.classNames.length;
  const net = buildNetwork(exp, base, numClasses);
  const trainer = new Trainer(exp, net, numClasses);
  trainer.setStage(0);
  const mult = groupMultipliers(exp.learningRate, exp.transfer.strategy);
  const groupOfLayer = new Map<string, string>();
  for (const g of exp.learningRate.layerGroups) for (const n of selectLayers(g.layers, net.baseLayers)) if (!groupOfLayer.has(n)) groupOfLayer.set(n, g.name);

  const bin = new BinWriter();
  const layers: LayerSpec[] = [];
  const graph = net.graph;
  let current = graph.inputs[0]!;
  graph.ops.forEach((op, i) => {
    const type = op.layer.getClassName();
    const keys = CONFIG_KEYS[type];
    if (!keys) throw new Error(`layer "${op.layer.name}": type ${type} is not supported by the PyTorch reference`);
    if (op.inputs.length !== 1 || op.inputs[0] !== current || op.outputs.length !== 1) {
      throw new Error(`layer "${op.layer.name}": the PyTorch reference needs a chain of single-input layers`);
    }
    current = op.outputs[0]!;
    const cfg = op.layer.getConfig() as Record<string, unknown>;
    const config: Record<string, unknown> = {};
    for (const k of keys) if (cfg[k] !== undefined) config[k] = cfg[k];
    const weights: Record<string, ArrayRef> = {};
    const values = op.layer.getWeights(); // the variables' own tensors: not to be disposed
    op.layer.weights.forEach((w, j) => {
      const short = w.originalName.split('/').pop()!;
      weights[short] = bin.add(values[j]!.dataSync() as Float32Array, values[j]!.shape);
    });
    const head = i >= net.baseOps;
    const inputShape = graph.shapes.get(op.inputs[0]!)!.slice(1) as number[];
    layers.push({
      name: op.layer.name,
      type,
      inputShape,
      config,
      weights,
      frozen: trainer.frozenLayers.has(op.layer.name),
      lrMultiplier: head ? mult.head! : mult[groupOfLayer.get(op.layer.name) ?? 'base']!,
      head,
    });
  });
  const [trainX, trainY] = addSet(bin, data.train);
  const [valX, valY] = addSet(bin, data.validation);
  const test = data.test ? addSet(bin, data.test) : undefined;
  const checkSet = data.validation.count > 0 ? data.validation : data.train;
  const checkIdx = Array.from({ length: Math.min(8, checkSet.count) }, (_, i) => i);
  const checkX = checkSet.gather(checkIdx);
  const logits = tf.tidy(() => net.model.predict(tf.tensor(checkX, [checkIdx.length, ...checkSet.shape])) as tf.Tensor);
  const check = { checkX: bin.add(checkX, [checkIdx.length, ...checkSet.shape]), checkLogits: bin.add(logits.dataSync() as Float32Array, logits.shape) };
  logits.dispose();
  const spec: TorchSpec = {
    experiment: exp.name,
    strategy: exp.transfer.strategy,
    numClasses,
    inputShape: net.inputShape,
    layers,
    optimizer: { type: 'adam', lr: exp.learningRate.base, beta1: exp.optimizer.beta1, beta2: exp.optimizer.beta2, epsilon: exp.optimizer.epsilon },
    batchSize: exp.training.batchSize,
    epochs: exp.training.epochs,
    // The trainer evaluates in batches of max(batch, 128), capped without a feature cache by its
    // memory-derived inference batch (when it has one).
    evalBatchSize: trainer.prefixEnd >= 0 ? Math.max(exp.training.batchSize, 128) : Math.min(Math.max(exp.training.batchSize, 128), trainer.inferenceBatch),
    testBatchSize: trainer.inferenceBatch, // the run's test evaluation uses the trainer's memory-sized batch
    seed: exp.training.seed,
    data: { trainX, trainY, valX, valY, ...check, ...(test ? { testX: test[0], testY: test[1] } : {}) },
  };
  bin.write(`${out}.bin`);
  fs.writeFileSync(`${out}.json`, JSON.stringify(spec, null, 1));
  trainer.dispose();
  net.model.dispose(); // shares its layers (and weights) with the loaded base
  return spec;
}
