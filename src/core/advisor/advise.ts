/**
 * The strategy advisor: measures how many labelled target examples each class has and how similar
 * the target is to the source the base was trained on, maps both to one of the four rules of thumb
 * (`rules.ts`), and returns the numbers behind the verdict with the matching experiment edit.
 *
 * Everything it measures on the target comes from the target's training and validation sets; the
 * test set is never read (not even its unlabelled inputs), so the advice can be checked on it.
 *
 * Similarity has two parts:
 * - the inputs: a source-vs-target domain classifier on the base's last features (`similarity.ts`);
 * - the task: a linear head on every cut layer of the base up to the default cut (a "sweep"), fitted
 *   on the target's training examples and scored on its validation examples, with each validation
 *   example's hit or miss kept. Unless the last features are shown to be within `maxSpecificityGap` of
 *   the best earlier layer — the gap plus twice its paired standard error ({@link pairedDifference},
 *   `specificityThreshold` in `rules.ts`) — the source's last features count as too specific for the
 *   target (Yosinski et al. 2014, "How transferable
 *   are features in deep neural networks?": the last layers of a network are specific to its task,
 *   the first ones general) — digits 0–4 → 5–9 share a domain but not a label set, and a CNN trained
 *   on five digits has a last hidden layer made for those five.
 *
 * The sweep also chooses the layers of the two frozen-feature rules (CS231n, "Transfer Learning",
 * https://cs231n.github.io/transfer-learning/): "train a linear classifier on the CNN codes" puts the
 * head on the layer with the best validation accuracy (often not the penultimate one: the "CNN codes"
 * of a small source network are its most task-specific features), and "train the classifier from
 * activations somewhere earlier in the network" on the best layer strictly before the last features —
 * unless no earlier layer validates as well as the last features, when validation outranks the rule of
 * thumb and the head stays on them.
 *
 * Layers whose inference-mode output repeats their input's values (dropout, flatten, reshape) are not
 * separate candidates: a source trained with dropout before its classifier has the dropout as its
 * default cut, with the very features of the dense layer before it.
 *
 * The source data is that of the experiment whose run the base comes from (`base.kind: "run"`), or of
 * an explicitly given source experiment file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classCounts, loadData, type ExampleSet, type LoadedData } from '../data/index.js';
import { ExperimentError, loadExperiment } from '../experiment/load.js';
import { JsonLocator } from '../experiment/locate.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { cutPoints, extractFeatures, type CutPoint } from '../features/extract.js';
import type { FeatureDiskCache } from '../features/disk-cache.js';
import { bestLayer, capExamples, sweepExperiment } from '../features/layer-sweep.js';
import { fitLinearProbe } from '../features/linear-probe.js';
import type { OpGraph } from '../models/graph.js';
import { buildNetwork, loadBase, type NetworkContext } from '../models/network.js';
import type { LayerSweepEntry } from '../runs/artifacts.js';
import {
  DEFAULT_THRESHOLDS,
  editsFor,
  ruleFor,
  RULE_TEXT,
  specificityThreshold,
  verdicts,
  type AdvisorThresholds,
  type ExperimentEdit,
  type Rule,
} from './rules.js';
import { measureSimilarity, poolOf, type SimilarityMeasures } from './similarity.js';

/** `advice.json`. */
export interface AdvisorReport {
  version: 1;
  experiment: string;
  experimentFile: string;
  baseSource: string;
  /** The experiment file the source data came from. */
  sourceExperiment: string;
  sourceExamples: number;
  target: {
    classes: string[];
    /** Labelled training examples of each class (after split and `trainPerClass`). */
    labelledPerClass: number[];
    medianPerClass: number;
    /** Target examples the similarity samples from (training and validation; the test set is not read). */
    examples: number;
  };
  /**
   * The layer of the base's last features, where the similarity was measured: the default cut, or the
   * layer whose values it passes on unchanged (the dense layer before a trailing dropout).
   */
  layer: string;
  similarity: SimilarityMeasures;
  /**
   * The thresholds applied. `maxSpecificityGap` is the largest gap this measurement could have had and
   * still count as similar: the configured margin minus 2 standard errors of the measured gap.
   */
  thresholds: AdvisorThresholds;
  verdict: { small: boolean; similar: boolean; rule: Rule; advice: string };
  /** The sweep: a linear head on each cut layer up to the last features, with the L2 penalty validation chose (absent without validation data). */
  layers?: (Pick<LayerSweepEntry, 'layer' | 'features' | 'trainAccuracy' | 'valAccuracy'> & { l2?: number })[];
  /** Best earlier layer's validation accuracy minus the last features' (> 0: the last features are too specific). */
  specificityGap?: number;
  /** Standard error of `specificityGap` (paired over the validation examples). */
  specificityStandardError?: number;
  /** Validation examples the sweep scored. */
  validationExamples?: number;
  /** The sweep's best layer strictly before the last features (the cut of `smallDifferent` when it validates at least as well as `layer`). */
  earlierLayer?: string;
  /** The sweep's best layer overall: the cut of `smallSimilar` (`layer` when the last features win). */
  featureLayer?: string;
  edits: ExperimentEdit[];
}

