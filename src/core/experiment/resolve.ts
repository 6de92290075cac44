/**
 * Turns a schema-valid experiment file into the `ResolvedExperiment` the trainer, worker and panel
 * consume: every default filled in (the defaults are read from the TypeBox schema, never repeated
 * here), every path absolute, the training stages derived.
 */
import * as path from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { PixelScale } from '../data/scale.js';
import { APPLICATION_SCALE, applicationOfFile } from '../models/keras/applications/names.js';
import { catalogEntry } from '../models/catalog.js';
import {
  AugmentSchema,
  BuiltinBaseSchema,
  CsvSourceSchema,
  GaborBaseSchema,
  HeadSchema,
  ImagePreprocessSchema,
  LearningRateSchema,
  OptimizerSchema,
  RunBaseSchema,
  ScheduleSchema,
  SelfTrainingSchema,
  SplitSchema,
  SpamAssassinSourceSchema,
  SweepSchema,
  TextPreprocessSchema,
  TextTableSourceSchema,
  WordVectorsBaseSchema,
  TrainingSchema,
  TransferSchema,
  TransductiveSchema,
  UnsupervisedSchema,
  WarmupSchema,
  type AugmentSpec,
  type BaseSpec,
  type DataSource,
  type ExperimentFile,
  type HeadSpec,
  type LayerSelector,
  type OptimizerSpec,
  type ScheduleSpec,
  type WarmupSpec,
} from './schema.js';
import type {
  ResolvedBase,
  ResolvedDataSource,
  ResolvedExperiment,
  ResolvedGaborBase,
  ResolvedStage,
  ResolvedSweep,
  ResolvedTransductive,
  ResolvedUnsupervised,
  ResolvedWordVectorsBase,
  Strategy,
  TransferKind,
} from './types.js';

/** The file-name suffix of experiment files. */
export const EXPERIMENT_SUFFIX = '.transfer.json';

/**
 * The experiment name a file gets without a `name` property: its file name without
 * `.transfer.json` (or without `.json`), e.g. `/w/foo.transfer.json` → `foo`.
 */
export function experimentNameFromFile(filePath: string): string {
  const base = path.basename(filePath);
  if (base.toLowerCase().endsWith(EXPERIMENT_SUFFIX)) return base.slice(0, -EXPERIMENT_SUFFIX.length);
  return base.replace(/\.json$/i, '');
}

/**
 * Copies `value` and fills each absent property that has a `default` in the object schema `schema`.
 * Defaults are deep-copied, so the result never shares arrays with the schema.
 */
export function withDefaults<T extends object>(schema: TSchema, value: T | undefined): T {
  const out: Record<string, unknown> = { ...(structuredClone(value ?? {}) as Record<string, unknown>) };
  const props = (schema as { properties?: Record<string, { default?: unknown }> }).properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    if (out[key] === undefined && sub.default !== undefined) out[key] = structuredClone(sub.default);
  }
  return out as T;
}

/**
 * Resolves a schema-valid experiment file.
 * - Defaults: every property with a schema default gets it (optimizer, schedule, warmup, head,
 *   image, split, training, csv `labelColumn`, builtin `architecture`, run `checkpoint`).
 * - Paths (model, run experiment, idx, imageFolder, csv, textFolder, textTable, word-vector files) are made absolute against the file's folder.
 * - Stages: `transfer.stages` as given (name default `stage N`, rate default `learningRate.base`);
 *   without them one stage of `training.epochs` named after the strategy, whose `freeze` is
 *   `{ all: true }` for featureExtraction, `transfer.freeze ?? {}` for fineTune and `{}` for scratch.
 *   `training.epochs` becomes the total over all stages.
 * - Split: a fraction is 0 when the matching `data.validation` / `data.test` source is given.
 * - `data.augment` is undefined when every augmentation is off.
 * - `name` defaults to the file name without `.transfer.json`.
 * - `transfer.kind` defaults to `inductive`; `transfer.transductive` / `transfer.unsupervised` are
 *   resolved only for their kind; `transfer.sweep` always. A `gabor` base gets one σ per wavelength
 *   (0.56·λ when `sigmas` is absent).
 * Does not read the file system and does not check anything the schema does not (see semantic.ts).
 * @param filePath path of the experiment file (made absolute against the current directory).
 */
