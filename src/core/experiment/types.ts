/**
 * The resolved experiment: an experiment file after validation, with every default filled in and
 * every path made absolute. This is what the trainer, the worker and the panel consume; it is also
 * the `config.json` snapshot written with each run.
 */
import type {
  AugmentSpec,
  BuiltinBase,
  CsvSource,
  SpamAssassinSource,
  TextTableSource,
  WordVectorsBase,
  DataSource,
  GaborBase,
  HeadSpec,
  ImagePreprocess,
  LayerGroupSpec,
  LayerSelector,
  ModelFileBase,
  OptimizerSpec,
  RunBase,
  ScheduleSpec,
  SelfTrainingSpec,
  SweepSpec,
  UnsupervisedSpec,
  UrlBase,
  CatalogBase,
  WarmupSpec,
} from './schema.js';

/** The base with its defaults filled in (`architecture`, `checkpoint`) and paths absolute. */
export type ResolvedBase =
  | (BuiltinBase & { architecture: NonNullable<BuiltinBase['architecture']> })
  | ModelFileBase
  | UrlBase
  | CatalogBase
  | (RunBase & { checkpoint: NonNullable<RunBase['checkpoint']> })
  | ResolvedGaborBase
  | ResolvedWordVectorsBase;

/** A `wordVectors` base with its defaults (`vectors` is `glove-100d` or an absolute path). */
export type ResolvedWordVectorsBase = Required<Omit<WordVectorsBase, 'maxWords'>> & Pick<WordVectorsBase, 'maxWords'>;

/** A `gabor` base with every bank parameter filled in (`sigmas` one per wavelength). */
export type ResolvedGaborBase = Required<Omit<GaborBase, 'inputShape'>> & Pick<GaborBase, 'inputShape'>;

/** Which kind of transfer (which data has labels). */
export type TransferKind = 'inductive' | 'transductive' | 'unsupervised';

/** `transfer.transductive` with its defaults. */
export interface ResolvedTransductive {
  adaBN: boolean;
  selfTraining: Required<Omit<SelfTrainingSpec, 'maxPerClass' | 'learningRate'>> & Pick<SelfTrainingSpec, 'maxPerClass' | 'learningRate'>;
}

/** `transfer.unsupervised` with its defaults (`clusters` absent: chosen by silhouette in `kRange`). */
export type ResolvedUnsupervised = Required<Omit<UnsupervisedSpec, 'clusters'>> & Pick<UnsupervisedSpec, 'clusters'>;

/** `transfer.sweep` with its defaults (`layers` absent: every valid cut point of the base). */
export type ResolvedSweep = Required<Omit<SweepSpec, 'layers'>> & Pick<SweepSpec, 'layers'>;

/** A data source with its defaults filled in (`labelColumn` of csv) and paths absolute. */
export type ResolvedDataSource =
  | Exclude<DataSource, CsvSource | TextTableSource | SpamAssassinSource>
  | (CsvSource & { labelColumn: string })
  | (TextTableSource & { textColumn: string; labelColumn: string })
  | (SpamAssassinSource & Required<Pick<SpamAssassinSource, 'groups' | 'headers'>>);

export type Strategy = 'scratch' | 'featureExtraction' | 'fineTune';
export type Monitor = 'valLoss' | 'valAccuracy';

/** One resolved training stage. `freeze` selects base layers frozen during the stage. */
export interface ResolvedStage {
  name: string;
  epochs: number;
  freeze: LayerSelector;
  /** Head rate for this stage (the schedule's peak/initial rate). */
  learningRate: number;
  /** false: `data.augment` is off in this stage (absent: on, when `data.augment` is set). */
  augment?: boolean;
}

export interface ResolvedData {
  train: ResolvedDataSource;
  validation?: ResolvedDataSource;
  test?: ResolvedDataSource;
  /** Unlabelled target data of a transductive experiment (its labels only report accuracy). */
  target?: ResolvedDataSource;
  /** Fractions of each class of `train` held out; 0 when the matching `validation` / `test` source is given. */
  split: { validation: number; test: number; trainPerClass?: number };
  image: Required<Pick<ImagePreprocess, 'resize' | 'scale'>> & Pick<ImagePreprocess, 'size' | 'channels'>;
  /** `data.text`: tokens kept per document (text sources); always set by `resolveExperiment`. */
  text?: { maxLength: number };
  /** Undefined when no augmentation is on (then frozen-prefix outputs may be cached). */
  augment?: Required<AugmentSpec>;
}

export interface ResolvedExperiment {
  /** Experiment name (file name without `.transfer.json` unless `name` is set). */
  name: string;
  /** Absolute path of the experiment file. */
  file: string;
  /** Absolute folder of the experiment file (relative paths resolve against it). */
  dir: string;
  description?: string;
  /** Paths inside are absolute. */
  base: ResolvedBase;
  data: ResolvedData;
  transfer: {
    /** Default `inductive`. */
    kind: TransferKind;
    strategy: Strategy;
    cutLayer?: string;
    head: Required<HeadSpec>;
    /** Always at least one stage; without `transfer.stages` a single stage of `training.epochs`. */
    stages: ResolvedStage[];
    /** Present when `kind` is `transductive`. */
    transductive?: ResolvedTransductive;
    /** Present when `kind` is `unsupervised`. */
    unsupervised?: ResolvedUnsupervised;
    /** Settings of the layer sweep (`transfer-lab sweep`), always resolved. */
    sweep: ResolvedSweep;
  };
  optimizer: Required<OptimizerSpec>;
  learningRate: {
    base: number;
    schedule: Required<ScheduleSpec>;
    warmup: Required<WarmupSpec>;
    baseMultiplier: number;
    layerGroups: LayerGroupSpec[];
  };
  training: {
    /** Total epochs over all stages. */
    epochs: number;
    batchSize: number;
    seed: number;
    monitor: Monitor;
    earlyStopping?: { patience: number; minDelta: number };
    checkpoints: 'best' | 'last' | 'both';
    classWeights?: 'balanced' | number[];
  };
}