/** Options of {@link advise}. */
export interface AdviseOptions {
  thresholds?: Partial<AdvisorThresholds>;
  /** Source experiment file (default: the experiment of a `run` base). */
  sourceExperiment?: string;
  /** Reports progress. */
  log?(message: string): void;
  /** Persistent frozen-feature cache for the similarity measures and the layer sweep. */
  cache?: FeatureDiskCache;
}

/** Validation examples the advisor's layer sweep scores at most (it is a measurement, not the final head). */
const SWEEP_EXAMPLES = 1000;

/** Median of a list of counts. */
export function medianOf(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Accuracy difference of two classifiers scored on the same examples (1 = hit, 0 = miss per example),
 * with its paired standard error: d_i = a_i − b_i, gap = mean(d), SE = sd(d) / √n (sd with n − 1).
 * Pairing removes the examples both get right or both get wrong from the noise, which is what makes a
 * few-point gap on a few hundred validation examples measurable at all.
 * @throws RangeError when the lengths differ.
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): { gap: number; standardError: number; n: number } {
  if (a.length !== b.length) throw new RangeError(`paired difference of ${a.length} and ${b.length} examples`);
  const n = a.length;
  if (n === 0) return { gap: 0, standardError: 0, n };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! - b[i]!;
  const gap = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i]! - b[i]! - gap) ** 2;
  return { gap, standardError: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0, n };
}

/** Keras layers whose inference-mode output holds the same values as their input (at most rearranged). */
const PASS_THROUGH = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Flatten',
  'Reshape',
]);

/**
 * For each cut point (in order), the position of the cut point whose features it repeats: itself, or
 * — for a pass-through layer (dropout, flatten…) that reads the previous cut point's output — that
 * one's representative.
 */
export function featureGroups(graph: Pick<OpGraph, 'ops'>, points: readonly Pick<CutPoint, 'index' | 'key' | 'className'>[]): number[] {
  const out: number[] = [];
  points.forEach((p, k) => {
    const prev = points[k - 1];
    const op = p.index >= 0 ? graph.ops[p.index] : undefined;
    out.push(prev && op && PASS_THROUGH.has(p.className) && op.inputs.length === 1 && op.inputs[0] === prev.key ? out[k - 1]! : k);
  });
  return out;
}

/** One candidate of the advisor's sweep with every validation example's hit (1) or miss (0). */
interface SweptLayer extends Pick<LayerSweepEntry, 'layer' | 'features' | 'trainAccuracy' | 'valAccuracy'> {
  /** The L2 penalty of the head kept (absent in hand-made sweeps). */
  l2?: number;
  hits: Uint8Array;
}

/**
 * L2 penalties each layer's linear head is fitted with (besides the sweep's own `l2`); the one with
 * the best validation accuracy is kept, as in Kornblith et al. 2019 ("Do Better ImageNet Models
 * Transfer Better?", logistic regression on frozen features with the penalty chosen on held-out data)
 * and cs231n's advice to cross-validate regularisation. One fixed weak penalty (1e-4) favours small
 * layers: with 10 examples per class a head on 1,600 standardised features overfits, and the sweep then
 * scored a digits 0–4 network's `pool2` 4–8 points below what a trained head reaches there.
 */
export const SWEEP_L2 = [0.01, 1] as const;

/**
 * Training examples per layer the sweep fits at most (validation examples: {@link SWEEP_EXAMPLES}):
 * the gap between layers is already resolved with a few hundred, and the sweep's cost grows with them.
 */
const SWEEP_TRAIN_EXAMPLES = 500;

/**
 * A linear head on each of `points`, trained on (capped) `train` with each penalty of the grid, the
 * penalty with the best validation accuracy kept; scored on (capped) `validation`.
 */
