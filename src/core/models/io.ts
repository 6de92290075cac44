/**
 * Loading and saving tfjs Layers models on disk and over http(s), with every weight accounted for.
 *
 * `@tensorflow/tfjs` has `file://` handlers only in tfjs-node; this module is our own
 * `tf.io.IOHandler` for the file system (format: https://www.tensorflow.org/js/guide/save_load),
 * so checkpoints save and load the same way on every backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Errors about a model file: missing file, bad JSON, missing or mismatched weights, unknown layers. */
export class ModelError extends Error {
  constructor(
    message: string,
    /** The model.json path or URL. */
    readonly source: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ModelError';
  }
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, {}>;
}

/**
 * An IOHandler that reads/writes `model.json` + `weights.bin` in a folder.
 * @param modelJsonPath absolute path of `model.json` (its folder holds the weight files).
 */
export function fileSystemIO(modelJsonPath: string): tf.io.IOHandler {
  const dir = path.dirname(modelJsonPath);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: ModelJson;
      try {
        json = JSON.parse(await fs.promises.readFile(modelJsonPath, 'utf8')) as ModelJson;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new ModelError(err.code === 'ENOENT' ? 'model file not found' : `cannot read model JSON: ${err.message}`, modelJsonPath);
      }
      if (!json.modelTopology) throw new ModelError('not a tfjs Layers model (no "modelTopology")', modelJsonPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const file = path.resolve(dir, p);
          try {
            buffers.push(await fs.promises.readFile(file));
          } catch {
            throw new ModelError(`weight file "${p}" not found (looked at ${file})`, modelJsonPath);
          }
        }
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.promises.mkdir(dir, { recursive: true });
      const data = artifacts.weightData
        ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
        : Buffer.alloc(0);
      const weightsFile = 'weights.bin';
      const modelJson: ModelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Write weights first, then the JSON via rename: a reader never sees a model.json without its weights.
      await fs.promises.writeFile(path.join(dir, weightsFile), data);
      const tmp = `${modelJsonPath}.tmp-${process.pid}`;
      await fs.promises.writeFile(tmp, JSON.stringify(modelJson));
      await fs.promises.rename(tmp, modelJsonPath);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: data.byteLength,
        },
      };
    },
  };
}

/** Registered Layers class names (Conv2D, Dense, …): a layer of another class cannot load. */
function knownLayerClasses(): Set<string> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return new Set(Object.keys(map));
}

/** Every `{class_name, config.name}` in a Layers topology, nested models included. */
function* topologyLayers(node: unknown): Generator<{ className: string; name: string }> {
  if (Array.isArray(node)) {
    for (const n of node) yield* topologyLayers(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as { class_name?: unknown; config?: { name?: unknown; layers?: unknown } };
  if (typeof o.class_name === 'string' && o.config && typeof o.config === 'object') {
    yield { className: o.class_name, name: typeof o.config.name === 'string' ? o.config.name : '?' };
    if (o.config.layers) yield* topologyLayers(o.config.layers);
    return;
  }
  for (const v of Object.values(o)) yield* topologyLayers(v);
}

/**
 * Loads a Layers model through `handler`, checking first that every layer class is known and then
 * that every weight in the model is set from the file and every weight in the file is used.
 * @throws ModelError naming the unknown class and layer, or the missing/unused weight names.
 */
export async function loadLayersModelChecked(handler: tf.io.IOHandler, source: string): Promise<tf.LayersModel> {
  const artifacts = await handler.load!();
  const topo = artifacts.modelTopology as { model_config?: unknown } | undefined;
  const known = knownLayerClasses();
  const modelClasses = new Set(['Sequential', 'Model', 'Functional']);
  for (const l of topologyLayers(topo?.model_config ?? topo)) {
    if (!known.has(l.className) && !modelClasses.has(l.className)) {
      throw new ModelError(`unknown layer class "${l.className}" (layer "${l.name}"); TensorFlow.js Layers has no such layer`, source);
    }
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts), { strict: true });
  } catch (e) {
    throw new ModelError(`cannot load weights: ${(e as Error).message}`, source);
  }
}

/** Loads `model.json` from disk. @throws ModelError (see {@link loadLayersModelChecked}). */
export function loadModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  return loadLayersModelChecked(fileSystemIO(modelJsonPath), modelJsonPath);
}

/** Loads a model over http(s) with Node's fetch. @throws ModelError on HTTP or weight errors. */
export async function loadModelUrl(url: string): Promise<tf.LayersModel> {
  const handler = tf.io.http(url, { fetchFunc: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) });
  const wrapped: tf.io.IOHandler = {
    load: async () => {
      try {
        return await handler.load!();
      } catch (e) {
        throw new ModelError(`cannot fetch model: ${(e as Error).message}`, url);
      }
    },
  };
  return loadLayersModelChecked(wrapped, url);
}

/** Saves `model` as `<dir>/model.json` + `<dir>/weights.bin`. */
export async function saveModel(model: tf.LayersModel, dir: string, metadata?: Record<string, {}>): Promise<void> {
  const handler = fileSystemIO(path.join(dir, 'model.json'));
  const withMeta: tf.io.IOHandler = {
    save: (a) => handler.save!({ ...a, ...(metadata ? { userDefinedMetadata: metadata } : {}) }),
  };
  await model.save(withMeta);
}
