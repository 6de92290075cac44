/**
 * The `scratch` row of `npm run bench:photos`: what the pretrained features buy on ants vs bees. The
 * same photos and input size (224×224, `cover`, `symmetric`) with a CNN from random initialisation —
 * four 3×3 stride-2 convolutions (16, 32, 64, 128 filters, ReLU), global average pooling and the new
 * linear head (97 k parameters; no BatchNorm, see below), every layer trained, flip and crop
 * augmentation — against the feature-extraction example's recipe, both on one split:
 *
 * - train: 196 of the 245 `train/` photos; validation: the other 49 (20 % per class, seeded);
 * - test: the 153 `val/` photos, only reported.
 *
 * The scratch settings are chosen on validation only: Adam's learning rate over {@link LEARNING_RATES}
 * × the number of epochs (1…{@link EPOCHS}: the best-validation checkpoint of each run), highest
 * validation accuracy first, then lowest validation loss. The test accuracy printed is that
 * checkpoint's. The pretrained recipe runs once with its own settings on the same split (its epoch
 * chosen the same way). The network is written as a `model` base, which the `scratch` strategy
 * re-initialises (seeded); the CLI, worker and run store are the user's.
 *
 * Why not the built-in `mobileNetLike` (BatchNorm): trained from scratch on these 196 photos it
 * predicted one class for every validation photo at every epoch tried (lr 3e-4 over 12 epochs, lr 1e-3
 * over 3, BatchNorm momentum 0.99 and 0.9; training accuracy 0.7), a train/inference mismatch of its
 * BatchNorm statistics rather than a baseline. Not investigated further.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/backend/index.js';
import { saveModel } from '../src/core/models/io.js';
import { readMetrics } from '../src/core/runs/store.js';
import type { EpochEvent, RunSummary } from '../src/core/runs/events.js';

/** Learning rates of the scratch grid (Adam). */
export const LEARNING_RATES = [0.0003, 0.001, 0.003];
/** Filters of the scratch CNN's 3×3 stride-2 convolutions. */
export const FILTERS = [16, 32, 64, 128];

/**
 * The scratch CNN: [batch, 224, 224, 3] → conv 3×3/2 ×4 (ReLU) → global average pooling → logits
 * [batch, 2] (the head is replaced by the run's own). Glorot-uniform weights (re-drawn by the run).
 */
function plainCnn(): tf.LayersModel {
  return tf.sequential({
    name: 'plainCnn',
    layers: [
      ...FILTERS.map((filters, i) =>
        tf.layers.conv2d({
          name: `conv${i + 1}`,
          ...(i === 0 ? { inputShape: [224, 224, 3] } : {}),
          filters,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
        }),
      ),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'logits', units: 2 }),
    ],
  });
}
/** Epochs of each scratch run; every epoch count up to this is a candidate (best-validation checkpoint). */
export const EPOCHS = 20;

/** Runs one experiment file through the CLI (`run <file> --json --runs-dir <dir>`). */
export type RunCli = (file: string, runsDir: string) => Promise<{ summary?: RunSummary; wallSeconds: number; stderr: string; code: number | null }>;

/** One run of the comparison. */
export interface ScratchTrial {
  model: 'scratch' | 'pretrained';
  learningRate: number;
  status: string;
  /** 1-based epoch of the best validation accuracy. */
  bestEpoch?: number;
  valAccuracy?: number;
  valLoss?: number;
  testAccuracy?: number;
  testExamples?: number;
  examples?: { train: number; validation: number; test: number };
  wallSeconds: number;
  workerCpuSeconds?: number;
  loadBefore: number;
  loadAfter: number;
  runDir?: string;
  error?: string;
}

/** What {@link runScratchComparison} found. */
export interface ScratchComparison {
  trials: ScratchTrial[];
  /** The scratch trial chosen on validation. */
  chosen?: ScratchTrial;
  pretrained?: ScratchTrial;
}

/** The split shared by both models: train/ split 80/20 into train and validation, val/ as the test set. */
function data(dataDir: string, augment: boolean): Record<string, unknown> {
  return {
    train: { kind: 'imageFolder', path: path.join(dataDir, 'train') },
    test: { kind: 'imageFolder', path: path.join(dataDir, 'val') },
    split: { validation: 0.2 },
    image: { resize: 'cover', scale: 'symmetric' },
    ...(augment ? { augment: { flipHorizontal: true, crop: 0.2 } } : {}),
  };
}

/** The experiment of one scratch trial. */
function scratchExperiment(dataDir: string, modelJson: string, lr: number): Record<string, unknown> {
  return {
    description: `bench:photos scratch row: a plain CNN (conv ${FILTERS.join('-')}, stride 2) at 224×224 from random weights, Adam lr ${lr}, ${EPOCHS} epochs`,
    base: { kind: 'model', path: modelJson },
    data: data(dataDir, true),
    transfer: { strategy: 'scratch' },
    optimizer: { type: 'adam' },
    learningRate: { base: lr },
    training: { epochs: EPOCHS, batchSize: 16, seed: 42, monitor: 'valAccuracy', checkpoints: 'best' },
  };
}