function sweep(
  graph: OpGraph,
  points: readonly CutPoint[],
  exp: ResolvedExperiment,
  classes: number,
  train: ExampleSet,
  validation: ExampleSet,
  cache: FeatureDiskCache | undefined,
): SweptLayer[] {
  const s = exp.transfer.sweep;
  const trainIdx = capExamples(train, classes, Math.min(s.maxExamples, SWEEP_TRAIN_EXAMPLES));
  const valIdx = capExamples(validation, classes, Math.min(s.maxExamples, SWEEP_EXAMPLES));
  const yTrain = Int32Array.from(trainIdx, (i) => train.labels[i]!);
  const yVal = Int32Array.from(valIdx, (i) => validation.labels[i]!);
  const grid = [...new Set([s.l2, ...SWEEP_L2])];
  return points.map((cut) => {
    const ft = extractFeatures(graph, cut, train, { indices: trainIdx, maxFeatures: s.maxFeatures, ...(cache ? { cache } : {}) });
    const fv = extractFeatures(graph, cut, validation, { indices: valIdx, maxFeatures: s.maxFeatures, ...(cache ? { cache } : {}) });
    let best: SweptLayer | undefined;
    for (const l2 of grid) {
      const r = fitLinearProbe({ x: ft.data, y: yTrain, dim: ft.dim }, { classes, iterations: s.iterations, learningRate: s.learningRate, l2 }, [
        { x: fv.data, y: yVal, dim: fv.dim },
      ]);
      const p = r.probabilities[0]!;
      const hits = new Uint8Array(yVal.length);
      for (let i = 0; i < yVal.length; i++) {
        let arg = 0;
        for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + arg]!) arg = c;
        hits[i] = arg === yVal[i] ? 1 : 0;
      }
      const valAccuracy = r.evaluations[0]!.accuracy;
      if (!best || valAccuracy > best.valAccuracy!) best = { layer: cut.name, features: ft.dim, trainAccuracy: r.trainAccuracy, valAccuracy, l2, hits };
    }
    return best!;
  });
}

/** The result of the sweep the verdict and the edits need. */
export interface SweepChoice {
  /** Best layer overall (ties: fewer features, then earlier). */
  featureLayer?: string;
  /** Best layer strictly before the last features. */
  earlierLayer?: string;
  /** earlierLayer's validation accuracy minus the last features', with its paired standard error. */
  gap?: { gap: number; standardError: number; n: number };
}

/**
 * Chooses from a sweep: `last` is the position (in `layers`) of the last features; layers after it
 * (pass-through copies) are ignored.
 */
export function chooseLayers(layers: readonly SweptLayer[], last: number): SweepChoice {
  const asEntries = (ls: readonly SweptLayer[]) => ls.map((l) => ({ ...l, index: 0, className: '', featureShape: [], pool: 1, seconds: 0 }));
  const upTo = layers.slice(0, last + 1);
  const featureLayer = bestLayer(asEntries(upTo));
  const earlierLayer = bestLayer(asEntries(layers.slice(0, last)));
  const e = layers.find((l) => l.layer === earlierLayer);
  const l = layers[last];
  return {
    ...(featureLayer !== undefined ? { featureLayer } : {}),
    ...(earlierLayer !== undefined ? { earlierLayer } : {}),
    ...(e && l ? { gap: pairedDifference(e.hits, l.hits) } : {}),
  };
}

/**
 * The experiment file whose data the base was trained on: `opts.sourceExperiment`, else the
 * experiment of a `run` base. Call it before recording a run: a missing source is bad input.
 * @throws ExperimentError (exit code 2) at `/base/kind` when the base is not a run and no source is named.
 */
export function adviceSource(exp: ResolvedExperiment, opts: Pick<AdviseOptions, 'sourceExperiment'> = {}): string {
  if (opts.sourceExperiment) return path.resolve(opts.sourceExperiment);
  if (exp.base.kind === 'run') return exp.base.experiment;
  const message = `advice compares the target with the data the base was trained on: the base is "${exp.base.kind}", not another experiment's run, so name that experiment (transfer-lab advise --source <file>)`;
  let text = '';
  try {
    text = fs.readFileSync(exp.file, 'utf8');
  } catch {
    // located at 1:1
  }
  throw new ExperimentError(exp.file, [new JsonLocator(text).problem('/base/kind', message)]);
}

/**
 * Advises on `exp`.
 * @throws ExperimentError when there is no source experiment to measure similarity against ({@link adviceSource}).
 */
