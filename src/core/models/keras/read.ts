/**
 * Reads a Keras model file without Python and without tfjs (a Keras 3 `.keras` zip: `keras3.ts`): Keras 2 / tf.keras HDF5 (`.h5`, written
 * by `model.save("model.h5")`) — its architecture (the `model_config` attribute, the JSON of
 * `model.to_json()`) and its weights (`/model_weights/<layer>/<weight name>`, one group per
 * top-level layer listed in the `layer_names` attribute, its datasets in the `weight_names`
 * attribute's order; a nested model's group holds the weights of all its layers). Format source:
 * Keras 2 `keras/saving/legacy/hdf5_format.py` (`save_model_to_hdf5`, `save_weights_to_hdf5_group`).
 *
 * The extension host uses {@link readKerasTopology} for layer lists, so this module must not import tfjs.
 */
import * as fs from 'node:fs';
import { openHdf5, Hdf5Error, type H5Dataset, type H5Group } from './hdf5.js';
import { applicationOfWeights, type ApplicationFile, type KerasApplication } from './applications/names.js';
import { readKeras3 } from './keras3.js';
import { KerasFileError, type KerasLayerWeights, type KerasModelFile, type KerasWeight } from './types.js';

export { KerasFileError, type KerasLayerWeights, type KerasModelFile, type KerasWeight } from './types.js';

/** True when `file` names a Keras model file by its extension (`.h5`, `.hdf5`, `.keras`). */
export function isKerasPath(file: string): boolean {
  return /\.(h5|hdf5|keras)$/i.test(file);
}

const stripSuffix = (n: string) => n.replace(/:\d+$/, '');

function stringAttr(g: H5Group, name: string): string | undefined {
  const v = g.attr(name);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return undefined;
}

function stringList(g: H5Group, name: string): string[] {
  const v = g.attr(name);
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return [v];
  return [];
}

/**
 * Reads a Keras model file.
 * @param file path of a `.h5` written by Keras 2 / tf.keras `model.save`, or of a Keras 3 `.keras`
 *   zip (`keras3.ts`; recognised by content, not by extension).
 * @throws KerasFileError for a missing or unreadable file, a weights-only file (`save_weights`:
 *   no architecture), a config that is not JSON, or a weight the
 *   `weight_names` attribute lists but the file lacks (the message names the layer and weight).
 */
export function readKerasFile(file: string): KerasModelFile {
  const k = readKerasFileOrWeights(file);
  if (k.format === 'weights') throw new KerasFileError(file, WEIGHTS_ONLY_MESSAGE);
  return k;
}

export const WEIGHTS_ONLY_MESSAGE =
  'this file holds weights only (model.save_weights): it has no architecture ("model_config"); save the whole model with model.save("model.h5"), ' +
  'or, for a Keras Applications ImageNet weights file, name its architecture in base.application';

/** A weights-only Keras HDF5 file (`model.save_weights`, the Keras Applications ImageNet files): weights per layer, no architecture. */
export interface KerasWeightsFile {
  format: 'weights';
  kerasVersion?: string;
  backend?: string;
  /** Weights per layer, in the file's `layer_names` order (the order Keras' `load_weights` matches by). */
  layers: KerasLayerWeights[];
}

/**
 * Reads a Keras model file ({@link readKerasFile}) or a weights-only HDF5 file.
 * @throws KerasFileError as {@link readKerasFile}, except for a weights-only file.
 */
export function readKerasFileOrWeights(file: string): KerasModelFile | KerasWeightsFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new KerasFileError(file, err.code === 'ENOENT' ? 'Keras model file not found' : `cannot read the file: ${err.message}`, err.code);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readKeras3(bytes, file); // a zip: Keras 3 `.keras`
  let root: H5Group;
  try {
    root = openHdf5(bytes, file);
  } catch (e) {
    throw new KerasFileError(file, e instanceof Hdf5Error ? e.message.slice(file.length + 2) : String(e));
  }
  return readH5Model(root, file);
}

function readH5Model(root: H5Group, file: string): KerasModelFile | KerasWeightsFile {
  const configText = stringAttr(root, 'model_config');
  const kerasVersion = stringAttr(root, 'keras_version');
  const backend = stringAttr(root, 'backend');
  const about = { ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
  if (configText === undefined) {
    if (root.attr('layer_names') !== undefined) return { format: 'weights', ...about, layers: readWeightGroups(root, file) };
    throw new KerasFileError(file, 'not a Keras model file: no "model_config" attribute at the HDF5 root');
  }
  let topology: { class_name: string; config: unknown };
  try {
    topology = JSON.parse(configText) as { class_name: string; config: unknown };
  } catch (e) {
    throw new KerasFileError(file, `the "model_config" attribute is not valid JSON: ${(e as Error).message}`);
  }
  if (!topology || typeof topology.class_name !== 'string') throw new KerasFileError(file, 'the "model_config" attribute has no "class_name"');
  return { format: 'h5', ...about, topology, layers: readWeightGroups(root, file) };
}

/** The weight groups under `/model_weights` (a model file) or the root (a weights file). */
function readWeightGroups(root: H5Group, file: string): KerasLayerWeights[] {
  const weightsRoot = root.group('model_weights') ?? root;
  const layers: KerasLayerWeights[] = [];
  for (const layer of stringList(weightsRoot, 'layer_names')) {
    const g = weightsRoot.group(layer);
    const names = g ? stringList(g, 'weight_names') : [];
    const weights = names.map((raw): KerasWeight => {
      const ds: H5Dataset | undefined = g!.dataset(raw);
      if (!ds) throw new KerasFileError(file, `layer "${layer}": weight "${raw}" is listed in "weight_names" but missing from the file`);
      return { name: stripSuffix(raw), shape: ds.shape, read: () => ds.read() };
    });
    layers.push({ layer, weights });
  }
  return layers;
}

/**
 * The file's architecture in the shape of a tfjs `model.json` (`modelTopology` plus a
 * `weightsManifest` of names and shapes, no data), for the layer lister in `topology.ts`; for a
 * weights-only Keras Applications file, the architecture it belongs to instead (`application.ts`
 * names it from `explicit` or the file name).
 * @throws KerasFileError (see {@link readKerasFile}); for a weights-only file of no known architecture.
 */
export function readKerasTopology(
  file: string,
  explicit?: KerasApplication,
): { modelTopology: unknown; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[] } | ApplicationFile {
  const k = readKerasFileOrWeights(file);
  if (k.format === 'weights') {
    const app = applicationOfWeights(
      file,
      k.layers.map((l) => l.layer),
      explicit,
    );
    if (!app) throw new KerasFileError(file, WEIGHTS_ONLY_MESSAGE);
    return app;
  }
  const weights = k.layers.flatMap((l) => l.weights.map((w) => ({ name: `${l.layer}/${w.name}`, shape: w.shape, dtype: 'float32' as const })));
  return {
    modelTopology: { ...k.topology, ...(k.kerasVersion ? { keras_version: k.kerasVersion } : {}), ...(k.backend ? { backend: k.backend } : {}) },
    weightsManifest: [{ paths: [], weights }],
  };
}
