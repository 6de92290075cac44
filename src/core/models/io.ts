/**
 * Loading and saving tfjs Layers models on disk, with every weight accounted for (http(s) bases: `url-base.ts`).
 *
 * `@tensorflow/tfjs` has `file://` handlers only in tfjs-node; this module is our own
 * `tf.io.IOHandler` for the file system (format: https://www.tensorflow.org/js/guide/save_load),
 * so checkpoints save and load the same way on every backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import './text-layers.js'; // registers MaskedPooling1D and PrePad1D, so text checkpoints load
import { unknownLayerClass, weightFilePaths, weightFileProblem } from './model-files.js';

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
  userDefinedMetadata?: Record<string, NonNullable<unknown>>;
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
      const groups = json.weightsManifest ?? [];
      // Paths inside the folder, files present and of the size the weights need (model-files.ts, as validate checks).
      const problem = weightFileProblem(modelJsonPath, groups);
      if (problem) throw new ModelError(problem, modelJsonPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      const files = weightFilePaths(dir, groups);
      for (let g = 0; g < groups.length; g++) {
        specs.push(...groups[g]!.weights);
        for (const file of files[g]!) buffers.push(await fs.promises.readFile(file));
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
    /**
     * Saves atomically: a model.json on disk always names one whole save's weights, the old or the
     * new, whatever moment the process is killed at. The weights go to the one of two file names
     * (`weights.bin`, `weights.1.bin`) the current model.json does not name and are fsync'ed; the
     * new model.json is written under a temporary name, fsync'ed and renamed over the old one (the
     * commit); only then is the old weight file deleted.
     * @throws Node fs errors (ENOSPC, EACCES…): the checkpoint on disk is then still the old one.
     */
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.promises.mkdir(dir, { recursive: true });
      const data = artifacts.weightData
        ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
        : Buffer.alloc(0);
      const previous = weightFilesNamed(modelJsonPath);
      const weightsFile = WEIGHT_FILES.find((f) => !previous.includes(f))!;
      const modelJson: ModelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      try {
        await writeFileSynced(path.join(dir, weightsFile), data);
      } catch (e) {
        // No model.json names this file: a partial one (a disk that filled) only takes space.
        await fs.promises.rm(path.join(dir, weightsFile), { force: true });
        throw e;
      }
      const tmp = `${modelJsonPath}.tmp-${process.pid}`;
      try {
        await writeFileSynced(tmp, Buffer.from(JSON.stringify(modelJson)));
        await fs.promises.rename(tmp, modelJsonPath);
      } catch (e) {
        await fs.promises.rm(tmp, { force: true });
        throw e;
      }
      syncDir(dir);
      for (const old of previous) if (old !== weightsFile) await fs.promises.rm(path.join(dir, old), { force: true });
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

/** The two weight file names a save alternates between (see `fileSystemIO`'s save). */
const WEIGHT_FILES = ['weights.bin', 'weights.1.bin'] as const;

/** Weight files (names inside the model's own folder) that the model.json at `modelJsonPath` names; none when it is missing or unreadable. */
function weightFilesNamed(modelJsonPath: string): string[] {
  try {
    const json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8')) as ModelJson;
    return (json.weightsManifest ?? []).flatMap((g) => g.paths).filter((p) => typeof p === 'string' && path.basename(p) === p);
  } catch {
    return [];
  }
}

/** Writes `data` to `file` (replacing it) and fsyncs it before returning. @throws Node fs errors. */
async function writeFileSynced(file: string, data: Buffer): Promise<void> {
  const h = await fs.promises.open(file, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** fsyncs a folder so a rename in it is durable (a no-op where folders cannot be opened, e.g. Windows). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // folders cannot be fsync'ed on this platform
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Registered Layers class names (Conv2D, Dense, …): a layer of another class cannot load. */
function knownLayerClasses(): Set<string> {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return new Set(Object.keys(map));
}

/**
 * Checks that TensorFlow.js Layers has every layer class of a topology (`{class_name, config}` or
 * `{model_config}`), nested models included.
 * @throws ModelError naming the first unknown class and its layer.
 */
export function assertKnownLayerClasses(topology: unknown, source: string): void {
  const unknown = unknownLayerClass(topology, knownLayerClasses());
  if (unknown) throw new ModelError(unknown, source);
}

/**
 * Loads a Layers model through `handler`, checking first that every layer class is known and then
 * that every weight in the model is set from the file and every weight in the file is used (weight
 * files on disk are checked before this: paths, presence, sizes; see `model-files.ts`).
 * @throws ModelError naming the unknown class and layer, or the missing/unused weight names.
 */
export async function loadLayersModelChecked(handler: tf.io.IOHandler, source: string): Promise<tf.LayersModel> {
  const artifacts = await handler.load!();
  assertKnownLayerClasses(artifacts.modelTopology, source);
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

/** Saves `model` as `<dir>/model.json` + `<dir>/weights.bin`. */
export async function saveModel(model: tf.LayersModel, dir: string, metadata?: Record<string, NonNullable<unknown>>): Promise<void> {
  const handler = fileSystemIO(path.join(dir, 'model.json'));
  const withMeta: tf.io.IOHandler = {
    save: (a) => handler.save!({ ...a, ...(metadata ? { userDefinedMetadata: metadata } : {}) }),
  };
  await model.save(withMeta);
}