export async function advise(exp: ResolvedExperiment, ctx: NetworkContext, opts: AdviseOptions = {}): Promise<AdvisorReport> {
  const configured = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const sourceFile = adviceSource(exp, opts);
  const swept = sweepExperiment(exp);
  const base = await loadBase(swept, ctx);
  const data = await loadData(exp.data, {
    inputShape: base.inputShape,
    seed: exp.training.seed,
    ...(opts.cache ? { cache: opts.cache } : {}),
    ...(base.text ? { text: base.text } : {}),
  });
  const { experiment: source } = await loadExperiment(sourceFile);
  const sourceData: LoadedData = await loadData(source.data, {
    inputShape: base.inputShape,
    seed: source.training.seed,
    ...(opts.cache ? { cache: opts.cache } : {}),
    ...(base.text ? { text: base.text } : {}),
  });
  const classes = data.classNames.length;
  const net = buildNetwork(swept, base, classes);
  try {
    const perClass = classCounts(data.train, classes);
    const median = medianOf(perClass);
    // The base's cut points up to the default cut; the last features are the default cut's group.
    const points = cutPoints(net.graph, net.baseOps);
    const groups = featureGroups(net.graph, points);
    const lastPoint = points[groups[points.length - 1]!]!;
    const candidates = points.filter((_, k) => groups[k] === k);
    const last = candidates.indexOf(lastPoint);
    const layer = lastPoint.name;
    opts.log?.(`target: ${data.train.count} labelled examples, median ${median} per class; measuring similarity at "${layer}"`);
    const similarity = measureSimilarity(
      net.graph,
      lastPoint,
      poolOf(sourceData.train, sourceData.validation, sourceData.test),
      poolOf(data.train, data.validation),
      {
        seed: exp.training.seed,
        maxFeatures: exp.transfer.sweep.maxFeatures,
        ...(opts.cache ? { cache: opts.cache } : {}),
      },
    );
    let layers: AdvisorReport['layers'];
    let choice: SweepChoice = {};
    if (data.validation.count > 0) {
      opts.log?.(`linear heads on ${candidates.length} cut layers (the task part of similarity)`);
      const r = sweep(net.graph, candidates, swept, classes, data.train, data.validation, opts.cache);
      layers = r.map(({ hits: _hits, ...l }) => l);
      choice = chooseLayers(r, last);
    }
    const thresholds: AdvisorThresholds = choice.gap
      ? { ...configured, maxSpecificityGap: specificityThreshold(configured.maxSpecificityGap, choice.gap.standardError) }
      : configured;
    const { small, similar } = verdicts(median, similarity.domainAccuracy, choice.gap?.gap, thresholds);
    const rule = ruleFor(small, similar);
    const featureLayer = choice.featureLayer === layer ? undefined : choice.featureLayer;
    const ruleLayers = { featureLayer, earlierLayer: differentCut(choice) };
    return {
      version: 1,
      experiment: exp.name,
      experimentFile: exp.file,
      baseSource: base.source,
      sourceExperiment: sourceFile,
      sourceExamples: sourceData.train.count + sourceData.validation.count + (sourceData.test?.count ?? 0),
      target: { classes: data.classNames, labelledPerClass: perClass, medianPerClass: median, examples: data.train.count + data.validation.count },
      layer,
      similarity,
      thresholds,
      verdict: { small, similar, rule, advice: RULE_TEXT[rule] },
      ...(layers ? { layers } : {}),
      ...(choice.gap ? { specificityGap: choice.gap.gap, specificityStandardError: choice.gap.standardError, validationExamples: choice.gap.n } : {}),
      ...(choice.earlierLayer !== undefined ? { earlierLayer: choice.earlierLayer } : {}),
      ...(choice.featureLayer !== undefined ? { featureLayer: choice.featureLayer } : {}),
      edits: editsFor(rule, ruleLayers),
    };
  } finally {
    net.model.dispose();
    base.model.dispose(); // the old head and the base's own reference to the shared layers
  }
}

/**
 * The cut of `smallDifferent`: the best earlier layer, or the last features (undefined: default cut)
 * when they validate better than every earlier layer.
 */
export function differentCut(choice: Pick<SweepChoice, 'earlierLayer' | 'gap'>): string | undefined {
  return choice.gap && choice.gap.gap < 0 ? undefined : choice.earlierLayer;
}

/** The edit of every rule as this report would make it (the bench trains all four). */
export function ruleEdits(report: Pick<AdvisorReport, 'earlierLayer' | 'featureLayer' | 'layer' | 'specificityGap'>): Record<Rule, ExperimentEdit[]> {
  const layers = {
    featureLayer: report.featureLayer === report.layer ? undefined : report.featureLayer,
    earlierLayer: report.specificityGap !== undefined && report.specificityGap < 0 ? undefined : report.earlierLayer,
  };
  return {
    smallSimilar: editsFor('smallSimilar', layers),
    smallDifferent: editsFor('smallDifferent', layers),
    largeSimilar: editsFor('largeSimilar', layers),
    largeDifferent: editsFor('largeDifferent', layers),
  };
}
