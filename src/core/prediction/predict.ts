/**
 * Classifies new files with a run's checkpoint (`transfer-lab predict`, "Classify with Run…"): the
 * run's best checkpoint (else its last), its label map (`labels.json`) and exactly the preprocessing it
 * was trained with — `data.image` of its `config.json` (size, channels, resize, scale) at the
 * checkpoint's input size, decoded by content and EXIF-rotated as in training (`decode-image.ts`),
 * scaled through the same per-channel tables (`PixelStore`). Unreadable files are skipped with the
 * decoder's reason, as in training. A source `transform` (a synthetic domain shift of the training data)
 * is not applied to new files.
 *
 * Text runs (a checkpoint whose input is [maxLength] token ids and which carries its vocabulary in its
 * metadata, as every text checkpoint does): each file is one document, read as a `textFolder` document
 * (strict UTF-8, BOM dropped, NFC), tokenized and encoded against the checkpoint's vocabulary and
 * `maxLength` (`text/encode.ts`) — the training path. A file that is not UTF-8 or holds no token is
 * skipped with the reason. E-mail sources' header stripping is not applied: a file is plain text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError, imageTarget } from '../data/index.js';
import { ExampleView, PixelStore } from '../data/example-set.js';
import { decodeImage } from '../data/sources/decode-image.js';
import type { SkippedFile } from '../data/sources/source.js';
import { loadModelFile } from '../models/io.js';
import { experimentDirName, listRuns, readConfig, readLabels, readSummary, type RunInfo } from '../runs/store.js';
import { softmaxRows } from '../evaluation/classification-metrics.js';
import { encodeDocuments, vocabularyOf, type RawDocument } from '../text/encode.js';
import { decodeUtf8 } from '../data/sources/text-source.js';
import type { ResolvedExperiment } from '../experiment/types.js';

/** One classified file. */
export interface Prediction {
  /** Absolute path. */
  file: string;
  /** The `topK` most probable classes, most probable first (probabilities: softmax of the logits). */
  top: { className: string; probability: number }[];
  /** Text runs: the document's first 300 characters, white space collapsed. */
  snippet?: string;
}

/** What {@link predictFiles} returns. */
export interface PredictionResult {
  runDir: string;
  experiment: string;
  runId: string;
  checkpoint: 'best' | 'last';
  /** What the run classifies: images (absent in results of older versions) or text documents. */
  kind?: 'image' | 'text';
  classNames: string[];
  /** Input of the checkpoint: [height, width, channels], or [maxLength] token ids for text. */
  inputShape: number[];
  predictions: Prediction[];
  /** Files that could not be decoded, or are not files, with the reason. */
  skipped: SkippedFile[];
}

/** A run folder with a checkpoint to predict with. */
export interface PredictionRun {
  dir: string;
  config: ResolvedExperiment;
  classNames: string[];
  checkpoint: 'best' | 'last';
  modelJson: string;
}

/**
 * The run to predict with: `target` is a run folder, or an experiment file (`*.transfer.json`), whose
 * newest training run with a checkpoint is used.
 * @throws DataError naming `target` when it is neither, or has no usable run (CLI exit code 2)
 */
export function resolvePredictionRun(target: string, runsDir: string): PredictionRun {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new DataError(`${target} does not exist (give a run folder or an experiment file)`, target);
  if (fs.statSync(abs).isDirectory()) return openRun(abs);
  if (!/\.transfer\.json$/.test(abs)) throw new DataError(`${target} is neither a run folder nor an experiment file (*.transfer.json)`, target);
  const name = path.basename(abs).replace(/\.transfer\.json$/, '');
  const runs = listRuns(runsDir, name).filter((r: RunInfo) => (r.summary.task ?? 'train') === 'train' && checkpointOf(r.dir));
  if (runs.length === 0) {
    throw new DataError(
      `no run of ${name} with a checkpoint under ${path.join(runsDir, experimentDirName(name))} (train it first: transfer-lab run ${target})`,
      target,
    );
  }
  return openRun(runs[0]!.dir);
}

