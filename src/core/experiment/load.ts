/**
 * Loads an experiment file: JSON syntax and schema (validate.ts), defaults and paths (resolve.ts),
 * the base's layer list (models/topology.ts, read as JSON without tfjs) and the semantic checks
 * (semantic.ts). The worker, the CLI and the extension's diagnostics all go through here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readModelMetadata, type ModelMetadata } from '../models/metadata.js';
import { weightFileProblem, type ManifestGroup } from '../models/model-files.js';
import { modelUrlProblem } from '../models/download.js';
import { builtinTopology, readModelTopology, type LayerInfo, type TopologyOptions } from '../models/topology.js';
import { gaborTopology } from '../gabor/topology.js';
import { textBaseTopology } from '../models/text-topology.js';
import { readVectorsShape, SHIPPED_VECTORS } from '../text/vectors.js';
import tfjsLayerClasses from '../models/tfjs-layer-classes.json';
import { JsonLocator } from './locate.js';
import { formatProblem, hasErrors, sortProblems, type Problem } from './problem.js';
import { latestCheckpoint, experimentNameOfFile } from './name.js';
import { resolveExperiment } from './resolve.js';
import { runStoreProblem } from '../runs/store.js';
import { checkSemantics } from './semantic.js';
import type { ResolvedExperiment } from './types.js';
import { validateExperimentText } from './validate.js';

/** An experiment file with errors. `message` has one `file:line:col path: message` line per problem. */
export class ExperimentError extends Error {
  override name = 'ExperimentError';
  constructor(
    /** Absolute path of the experiment file. */
    readonly file: string,
    /** Every problem found (errors and warnings), in text order. */
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n') || `${file}: invalid experiment`);
  }
}

/** Options of {@link loadExperiment} and {@link checkExperimentText}. */
export interface LoadOptions {
  /** Runs root (`<workspace>/.transfer-lab/runs`): lets a `run` base's layers be read from its checkpoint. */
  runsDir?: string;
  /** Check that data and model files exist (default true). */
  checkFiles?: boolean;
  /** Replaces `training.seed` (splits, shuffling, augmentation, initialisation): repeats of one experiment on other label draws. */
  seed?: number;
}

/** Everything known about an experiment text after all checks. */
export interface CheckedExperiment {
  /** Present when the file passed the schema (it may still have semantic errors). */
  experiment?: ResolvedExperiment;
  /** The base's layers (whole model, old classifier included) when they could be read. */
  layers?: LayerInfo[];
  /** The `metadata.json` beside a `model` base's model.json (Teachable Machine exports), when present. */
  metadata?: ModelMetadata;
  /** Syntax, schema and semantic problems in text order. */
  problems: Problem[];
  /** The JSON syntax and schema problems among them (what VS Code's JSON service also reports). */
  schemaProblems: Problem[];
}

/**
 * Runs every check on an experiment file's text (an editor buffer may differ from the disk).
 * Semantic checks run only when the schema check passes. Never throws.
 * @param filePath where the file lives (relative paths in it resolve against its folder).
 */
export async function checkExperimentText(text: string, filePath: string, options: LoadOptions = {}): Promise<CheckedExperiment> {
  const file = path.resolve(filePath);
  const validated = validateExperimentText(text, file);
  if (!validated.experiment) return { problems: validated.problems, schemaProblems: validated.problems };
  const experiment = resolveExperiment(validated.experiment, file);
  const locator = new JsonLocator(text);
  const extra: Problem[] = [];
  const report: Report = (pointer, message, severity) => extra.push(locator.problem(pointer, message, severity));
  if (options.runsDir !== undefined) {
    // Found here, a run store that cannot take the run is bad input before any data loads (it was ENAMETOOLONG/EACCES after).
    const store = runStoreProblem(options.runsDir, experiment.name);
    if (store) report(store.setting === 'name' && validated.experiment.name !== undefined ? '/name' : '', store.message, 'error');
  }
  const layers = await baseLayers(experiment, options, report);
  baseModelFiles(experiment, report);
  const metadata = baseMetadata(experiment, report);
  const modelInputShape = await baseInputShape(experiment);
  const semantic = checkSemantics(experiment, layers, {
    text,
    ...(options.checkFiles !== undefined ? { checkFiles: options.checkFiles } : {}),
    ...(metadata ? { metadata } : {}),
    ...(modelInputShape ? { modelInputShape } : {}),
  });
  return {
    experiment,
    ...(layers ? { layers } : {}),
    ...(metadata ? { metadata } : {}),
    problems: sortProblems([...validated.problems, ...extra, ...semantic]),
    schemaProblems: validated.problems,
  };
}

/**
 * Reads, checks and resolves an experiment file.
 * @returns the resolved experiment and its warnings.
 * @throws ExperimentError (carrying the file and every problem) when the file cannot be read or
 *   has any error.
 */