export function resolveExperiment(file: ExperimentFile, filePath: string): ResolvedExperiment {
  const abs = path.resolve(filePath);
  const dir = path.dirname(abs);
  const at = (p: string) => path.resolve(dir, p);

  const transfer = withDefaults(TransferSchema, file.transfer);
  const strategy = transfer.strategy as Strategy;
  const training = withDefaults(TrainingSchema, file.training);
  const lr = withDefaults(LearningRateSchema, file.learningRate);
  const lrBase = lr.base as number;

  const stages: ResolvedStage[] = transfer.stages
    ? transfer.stages.map((s, i) => ({
        name: s.name ?? `stage ${i + 1}`,
        epochs: s.epochs,
        freeze: structuredClone(s.freeze),
        learningRate: s.learningRate ?? lrBase,
        ...(s.augment !== undefined ? { augment: s.augment } : {}),
      }))
    : [
        {
          name: strategy,
          epochs: training.epochs as number,
          freeze: stageFreeze(strategy, transfer.freeze),
          learningRate: lrBase,
        },
      ];

  const data = file.data;
  const split = withDefaults(SplitSchema, data.split);
  const augment = withDefaults(AugmentSchema, data.augment) as Required<AugmentSpec>;
  const augmentOn = augment.flipHorizontal || augment.shift > 0 || augment.noise > 0 || augment.colorJitter > 0 || augment.crop > 0;
  const image = withDefaults(ImagePreprocessSchema, data.image);
  const text = withDefaults(TextPreprocessSchema, data.text);
  const earlyStoppingSchema = TrainingSchema.properties.earlyStopping;

  const resolved: ResolvedExperiment = {
    name: file.name ?? experimentNameFromFile(abs),
    file: abs,
    dir,
    ...(file.description !== undefined ? { description: file.description } : {}),
    base: resolveBase(file.base, at),
    data: {
      train: resolveSource(data.train, at),
      ...(data.validation ? { validation: resolveSource(data.validation, at) } : {}),
      ...(data.test ? { test: resolveSource(data.test, at) } : {}),
      ...(data.target ? { target: resolveSource(data.target, at) } : {}),
      split: {
        validation: data.validation ? 0 : (split.validation as number),
        test: data.test ? 0 : (split.test as number),
        ...(split.trainPerClass !== undefined ? { trainPerClass: split.trainPerClass } : {}),
      },
      image: {
        resize: image.resize!,
        scale: data.image?.scale ?? applicationScale(file.base) ?? image.scale!,
        ...(image.size ? { size: image.size } : {}),
        ...(image.channels !== undefined ? { channels: image.channels } : {}),
      },
      text: { maxLength: text.maxLength as number },
      ...(augmentOn ? { augment } : {}),
    },
    transfer: {
      kind: transfer.kind as TransferKind,
      strategy,
      ...(transfer.cutLayer !== undefined ? { cutLayer: transfer.cutLayer } : {}),
      head: withDefaults(HeadSchema, transfer.head) as Required<HeadSpec>,
      stages,
      ...(transfer.kind === 'transductive'
        ? {
            transductive: {
              ...(withDefaults(TransductiveSchema, transfer.transductive) as { adaBN: boolean }),
              selfTraining: withDefaults(SelfTrainingSchema, transfer.transductive?.selfTraining) as ResolvedTransductive['selfTraining'],
            },
          }
        : {}),
      ...(transfer.kind === 'unsupervised' ? { unsupervised: withDefaults(UnsupervisedSchema, transfer.unsupervised) as ResolvedUnsupervised } : {}),
      sweep: withDefaults(SweepSchema, transfer.sweep) as ResolvedSweep,
    },
    optimizer: withDefaults(OptimizerSchema, file.optimizer) as Required<OptimizerSpec>,
    learningRate: {
      base: lrBase,
      schedule: withDefaults(ScheduleSchema, lr.schedule) as Required<ScheduleSpec>,
      warmup: withDefaults(WarmupSchema, lr.warmup) as Required<WarmupSpec>,
      baseMultiplier: lr.baseMultiplier as number,
      layerGroups: structuredClone(lr.layerGroups ?? []),
    },
    training: {
      epochs: stages.reduce((n, s) => n + s.epochs, 0),
      batchSize: training.batchSize as number,
      seed: training.seed as number,
      monitor: training.monitor!,
      ...(training.earlyStopping ? { earlyStopping: withDefaults(earlyStoppingSchema, training.earlyStopping) as { patience: number; minDelta: number } } : {}),
      checkpoints: training.checkpoints!,
      ...(training.classWeights !== undefined ? { classWeights: training.classWeights } : {}),
    },
  };
  return resolved;
}

