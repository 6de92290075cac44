/**
 * Result files that runs of the analysis kinds write into their run folder, beside `summary.json`:
 * their names and their JSON shapes. This module is the contract for every reader (the panel, the
 * CLI, tests): each file is written once, atomically, at the end of its computation, and announced by
 * an `artifact` event (`events.ts`) and in `summary.artifacts`. Every file has `version: 1`; fields are
 * only ever added. Accuracies are fractions in [0, 1]; times are seconds.
 */

/** File name of each artifact, relative to the run folder. */
export const ARTIFACT_FILES = {
  /** {@link EvaluationFile}: every training run with a test (else validation) split, for the checkpoint it reports. */
  evaluation: 'evaluation.json',
  /** {@link LayerSweepFile}: `transfer-lab sweep`. */
  layerSweep: 'layer-sweep.json',
  /** {@link ClustersFile}: `transfer.kind: "unsupervised"`. */
  clusters: 'clusters.json',
  /** {@link EmbeddingFile}: the 2-D scatter of an unsupervised run. */
  embedding: 'embedding.json',
  /** {@link TransductiveFile}: `transfer.kind: "transductive"`. */
  transductive: 'transductive.json',
  /** {@link GaborMatchFile}: `transfer-lab filters`. */
  gaborMatch: 'gabor-match.json',
  /** `AdvisorReport` (`core/advisor/report.ts`): `transfer-lab advise`. */
  advice: 'advice.json',
} as const;

export type ArtifactName = keyof typeof ARTIFACT_FILES;

import type { ClassScores } from '../evaluation/classification-metrics.js';

/** What a run did. Absent in `summary.json` of older runs: `train`. */
export type RunTask = 'train' | 'layerSweep' | 'gaborMatch' | 'advise';

// ---------------------------------------------------------------------------------------------
// layer sweep
// ---------------------------------------------------------------------------------------------

/** One candidate cut layer of a layer sweep. */
export interface LayerSweepEntry {
  /** Layer name; `input` is the raw input (the no-transfer baseline). */
  layer: string;
  /** Index in the base's layer order (0 = first layer after the input); −1 for `input`. */
  index: number;
  /** Keras class name (`Input` for the input). */
  className: string;
  /** Shape of one example's features as the head saw them (after pooling). */
  featureShape: number[];
  /** Number of features (product of `featureShape`). */
  features: number;
  /** Average-pooling window applied to bring the layer under `maxFeatures` (1: none). */
  pool: number;
  trainAccuracy: number;
  /** Absent when there is no validation data. */
  valAccuracy?: number;
  valLoss?: number;
  /** On the test split, for information only (the choice uses validation). */
  testAccuracy?: number;
  seconds: number;
}

/** `layer-sweep.json`. */
export interface LayerSweepFile {
  version: 1;
  experiment: string;
  /** Where the base came from. */
  baseSource: string;
  /** `transfer.cutLayer` of the experiment, or the default cut (the layer before the base's last). */
  currentCutLayer: string;
  /** Candidates in layer order (input first). */
  layers: LayerSweepEntry[];
  /** Layer with the highest validation accuracy (ties: fewer features, then the earlier layer); absent without validation data. */
  best?: string;
  /** The edit that makes `best` the cut layer: JSON pointer and value (apply with `transfer-lab sweep --apply`). */
  edit?: { pointer: '/transfer/cutLayer'; value: string };
  settings: { iterations: number; learningRate: number; l2: number; maxFeatures: number; maxExamples: number };
  examples: { train: number; validation: number; test: number };
  classes: number;
}

// ---------------------------------------------------------------------------------------------
// unsupervised
// ---------------------------------------------------------------------------------------------

/** Quality of one clustering against the (evaluation-only) labels. */
export interface ClusterScores {
  /** Normalised mutual information (arithmetic-mean normalisation, as scikit-learn's default), in [0, 1]. */
  nmi?: number;
  /** Adjusted Rand index (Hubert & Arabie 1985), 1 = identical partitions, ≈ 0 = chance. */
  ari?: number;
  /** Mean silhouette coefficient (Rousseeuw 1987) in the PCA space, in [−1, 1]. */
  silhouette: number;
  /** Within-cluster sum of squared distances in the PCA space. */
  inertia: number;
}

/** One clustering pipeline (cut-layer features; the baseline: raw pixels, or TF-IDF for documents). */
export interface ClusteringResult {
  /** `features` (at `layer`), `raw` (pixels) or `tfidf` (documents' TF-IDF vectors, `text/tfidf.ts`). */
  input: 'features' | 'raw' | 'tfidf';
  layer?: string;
  /** Dimension before PCA. */
  dim: number;
  components: number;
  /** Fraction of the variance the kept components explain. */
  explainedVariance: number;
  k: number;
  /** Silhouette of each k tried (k chosen by the highest), when k was not fixed. */
  silhouetteByK?: { k: number; silhouette: number }[];
  scores: ClusterScores;
  /** Examples in each cluster 0..k-1. */
  sizes: number[];
}

/** `clusters.json`. */
export interface ClustersFile {
  version: 1;
  experiment: string;
  examples: number;
  /** True when labels existed and were used for NMI/ARI (never for clustering). */
  labelled: boolean;
  classNames?: string[];
  /** The clustering of the pretrained features. */
  features: ClusteringResult;
  /** The same PCA and k-means (same k) on raw pixels (on TF-IDF vectors for documents), when `compareRaw`. */
  raw?: ClusteringResult;
  seconds: number;
}