function checkpointOf(dir: string): 'best' | 'last' | undefined {
  return (['best', 'last'] as const).find((c) => fs.existsSync(path.join(dir, 'checkpoints', c, 'model.json')));
}

function openRun(dir: string): PredictionRun {
  const config = readConfig(dir);
  const classNames = readLabels(dir);
  const checkpoint = checkpointOf(dir);
  if (!config || !classNames) throw new DataError(`${dir} is not a run folder (no config.json or labels.json)`, dir);
  if (!checkpoint)
    throw new DataError(
      `run ${path.basename(dir)} has no checkpoint (checkpoints/best or checkpoints/last)${readSummary(dir) ? ` (status ${readSummary(dir)!.status})` : ''}`,
      dir,
    );
  return { dir, config, classNames, checkpoint, modelJson: path.join(dir, 'checkpoints', checkpoint, 'model.json') };
}

/**
 * Image files under `inputs` (files as given; folders recursively, hidden entries left out), sorted
 * by path; missing paths are returned as skipped.
 */
export function collectFiles(inputs: readonly string[]): { files: string[]; skipped: SkippedFile[] } {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    if (!fs.existsSync(abs)) skipped.push({ file: abs, reason: 'no such file or folder' });
    else if (fs.statSync(abs).isDirectory()) walk(abs);
    else files.push(abs);
  }
  return { files, skipped };
}

/** Options of {@link predictFiles}. */
export interface PredictOptions {
  /** Classes listed per file (default 3; at most the number of classes). */
  topK?: number;
  /** Images per inference batch (default 16). */
  batchSize?: number;
}

/**
 * Classifies image files with a run's checkpoint. The tfjs backend must be initialised.
 * @param files image files (any names; formats sniffed); those that fail to decode are skipped
 * @throws DataError when the run was not trained on images (csv features) or its `data.image` is unusable
 * @throws ModelError when the checkpoint cannot be loaded
 */
export async function predictFiles(run: PredictionRun, files: readonly string[], o: PredictOptions = {}): Promise<PredictionResult> {
  const model = await loadModelFile(run.modelJson);
  try {
    const shape = model.inputs[0]!.shape.slice(1) as number[];
    const vocabulary = (model.getUserDefinedMetadata() as { vocabulary?: unknown } | undefined)?.vocabulary;
    if (shape.length === 1 && Array.isArray(vocabulary)) return await predictTexts(run, model, vocabulary as string[], files, o);
    if (shape.length !== 3) {
      throw new DataError(`run ${path.basename(run.dir)} takes [${shape.join(', ')}] features, not images: predict classifies images`, run.dir);
    }
    const target = imageTarget(run.config.data, shape as [number, number, number]);
    const [height, width] = target.size!;
    const k = run.classNames.length;
    const topK = Math.max(1, Math.min(o.topK ?? 3, k));
    const batch = o.batchSize ?? 16;
    const predictions: Prediction[] = [];
    const skipped: SkippedFile[] = [];
    for (let start = 0; start < files.length; start += batch) {
      const chunk = files.slice(start, start + batch);
      const decoded: { file: string; data: Uint8Array }[] = [];
      for (const file of chunk) {
        try {
          decoded.push({ file, data: await decodeImage(file, { height, width, channels: target.channels, resize: target.resize }) });
        } catch (e) {
          skipped.push({ file, reason: (e as Error).message });
        }
      }
      if (decoded.length === 0) continue;
      const bytes = height * width * target.channels;
      const pixels = new Uint8Array(decoded.length * bytes);
      decoded.forEach((d, i) => pixels.set(d.data, i * bytes));
      const store = new PixelStore({
        pixels,
        count: decoded.length,
        height,
        width,
        channels: target.channels,
        outChannels: shape[2],
        scale: target.scale,
        id: (i) => decoded[i]!.file,
      });
      const set = ExampleView.all(store, new Int32Array(decoded.length));
      const idx = Array.from({ length: decoded.length }, (_, i) => i);
      // Read outside tidy: a typed array returned from tidy is walked element by element (~1 µs each).
      const logitsT = tf.tidy(() => model.predict(tf.tensor(set.gather(idx), [decoded.length, ...set.shape])) as tf.Tensor2D);
      const logits = logitsT.dataSync() as Float32Array;
      logitsT.dispose();
      const probs = softmaxRows(logits, k);
      decoded.forEach((d, i) => {
        const row = Array.from(probs.subarray(i * k, (i + 1) * k), (p, c) => ({ className: run.classNames[c]!, probability: p }));
        row.sort((a, b) => b.probability - a.probability);
        predictions.push({ file: d.file, top: row.slice(0, topK) });
      });
    }
    return {
      runDir: run.dir,
      experiment: run.config.name,
      runId: path.basename(run.dir),
      checkpoint: run.checkpoint,
      kind: 'image',
      classNames: run.classNames,
      inputShape: shape,
      predictions,
      skipped,
    };
  } finally {
    model.dispose();
  }
}

