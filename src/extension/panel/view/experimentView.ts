/**
 * Builds what the panel shows about an experiment file (`ExperimentView`) from the core checks of its
 * text: the layer table (role, frozen per stage, layer group), stages, layer groups, the
 * learning-rate settings and the preview. When the text does not pass the schema, the view of the last
 * valid text is kept and marked invalid, with the current problems. Pure: no `vscode`, no file system.
 */
import * as path from 'node:path';
import type { ResolvedExperiment } from '../../../core/experiment/types.js';
import { percent } from '../../../core/format.js';
import { cutIndex } from '../../../core/models/cut.js';
import type { TextReport } from '../../../core/text/coverage.js';
import type { LayerInfo } from '../../../core/models/topology.js';
import type { ExperimentDetail, ExperimentView, LayerRow, ProblemView } from '../../../protocol/webview.js';
import { freezeLock, groupOfLayers, stagesWritten } from '../edits/experimentEdits.js';
import { selectedSet } from '../edits/selectors.js';
import { previewRates, type StepsEstimate } from './lrPreview.js';

/** A valid experiment and its layers: what the view is built from. */
export interface ExperimentSnapshot {
  text: string;
  experiment: ResolvedExperiment;
  layers?: LayerInfo[];
  /** A text base's vectors and documents as read (coverage): the report, why it failed, or undefined while it is read. */
  coverage?: TextReport | { error: string };
}

/**
 * Index of the cut layer: `transfer.cutLayer` when it names a layer, else the engine's default cut
 * (`models/cut.ts`: the old classifier, or a trailing nested old head, is dropped).
 */
export function cutIndexOf(exp: ResolvedExperiment, layers: readonly LayerInfo[]): number {
  const cut = exp.transfer.cutLayer;
  const known = cut !== undefined && layers.some((l) => l.name === cut);
  return cutIndex(layers, known ? cut : undefined);
}

/** The base's layer names (the first layer up to and including the cut layer). */
export function baseLayerNames(exp: ResolvedExperiment, layers: readonly LayerInfo[] | undefined): string[] {
  if (!layers) return [];
  return layers.slice(0, Math.max(0, cutIndexOf(exp, layers) + 1)).map((l) => l.name);
}

/** `[null, 7, 7, 1280]` → `7×7×1280`. */
export function shapeText(shape: readonly (number | null)[] | undefined): string {
  if (!shape) return '';
  return shape
    .slice(1)
    .map((d) => (d === null ? '?' : String(d)))
    .join('×');
}

/** Why a base has no layer list, for the panel. */
function layersNote(exp: ResolvedExperiment): string {
  const b = exp.base;
  switch (b.kind) {
    case 'url':
      return 'The layers of a model served over http(s) are read when a run loads it; the panel does not fetch it.';
    case 'run':
      return `No completed run of ${path.basename(b.experiment)} with a "${b.checkpoint}" checkpoint yet: run that experiment first to see its layers.`;
    case 'model':
      return `Cannot read the layers of ${b.path}.`;
    default:
      return `No layer table for the base "${b.kind}".`;
  }
}

function baseText(exp: ResolvedExperiment): string {
  const b = exp.base;
  switch (b.kind) {
    case 'builtin':
      return `built-in ${b.architecture}`;
    case 'model':
      return `model ${path.basename(path.dirname(b.path))}/${path.basename(b.path)}`;
    case 'wordVectors':
      return `word vectors ${b.vectors === 'glove-100d' ? b.vectors : path.basename(b.vectors)}, ${b.encoder} encoder`;
    case 'url':
      return `model at ${b.url}`;
    case 'run':
      return `${b.checkpoint} checkpoint of ${path.basename(b.experiment)}`;
    default:
      return 'base';
  }
}

/**
 * What a transductive or unsupervised experiment does, for the panel's header (the strategy alone
 * would mislead: an unsupervised run trains nothing, a transductive one adapts after training);
 * undefined for inductive experiments.
 * @param cutLayer the cut layer in effect, when the layers are known.
 */
export function transferMethod(exp: ResolvedExperiment, cutLayer: string | undefined): string | undefined {
  const t = exp.transfer;
  if (t.kind === 'unsupervised') return `PCA + k-means on ${cutLayer ?? t.cutLayer ?? 'cut-layer'} features`;
  if (t.kind === 'transductive') {
    const steps = [t.transductive?.adaBN ? 'AdaBN' : undefined, (t.transductive?.selfTraining.rounds ?? 0) > 0 ? 'self-training' : undefined].filter(Boolean);
    return steps.length ? steps.join(' + ') : 'source training only (AdaBN and self-training off)';
  }
  return undefined;
}

/**
 * What the embedding row of a text base says: the vocabulary size (from the layer list) and the
 * coverage of each data part (from the documents, once read).
 */
