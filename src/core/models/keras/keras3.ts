/**
 * Keras 3 `.keras` files: a zip holding `config.json` (the model's `{module, class_name, config}`),
 * `metadata.json` (`keras_version`) and `model.weights.h5`, where a layer's variables are the
 * datasets `layers/<key>/vars/<i>` in creation order (kernel, bias; gamma, beta, moving_mean,
 * moving_variance), a nested model's under `layers/<key>/layers/…`. `<key>` is not the layer's
 * name: it is the snake_case class name, numbered per class in `model.layers` order (`conv2d`,
 * `conv2d_1`…). Source: Keras 3 `keras/src/saving/saving_lib.py` (`_save_container_state`) and
 * `keras/src/utils/naming.py` (`to_snake_case`).
 *
 * The config is rewritten into the Keras 2 form TensorFlow.js Layers reads: dtype policies become
 * dtype names, `batch_shape` becomes `batch_input_shape`, Keras 3 node arguments
 * (`__keras_tensor__` with a `keras_history`) become `[layer, node, tensor, {}]` triples.
 * No tfjs import: the extension host lists layers through this module.
 */
import { unzipSync } from 'fflate';
import { openHdf5, type H5Group } from './hdf5.js';
import { KerasFileError, type KerasLayerWeights, type KerasModelFile, type KerasWeight } from './types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras's `naming.to_snake_case`: `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** `[name, node, tensor]` of every `__keras_tensor__` inside a Keras 3 call's args, in order. */
function kerasTensors(v: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(v)) for (const x of v) kerasTensors(x, out);
  else if (isObj(v)) {
    if (v.class_name === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.keras_history)) out.push([...v.config.keras_history, {}]);
    else for (const x of Object.values(v)) kerasTensors(x, out);
  }
  return out;
}

/** A Keras 3 layer or model config in the Keras 2 form tfjs reads (see the module comment). */
export function toKeras2Config(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toKeras2Config);
  if (!isObj(node)) return node;
  if (node.class_name === 'DTypePolicy' || node.class_name === 'Policy') return isObj(node.config) ? node.config.name : 'float32';
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config' || k === 'compile_config' || k === 'shared_object_id') continue;
    if (k === 'batch_shape') out.batch_input_shape = v;
    else if (k === 'inbound_nodes' && Array.isArray(v)) {
      out.inbound_nodes = v.map((n) => (isObj(n) && 'args' in n ? kerasTensors(n.args) : n));
    } else if ((k === 'input_layers' || k === 'output_layers') && Array.isArray(v) && v.length === 3 && typeof v[0] === 'string') {
      out[k] = [v]; // one input or output: Keras 3 writes the triple alone
    } else out[k] = toKeras2Config(v);
  }
  return out;
}

/** The layers of a (Keras 3) model config in `model.layers` order; a Sequential's InputLayer left out. */
function modelLayers(model: Json): Json[] {
  const cfg = isObj(model.config) ? model.config : {};
  const layers = Array.isArray(cfg.layers) ? (cfg.layers.filter(isObj) as Json[]) : [];
  return model.class_name === 'Sequential' ? layers.filter((l) => l.class_name !== 'InputLayer') : layers;
}

const layerName = (l: Json) => (isObj(l.config) && typeof l.config.name === 'string' ? l.config.name : '?');

/** The variables of each leaf layer under `group` (`layers/<key>/vars/<i>`), nested models walked. */
function collect(model: Json, group: H5Group | undefined, prefix: string[], out: KerasWeight[], file: string): void {
  const used = new Map<string, number>();
  for (const l of modelLayers(model)) {
    let key = toSnakeCase(String(l.class_name));
    const n = used.get(key);
    used.set(key, n === undefined ? 0 : n + 1);
    if (n !== undefined) key = `${key}_${n + 1}`;
    const g = group?.group(key);
    if (MODEL_CLASSES.has(String(l.class_name))) {
      collect(l, g?.group('layers'), [...prefix, layerName(l)], out, file);
      continue;
    }
    const vars = g?.group('vars');
    if (!vars) continue;
    const count = vars.keys.length;
    for (let i = 0; i < count; i++) {
      const ds = vars.dataset(String(i));
      if (!ds) throw new KerasFileError(file, `layer "${layerName(l)}": variable ${i} of ${count} is missing from model.weights.h5 (layers/${key}/vars)`);
      out.push({ name: `${[...prefix, layerName(l)].join('/')}/${i}`, shape: ds.shape, read: () => ds.read() });
    }
  }
}

/**
 * Reads a Keras 3 `.keras` zip.
 * @param bytes the whole file.
 * @throws KerasFileError for a zip without `config.json` or `model.weights.h5`, invalid JSON, or a
 *   missing variable (the message names the layer).
 */
export function readKeras3(bytes: Uint8Array, file: string): KerasModelFile {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f: { name: string }) => ['config.json', 'metadata.json', 'model.weights.h5'].includes(f.name) });
  } catch (e) {
    throw new KerasFileError(file, `cannot read the zip: ${(e as Error).message}`);
  }
  const text = (name: string) => (entries[name] ? Buffer.from(entries[name]).toString('utf8') : undefined);
  const configText = text('config.json');
  if (configText === undefined) throw new KerasFileError(file, 'not a Keras 3 model: the zip has no config.json');
  if (!entries['model.weights.h5']) throw new KerasFileError(file, 'the zip has no model.weights.h5');
  let config: Json;
  let metadata: Json;
  try {
    config = JSON.parse(configText) as Json;
    metadata = JSON.parse(text('metadata.json') ?? '{}') as Json;
  } catch (e) {
    throw new KerasFileError(file, `config.json or metadata.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof config.class_name !== 'string') throw new KerasFileError(file, 'config.json has no "class_name"');
  const weights = openHdf5(entries['model.weights.h5']!, `${file}/model.weights.h5`);
  const all: KerasWeight[] = [];
  if (MODEL_CLASSES.has(config.class_name)) collect(config, weights.group('layers'), [], all, file);
  // One group per top-level layer, as in Keras 2 files: `load.ts` matches inner layers by name.
  const byTop = new Map<string, KerasWeight[]>();
  for (const w of all) {
    const top = w.name.split('/')[0]!;
    byTop.set(top, [...(byTop.get(top) ?? []), w]);
  }
  const layers: KerasLayerWeights[] = [...byTop].map(([layer, ws]) => ({
    layer,
    weights: ws.map((w) => ({ ...w, name: w.name.split('/').length > 2 ? w.name.split('/').slice(1).join('/') : w.name })),
  }));
  const topology = toKeras2Config(config) as { class_name: string; config: unknown };
  const kerasVersion = typeof metadata.keras_version === 'string' ? metadata.keras_version : undefined;
  return { format: 'keras', ...(kerasVersion ? { kerasVersion } : {}), topology, layers };
}
