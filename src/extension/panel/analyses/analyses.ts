/**
 * What the panel's analysis views show: for each result file (`core/runs/artifacts.ts`) the newest run
 * of the experiment that wrote it — or the shown run, when it wrote one — read from the run store, and
 * whether the advisor's edit is already in the experiment text. Result files are written once and never
 * change, so each is read once per run folder and cached. No `vscode` import: plain files in, view out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdvisorReport } from '../../../core/advisor/advise.js';
import type { PointerEdit } from '../../../core/experiment/edits.js';
import { parsePointer } from '../../../core/experiment/locate.js';
import {
  ARTIFACT_FILES,
  type ArtifactName,
  type ClustersFile,
  type EmbeddingFile,
  type EvaluationFile,
  type GaborMatchFile,
  type LayerSweepFile,
  type TransductiveFile,
} from '../../../core/runs/artifacts.js';
import type { AnalysesView, AnalysisResult, EmbeddingPoints } from '../../../protocol/webview.js';
import type { RunRecord } from '../../runs/runRecords.js';
import { getJsonValue } from '../../../core/experiment/json-text.js';

/** Most scatter points sent to the page (an even sample of the embedding beyond this). */
export const MAX_SCATTER_POINTS = 4000;

/** Content of each artifact, by name. */
interface ArtifactTypes {
  advice: AdvisorReport;
  layerSweep: LayerSweepFile;
  clusters: ClustersFile;
  embedding: EmbeddingFile;
  gaborMatch: GaborMatchFile;
  transductive: TransductiveFile;
  evaluation: EvaluationFile;
}

/** Reads result files of run folders, each once (they are written once, atomically). */
export class ArtifactCache {
  private readonly files = new Map<string, unknown>();

  /** The artifact `name` of a run folder, or undefined when the run has none (or it cannot be read). */
  read<K extends ArtifactName>(run: RunRecord, name: K): ArtifactTypes[K] | undefined {
    if (!run.summary?.artifacts?.[name]) return undefined;
    const file = path.join(run.runDir, ARTIFACT_FILES[name]);
    if (this.files.has(file)) return this.files.get(file) as ArtifactTypes[K];
    let value: ArtifactTypes[K] | undefined;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8')) as ArtifactTypes[K];
    } catch {
      return undefined; // deleted meanwhile, or not yet renamed into place: try again next time
    }
    this.files.set(file, value);
    return value;
  }

  /** Forgets files of run folders that are gone. */
  prune(runs: readonly RunRecord[]): void {
    const dirs = new Set(runs.map((r) => r.runDir));
    for (const f of this.files.keys()) if (!dirs.has(path.dirname(f))) this.files.delete(f);
  }
}

/** True when the experiment text already holds every edit (a removal: the property is absent). */
export function editsInEffect(text: string, edits: readonly PointerEdit[]): boolean {
  return edits.every((e) => JSON.stringify(getJsonValue(text, parsePointer(e.pointer))) === JSON.stringify(e.value));
}

/** The embedding without ids, evenly sampled down to `max` points. */
export function scatterPoints(e: EmbeddingFile, max = MAX_SCATTER_POINTS): EmbeddingPoints {
  const n = e.x.length;
  const step = n > max ? n / max : 1;
  const idx = step === 1 ? [...Array(n).keys()] : Array.from({ length: max }, (_, i) => Math.floor(i * step));
  const pick = <T>(a: readonly T[] | undefined) => (a ? idx.map((i) => a[i]!) : undefined);
  const label = pick(e.label);
  const rawCluster = pick(e.rawCluster);
  return {
    version: e.version,
    x: pick(e.x)!,
    y: pick(e.y)!,
    cluster: pick(e.cluster)!,
    ...(label ? { label } : {}),
    ...(e.classNames ? { classNames: e.classNames } : {}),
    ...(rawCluster ? { rawCluster } : {}),
    total: n,
  };
}

/**
 * The analyses of an experiment's runs.
 * @param runs the experiment's runs, newest first.
 * @param shownRunId the run the panel shows (its results win over newer runs').
 * @param text the experiment file's current text (for {@link AnalysesView.advice}'s `inEffect`).
 * @param thumbnail the webview URI of an evaluation example's image file (null: not shown)
 */
export function collectAnalyses(
  runs: readonly RunRecord[],
  shownRunId: string | undefined,
  text: string | undefined,
  cache: ArtifactCache,
  thumbnail: (file: string, run: RunRecord) => string | null = () => null,
): AnalysesView {
  const shown = runs.find((r) => r.runId === shownRunId);
  const order = shown ? [shown, ...runs.filter((r) => r !== shown)] : runs;
  const find = <K extends ArtifactName>(name: K): { run: RunRecord; value: ArtifactTypes[K] } | undefined => {
    for (const run of order) {
      const value = cache.read(run, name);
      if (value !== undefined) return { run, value };
    }
    return undefined;
  };
  const result = <T>(got: { run: RunRecord; value: T } | undefined): AnalysisResult<T> | undefined =>
    got ? { runId: got.run.runId, startedAt: got.run.summary?.startedAt ?? '', value: got.value } : undefined;

  const view: AnalysesView = {};
  const advice = result(find('advice'));
  if (advice) view.advice = { ...advice, inEffect: text !== undefined && editsInEffect(text, advice.value.edits) };
  const sweep = result(find('layerSweep'));
  if (sweep) view.layerSweep = sweep;
  const clusters = find('clusters');
  if (clusters) {
    const embedding = cache.read(clusters.run, 'embedding');
    view.clusters = { ...result(clusters)!, ...(embedding ? { embedding: scatterPoints(embedding) } : {}) };
  }
  const gabor = result(find('gaborMatch'));
  if (gabor) view.gaborMatch = gabor;
  const transductive = result(find('transductive'));
  if (transductive) view.transductive = transductive;
  const evaluation = find('evaluation');
  if (evaluation)
    view.evaluation = { ...result(evaluation)!, thumbnails: evaluation.value.mistakes.map((m) => (m.path ? thumbnail(m.path, evaluation.run) : null)) };
  return view;
}

/** A short key of what an analyses view shows (which run each result is from, and the advice state): equal keys, nothing to resend. */
export function analysesKey(v: AnalysesView): string {
  return JSON.stringify([
    v.advice?.runId,
    v.advice?.inEffect,
    v.layerSweep?.runId,
    v.clusters?.runId,
    v.gaborMatch?.runId,
    v.transductive?.runId,
    v.evaluation?.runId,
  ]);
}
