/**
 * A Keras model file (see `read.ts`) converted in memory to a tfjs Layers model: the architecture
 * is deserialised by tfjs-layers from Keras's own `{class_name, config}` JSON (the format
 * `tensorflowjs_converter` also writes into `model.json`), then each saved weight is written into
 * the tfjs weight of the same layer and short name (`kernel`, `bias`, `gamma`, `moving_mean`…), as
 * Keras's `load_weights_from_hdf5_group` matches them. Nested models (a functional MobileNetV2
 * inside a Sequential) keep their structure here; `graph.ts` flattens them for the trainer.
 */
import * as tf from '@tensorflow/tfjs';
import { assertKnownLayerClasses, ModelError } from '../io.js';
import { buildApplication } from './applications/build.js';
import { applicationOfWeights, type ApplicationFile, type KerasApplication } from './applications/names.js';
import { KerasFileError, readKerasFileOrWeights, WEIGHTS_ONLY_MESSAGE, type KerasLayerWeights, type KerasModelFile } from './read.js';

/** Every leaf layer of `model`, nested models expanded, by name. */
function leafLayers(model: tf.LayersModel): Map<string, tf.layers.Layer> {
  const out = new Map<string, tf.layers.Layer>();
  const walk = (m: tf.LayersModel) => {
    for (const l of m.layers) {
      if (l instanceof tf.LayersModel) walk(l);
      else out.set(l.name, l);
    }
  };
  walk(model);
  return out;
}

/** The short name of a weight: `conv2d/kernel` → `kernel`. */
const shortName = (name: string) => name.split('/').pop() ?? name;

/**
 * Assigns the saved weights of one top-level layer group. A leaf layer's weights are matched by
 * short name, else (names from another scope, e.g. `dense_3/kernel` for a renamed layer) by order;
 * a nested model's weights by the rightmost path segment that names one of its layers.
 */
function assignGroup(group: KerasLayerWeights, layers: Map<string, tf.layers.Layer>, top: tf.LayersModel, file: string, done: Set<tf.LayerVariable>): void {
  let topLayer: tf.layers.Layer | undefined;
  try {
    topLayer = top.getLayer(group.layer);
  } catch {
    topLayer = undefined;
  }
  if (!topLayer) {
    if (group.weights.length === 0) return;
    throw new KerasFileError(file, `the weights of layer "${group.layer}" have no layer of that name in the architecture`);
  }
  const pairs: [tf.LayerVariable, (typeof group.weights)[number], string][] = [];
  if (topLayer instanceof tf.LayersModel) {
    for (const w of group.weights) {
      const parts = w.name.split('/');
      const owner = parts
        .slice(0, -1)
        .reverse()
        .find((p) => layers.has(p));
      const layer = owner ? layers.get(owner) : undefined;
      const short = shortName(w.name);
      // Keras 3 names variables by position (`vars/0`): the same order as tfjs's weights.
      const v = /^\d+$/.test(short) ? layer?.weights[Number(short)] : layer?.weights.find((x) => shortName(x.originalName) === short);
      if (!layer || !v) throw new KerasFileError(file, `weight "${w.name}" of nested model "${group.layer}" matches no layer weight of the architecture`);
      pairs.push([v, w, layer.name]);
    }
  } else {
    const vars = topLayer.weights;
    if (vars.length !== group.weights.length) {
      throw new KerasFileError(
        file,
        `layer "${group.layer}" (${topLayer.getClassName()}) has ${vars.length} weights in TensorFlow.js but ${group.weights.length} in the file ` +
          `(${group.weights.map((w) => w.name).join(', ') || 'none'})`,
      );
    }
    const byName = group.weights.every((w) => vars.some((v) => shortName(v.originalName) === shortName(w.name)));
    group.weights.forEach((w, i) => {
      const v = byName ? vars.find((x) => shortName(x.originalName) === shortName(w.name))! : vars[i]!;
      pairs.push([v, w, topLayer.name]);
    });
  }
  for (const [v, w, layerName] of pairs) {
    const want = v.shape as number[];
    if (want.length !== w.shape.length || want.some((d, i) => d !== w.shape[i])) {
      throw new KerasFileError(
        file,
        `layer "${layerName}": weight "${w.name}" has shape [${w.shape.join(', ')}] in the file, the architecture needs [${want.join(', ')}]`,
      );
    }
    const t = tf.tensor(w.read(), w.shape, 'float32');
    v.write(t);
    t.dispose();
    done.add(v);
  }
}

/**
 * Builds the tfjs model of a Keras model file read by {@link readKerasFile}.
 * @throws ModelError naming the file and the layer: a layer class TensorFlow.js lacks (with its
 *   class), a config tfjs rejects, a weight of the architecture the file does not set, or a weight
 *   whose shape differs.
 */
