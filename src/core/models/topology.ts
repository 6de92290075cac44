/**
 * The layer list of a model without loading it: reads a tfjs Layers `model.json` as plain JSON
 * (tfjs 1.x–4.x, Keras-converted `model_config`, Keras 3 node format; Sequential and functional;
 * nested models flattened into their inner layers) into `LayerInfo[]`. The extension host uses it
 * for completion, the panel and semantic checks, so it must not import tfjs.
 *
 * Layer order: the layers' order in the file (Keras/tfjs `model.layers` order), nested models
 * expanded in place, input layers left out; `index` 0 is the first layer after the input, as in
 * `LayerSelector.range`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APPLICATION_INPUT, APPLICATION_LAST_BASE_LAYER, type KerasApplication } from './keras/applications/names.js';
import { isKerasPath, readKerasTopology } from './keras/read.js';

/** One (leaf) layer of a model. */
export interface LayerInfo {
  /** Layer name, unique in the model. */
  name: string;
  /** Keras/tfjs class name, e.g. `Conv2D`, `BatchNormalization`. */
  className: string;
  /** Position in the flattened layer list; 0 is the first layer after the input. */
  index: number;
  /** Output shape with the batch dimension first (`null` for unknown sizes), e.g. `[null, 7, 7, 1280]`; absent when it cannot be inferred. */
  outputShape?: (number | null)[];
  /** Number of weights (trainable and not, e.g. BatchNorm moving statistics): exact from the weights manifest, else computed from the config. */
  params: number;
  /** The layer's `trainable` flag in the file (false when it or an enclosing model says `trainable: false`). */
  trainableByDefault: boolean;
  /** True for batch-normalization layers (kept in inference mode while frozen). */
  isBatchNorm: boolean;
  /** Name of the innermost nested model holding the layer; absent for top-level layers. */
  parent?: string;
  /** Set on the last layer of a base without an old head (a `wordVectors` base): the default cut keeps it. */
  headless?: boolean;
}

/** A model's flattened layers and what else the file says about it. */
export interface ModelTopology {
  /** Name of the outer model. */
  name: string;
  /** `Sequential`, `Model` or `Functional`. */
  className: string;
  /** Input shape with the batch dimension, e.g. `[null, 224, 224, 3]`, when known. */
  inputShape?: (number | null)[];
  layers: LayerInfo[];
  /** Names of the nested models that were expanded, outermost first. */
  nestedModels: string[];
  /** Sum of `params` over the layers. */
  totalParams: number;
  /** True when parameter counts come from the weights manifest (else from layer configs). */
  paramsFromManifest: boolean;
}

/** Thrown when the JSON is not a tfjs Layers model (a graph model, or no topology). */
export class TopologyError extends Error {
  override name = 'TopologyError';
}

/** Options of {@link parseModelTopology}. */
export interface TopologyOptions {
  /** Count parameters from layer configs even when a weights manifest is present (default false). */
  ignoreManifest?: boolean;
  /** The Keras Application a weights-only `.h5` belongs to (`base.application`; default: from the file name). */
  application?: KerasApplication;
}

type Shape = (number | null)[];
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and parses a `model.json` file, or the architecture and weight shapes of a Keras `.h5`.
 * @throws TopologyError for a file that is not a Layers model; Node's fs errors (ENOENT…) as is;
 *   SyntaxError for invalid JSON; KerasFileError for a Keras file that cannot be read.
 */
export async function readModelTopology(modelJsonPath: string, options: TopologyOptions = {}): Promise<ModelTopology> {
  if (isKerasPath(modelJsonPath)) {
    const k = readKerasTopology(modelJsonPath, options.application);
    if ('application' in k) return applicationModelTopology(k.application, k.includeTop);
    return parseModelTopology(k, options);
  }
  const text = await fs.promises.readFile(modelJsonPath, 'utf8');
  return parseModelTopology(JSON.parse(text) as unknown, options);
}