export function embeddingNote(layer: LayerInfo, text: ExperimentSnapshot['coverage']): string {
  const dim = layer.outputShape?.[2] ?? 0;
  const rows = dim ? Math.round(layer.params / dim) : 0;
  const vocabulary = `vocabulary ${(rows - 2).toLocaleString('en-US')} words + padding + OOV = ${rows.toLocaleString('en-US')} rows`;
  if (!text) return `${vocabulary}; coverage: reading the documents…`;
  if ('error' in text) return `${vocabulary}; coverage unknown: ${text.error}`;
  const parts = text.parts.map(
    ([role, s]) =>
      `${role} ${percent(s.tokens ? s.tokensFound / s.tokens : 0)} of tokens, ${percent(s.types ? s.typesFound / s.types : 0)} of types ` +
      `(${(s.types - s.typesFound).toLocaleString('en-US')} OOV types)`,
  );
  return `${vocabulary}; coverage: ${parts.length ? parts.join('; ') : 'no documents'}`;
}

/**
 * The layer table of a valid experiment.
 * @param text a text base's report, for the embedding row's note (vocabulary and coverage).
 */
export function layerRows(exp: ResolvedExperiment, layers: readonly LayerInfo[], text?: ExperimentSnapshot['coverage']): LayerRow[] {
  const cut = cutIndexOf(exp, layers);
  const base = layers.slice(0, Math.max(0, cut + 1)).map((l) => l.name);
  const frozenSets = exp.transfer.stages.map((st) =>
    exp.transfer.strategy === 'scratch' ? new Set<string>() : (selectedSet(st.freeze, base) ?? new Set<string>()),
  );
  const groups = groupOfLayers(exp.learningRate.layerGroups, base);
  return layers.map((l, i) => ({
    name: l.name,
    className: l.className,
    index: l.index,
    outputShape: shapeText(l.outputShape),
    params: l.params,
    isBatchNorm: l.isBatchNorm,
    role: i < cut ? 'base' : i === cut ? 'cut' : 'dropped',
    frozen: i <= cut ? frozenSets.map((s) => s.has(l.name)) : [],
    group: i <= cut ? (groups.get(l.name) ?? null) : null,
    ...(exp.base.kind === 'wordVectors' && l.className === 'Embedding' ? { note: embeddingNote(l, text) } : {}),
  }));
}

/**
 * The panel's view of an experiment.
 * @param file absolute path of the experiment file.
 * @param problems the core checks' problems of the current text.
 * @param snapshot the current text's experiment when valid, else the last valid one (or undefined).
 * @param valid whether the current text passed the schema.
 * @param steps steps per epoch for the preview.
 */
export function experimentView(
  file: string,
  problems: readonly Pick<ProblemView, 'severity' | 'message' | 'path' | 'line'>[],
  snapshot: ExperimentSnapshot | undefined,
  valid: boolean,
  steps: (exp: ResolvedExperiment) => StepsEstimate,
): ExperimentView {
  const name = snapshot?.experiment.name ?? path.basename(file).replace(/\.transfer\.json$/i, '');
  return {
    file,
    fileName: path.basename(file),
    name,
    valid,
    problems: problems.map((p) => ({ severity: p.severity, message: p.message, path: p.path, line: p.line })),
    ...(snapshot ? { detail: experimentDetail(snapshot, steps) } : {}),
  };
}

/** The settings part of the view, from a valid text. */
export function experimentDetail(snapshot: ExperimentSnapshot, steps: (exp: ResolvedExperiment) => StepsEstimate): ExperimentDetail {
  const exp = snapshot.experiment;
  const base = baseLayerNames(exp, snapshot.layers);
  const counts = new Map<string, number>();
  for (const g of groupOfLayers(exp.learningRate.layerGroups, base).values()) counts.set(g, (counts.get(g) ?? 0) + 1);
  const rows = snapshot.layers ? layerRows(exp, snapshot.layers, snapshot.coverage) : [];
  const cut = rows.find((r) => r.role === 'cut');
  const method = transferMethod(exp, cut?.name);
  return {
    kind: exp.transfer.kind,
    ...(method ? { method } : {}),
    strategy: exp.transfer.strategy,
    base: baseText(exp),
    ...(snapshot.layers ? {} : { layersNote: layersNote(exp) }),
    layers: rows,
    ...(cut ? { cutLayer: cut.name } : {}),
    cutExplicit: exp.transfer.cutLayer !== undefined,
    stages: exp.transfer.stages.map((st, i) => {
      const lock = snapshot.layers ? freezeLock(exp, base, i) : 'the layers are unknown';
      return { name: st.name, epochs: st.epochs, learningRate: st.learningRate, ...(lock ? { freezeLocked: lock } : {}) };
    }),
    stagesWritten: stagesWritten(snapshot.text),
    groups: exp.learningRate.layerGroups.map((g) => ({ name: g.name, multiplier: g.multiplier, layerCount: counts.get(g.name) ?? 0 })),
    learningRate: {
      base: exp.learningRate.base,
      baseMultiplier: exp.learningRate.baseMultiplier,
      schedule: exp.learningRate.schedule,
      warmup: exp.learningRate.warmup,
    },
    batchSize: exp.training.batchSize,
    preview: previewRates(exp, steps(exp)),
  };
}