/** `embedding.json`: one point per clustered example, for a 2-D scatter coloured by cluster. */
export interface EmbeddingFile {
  version: 1;
  /** Example ids (`mnist:7#12`, file paths…). */
  ids: string[];
  /** First and second principal component of the features. */
  x: number[];
  y: number[];
  /** Cluster of each example (0..k-1). */
  cluster: number[];
  /** Evaluation label of each example, when labelled. */
  label?: number[];
  classNames?: string[];
  /** Cluster of each example in the raw-pixel clustering, when computed. */
  rawCluster?: number[];
}

// ---------------------------------------------------------------------------------------------
// transductive
// ---------------------------------------------------------------------------------------------

/** Accuracy after one step of a transductive run. */
export interface TransductivePhase {
  /** `source`: trained on the source only; `adaBN`: after re-estimating BatchNorm on the target; `selfTraining`: after a round. */
  phase: 'source' | 'adaBN' | 'selfTraining';
  /** 1-based round of self-training. */
  round?: number;
  /** On the target's held-back labels (never used for training); absent for an unlabelled target. */
  targetAccuracy?: number;
  /** On the source validation set, with the network as it is after this step. */
  sourceValAccuracy?: number;
  /** Pseudo-labels kept in this round, and per predicted class. */
  pseudoLabels?: number;
  pseudoLabelsPerClass?: number[];
  /** Fraction of kept pseudo-labels that match the held-back label (reporting only). */
  pseudoLabelAccuracy?: number;
  /** BatchNorm layers re-estimated (adaBN). */
  batchNormLayers?: string[];
  seconds: number;
}

/** `transductive.json`. */
export interface TransductiveFile {
  version: 1;
  experiment: string;
  /** Target examples used (after leaving out those that are also training/validation examples). */
  targetExamples: number;
  /** Target examples left out because they are training or validation examples (same id). */
  targetOverlapRemoved: number;
  labelledTarget: boolean;
  phases: TransductivePhase[];
  settings: {
    adaBN: boolean;
    selfTraining: { rounds: number; threshold: number; classBalance: boolean; portion: number; maxPerClass?: number; epochs: number; includeSource: boolean };
  };
}

// ---------------------------------------------------------------------------------------------
// Gabor match
// ---------------------------------------------------------------------------------------------

/** Parameters of a Gabor kernel as written to JSON (angles in degrees, lengths in pixels). */
export interface GaborParamsJson {
  lambda: number;
  thetaDegrees: number;
  psiDegrees: number;
  sigma: number;
  gamma: number;
}

/** One learned filter and its best-matching Gabor kernel. */
export interface FilterMatch {
  /** Output channel of the layer. */
  index: number;
  /** The learned kernel, channel-averaged, row-major size×size. */
  weights: number[];
  best: GaborParamsJson;
  /** The best kernel (zero-mean, unit-norm), row-major. */
  gabor: number[];
  /** Pearson correlation of the learned kernel with `gabor` (highest over the search bank). */
  correlation: number;
}

/** `gabor-match.json`. */
export interface GaborMatchFile {
  version: 1;
  experiment: string;
  baseSource: string;
  layer: string;
  className: string;
  kernelSize: [number, number];
  inputChannels: number;
  filters: FilterMatch[];
  meanCorrelation: number;
  medianCorrelation: number;
  /** The same search on random Gaussian kernels of the same size: the correlation chance alone gives. */
  chance: { filters: number; meanCorrelation: number; medianCorrelation: number };
  /** Size of the search bank and its parameter grid. */
  search: { kernels: number; orientations: number; wavelengths: number[]; sigmaPerWavelength: number[]; gammas: number[]; phasesDegrees: number[] };
}

// ---------------------------------------------------------------------------------------------
// evaluation (what the model got wrong)
// ---------------------------------------------------------------------------------------------

/** A misclassified example of {@link EvaluationFile.mistakes}. */
export interface EvaluationMistake {
  /** Where the example came from (file path, `mnist:7#12`, `train-images-idx3-ubyte#5`). */
  id: string;
  /** Absolute path of the example's file, when it is one (image folders): for thumbnails and "open". */
  path?: string;
  /** The start of a text example (text runs). */
  snippet?: string;
  trueClass: string;
  predictedClass: string;
  /** Probability (softmax) of the wrong prediction. */
  probability: number;
  /** Probability of the true class. */
  trueProbability: number;
}

/** `evaluation.json`: the reported checkpoint on the test split (else the validation split). Fractions in [0, 1]. */
export interface EvaluationFile {
  version: 1;
  experiment: string;
  /** The split evaluated: `test` when the run has one, else `validation`. */
  split: 'test' | 'validation';
  /** The checkpoint evaluated (the one the run reports: `best` when saved, else `last`). */
  checkpoint: 'best' | 'last';
  classNames: string[];
  examples: number;
  /** Mean softmax cross-entropy (nats) and accuracy over the split. */
  loss: number;
  accuracy: number;
  /** `confusion[t][p]`: examples of true class t predicted as p (rows: true class, in `classNames` order). */
  confusion: number[][];
  /** One row per class, in `classNames` order. */
  perClass: (ClassScores & { name: string })[];
  /** Unweighted mean over classes, and mean weighted by support (`support`: all examples). */
  macro: ClassScores;
  weighted: ClassScores;
  /** Top-k accuracy for k = 2, 3, 5 where k < classes (empty for two classes). */
  topK: { k: number; accuracy: number }[];
  /** Largest off-diagonal cells of `confusion`, largest first (at most 10). */
  confusions: { trueClass: string; predictedClass: string; count: number }[];
  /** The most confidently wrong examples, most confident first (at most {@link MAX_MISTAKES}). */
  mistakes: EvaluationMistake[];
  /** All misclassified examples of the split. */
  mistakesTotal: number;
}

/** Most confidently wrong examples kept in `evaluation.json`. */
export const MAX_MISTAKES = 48;