/**
 * Parses the JSON of a tfjs Layers `model.json` (`{modelTopology, weightsManifest}`), of a Keras
 * `model.to_json()` (`{class_name, config}`), or a converter's `{modelTopology: {model_config}}`.
 * @throws TopologyError for a graph model or JSON without a Layers topology.
 */
export function parseModelTopology(json: unknown, options: TopologyOptions = {}): ModelTopology {
  if (!isObj(json)) throw new TopologyError('model.json must be a JSON object');
  if (json.format === 'graph-model') {
    throw new TopologyError('this is a tfjs graph model (format "graph-model"); only Layers models (format "layers-model") have layers to reuse');
  }
  let topo: unknown = json.modelTopology ?? json;
  if (isObj(topo) && isObj(topo.model_config)) topo = topo.model_config;
  if (!isObj(topo) || typeof topo.class_name !== 'string' || topo.config === undefined) {
    throw new TopologyError('no Layers model topology: expected "modelTopology" with "class_name" and "config"');
  }
  if (isObj(topo.node) || Array.isArray(topo.node)) throw new TopologyError('this is a graph model (GraphDef nodes), not a Layers model');

  const walker = new Walker();
  walker.model(topo, undefined, undefined, true, true);
  const layers = walker.layers;

  let fromManifest = false;
  const manifest = options.ignoreManifest
    ? undefined
    : manifestParams(
        json.weightsManifest,
        layers.map((l) => l.name),
      );
  if (manifest) {
    fromManifest = true;
    for (const l of layers) {
      const n = manifest.get(l.name);
      if (n !== undefined) l.params = n;
    }
  }
  return {
    name: walker.rootName ?? 'model',
    className: topo.class_name,
    ...(walker.rootInput ? { inputShape: walker.rootInput } : {}),
    layers,
    nestedModels: walker.nested,
    totalParams: layers.reduce((n, l) => n + l.params, 0),
    paramsFromManifest: fromManifest,
  };
}

// ---------------------------------------------------------------------------------------------
// weights manifest
// ---------------------------------------------------------------------------------------------

/**
 * Parameter count per layer from the manifest: a weight `a/b/conv1/kernel` belongs to the
 * rightmost path segment (before the weight's own name) that is a layer name. Undefined when there
 * is no manifest.
 */
function manifestParams(manifest: unknown, layerNames: string[]): Map<string, number> | undefined {
  if (!Array.isArray(manifest) || manifest.length === 0) return undefined;
  const known = new Set(layerNames);
  const counts = new Map<string, number>();
  for (const group of manifest) {
    if (!isObj(group) || !Array.isArray(group.weights)) continue;
    for (const w of group.weights) {
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) continue;
      const segments = w.name.replace(/:\d+$/, '').split('/');
      let owner: string | undefined;
      for (let i = segments.length - 2; i >= 0 && owner === undefined; i--) if (known.has(segments[i])) owner = segments[i];
      if (owner === undefined) continue; // optimizer state or an unknown scope
      const size = (w.shape as unknown[]).reduce<number>((n, d) => n * (typeof d === 'number' ? d : 0), 1);
      counts.set(owner, (counts.get(owner) ?? 0) + size);
    }
  }
  return counts.size > 0 ? counts : undefined;
}

// ---------------------------------------------------------------------------------------------
// walking the topology
// ---------------------------------------------------------------------------------------------

/** A reference to another layer's output in a functional config. */
interface InboundRef {
  layer: string;
  node: number;
  tensor: number;
}

class Walker {
  readonly layers: LayerInfo[] = [];
  readonly nested: string[] = [];
  rootName: string | undefined;
  rootInput: Shape | undefined;

