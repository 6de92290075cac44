/**
 * The New Experiment templates. Each is typed as the experiment file format (`ExperimentFile`), so a
 * template that drifts from the schema fails type-checking; an extension-host test also validates the
 * written files against `schemas/transfer.schema.json`.
 */
import type { CatalogBase, ExperimentFile } from '../../core/experiment/schema.js';
import { CATALOG, type CatalogEntry } from '../../core/models/catalog.js';

/** A template: the experiment it writes, plus any experiment it depends on. */
export interface ExperimentTemplate {
  id: 'featureExtractionDigits' | 'fineTuneImageFolder' | 'fashionMnist' | 'scratch' | 'textClassification' | `catalog:${string}`;
  label: string;
  detail: string;
  /** Default file name stem (`<stem>.transfer.json`). */
  defaultName: string;
  /** The experiment; `name` is set from the chosen file name. */
  experiment: ExperimentFile;
  /** Other experiment files written beside it when absent (file name → content). */
  companions?: Record<string, ExperimentFile>;
}

const DIGITS_SOURCE = 'digits-0-4.transfer.json';

const FASHION = '/usr/share/datasets/fashion-mnist';

/** A feature-extraction experiment on an image folder from a catalogued model (downloaded on first use). */
function catalogTemplate(e: CatalogEntry): ExperimentTemplate {
  return {
    id: `catalog:${e.name}`,
    label: `Catalogue: ${e.name}`,
    detail: `${e.description}. ${e.licence}; downloaded on first use, then cached. Feature extraction on an image folder.`,
    defaultName: `${e.name.replace(/[^A-Za-z0-9]+/g, '-')}-features`,
    experiment: {
      description: `Feature extraction from the catalogued ${e.name} on an image folder (edit data.train.path).`,
      base: { kind: 'catalog', name: e.name as CatalogBase['name'] },
      data: {
        train: { kind: 'imageFolder', path: 'data/train' },
        split: { validation: 0.2, test: 0.2 },
        image: { size: [e.inputShape[0], e.inputShape[1]], channels: 3, resize: 'cover', scale: e.scale },
      },
      transfer: { strategy: 'featureExtraction', head: { units: [], dropout: 0.2, activation: 'relu' } },
      optimizer: { type: 'adam' },
      learningRate: { base: 0.001 },
      training: { epochs: 5, batchSize: 16, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
  };
}

/** All templates, in quick-pick order. */
export const TEMPLATES: readonly ExperimentTemplate[] = [
  {
    id: 'featureExtractionDigits',
    label: 'Feature extraction on digits',
    detail: `Train a small CNN on MNIST digits 0-4 (${DIGITS_SOURCE}), then reuse its frozen layers for 5-9 with a new head.`,
    defaultName: 'digits-5-9-features',
    experiment: {
      description: 'Digits 5-9 classified from the frozen features of a CNN trained on 0-4.',
      base: { kind: 'run', experiment: DIGITS_SOURCE, checkpoint: 'best' },
      data: { train: { kind: 'mnist', classes: [5, 6, 7, 8, 9], perClass: 100 }, split: { validation: 0.2, test: 0.2 } },
      transfer: { strategy: 'featureExtraction', head: { units: [], dropout: 0, activation: 'relu' } },
      optimizer: { type: 'adam' },
      learningRate: { base: 0.003, baseMultiplier: 0.1 },
      training: { epochs: 3, batchSize: 32, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
    companions: {
      [DIGITS_SOURCE]: {
        name: 'digits-0-4',
        description: 'Source task: a small CNN trained from scratch on digits 0-4.',
        base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [28, 28, 1] },
        data: { train: { kind: 'mnist', classes: [0, 1, 2, 3, 4], perClass: 300 }, split: { validation: 0.1, test: 0.1 } },
        transfer: { strategy: 'scratch' },
        training: { epochs: 2, batchSize: 32, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
      },
    },
  },
  {
    id: 'fineTuneImageFolder',
    label: 'Fine-tune on an image folder',
    detail: 'A TensorFlow.js model.json base; one subfolder per class. Head first, then unfreeze with a smaller rate.',
    defaultName: 'images-finetune',
    experiment: {
      description: 'Fine-tune a pretrained tfjs Layers model on an image folder (edit base.path and data.train.path).',
      base: { kind: 'model', path: 'models/base/model.json' },
      data: {
        train: { kind: 'imageFolder', path: 'data/train' },
        split: { validation: 0.2, test: 0 },
        image: { size: [160, 160], channels: 3, resize: 'cover', scale: 'symmetric' },
        augment: { flipHorizontal: true, shift: 8, noise: 0, colorJitter: 0.1 },
      },
      transfer: {
        strategy: 'fineTune',
        head: { units: [], dropout: 0.2, activation: 'relu' },
        stages: [
          { name: 'head', epochs: 2, freeze: { all: true } },
          { name: 'unfreeze', epochs: 3, freeze: {} },
        ],
      },
      optimizer: { type: 'adam' },
      learningRate: { base: 0.001, baseMultiplier: 0.1, schedule: { type: 'oneCycle' } },
      training: { epochs: 5, batchSize: 16, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
  },
  {
    id: 'textClassification',
    label: 'Text classification',
    detail: 'Documents in one subfolder per class of .txt files, on pretrained GloVe word vectors: the head first, then the embedding with a smaller rate.',
    defaultName: 'text-classification',
    experiment: {
      description: 'Text classification on the shipped GloVe 100-d vectors (edit data.train.path: one subfolder per class of .txt files).',
      base: { kind: 'wordVectors', vectors: 'glove-100d', encoder: 'mean' },
      data: { train: { kind: 'textFolder', path: 'data/text' }, split: { validation: 0.2, test: 0.2 }, text: { maxLength: 256 } },
      transfer: {
        strategy: 'fineTune',
        head: { units: [], dropout: 0, activation: 'relu' },
        stages: [
          { name: 'head', epochs: 20, freeze: { all: true } },
          { name: 'embedding', epochs: 5, freeze: {} },
        ],
      },
      optimizer: { type: 'adam' },
      learningRate: { base: 0.05, baseMultiplier: 0.1 },
      training: { epochs: 25, batchSize: 16, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
  },
  {
    id: 'fashionMnist',
    label: 'Fashion-MNIST',
    detail: `Ten clothing classes from IDX files in ${FASHION} (Debian package dataset-fashion-mnist).`,
    defaultName: 'fashion-mnist',
    experiment: {
      description: 'A small CNN on Fashion-MNIST (500 images per class).',
      base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [28, 28, 1] },
      data: {
        train: {
          kind: 'idx',
          images: `${FASHION}/train-images-idx3-ubyte.gz`,
          labels: `${FASHION}/train-labels-idx1-ubyte.gz`,
          classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
          perClass: 500,
        },
        test: { kind: 'idx', images: `${FASHION}/t10k-images-idx3-ubyte.gz`, labels: `${FASHION}/t10k-labels-idx1-ubyte.gz`, perClass: 100 },
        split: { validation: 0.1, test: 0 },
      },
      transfer: { strategy: 'scratch' },
      training: { epochs: 3, batchSize: 64, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
  },
  {
    id: 'scratch',
    label: 'From scratch',
    detail: 'A small CNN with random weights on MNIST digits: the baseline transfer has to beat.',
    defaultName: 'digits-scratch',
    experiment: {
      description: 'Baseline: the same architecture trained from random weights.',
      base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [28, 28, 1] },
      data: { train: { kind: 'mnist', perClass: 100 }, split: { validation: 0.2, test: 0.1 } },
      transfer: { strategy: 'scratch' },
      optimizer: { type: 'adam' },
      learningRate: { base: 0.001, baseMultiplier: 1 },
      training: { epochs: 3, batchSize: 32, seed: 42, monitor: 'valAccuracy', checkpoints: 'both' },
    },
  },
  ...CATALOG.map(catalogTemplate),
];

/** The file text of an experiment: `name` first, two-space JSON, final newline. */
export function renderExperiment(name: string | undefined, experiment: ExperimentFile): string {
  const { name: _ignored, ...rest } = experiment;
  void _ignored;
  return JSON.stringify(name ? { name, ...rest } : experiment, null, 2) + '\n';
}
