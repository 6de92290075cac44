/**
 * The strategy advisor: measures how many labelled target examples each class has and how similar
 * the target is to the source the base was trained on, maps both to one of the four rules of thumb
 * (`rules.ts`), and returns the numbers behind the verdict with the matching experiment edit.
 *
 * Similarity has two parts: the inputs (a source-vs-target domain classifier on the base's features,
 * `similarity.ts`) and the task (a layer sweep, `features/layer-sweep.ts`: a linear head on every cut
 * layer up to the default cut, scored on the target's validation data; when an earlier layer beats
 * the default cut by more than `maxSpecificityGap`, the source's last features are too specific for
 * the target — digits 0–4 → 5–9 share a domain but not a label set). The sweep also picks the layer
 * of the "earlier activations" rule. Without validation data only the domain classifier decides.
 *
 * The source data is that of the experiment whose run the base comes from (`base.kind: "run"`), or of
 * an explicitly given source experiment file.
 */
import * as path from 'node:path';
import { classCounts, loadData, type LoadedData } from '../data/index.js';
import { loadExperiment } from '../experiment/load.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { cutPoints } from '../features/extract.js';
import { bestLayer, layerSweep, sweepExperiment } from '../features/layer-sweep.js';
import { buildNetwork, loadBase, type NetworkContext } from '../models/network.js';
import type { LayerSweepEntry } from '../runs/artifacts.js';
import { DEFAULT_THRESHOLDS, editsFor, ruleFor, RULE_TEXT, verdicts, type AdvisorThresholds, type ExperimentEdit, type Rule } from './rules.js';
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
    /** Every loaded target example (labelled or not), the pool the similarity samples from. */
    examples: number;
  };
  /** Cut layer the similarity was measured at (the base's default cut). */
  layer: string;
  similarity: SimilarityMeasures;
  thresholds: AdvisorThresholds;
  verdict: { small: boolean; similar: boolean; rule: Rule; advice: string };
  /** The sweep: a linear head on each cut layer up to the default cut (absent without validation data). */
  layers?: Pick<LayerSweepEntry, 'layer' | 'features' | 'trainAccuracy' | 'valAccuracy'>[];
  /** Best earlier layer's validation accuracy minus the default cut layer's (> 0: the last features are too specific). */
  specificityGap?: number;
  /** The earlier layer `smallDifferent` cuts at (the sweep's best before the default cut). */
  earlierLayer?: string;
  edits: ExperimentEdit[];
}

/** Options of {@link advise}. */
export interface AdviseOptions {
  thresholds?: Partial<AdvisorThresholds>;
  /** Source experiment file (default: the experiment of a `run` base). */
  sourceExperiment?: string;
  /** Reports progress. */
  log?(message: string): void;
}

/** Examples per set the advisor's layer sweep uses at most (it is a measurement, not the final head). */
const SWEEP_EXAMPLES = 1000;

/** Median of a list of counts. */
export function medianOf(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Advises on `exp`.
 * @throws Error when there is no source experiment to measure similarity against.
 */
export async function advise(exp: ResolvedExperiment, ctx: NetworkContext, opts: AdviseOptions = {}): Promise<AdvisorReport> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const sourceFile = opts.sourceExperiment ? path.resolve(opts.sourceExperiment) : exp.base.kind === 'run' ? exp.base.experiment : undefined;
  if (!sourceFile) throw new Error(`cannot measure similarity: the base is "${exp.base.kind}", not another experiment's run; name the source experiment (--source)`);
  const swept = sweepExperiment(exp);
  const base = await loadBase(swept, ctx);
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  const { experiment: source } = await loadExperiment(sourceFile);
  const sourceData: LoadedData = await loadData(source.data, { inputShape: base.inputShape, seed: source.training.seed });
  const classes = data.classNames.length;
  const net = buildNetwork(swept, base, classes);
  try {
    const perClass = classCounts(data.train, classes);
    const median = medianOf(perClass);
    const cutIndex = net.baseOps - 1;
    const layer = net.baseLayers[cutIndex]!;
    opts.log?.(`target: ${data.train.count} labelled examples, median ${median} per class; measuring similarity at "${layer}"`);
    const similarity = measureSimilarity(
      net.graph,
      { index: cutIndex, key: net.graph.ops[cutIndex]!.outputs[0]! },
      poolOf(sourceData.train, sourceData.validation, sourceData.test),
      poolOf(data.train, data.validation, data.test),
      { seed: exp.training.seed, maxFeatures: exp.transfer.sweep.maxFeatures },
    );
    let layers: AdvisorReport['layers'];
    let specificityGap: number | undefined;
    let earlierLayer: string | undefined;
    if (data.validation.count > 0) {
      const candidates = cutPoints(net.graph, cutIndex + 1).map((c) => c.name);
      opts.log?.(`linear heads on ${candidates.length} cut layers (the task part of similarity)`);
      const sw = swept.transfer.sweep;
      const sweepExp: ResolvedExperiment = {
        ...swept,
        transfer: { ...swept.transfer, sweep: { ...sw, includeInput: false, layers: { names: candidates }, maxExamples: Math.min(sw.maxExamples, SWEEP_EXAMPLES) } },
      };
      const r = layerSweep(sweepExp, net, { classes, train: data.train, validation: data.validation }, base.source);
      layers = r.layers.map((l) => ({ layer: l.layer, features: l.features, trainAccuracy: l.trainAccuracy, ...(l.valAccuracy !== undefined ? { valAccuracy: l.valAccuracy } : {}) }));
      const last = r.layers.find((l) => l.layer === layer);
      const earlier = bestLayer(r.layers.filter((l) => l.layer !== layer));
      const best = r.layers.find((l) => l.layer === earlier);
      earlierLayer = earlier;
      if (last?.valAccuracy !== undefined && best?.valAccuracy !== undefined) specificityGap = best.valAccuracy - last.valAccuracy;
    }
    const { small, similar } = verdicts(median, similarity.domainAccuracy, specificityGap, thresholds);
    const rule = ruleFor(small, similar);
    return {
      version: 1,
      experiment: exp.name,
      experimentFile: exp.file,
      baseSource: base.source,
      sourceExperiment: sourceFile,
      sourceExamples: sourceData.train.count + sourceData.validation.count + (sourceData.test?.count ?? 0),
      target: { classes: data.classNames, labelledPerClass: perClass, medianPerClass: median, examples: data.train.count + data.validation.count + (data.test?.count ?? 0) },
      layer,
      similarity,
      thresholds,
      verdict: { small, similar, rule, advice: RULE_TEXT[rule] },
      ...(layers ? { layers } : {}),
      ...(specificityGap !== undefined ? { specificityGap } : {}),
      ...(earlierLayer !== undefined ? { earlierLayer } : {}),
      edits: editsFor(rule, earlierLayer),
    };
  } finally {
    net.model.dispose();
  }
}