export async function kerasToLayersModel(k: KerasModelFile, file: string): Promise<tf.LayersModel> {
  assertKnownLayerClasses(k.topology, file);
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: k.topology as unknown as tf.io.ModelArtifacts['modelTopology'] } as never);
  } catch (e) {
    throw new ModelError(`TensorFlow.js cannot build the Keras architecture: ${(e as Error).message}`, file);
  }
  try {
    const layers = leafLayers(model);
    const done = new Set<tf.LayerVariable>();
    for (const g of k.layers) assignGroup(g, layers, model, file, done);
    const missing = model.weights.filter((v) => !done.has(v)).map((v) => v.originalName);
    if (missing.length > 0) {
      throw new KerasFileError(
        file,
        `the file sets no value for ${missing.length} weight(s) of the architecture: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
      );
    }
  } catch (e) {
    model.dispose();
    if (e instanceof KerasFileError) throw new ModelError(e.message.slice(file.length + 2), file);
    throw e;
  }
  return model;
}

/** Options of {@link loadKerasBase}. */
export interface KerasLoadOptions {
  /** The Keras Application a weights-only file belongs to (`base.application`; default: from the file name). */
  application?: KerasApplication;
}

/** A loaded Keras file: the model, and for a weights-only Keras Applications file which one it is. */
export interface LoadedKeras {
  model: tf.LayersModel;
  application?: ApplicationFile;
}

/** Weight groups of Keras' EfficientNet input normalisation, which the data pipeline replaces (`efficientnet.ts`). */
const NORMALISATION_GROUP = /^(rescaling|normalization)(_\d+)?$/;

/**
 * Builds the Keras Application `app` and writes a weights-only file's weights into it: by layer
 * name when every weight group names a layer of the architecture, else by order over the layers
 * that have weights, as Keras' `load_weights` does for HDF5 (`load_weights_from_hdf5_group`; e.g.
 * InceptionV3 files written by Keras 2.0 number their layers from `conv2d_1`). Every weight's shape
 * is checked.
 * @throws KerasFileError naming the file and layer: a count or shape that differs, a weight left unset.
 */
export function applicationFromWeights(app: ApplicationFile, groups: KerasLayerWeights[], file: string): tf.LayersModel {
  const model = buildApplication(app.application, { includeTop: app.includeTop });
  try {
    let named = groups.filter((g) => g.weights.length > 0);
    if (app.application === 'EfficientNetB0') named = named.filter((g) => !NORMALISATION_GROUP.test(g.layer));
    const byName = named.every((g) => model.layers.some((l) => l.name === g.layer));
    let assigned = named;
    if (!byName) {
      const withWeights = model.layers.filter((l) => l.weights.length > 0);
      if (withWeights.length !== named.length) {
        const stray = named.find((g) => !model.layers.some((l) => l.name === g.layer));
        throw new KerasFileError(
          file,
          `weight group "${stray?.layer}" names no layer of ${app.application}${app.includeTop ? '' : ' (without top)'}, and the file has ${named.length} layers ` +
            `with weights where the architecture has ${withWeights.length}: not ${app.application} ImageNet weights`,
        );
      }
      assigned = named.map((g, i) => ({ layer: withWeights[i]!.name, weights: g.weights }));
    }
    const layers = leafLayers(model);
    const done = new Set<tf.LayerVariable>();
    for (const g of assigned) assignGroup(g, layers, model, file, done);
    const missing = model.weights.filter((v) => !done.has(v)).map((v) => v.originalName);
    if (missing.length > 0) {
      throw new KerasFileError(
        file,
        `the file sets no value for ${missing.length} weight(s) of ${app.application}: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
      );
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Loads a Keras `.h5` / `.keras` model file, or a weights-only Keras Applications file onto its
 * architecture ({@link applicationFromWeights}).
 * @throws ModelError naming the file (and layer or weight) for every problem of {@link readKerasFile}
 *   and {@link kerasToLayersModel}; a weights-only file of no known architecture.
 */
export async function loadKerasBase(file: string, o: KerasLoadOptions = {}): Promise<LoadedKeras> {
  try {
    const k = readKerasFileOrWeights(file);
    if (k.format !== 'weights') return { model: await kerasToLayersModel(k, file) };
    const app = applicationOfWeights(
      file,
      k.layers.map((l) => l.layer),
      o.application,
    );
    if (!app) throw new KerasFileError(file, WEIGHTS_ONLY_MESSAGE);
    return { model: applicationFromWeights(app, k.layers, file), application: app };
  } catch (e) {
    if (e instanceof KerasFileError) throw new ModelError(e.message.slice(file.length + 2), file);
    throw e;
  }
}

/**
 * Loads a Keras `.h5` model file as a tfjs Layers model ({@link loadKerasBase}).
 * @throws ModelError naming the file (and layer or weight).
 */
export async function loadKerasModel(file: string, o: KerasLoadOptions = {}): Promise<tf.LayersModel> {
  return (await loadKerasBase(file, o)).model;
}