  /**
   * Walks a model (the root or a nested one) and returns its output shape.
   * @param input shape fed to the model when nested (undefined: use its own input layers).
   */
  model(entry: Json, input: Shape | undefined, parent: string | undefined, trainable: boolean, root = false): Shape | undefined {
    const rawConfig = entry.config;
    const config: Json = Array.isArray(rawConfig) ? { layers: rawConfig } : isObj(rawConfig) ? rawConfig : {};
    const name = typeof config.name === 'string' ? config.name : typeof entry.name === 'string' ? entry.name : undefined;
    if (root) this.rootName = name;
    else if (name) this.nested.push(name);
    const inner = root ? parent : name;
    const layerEntries = (Array.isArray(config.layers) ? config.layers : []).filter(isObj);
    const isTrainable = trainable && config.trainable !== false;
    const functional = Array.isArray(config.input_layers) || layerEntries.some((l) => l.inbound_nodes !== undefined && l.class_name !== 'InputLayer');
    return functional && entry.class_name !== 'Sequential'
      ? this.functional(config, layerEntries, input, inner, isTrainable)
      : this.sequential(layerEntries, input, inner, isTrainable);
  }

  private sequential(entries: Json[], input: Shape | undefined, parent: string | undefined, trainable: boolean): Shape | undefined {
    // The shape flowing in wins over a declared one (they agree in a consistent file).
    let cur = input;
    for (const entry of entries) {
      const cfg = isObj(entry.config) ? entry.config : {};
      cur ??= declaredInputShape(cfg);
      this.rootInput ??= cur;
      if (entry.class_name === 'InputLayer') continue;
      cur = this.apply(entry, cur === undefined ? [] : [cur], parent, trainable);
    }
    return cur;
  }

  private functional(config: Json, entries: Json[], input: Shape | undefined, parent: string | undefined, trainable: boolean): Shape | undefined {
    const shapes = new Map<string, Shape | undefined>();
    const inputNames = refList(config.input_layers).map((r) => r.layer);
    for (const entry of entries) {
      const name = layerName(entry);
      if (entry.class_name !== 'InputLayer') continue;
      const own = declaredInputShape(isObj(entry.config) ? entry.config : {});
      const first = inputNames.length === 0 ? shapes.size === 0 : inputNames[0] === name;
      const shape = (first ? input : undefined) ?? own;
      shapes.set(name, shape);
      this.rootInput ??= shape;
    }
    for (const entry of entries) {
      if (entry.class_name === 'InputLayer') continue;
      const ins = inboundRefs(entry.inbound_nodes).map((r) => shapes.get(r.layer));
      const known = ins.every((s): s is Shape => s !== undefined) ? ins : [];
      shapes.set(layerName(entry), this.apply(entry, known as Shape[], parent, trainable));
    }
    const outputs = refList(config.output_layers);
    return outputs.length > 0 ? shapes.get(outputs[0].layer) : undefined;
  }