/**
 * σ/λ of a Gabor filter with a half-magnitude bandwidth of one octave:
 * σ/λ = (1/π)·sqrt(ln 2 / 2)·(2^b + 1)/(2^b − 1) with b = 1, ≈ 0.56 (Petkov & Kruizinga 1997).
 */
export const GABOR_SIGMA_PER_WAVELENGTH = (1 / Math.PI) * Math.sqrt(Math.LN2 / 2) * 3;

/** Freeze of the single derived stage (no `transfer.stages`). */
function stageFreeze(strategy: Strategy, freeze: LayerSelector | undefined): LayerSelector {
  switch (strategy) {
    case 'featureExtraction':
      return { all: true };
    case 'fineTune':
      return structuredClone(freeze ?? {});
    case 'scratch':
      return {};
  }
}

/** The preprocessing of a catalogued base, or of a Keras Applications base (`base.application`, else its weights file's name). */
function applicationScale(base: BaseSpec): PixelScale | undefined {
  if (base.kind === 'catalog') return catalogEntry(base.name)?.scale;
  if (base.kind !== 'model') return undefined;
  const app = base.application ?? applicationOfFile(base.path)?.application;
  return app ? APPLICATION_SCALE[app] : undefined;
}

function resolveBase(base: BaseSpec, at: (p: string) => string): ResolvedBase {
  switch (base.kind) {
    case 'builtin':
      return withDefaults(BuiltinBaseSchema, base) as ResolvedBase;
    case 'model':
      return { ...structuredClone(base), path: at(base.path), ...(base.vocabulary !== undefined ? { vocabulary: at(base.vocabulary) } : {}) };
    case 'url':
    case 'catalog':
      return structuredClone(base);
    case 'run':
      return { ...(withDefaults(RunBaseSchema, base) as ResolvedBase & { kind: 'run' }), experiment: at(base.experiment) };
    case 'gabor': {
      const g = withDefaults(GaborBaseSchema, base) as ResolvedGaborBase;
      return { ...g, sigmas: base.sigmas ? [...base.sigmas] : g.wavelengths.map((l) => GABOR_SIGMA_PER_WAVELENGTH * l) };
    }
    case 'wordVectors': {
      const w = withDefaults(WordVectorsBaseSchema, base) as ResolvedWordVectorsBase;
      return { ...w, vectors: w.vectors === 'glove-100d' ? w.vectors : at(w.vectors) };
    }
  }
}

function resolveSource(src: DataSource, at: (p: string) => string): ResolvedDataSource {
  switch (src.kind) {
    case 'mnist':
      return structuredClone(src);
    case 'idx':
      return { ...structuredClone(src), images: at(src.images), labels: at(src.labels) };
    case 'imageFolder':
      return { ...structuredClone(src), path: at(src.path) };
    case 'csv':
      return { ...(withDefaults(CsvSourceSchema, src) as ResolvedDataSource & { kind: 'csv' }), path: at(src.path) };
    case 'textFolder':
      return { ...structuredClone(src), path: at(src.path) };
    case 'textTable':
      return { ...(withDefaults(TextTableSourceSchema, src) as ResolvedDataSource & { kind: 'textTable' }), path: at(src.path) };
    case 'spamAssassin':
      return withDefaults(SpamAssassinSourceSchema, src) as ResolvedDataSource;
    case 'brownCorpus':
      return structuredClone(src);
  }
}