/** The top-k classes of one row of probabilities, most probable first. */
function topClasses(probs: Float64Array, row: number, classNames: readonly string[], topK: number): Prediction['top'] {
  const k = classNames.length;
  const out = Array.from(probs.subarray(row * k, (row + 1) * k), (p, c) => ({ className: classNames[c]!, probability: p }));
  out.sort((a, b) => b.probability - a.probability);
  return out.slice(0, topK);
}

/**
 * Classifies text files with a text checkpoint: one document per file, encoded as in training.
 * @param vocabulary the checkpoint's words (embedding rows 2…; 0 padding, 1 out of vocabulary)
 */
async function predictTexts(
  run: PredictionRun,
  model: tf.LayersModel,
  vocabulary: string[],
  files: readonly string[],
  o: PredictOptions,
): Promise<PredictionResult> {
  const maxLength = model.inputs[0]!.shape[1] as number;
  const k = run.classNames.length;
  const topK = Math.max(1, Math.min(o.topK ?? 3, k));
  const docs: RawDocument[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    try {
      docs.push({ id: file, text: decodeUtf8(await fs.promises.readFile(file), file), label: 0 });
    } catch (e) {
      skipped.push({ file, reason: (e as Error).message.replace(`${file}: `, '') });
    }
  }
  const { store, kept } = encodeDocuments(docs, vocabularyOf(vocabulary), maxLength);
  const keptSet = new Set(kept);
  docs.forEach((d, i) => {
    if (!keptSet.has(i)) skipped.push({ file: d.id, reason: 'no token in the document (empty, or only punctuation)' });
  });
  const predictions: Prediction[] = [];
  const batch = o.batchSize ?? 64;
  for (let start = 0; start < store.count; start += batch) {
    const n = Math.min(batch, store.count - start);
    const ids = store.ids.subarray(start * maxLength, (start + n) * maxLength);
    const logitsT = tf.tidy(() => model.predict(tf.tensor2d(Float32Array.from(ids), [n, maxLength])) as tf.Tensor2D);
    const logits = logitsT.dataSync() as Float32Array;
    logitsT.dispose();
    const probs = softmaxRows(logits, k);
    for (let i = 0; i < n; i++) {
      predictions.push({ file: store.id(start + i), top: topClasses(probs, i, run.classNames, topK), snippet: store.snippet(start + i, 300) });
    }
  }
  return {
    runDir: run.dir,
    experiment: run.config.name,
    runId: path.basename(run.dir),
    checkpoint: run.checkpoint,
    kind: 'text',
    classNames: run.classNames,
    inputShape: [maxLength],
    predictions,
    skipped,
  };
}