/** The feature-extraction example (`examples/hymenoptera-feature-extraction.transfer.json`) on the same split. */
function pretrainedExperiment(example: string, dataDir: string): Record<string, unknown> {
  const exp = JSON.parse(fs.readFileSync(example, 'utf8')) as { base: { path: string }; training: Record<string, unknown> } & Record<string, unknown>;
  return {
    ...exp,
    description: 'bench:photos scratch row: the feature-extraction example on the scratch row’s split',
    base: { ...exp.base, path: path.resolve(path.dirname(example), exp.base.path) },
    data: data(dataDir, false),
    training: { ...exp.training, seed: 42 },
  };
}

/** Best validation epoch of a run (highest accuracy, then lowest loss, then earliest). */
function bestEpoch(runDir: string): { epoch: number; acc: number; loss: number } | undefined {
  let best: { epoch: number; acc: number; loss: number } | undefined;
  for (const e of readMetrics(runDir)) {
    if (e.kind !== 'epoch') continue;
    const ep = e as EpochEvent;
    if (ep.valAccuracy === undefined) continue;
    const loss = ep.valLoss ?? Infinity;
    if (!best || ep.valAccuracy > best.acc || (ep.valAccuracy === best.acc && loss < best.loss)) best = { epoch: ep.epoch + 1, acc: ep.valAccuracy, loss };
  }
  return best;
}

async function trial(
  runCli: RunCli,
  model: ScratchTrial['model'],
  lr: number,
  exp: Record<string, unknown>,
  tmp: string,
  runsDir: string,
): Promise<ScratchTrial> {
  const file = path.join(tmp, `hymenoptera-${model === 'scratch' ? `scratch-lr${lr}` : 'pretrained-same-split'}.transfer.json`);
  fs.writeFileSync(file, JSON.stringify(exp, null, 2));
  process.stderr.write(`running ${path.basename(file)} …\n`);
  const loadBefore = os.loadavg()[0]!;
  const r = await runCli(file, runsDir);
  const loadAfter = os.loadavg()[0]!;
  const s = r.summary;
  const runDir = s ? path.join(runsDir, s.experiment, s.runId) : undefined;
  const best = runDir ? bestEpoch(runDir) : undefined;
  return {
    model,
    learningRate: lr,
    status: s?.status ?? `failed (exit ${r.code})`,
    ...(best ? { bestEpoch: best.epoch, valAccuracy: best.acc, valLoss: best.loss } : {}),
    ...(s?.test ? { testAccuracy: s.test.accuracy, testExamples: s.test.examples } : {}),
    ...(s?.examples ? { examples: s.examples } : {}),
    wallSeconds: r.wallSeconds,
    ...(s?.cpuSeconds !== undefined ? { workerCpuSeconds: s.cpuSeconds } : {}),
    loadBefore,
    loadAfter,
    ...(runDir ? { runDir } : {}),
    ...(s?.error || !s ? { error: s?.error ?? r.stderr.trim().split('\n').slice(-5).join('\n') } : {}),
  };
}

/**
 * Runs the scratch grid and the pretrained recipe on the same split (one at a time).
 * @param dataDir `hymenoptera_data` (with `train/` and `val/`)
 * @param example the feature-extraction example file
 */
export async function runScratchComparison(runCli: RunCli, dataDir: string, example: string, runsDir: string): Promise<ScratchComparison> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-bench-scratch-'));
  try {
    const trials: ScratchTrial[] = [];
    const pretrained = await trial(runCli, 'pretrained', 0.001, pretrainedExperiment(example, dataDir), tmp, runsDir);
    trials.push(pretrained);
    await initBackend('auto');
    const net = plainCnn();
    await saveModel(net, path.join(tmp, 'plain-cnn-224'));
    net.dispose();
    const modelJson = path.join(tmp, 'plain-cnn-224', 'model.json');
    for (const lr of LEARNING_RATES) trials.push(await trial(runCli, 'scratch', lr, scratchExperiment(dataDir, modelJson, lr), tmp, runsDir));
    const candidates = trials.filter((t) => t.model === 'scratch' && t.valAccuracy !== undefined && t.testAccuracy !== undefined);
    candidates.sort((a, b) => b.valAccuracy! - a.valAccuracy! || a.valLoss! - b.valLoss!);
    return { trials, ...(candidates[0] ? { chosen: candidates[0] } : {}), pretrained };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const f3 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(3));

/** The comparison as Markdown table rows, each trial marked, the chosen one starred. */
export function scratchTable(c: ScratchComparison): string {
  const lines = [
    '| model | settings | best val epoch | val acc (49) | test acc (153) | wall s | worker CPU s | load avg before→after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of c.trials) {
    const name =
      t.model === 'pretrained'
        ? 'pretrained MobileNetV2 features (feature-extraction example)'
        : `scratch CNN${t === c.chosen ? ' ← chosen on validation' : ''}`;
    const settings = t.model === 'pretrained' ? 'the example’s (SGD 0.001, 25 epochs)' : `Adam lr ${t.learningRate}, ≤ ${EPOCHS} epochs`;
    lines.push(
      `| ${name} | ${settings} | ${t.bestEpoch ?? '–'} | ${f3(t.valAccuracy)} | ${f3(t.testAccuracy)} | ${t.wallSeconds.toFixed(0)} | ${t.workerCpuSeconds?.toFixed(0) ?? '–'} | ${t.loadBefore.toFixed(1)}→${t.loadAfter.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}
