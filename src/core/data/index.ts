/**
 * The data layer's entry point: `loadData` turns the resolved `data` section of an experiment into
 * train / validation / (test) example sets with a label map, before any training starts.
 *
 * Pure TypeScript (Node fs, zlib, sharp); no `vscode`, no tfjs. Every problem with the data is a
 * {@link DataError}; single unreadable image files are listed in `skipped` instead.
 */
import type { FeatureDiskCache } from '../features/disk-cache.js';
import { PixelCache, type PixelCacheStats } from './sources/pixel-cache.js';
import type { DataSource } from '../experiment/schema.js';
import type { ResolvedData } from '../experiment/types.js';
import { DataError } from './errors.js';
import { type ExampleSet, type ExampleView } from './example-set.js';
import { loadCsv } from './sources/csv.js';
import { loadIdx } from './sources/idx.js';
import { loadImageFolder } from './sources/image-folder.js';
import { loadMnist } from './sources/mnist.js';
import { readTextSource } from './text-sources.js';
import type { TextStats, Vocabulary } from '../text/encode.js';
import type { ImageTarget, SkippedFile, SourceContext, SourceData } from './sources/source.js';
import { capPerClass, stratifiedSplit } from './split.js';
import { withTransform } from './transform.js';
import { PhaseMeter, type PhaseProgress } from '../progress.js';

export { DataError, isDataError } from './errors.js';
export { classCounts, type ExampleSet } from './example-set.js';
export { augmentBatch, isAugmenting } from './augment.js';
export { Rng, deriveSeed, shuffle } from './rng.js';
export type { ValueRange } from './scale.js';
export type { SkippedFile } from './sources/source.js';

/** Everything `loadData` produces. */
export interface LoadedData {
  /** Name of each label index 0..n-1 (the label map, saved with the run as `labels.json`). */
  classNames: string[];
  /** Training examples (after split and `split.trainPerClass`). */
  train: ExampleSet;
  /** Validation examples: the `validation` source, else the held-out `split.validation` fraction (may be empty). */
  validation: ExampleSet;
  /** Test examples: the `test` source, else the `split.test` fraction; absent when neither gives any. */
  test?: ExampleSet;
  /** Unlabelled target examples (`data.target`, transductive experiments), aligned to the training class names. */
  target?: ExampleSet;
  /** Unreadable or corrupt image files, reported rather than fatal (absolute paths, decoder reasons). */
  skipped: SkippedFile[];
  /** Text sources: documents, empty ones and vocabulary coverage of each part read (before the split). */
  text?: Partial<Record<'train' | 'validation' | 'test' | 'target', TextStats>>;
  /** Image folders: photos read from the decoded-photo cache and photos decoded, over every source. */
  photos?: PixelCacheStats;
}

/** Options of {@link loadData}. */
export interface LoadOptions {
  /**
   * Model input shape: [h, w, c] for images, [features] for csv. Image folders are resized to
   * `data.image.size`, else to [h, w]; channels are `data.image.channels`, else c (must be 1 or 3;
   * 1 for a 1-D input).
   */
  inputShape: number[];
  /** `training.seed`: drives the split and the `trainPerClass` choice. */
  seed: number;
  /** The run's persistent cache: image folders read decoded photos from it and store them there (`sources/pixel-cache.ts`). */
  cache?: FeatureDiskCache;
  /** The vocabulary of a text base and `data.text.maxLength`: needed by text sources. */
  text?: { vocabulary: Vocabulary; maxLength: number };
  /** Progress of long reads (photos decoded, per source), at most every 250 ms. */
  progress?: (p: PhaseProgress) => void;
}

/**
 * Loads the `train` source, and `validation`/`test` from their own sources or by a seeded,
 * stratified split of `train` (see `split.ts`), then applies `split.trainPerClass`.
 *
 * Examples of image sources are [h, w, c] bytes scaled by `data.image.scale` when gathered; `mnist`
 * (28×28) and `idx` (header size) are not resized, 1-channel data is replicated to 3 channels when 3
 * are expected. Validation/test sources are aligned to the training class names by name.
 *
 * @throws DataError (with `source` the file/folder or source kind) for anything wrong with the data:
 *         missing paths, corrupt IDX/CSV, labels out of range or unknown, empty classes or filter
 *         results, classes of a validation/test source absent from training, examples of different
 *         shapes in train and validation/test, an empty training set.
 */
