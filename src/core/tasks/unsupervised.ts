/**
 * An unsupervised-transfer run (`transfer.kind: "unsupervised"`): the pretrained base's cut-layer
 * features of a seeded sample of the loaded examples → PCA → k-means (`cluster.ts`); the same PCA
 * and k-means with the same k on the raw pixels as the baseline — for documents, on their TF-IDF
 * vectors (`text/tfidf.ts`: the word counts a text base's pooled vectors are compared against). Labels are read only afterwards,
 * to score both clusterings (NMI, ARI). Writes `clusters.json` and `embedding.json`
 * (`runs/artifacts.ts`). Recorded as an analysis run (`analysis.ts`); the clustering itself is in
 * `core/unsupervised/`.
 */
import type { ExampleSet, LoadedData } from '../data/index.js';
import { deriveSeed, Rng, shuffle } from '../data/rng.js';
import { extractFeatures } from '../features/extract.js';
import type { FeatureDiskCache } from '../features/disk-cache.js';
import type { Network } from '../models/network.js';
import type { ClustersFile, EmbeddingFile } from '../runs/artifacts.js';
import type { RunRecorder } from './recorder.js';
import { clusteringResult, clusterRows } from '../unsupervised/cluster.js';
import { documentTexts } from '../text/encode.js';
import { tfidfRows } from '../text/tfidf.js';

/** Every loaded example (train, validation, test), as (set, index) pairs. */
function allExamples(data: LoadedData): { set: ExampleSet; index: number }[] {
  const out: { set: ExampleSet; index: number }[] = [];
  for (const set of [data.train, data.validation, data.test]) if (set) for (let i = 0; i < set.count; i++) out.push({ set, index: i });
  return out;
}

/** Rows of `pick` computed per set by `rows(set, indices)` and put back in `pick` order. */
function gatherRows(
  pick: { set: ExampleSet; index: number }[],
  rows: (set: ExampleSet, idx: number[]) => { data: Float32Array; dim: number },
): { x: Float32Array; dim: number } {
  const bySet = new Map<ExampleSet, number[]>();
  pick.forEach((p, k) => bySet.set(p.set, [...(bySet.get(p.set) ?? []), k]));
  let x: Float32Array | undefined;
  let dim = 0;
  for (const [set, ks] of bySet) {
    const r = rows(
      set,
      ks.map((k) => pick[k]!.index),
    );
    dim = r.dim;
    x ??= new Float32Array(pick.length * dim);
    ks.forEach((k, j) => x!.set(r.data.subarray(j * dim, (j + 1) * dim), k * dim));
  }
  return { x: x ?? new Float32Array(0), dim };
}

/** Runs the clustering of an unsupervised experiment in an analysis run, reading and filling `cache` for the base's features. */
export async function runUnsupervised(ctx: RunRecorder, net: Network, data: LoadedData, cache?: FeatureDiskCache): Promise<void> {
  const u = ctx.exp.transfer.unsupervised!;
  const seed = ctx.exp.training.seed;
  const t0 = performance.now();
  const pick = shuffle(allExamples(data), new Rng(deriveSeed(seed, 'unsupervised'))).slice(0, u.maxExamples);
  const n = pick.length;
  const cutIndex = net.baseOps - 1;
  const cut = { index: cutIndex, key: net.graph.ops[cutIndex]!.outputs[0]! };
  const layer = net.baseLayers[cutIndex]!;
  ctx.summary.examples = { train: n, validation: 0, test: 0 };
  ctx.emit({
    kind: 'log',
    level: 'info',
    message: `clustering ${n} examples: features at "${layer}" (${net.featureShape.join('×')}) → PCA ${u.components} → k-means`,
  });

  const feats = gatherRows(pick, (set, idx) => extractFeatures(net.graph, cut, set, { indices: idx, ...(cache ? { cache } : {}) }));
  const opts = { components: u.components, kRange: u.kRange, seed, ...(u.clusters !== undefined ? { k: u.clusters } : {}) };
  const fc = clusterRows(feats.x, n, feats.dim, opts);
  const labels = Int32Array.from(pick, (p) => p.set.labels[p.index]!);
  const features = clusteringResult(fc, 'features', feats.dim, labels, layer);
  ctx.emit({
    kind: 'log',
    level: 'info',
    message: `features: k = ${fc.k}, silhouette ${fc.silhouette.toFixed(3)}, NMI ${features.scores.nmi?.toFixed(3)}, ARI ${features.scores.ari?.toFixed(3)}`,
  });

  let raw: ClustersFile['raw'];
  let rawAssignments: number[] | undefined;
  // Documents: the baseline is their TF-IDF vectors (token ids are no pixels).
  const texts = pick.map((p) => documentTexts(p.set)?.(p.index));
  const documents = texts.every((t) => t !== undefined);
  const baseline = documents ? 'TF-IDF' : 'raw pixels';
  if (u.compareRaw && !ctx.shouldStop()) {
    let px: { x: Float32Array; dim: number };
    if (documents) {
      const t = tfidfRows(texts as string[]);
      px = { x: t.x, dim: t.terms.length };
    } else {
      px = gatherRows(pick, (set, idx) => ({ data: set.gather(idx), dim: set.shape.reduce((a, b) => a * b, 1) }));
    }
    const rc = clusterRows(px.x, n, px.dim, opts, fc.k);
    raw = clusteringResult(rc, documents ? 'tfidf' : 'raw', px.dim, labels);
    rawAssignments = rc.assignments;
    ctx.emit({
      kind: 'log',
      level: 'info',
      message: `${baseline} (${px.dim} d): k = ${rc.k}, silhouette ${rc.silhouette.toFixed(3)}, NMI ${raw.scores.nmi?.toFixed(3)}, ARI ${raw.scores.ari?.toFixed(3)}`,
    });
  }
  const classNames = data.classNames;
  const clusters: ClustersFile = {
    version: 1,
    experiment: ctx.exp.name,
    examples: n,
    labelled: true,
    classNames,
    features,
    ...(raw ? { raw } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
  const r4 = (v: number) => +v.toFixed(4);
  const embedding: EmbeddingFile = {
    version: 1,
    ids: pick.map((p) => p.set.id(p.index)),
    x: Array.from({ length: n }, (_, i) => r4(fc.scores[i * fc.components]!)),
    y: Array.from({ length: n }, (_, i) => r4(fc.components > 1 ? fc.scores[i * fc.components + 1]! : 0)),
    cluster: fc.assignments,
    label: Array.from(labels),
    classNames,
    ...(rawAssignments ? { rawCluster: rawAssignments } : {}),
  };
  ctx.writeArtifact('clusters', clusters);
  ctx.writeArtifact('embedding', embedding);
  ctx.result('k', fc.k);
  if (features.scores.nmi !== undefined) ctx.result('NMI features', features.scores.nmi);
  if (raw?.scores.nmi !== undefined) ctx.result(`NMI ${baseline}`, raw.scores.nmi);
  if (features.scores.ari !== undefined) ctx.result('ARI features', features.scores.ari);
  if (raw?.scores.ari !== undefined) ctx.result(`ARI ${baseline}`, raw.scores.ari);
  ctx.result('silhouette features', fc.silhouette);
}