export async function loadExperiment(filePath: string, options: LoadOptions = {}): Promise<{ experiment: ResolvedExperiment; problems: Problem[] }> {
  const file = path.resolve(filePath);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'experiment file not found' : `cannot read the experiment file: ${(e as Error).message}`;
    throw new ExperimentError(file, [{ path: '', message: why, line: 1, column: 1, offset: 0, length: 0, severity: 'error' }]);
  }
  const checked = await checkExperimentText(text, file, options);
  if (!checked.experiment || hasErrors(checked.problems)) throw new ExperimentError(file, checked.problems);
  const experiment =
    options.seed === undefined ? checked.experiment : { ...checked.experiment, training: { ...checked.experiment.training, seed: options.seed } };
  return { experiment, problems: checked.problems };
}

type Report = (pointer: string, message: string, severity: 'error' | 'warning') => void;

/**
 * The layers of an experiment's base, read without tfjs: a built-in architecture's committed list,
 * a `model` base's model.json, a `wordVectors` base's layers from its vocabulary size, a `run` base's newest completed checkpoint (when `runsDir` is given).
 * Undefined for a URL base or when the layers cannot be read (a missing file is reported by the
 * semantic checks; an unreadable model is reported through `report`).
 */
export async function baseLayers(exp: ResolvedExperiment, options: LoadOptions, report: Report = () => {}): Promise<LayerInfo[] | undefined> {
  const b = exp.base;
  switch (b.kind) {
    case 'builtin':
      return builtinTopology(b.architecture);
    case 'url': {
      const problem = modelUrlProblem(b.url);
      if (problem) report('/base/url', problem.message, problem.severity);
      return undefined;
    }
    case 'gabor':
      return gaborTopology(b);
    case 'model':
      return readLayers(b.path, '/base/path', report, b.application ? { application: b.application } : {});
    case 'wordVectors': {
      // A missing file is reported by the semantic checks; other unreadable vectors here.
      if (b.vectors !== SHIPPED_VECTORS && !fs.existsSync(b.vectors)) return undefined;
      try {
        const shape = await readVectorsShape(b.vectors, b.maxWords);
        return textBaseTopology(b, shape, exp.data.text?.maxLength ?? 256);
      } catch (e) {
        report('/base/vectors', (e as Error).message, 'error');
        return undefined;
      }
    }
    case 'run': {
      if (!options.runsDir || !fs.existsSync(b.experiment)) return undefined;
      const name = experimentNameOfFile(b.experiment);
      // The newest completed run that has the checkpoint (analysis runs — sweeps, advice — have none).
      const model = latestCheckpoint(options.runsDir, name, b.checkpoint);
      if (!model) {
        report('/base/experiment', `no completed run of "${name}" with a "${b.checkpoint}" checkpoint yet: run that experiment first`, 'warning');
        return undefined;
      }
      return readLayers(model, '/base/experiment', report);
    }
  }
}

/**
 * What loading a `model` base's weights would trip on, checked as the loader checks it
 * (`model-files.ts`): a weight file path outside the model's folder, a missing weight file, a weight
 * file shorter or longer than its weights. A model.json that cannot be read (and unknown layer
 * classes) are reported with the layers.
 */
function baseModelFiles(exp: ResolvedExperiment, report: Report): void {
  if (exp.base.kind !== 'model') return;
  let json: { modelTopology?: unknown; weightsManifest?: ManifestGroup[] };
  try {
    json = JSON.parse(fs.readFileSync(exp.base.path, 'utf8')) as typeof json;
  } catch {
    return;
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) return;
  const problem = weightFileProblem(exp.base.path, Array.isArray(json.weightsManifest) ? json.weightsManifest : []);
  if (problem) report('/base/path', `${exp.base.path}: ${problem}`, 'error');
}

/** The `metadata.json` of a `model` base, when present; an unreadable one is reported as a warning. */
function baseMetadata(exp: ResolvedExperiment, report: Report): ModelMetadata | undefined {
  if (exp.base.kind !== 'model') return undefined;
  try {
    return readModelMetadata(exp.base.path);
  } catch (e) {
    report('/base/path', (e as Error).message, 'warning');
    return undefined;
  }
}

/** The input shape a `model` base's model.json declares (batch first), when it can be read. */
async function baseInputShape(exp: ResolvedExperiment): Promise<(number | null)[] | undefined> {
  if (exp.base.kind !== 'model') return undefined;
  try {
    return (await readModelTopology(exp.base.path, exp.base.application ? { application: exp.base.application } : {})).inputShape;
  } catch {
    return undefined; // reported with the layers
  }
}

/** Layer classes TensorFlow.js Layers can build (`scripts/gen-layer-classes.ts`). */
const TFJS_LAYER_CLASSES = new Set<string>(tfjsLayerClasses as string[]);

async function readLayers(file: string, pointer: string, report: Report, options: TopologyOptions = {}): Promise<LayerInfo[] | undefined> {
  try {
    const layers = (await readModelTopology(file, options)).layers;
    const unknown = layers.find((l) => !TFJS_LAYER_CLASSES.has(l.className));
    if (unknown) {
      report(pointer, `${file}: layer "${unknown.name}" is a ${unknown.className}, a layer class TensorFlow.js Layers does not have`, 'error');
    }
    return layers;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR') report(pointer, `cannot read the model's layers from ${file}: ${(e as Error).message}`, 'error');
    return undefined;
  }
}
