/**
 * A comparison of runs (of one experiment or several) for the panel: each run's epoch curves (from its
 * `metrics.jsonl`), best epoch and test accuracy (from its `summary.json`), its name and tags (from its
 * `meta.json`), and the settings that differ between their `config.json` snapshots. No `vscode`; reads
 * through the core run store.
 */
import type { EpochEvent } from '../../../core/runs/events.js';
import { readRunMetaSafe } from '../../../core/runs/meta.js';
import { readConfig, readMetrics, readSummary } from '../../../core/runs/store.js';
import type { ComparedRun, ComparisonView } from '../../../protocol/webview.js';
import { settingsDiff } from './settingsDiff.js';

/** One run folder to compare. */
export interface RunRef {
  runId: string;
  runDir: string;
  /** Experiment folder name. */
  experiment: string;
}

/** Reads the runs and builds the comparison (runs in the given order). */
export function compareRunFolders(runs: readonly RunRef[]): ComparisonView {
  const compared: ComparedRun[] = runs.map((r) => {
    const s = readSummary(r.runDir);
    const epochs = readMetrics(r.runDir).filter((e): e is EpochEvent => e.kind === 'epoch');
    const { meta } = readRunMetaSafe(r.runDir);
    return {
      runId: s?.runId ?? r.runId,
      runDir: r.runDir,
      experiment: s?.experiment ?? r.experiment,
      ...(meta.name ? { name: meta.name } : {}),
      ...(meta.tags?.length ? { tags: meta.tags } : {}),
      status: s?.status ?? 'interrupted',
      ...(s?.bestEpoch !== undefined ? { bestEpoch: s.bestEpoch } : {}),
      ...(s?.best?.valAccuracy !== undefined ? { bestValAccuracy: s.best.valAccuracy } : {}),
      ...(s?.best?.valLoss !== undefined ? { bestValLoss: s.best.valLoss } : {}),
      ...(s?.test ? { testAccuracy: s.test.accuracy } : {}),
      epochs: epochs.map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        trainAccuracy: e.trainAccuracy,
        ...(e.valLoss !== undefined ? { valLoss: e.valLoss } : {}),
        ...(e.valAccuracy !== undefined ? { valAccuracy: e.valAccuracy } : {}),
      })),
    };
  });
  return { runs: compared, differences: settingsDiff(runs.map((r) => readConfig(r.runDir) ?? {})) };
}
