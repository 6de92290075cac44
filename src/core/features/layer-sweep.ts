/**
 * The earlier-layer sweep: for each candidate cut layer of a pretrained base, the frozen features
 * of the training examples train a linear softmax head (`linear-probe.ts`) that is scored on the
 * validation examples. The layer with the best validation accuracy is the suggested `cutLayer`
 * (Yosinski et al. 2014, "How transferable are features in deep neural networks?", measure the same
 * trade-off between general early features and specific late ones).
 *
 * The base is used as pretrained, whatever the experiment's strategy (a `scratch` strategy would
 * re-initialise it), and up to the layer before its last (its old classifier) whatever `cutLayer` is.
 */
import { classCounts, type ExampleSet } from '../data/index.js';
import { selectLayers } from '../experiment/layer-selector.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Network } from '../models/network.js';
import type { LayerSweepEntry, LayerSweepFile } from '../runs/artifacts.js';
import type { SweepEvent } from '../runs/events.js';
import { cutPoints, extractFeatures, type CutPoint } from './extract.js';
import type { FeatureDiskCache } from './disk-cache.js';
import { fitLinearProbe, type LabelledFeatures } from './linear-probe.js';

/** The experiment to build the sweep's network from: the pretrained base, cut at its default layer. */
export function sweepExperiment(exp: ResolvedExperiment): ResolvedExperiment {
  const transfer = { ...exp.transfer, strategy: 'featureExtraction' as const };
  delete transfer.cutLayer;
  return { ...exp, transfer };
}

/**
 * Indices of at most `max` examples of `set`, as evenly over classes as possible: at most ⌈max / K⌉ of
 * each class, the first ones in set order (so nested for growing `max`).
 */
export function capExamples(set: ExampleSet, classes: number, max: number): number[] {
  if (set.count <= max) return Array.from({ length: set.count }, (_, i) => i);
  const counts = classCounts(set, classes);
  const present = counts.filter((c) => c > 0).length;
  const per = Math.ceil(max / Math.max(1, present));
  const taken = new Array<number>(classes).fill(0);
  const out: number[] = [];
  for (let i = 0; i < set.count && out.length < max; i++) {
    const l = set.labels[i]!;
    if (taken[l]! < per) {
      taken[l]!++;
      out.push(i);
    }
  }
  return out;
}

/**
 * The candidates of a sweep: valid cut points of the base (filtered by `layers` when given), input first
 * when asked. A text base (token ids in: a 1-D input) offers only layers with one vector per document (`[batch, features]`): its
 * token ids, embedding and Conv1D outputs are sequences, not document features.
 */
export function sweepCandidates(exp: ResolvedExperiment, net: Network): CutPoint[] {
  const s = exp.transfer.sweep;
  const all = cutPoints(net.graph, net.baseOps, s.includeInput);
  const points =
    net.inputShape.length === 1 ? all.filter((p) => p.index >= 0 && (net.graph.ops[p.index]!.layer.outputShape as (number | null)[]).length === 2) : all;
  if (!s.layers) return points;
  const chosen = selectLayers(s.layers, net.baseLayers);
  return points.filter((p) => p.index < 0 || chosen.has(p.name));
}

/** Sets the sweep reads. */
export interface SweepData {
  classes: number;
  train: ExampleSet;
  validation: ExampleSet;
  test?: ExampleSet;
}

/**
 * Runs the sweep. `net` must be built from {@link sweepExperiment}(exp).
 * @param onLayer called after each layer (events, stop checks); return true to stop early.
 * @returns the `layer-sweep.json` content (the layers scored so far when stopped).
 */
export function layerSweep(
  exp: ResolvedExperiment,
  net: Network,
  data: SweepData,
  baseSource: string,
  onLayer: (e: SweepEvent) => boolean = () => false,
  cache?: FeatureDiskCache,
): LayerSweepFile {
  const s = exp.transfer.sweep;
  const k = data.classes;
  const pick = (set: ExampleSet | undefined) => (set && set.count > 0 ? capExamples(set, k, s.maxExamples) : []);
  const trainIdx = pick(data.train);
  const valIdx = pick(data.validation);
  const testIdx = pick(data.test);
  const labels = (set: ExampleSet, idx: number[]) => Int32Array.from(idx, (i) => set.labels[i]!);
  const layers: LayerSweepEntry[] = [];
  for (const cut of sweepCandidates(exp, net)) {
    const t0 = performance.now();
    const feats = (set: ExampleSet, idx: number[]): LabelledFeatures => {
      const f = extractFeatures(net.graph, cut, set, { indices: idx, maxFeatures: s.maxFeatures, ...(cache ? { cache } : {}) });
      return { x: f.data, y: labels(set, idx), dim: f.dim };
    };
    const probe = extractFeatures(net.graph, cut, data.train, { indices: trainIdx.slice(0, 1), maxFeatures: s.maxFeatures });
    const train = feats(data.train, trainIdx);
    const evalSets = [valIdx.length ? feats(data.validation, valIdx) : undefined, testIdx.length && data.test ? feats(data.test, testIdx) : undefined];
    const r = fitLinearProbe(
      train,
      { classes: k, iterations: s.iterations, learningRate: s.learningRate, l2: s.l2 },
      evalSets.filter((e): e is LabelledFeatures => !!e),
    );
    const val = evalSets[0] ? r.evaluations[0] : undefined;
    const test = evalSets[1] ? r.evaluations[evalSets[0] ? 1 : 0] : undefined;
    const entry: LayerSweepEntry = {
      layer: cut.name,
      index: cut.index,
      className: cut.className,
      featureShape: probe.shape,
      features: probe.dim,
      pool: probe.pool,
      trainAccuracy: r.trainAccuracy,
      ...(val ? { valAccuracy: val.accuracy, valLoss: val.loss } : {}),
      ...(test ? { testAccuracy: test.accuracy } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
    layers.push(entry);
    const stop = onLayer({
      kind: 'sweep',
      layer: entry.layer,
      index: entry.index,
      features: entry.features,
      trainAccuracy: entry.trainAccuracy,
      ...(entry.valAccuracy !== undefined ? { valAccuracy: entry.valAccuracy } : {}),
      ...(entry.testAccuracy !== undefined ? { testAccuracy: entry.testAccuracy } : {}),
    });
    if (stop) break;
  }
  const best = bestLayer(layers);
  const names = net.baseLayers;
  return {
    version: 1,
    experiment: exp.name,
    baseSource,
    currentCutLayer: exp.transfer.cutLayer ?? names[names.length - 1] ?? '',
    layers,
    ...(best ? { best, ...(best !== 'input' ? { edit: { pointer: '/transfer/cutLayer' as const, value: best } } : {}) } : {}),
    settings: { iterations: s.iterations, learningRate: s.learningRate, l2: s.l2, maxFeatures: s.maxFeatures, maxExamples: s.maxExamples },
    examples: { train: trainIdx.length, validation: valIdx.length, test: testIdx.length },
    classes: k,
  };
}

/** Highest validation accuracy; ties go to fewer features, then to the earlier layer. Undefined without validation scores. */
export function bestLayer(layers: readonly LayerSweepEntry[]): string | undefined {
  let best: LayerSweepEntry | undefined;
  for (const l of layers) {
    if (l.valAccuracy === undefined) continue;
    if (!best || l.valAccuracy > best.valAccuracy! || (l.valAccuracy === best.valAccuracy && l.features < best.features)) best = l;
  }
  return best?.layer;
}