  /** Lists one layer (or expands a nested model) and returns its output shape. */
  private apply(entry: Json, inputs: Shape[], parent: string | undefined, trainable: boolean): Shape | undefined {
    const cfg = isObj(entry.config) ? entry.config : Array.isArray(entry.config) ? { layers: entry.config } : {};
    const className = typeof entry.class_name === 'string' ? entry.class_name : 'Layer';
    if (Array.isArray(cfg.layers)) {
      return this.model({ ...entry, config: cfg }, inputs[0], parent, trainable && cfg.trainable !== false);
    }
    const input = inputs[0];
    const outputShape = inputs.length > 0 ? safe(() => outputShapeOf(className, cfg, inputs)) : undefined;
    this.layers.push({
      name: layerName(entry),
      className,
      index: this.layers.length,
      ...(outputShape ? { outputShape } : {}),
      params: input ? (safe(() => configParams(className, cfg, input)) ?? 0) : 0,
      trainableByDefault: trainable && cfg.trainable !== false,
      isBatchNorm: /BatchNormalization/.test(className),
      ...(parent ? { parent } : {}),
    });
    return outputShape;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function layerName(entry: Json): string {
  if (typeof entry.name === 'string') return entry.name;
  const cfg = entry.config;
  return isObj(cfg) && typeof cfg.name === 'string' ? cfg.name : '';
}

/** `batch_input_shape` / `batchInputShape` / `batch_shape` (Keras 3) / `input_shape` of a config, with the batch dimension. */
function declaredInputShape(cfg: Json): Shape | undefined {
  const batch = cfg.batch_input_shape ?? cfg.batchInputShape ?? cfg.batch_shape;
  if (Array.isArray(batch)) return batch.map(dim);
  const shape = cfg.input_shape ?? cfg.inputShape;
  if (Array.isArray(shape)) return [null, ...shape.map(dim)];
  return undefined;
}

const dim = (d: unknown): number | null => (typeof d === 'number' ? d : null);

/** `[["a", 0, 0], …]` or a single `["a", 0, 0]` (Keras 3) → refs. */
function refList(v: unknown): InboundRef[] {
  if (!Array.isArray(v)) return [];
  if (typeof v[0] === 'string') return [toRef(v)];
  return v.filter(Array.isArray).map(toRef);
}

function toRef(a: unknown[]): InboundRef {
  return { layer: String(a[0]), node: typeof a[1] === 'number' ? a[1] : 0, tensor: typeof a[2] === 'number' ? a[2] : 0 };
}

/**
 * Inputs of a layer's first call. Keras 2 / tfjs: `[[["name", node, tensor, {kwargs}], …], …]`;
 * Keras 3: `[{ args: [ {class_name: "__keras_tensor__", config: {keras_history: [name, node, tensor]}} … ] }]`.
 */
function inboundRefs(nodes: unknown): InboundRef[] {
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  const first = nodes[0];
  if (Array.isArray(first)) return first.filter(Array.isArray).map(toRef);
  if (isObj(first)) {
    const refs: InboundRef[] = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (isObj(v)) {
        if (v.class_name === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.keras_history)) refs.push(toRef(v.config.keras_history));
        else Object.values(v).forEach(visit);
      }
    };
    visit(first.args);
    return refs;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// shapes and parameter counts from layer configs
// ---------------------------------------------------------------------------------------------

const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);

/** An int or a list of ints → a list of `n` ints. */
function tuple(v: unknown, n: number, d: number): number[] {
  if (Array.isArray(v)) return v.map((x) => num(x, d));
  return Array.from({ length: n }, () => num(v, d));
}

const channelsFirst = (cfg: Json) => cfg.data_format === 'channels_first' || cfg.dataFormat === 'channelsFirst';

/** Channel count of an input shape for a channels-last (default) or channels-first layer. */
function channelsOf(cfg: Json, input: Shape): number | null {
  return channelsFirst(cfg) ? (input[1] ?? null) : (input[input.length - 1] ?? null);
}

const prod = (xs: (number | null)[]): number | null => xs.reduce<number | null>((a, x) => (a === null || x === null ? null : a * x), 1);

/** Spatial output size of a conv/pool window. */
function convLength(n: number | null, k: number, stride: number, padding: unknown, dilation = 1): number | null {
  if (n === null) return null;
  const ek = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - ek) / stride) + 1;
}

/** Replaces the spatial dims (all but batch and channels) of `input` using `f`, then sets channels. */
function spatial(cfg: Json, input: Shape, f: (n: number | null, i: number) => number | null, channels: number | null): Shape {
  const cf = channelsFirst(cfg);
  const dims = cf ? input.slice(2) : input.slice(1, -1);
  const out = dims.map(f);
  return cf ? [input[0], channels, ...out] : [input[0], ...out, channels];
}

function paddingPairs(v: unknown, n: number): [number, number][] {
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v]);
  if (Array.isArray(v)) {
    return Array.from({ length: n }, (_, i) => {
      const p = v[i];
      if (Array.isArray(p)) return [num(p[0], 0), num(p[1], 0)];
      return [num(p, 0), num(p, 0)];
    });
  }
  return Array.from({ length: n }, () => [1, 1]);
}