export async function loadData(data: ResolvedData, opts: LoadOptions): Promise<LoadedData> {
  const image = imageTarget(data, opts.inputShape);
  const pixels = new PixelCache(opts.cache);
  const textCtx = { ...(opts.text ? { text: opts.text } : {}), pixels };
  const report = opts.progress;
  const meter = (role: SourceContext['role']) => (report ? { meter: (total: number) => new PhaseMeter('decoding', role, total, report) } : {});
  const train = await loadSource(data.train, { role: 'train', image, ...textCtx, ...meter('train') });
  const classNames = train.classNames;
  const known = { image, knownClasses: classNames, ...textCtx } as const;
  const validation = data.validation
    ? aligned(await loadSource(data.validation, { role: 'validation', ...known, ...meter('validation') }), classNames, 'validation', data.validation)
    : undefined;
  const test = data.test ? aligned(await loadSource(data.test, { role: 'test', ...known, ...meter('test') }), classNames, 'test', data.test) : undefined;
  const target = data.target
    ? aligned(await loadSource(data.target, { role: 'target', ...known, ...meter('target') }), classNames, 'target', data.target)
    : undefined;
  for (const [role, part, src] of [
    ['validation', validation, data.validation],
    ['test', test, data.test],
    ['target', target, data.target],
  ] as const) {
    if (part && src && part.set.shape.join('×') !== train.set.shape.join('×')) {
      throw new DataError(`${role} examples are [${part.set.shape.join(', ')}] but training examples are [${train.set.shape.join(', ')}]`, describeSource(src));
    }
  }

  const split = stratifiedSplit(train.set, classNames.length, {
    validation: validation ? 0 : data.split.validation,
    test: test ? 0 : data.split.test,
    seed: opts.seed,
  });
  const trainSet = data.split.trainPerClass ? capPerClass(split.train, classNames.length, data.split.trainPerClass, opts.seed) : split.train;
  if (trainSet.count === 0) throw new DataError('the training set is empty', describeSource(data.train));
  const testSet = test?.set ?? (split.test.count > 0 ? split.test : undefined);
  pixels.finish();
  const photos = pixels.stats.hits + pixels.stats.decoded > 0 ? { photos: pixels.stats } : {};
  return {
    ...photos,
    classNames,
    train: trainSet,
    validation: validation?.set ?? split.validation,
    ...(testSet ? { test: testSet } : {}),
    ...(target ? { target: target.set } : {}),
    skipped: [...train.skipped, ...(validation?.skipped ?? []), ...(test?.skipped ?? []), ...(target?.skipped ?? [])],
    ...(train.text
      ? {
          text: {
            train: train.text,
            ...(validation?.text ? { validation: validation.text } : {}),
            ...(test?.text ? { test: test.text } : {}),
            ...(target?.text ? { target: target.text } : {}),
          },
        }
      : {}),
  };
}

/** Reads one source with the reader of its kind, then applies its `transform` (a deterministic domain shift), if any. */
export async function loadSource(src: DataSource, ctx: SourceContext): Promise<SourceData> {
  const data = await readSource(src, ctx);
  return 'transform' in src && src.transform ? withTransform(data, src.transform) : data;
}

function readSource(src: DataSource, ctx: SourceContext): Promise<SourceData> {
  switch (src.kind) {
    case 'mnist':
      return loadMnist(src, ctx);
    case 'idx':
      return loadIdx(src, ctx);
    case 'imageFolder':
      return loadImageFolder(src, ctx);
    case 'csv':
      return loadCsv(src, ctx);
    case 'textFolder':
    case 'textTable':
    case 'spamAssassin':
    case 'brownCorpus':
      return readTextSource(src, ctx);
  }
}

/** The path of a source, or its kind when it has none (`DataError.source`). */
export function describeSource(src: DataSource): string {
  switch (src.kind) {
    case 'mnist':
      return 'mnist';
    case 'idx':
      return src.images;
    case 'imageFolder':
    case 'csv':
    case 'textFolder':
    case 'textTable':
      return src.path;
    case 'spamAssassin':
    case 'brownCorpus':
      return src.kind;
  }
}

/**
 * The image target from `data.image` and the model input shape (also how `predict` prepares new files).
 * @throws DataError (source "data.image") if the channels are not 1 or 3.
 */
export function imageTarget(data: ResolvedData, inputShape: LoadOptions['inputShape']): ImageTarget {
  const modelSize = inputShape.length === 3 ? ([inputShape[0], inputShape[1]] as [number, number]) : undefined;
  const channels = data.image.channels ?? (inputShape.length === 3 ? inputShape[2] : 1);
  if (channels !== 1 && channels !== 3) {
    throw new DataError(`images can be loaded with 1 or 3 channels, but the model input has ${channels} (set data.image.channels)`, 'data.image');
  }
  return {
    ...(data.image.size ? { explicitSize: data.image.size } : {}),
    ...((data.image.size ?? modelSize) ? { size: data.image.size ?? modelSize } : {}),
    channels,
    resize: data.image.resize,
    scale: data.image.scale,
  };
}

/**
 * A validation/test source relabelled to the training label indices by class name.
 * @throws DataError naming the source if one of its classes is not a training class.
 */
function aligned(part: SourceData, trainNames: readonly string[], role: string, src: DataSource): SourceData {
  const index = new Map(trainNames.map((n, i) => [n, i]));
  const map = part.classNames.map((name) => {
    const i = index.get(name);
    if (i === undefined) {
      throw new DataError(
        `class "${name}" of the ${role} source ${describeSource(src)} is not a training class (${trainNames.map((n) => JSON.stringify(n)).join(', ')})`,
        describeSource(src),
      );
    }
    return i;
  });
  const identity = map.every((v, i) => v === i) && map.length === trainNames.length;
  const set: ExampleView = identity ? part.set : part.set.relabel(map);
  return { classNames: [...trainNames], set, skipped: part.skipped, ...(part.text ? { text: part.text } : {}) };
}