/** Layers whose output shape equals their (first) input's. */
const SAME_SHAPE = new Set([
  'Activation',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'BatchNormalization',
  'SyncBatchNormalization',
  'LayerNormalization',
  'Rescaling',
  'Normalization',
  'Masking',
  'ActivityRegularization',
  'RandomFlip',
  'RandomRotation',
  'RandomTranslation',
  'RandomZoom',
  'RandomContrast',
  'RandomBrightness',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Identity',
  'TFOpLambda',
]);

/** Output shape of a layer from its config and input shapes; undefined for layers not modelled here. */
export function outputShapeOf(className: string, cfg: Json, inputs: Shape[]): Shape | undefined {
  const x = inputs[0];
  if (!x) return undefined;
  if (SAME_SHAPE.has(className)) return [...x];
  switch (className) {
    case 'Dense':
      return [...x.slice(0, -1), num(cfg.units, 0)];
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'SeparableConv1D':
    case 'SeparableConv2D':
    case 'DepthwiseConv2D':
    case 'DepthwiseConv1D': {
      const n = x.length - 2;
      const k = tuple(cfg.kernel_size, n, 1);
      const s = tuple(cfg.strides, n, 1);
      const d = tuple(cfg.dilation_rate, n, 1);
      const ch = className.startsWith('Depthwise') ? mul(channelsOf(cfg, x), num(cfg.depth_multiplier, 1)) : num(cfg.filters, 0);
      return spatial(cfg, x, (v, i) => convLength(v, k[i], s[i], cfg.padding, d[i]), ch);
    }
    case 'Conv2DTranspose':
    case 'Conv1DTranspose':
    case 'Conv3DTranspose': {
      const n = x.length - 2;
      const k = tuple(cfg.kernel_size, n, 1);
      const s = tuple(cfg.strides, n, 1);
      return spatial(cfg, x, (v, i) => (v === null ? null : cfg.padding === 'same' ? v * s[i] : (v - 1) * s[i] + k[i]), num(cfg.filters, 0));
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'MaxPooling3D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
    case 'AveragePooling3D':
    case 'MaxPool1D':
    case 'MaxPool2D':
    case 'AvgPool2D': {
      const n = x.length - 2;
      const p = tuple(cfg.pool_size, n, 2);
      const s = cfg.strides === null || cfg.strides === undefined ? p : tuple(cfg.strides, n, 1);
      return spatial(cfg, x, (v, i) => convLength(v, p[i], s[i], cfg.padding), channelsOf(cfg, x));
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling3D':
    case 'GlobalAvgPool2D':
    case 'GlobalMaxPool2D':
      return cfg.keepdims === true ? spatial(cfg, x, () => 1, channelsOf(cfg, x)) : [x[0], channelsOf(cfg, x)];
    case 'Flatten':
      return [x[0], prod(x.slice(1))];
    case 'Reshape': {
      const target = Array.isArray(cfg.target_shape) ? cfg.target_shape.map((d) => num(d, -1)) : [];
      const total = prod(x.slice(1));
      const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      return [x[0], ...target.map((d) => (d === -1 ? (total === null || known === 0 ? null : total / known) : d))];
    }
    case 'ZeroPadding1D':
    case 'ZeroPadding2D':
    case 'ZeroPadding3D': {
      const pads = paddingPairs(cfg.padding, x.length - 2);
      return spatial(cfg, x, (v, i) => (v === null ? null : v + pads[i][0] + pads[i][1]), channelsOf(cfg, x));
    }
    case 'Cropping1D':
    case 'Cropping2D':
    case 'Cropping3D': {
      const crops = paddingPairs(cfg.cropping ?? 0, x.length - 2);
      return spatial(cfg, x, (v, i) => (v === null ? null : v - crops[i][0] - crops[i][1]), channelsOf(cfg, x));
    }
    case 'UpSampling1D':
    case 'UpSampling2D':
    case 'UpSampling3D': {
      const size = tuple(cfg.size, x.length - 2, 2);
      return spatial(cfg, x, (v, i) => (v === null ? null : v * size[i]), channelsOf(cfg, x));
    }
    case 'Resizing':
      return [x[0], num(cfg.height, 0), num(cfg.width, 0), x[x.length - 1]];
    case 'Concatenate': {
      const axis = num(cfg.axis, -1);
      const a = axis < 0 ? x.length + axis : axis;
      const out = [...x];
      out[a] = inputs.reduce<number | null>((sum, s) => (sum === null || s[a] === null ? null : sum + (s[a] as number)), 0);
      return out;
    }
    case 'Permute': {
      const dims = Array.isArray(cfg.dims) ? cfg.dims.map((d) => num(d, 1)) : [];
      return [x[0], ...dims.map((d) => x[d] ?? null)];
    }
    case 'RepeatVector':
      return [x[0], num(cfg.n, 1), x[x.length - 1]];
    case 'Embedding':
      return [...x, num(cfg.output_dim, 0)];
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return cfg.return_sequences === true ? [x[0], x[1], num(cfg.units, 0)] : [x[0], num(cfg.units, 0)];
    default:
      return undefined;
  }
}

const mul = (a: number | null, b: number): number | null => (a === null ? null : a * b);

/**
 * Weights of a layer computed from its config and input shape (the counts Keras' `summary()` shows,
 * non-trainable BatchNorm statistics included); 0 for layers without weights or not modelled here.
 */
export function configParams(className: string, cfg: Json, input: Shape): number {
  const bias = cfg.use_bias !== false;
  const inC = channelsOf(cfg, input) ?? 0;
  const inLast = input[input.length - 1] ?? 0;
  const kernel = (n: number) => tuple(cfg.kernel_size, n, 1).reduce((a, b) => a * b, 1);
  const spatialDims = input.length - 2;
  switch (className) {
    case 'Dense': {
      const units = num(cfg.units, 0);
      return inLast * units + (bias ? units : 0);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      const filters = num(cfg.filters, 0);
      const groups = num(cfg.groups, 1);
      return kernel(spatialDims) * (inC / groups) * filters + (bias ? filters : 0);
    }
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const filters = num(cfg.filters, 0);
      return kernel(spatialDims) * inC * filters + (bias ? filters : 0);
    }
    case 'DepthwiseConv1D':
    case 'DepthwiseConv2D': {
      const out = inC * num(cfg.depth_multiplier, 1);
      return kernel(spatialDims) * out + (bias ? out : 0);
    }
    case 'SeparableConv1D':
    case 'SeparableConv2D': {
      const dm = num(cfg.depth_multiplier, 1);
      const filters = num(cfg.filters, 0);
      return kernel(spatialDims) * inC * dm + inC * dm * filters + (bias ? filters : 0);
    }
    case 'BatchNormalization':
    case 'SyncBatchNormalization': {
      const axis = Array.isArray(cfg.axis) ? cfg.axis.map((a) => num(a, -1)) : [num(cfg.axis, -1)];
      const c = axis.reduce<number>((n, a) => n * (input[a < 0 ? input.length + a : a] ?? 0), 1);
      return c * (2 + (cfg.center !== false ? 1 : 0) + (cfg.scale !== false ? 1 : 0));
    }
    case 'LayerNormalization':
      return inLast * ((cfg.center !== false ? 1 : 0) + (cfg.scale !== false ? 1 : 0));
    case 'Embedding':
      return num(cfg.input_dim, 0) * num(cfg.output_dim, 0);
    case 'PReLU':
      return prod(input.slice(1)) ?? 0;
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const units = num(cfg.units, 0);
      const gates = className === 'LSTM' ? 4 : className === 'GRU' ? 3 : 1;
      const biasCount = bias ? (className === 'GRU' && cfg.reset_after !== false ? 2 : 1) * gates * units : 0;
      return gates * units * (inLast + units) + biasCount;
    }
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// built-in architectures
// ---------------------------------------------------------------------------------------------

/** Where {@link builtinTopology} looks for `builtin-topologies.json` (source tree, then next to a bundle). */
export function builtinTopologyCandidates(): string[] {
  return [
    path.join(__dirname, 'builtin-topologies.json'),
    path.join(__dirname, 'core', 'models', 'builtin-topologies.json'),
    path.join(__dirname, '..', 'src', 'core', 'models', 'builtin-topologies.json'),
  ];
}

let builtinCache: { file: string; table: Record<string, unknown> } | undefined;

/**
 * The static layer list of a built-in architecture, read from the committed
 * `src/core/models/builtin-topologies.json` (generated with tfjs by the models code). Its format:
 * `{ "<architecture>": LayerInfo[] | { "layers": LayerInfo[], … } }`.
 * @param file explicit path of the JSON (default: the first of {@link builtinTopologyCandidates} that exists).
 * @returns undefined when the file or the architecture is missing, or the file is unreadable.
 */
export function builtinTopology(architecture: string, file?: string): LayerInfo[] | undefined {
  const candidates = file ? [file] : builtinTopologyCandidates();
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) return undefined;
  if (builtinCache?.file !== found) {
    try {
      const table = JSON.parse(fs.readFileSync(found, 'utf8')) as unknown;
      if (!isObj(table)) return undefined;
      builtinCache = { file: found, table };
    } catch {
      return undefined;
    }
  }
  const entry = builtinCache.table[architecture];
  const list = Array.isArray(entry) ? entry : isObj(entry) && Array.isArray(entry.layers) ? entry.layers : undefined;
  if (!list) return undefined;
  return list.filter(isObj).map((l, i) => ({
    name: String(l.name),
    className: typeof l.className === 'string' ? l.className : 'Layer',
    index: typeof l.index === 'number' ? l.index : i,
    ...(Array.isArray(l.outputShape) ? { outputShape: l.outputShape.map(dim) } : {}),
    params: typeof l.params === 'number' ? l.params : 0,
    trainableByDefault: l.trainableByDefault !== false,
    isBatchNorm: l.isBatchNorm === true,
    ...(typeof l.parent === 'string' ? { parent: l.parent } : {}),
  }));
}

/** Where `application-topologies.json` is, from the source tree or a bundle (as {@link builtinTopologyCandidates}). */
function applicationTopologyCandidates(): string[] {
  return builtinTopologyCandidates().map((f) => path.join(path.dirname(f), 'application-topologies.json'));
}

/**
 * The layer list of a Keras Application (`keras/applications/`), from the committed
 * `src/core/models/application-topologies.json` (`npm run topologies`), without its top when
 * `includeTop` is false.
 * @throws TopologyError when the table is missing (a broken install).
 */
export function applicationModelTopology(application: KerasApplication, includeTop: boolean): ModelTopology {
  const file = applicationTopologyCandidates().find((f) => fs.existsSync(f));
  const all = file ? builtinTopology(application, file) : undefined;
  if (!all) throw new TopologyError(`the layer table of ${application} (application-topologies.json) is missing`);
  const last = all.findIndex((l) => l.name === APPLICATION_LAST_BASE_LAYER[application]);
  const layers = includeTop ? all : all.slice(0, last + 1);
  return {
    name: application,
    className: 'Functional',
    inputShape: [null, ...APPLICATION_INPUT[application]],
    layers,
    nestedModels: [],
    totalParams: layers.reduce((s, l) => s + l.params, 0),
    paramsFromManifest: false,
  };
}
