/**
 * The run side of one experiment panel: which run the charts show (picked, training now, or the
 * newest training run), the runs view, the shown run's metrics followed through the run store and
 * batched to at most ~10 posts a second, the comparison of picked runs, and the analysis views
 * (advice, layer sweep, clusters, Gabor match, transductive accuracies) read from the runs' result
 * files. It posts through the panel; the panel routes the page's messages here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { phaseText } from '../../core/progress.js';
import type { AdvisorReport } from '../../core/advisor/advise.js';
import { experimentDirName } from '../../core/runs/store.js';
import type { RunSummary } from '../../core/runs/events.js';
import type { AnalysesView, ComparisonView, HostToWebviewMessages, RunMetrics, RunsView } from '../../protocol/webview.js';
import { readSettings } from '../config.js';
import type { ActiveRun, RunManager } from '../runs/runManager.js';
import { isTrainingRun, listExperimentRuns, type RunRecord } from '../runs/runRecords.js';
import { ArtifactCache, analysesKey, collectAnalyses } from './analyses/analyses.js';
import { openEvaluationExample } from './analyses/openExample.js';
import { Batcher } from './metrics/batcher.js';
import { compareRunFolders } from './metrics/runComparison.js';
import { RunFollower } from './metrics/runFollower.js';

/** What run following needs from its panel. */
export interface RunFollowingHost {
  /** Posts a message when the page is there to receive it. */
  post<K extends keyof HostToWebviewMessages>(type: K, payload: HostToWebviewMessages[K]): void;
  /** True once the current page said `ready`. */
  pageReady(): boolean;
  /** The runs root of the experiment's workspace folder. */
  runsRoot(): string;
  /** The experiment's name (its runs folder), from the last valid text or the file name. */
  experimentName(): string;
  /** The file's text at the last check (the advice view says whether its edit is in effect). */
  text(): string | undefined;
  /** The webview URI of an evaluation example's image (`file`, of the run in `runDir`); null when not served. */
  thumbnail(file: string, runDir: string): string | null;
}

/** The runs and analyses of one panel. */
export class RunFollowing implements vscode.Disposable {
  /** Run picked by the user; undefined: follow the newest training run. */
  private pinnedRunId: string | undefined;
  private follower: RunFollower | undefined;
  private runsList: RunRecord[] = [];
  private runsSignature = '';
  private compareIds: string[];
  private comparison: ComparisonView | null = null;
  private readonly metricsBatch = new Batcher(() => this.flushMetrics());
  private readonly artifacts = new ArtifactCache();
  /** {@link analysesKey} of the analyses the page has. */
  private analysesSent = '';

  private readonly file: string;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly runs: RunManager,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: RunFollowingHost,
    persisted: { runId?: string; compare?: string[] } = {},
  ) {
    this.file = uri.fsPath;
    this.pinnedRunId = persisted.runId;
    this.compareIds = persisted.compare ?? [];
  }

  /** The experiment's runs as last listed (newest first). */
  get list(): readonly RunRecord[] {
    return this.runsList;
  }

  /** Summaries of the listed runs (for the rate preview's steps per epoch). */
  summaries(): RunSummary[] {
    return this.runsList.flatMap((r) => (r.summary ? [r.summary] : []));
  }

  private activeRun(): ActiveRun | undefined {
    return this.runs.forExperiment(this.file);
  }

  /** Re-reads the experiment's runs from the store. */
  refresh(): void {
    try {
      this.runsList = listExperimentRuns(this.host.runsRoot(), this.host.experimentName());
    } catch (e) {
      this.log.warn(`Panel: cannot list the runs of ${this.file}: ${(e as Error).message}`);
      this.runsList = [];
    }
  }

  /**
   * The run whose metrics are shown: the picked one, else the one training, else the newest training
   * run. Analysis runs (advise, layer sweep, Gabor match) have no epochs: they feed only the analysis
   * views, and the Training view keeps showing the last training run while one runs or after it.
   */
  private shownRun(): { runId: string; runDir: string } | undefined {
    const active = this.activeRun();
    if (this.pinnedRunId) {
      const r = this.runsList.find((x) => x.runId === this.pinnedRunId);
      if (r) return r;
      if (active?.runId === this.pinnedRunId && active.runDir) return { runId: active.runId, runDir: active.runDir };
    }
    if (active?.runId && active.runDir && active.task === 'train') return { runId: active.runId, runDir: active.runDir };
    return this.runsList.find(isTrainingRun);
  }

  /** The shown run's id, for tests and the API. */
  shownRunId(): string | undefined {
    return this.shownRun()?.runId;
  }

  private newFollower(): RunFollower | undefined {
    const shown = this.shownRun();
    return shown && fs.existsSync(shown.runDir) ? new RunFollower(shown.runDir, shown.runId) : undefined;
  }

  /** Everything the page's full state needs from the runs: re-listed, the shown run's whole history read again from the store. */
  fullState(): { runs: RunsView; metrics: RunMetrics | null; comparison: ComparisonView | null; analyses: AnalysesView } {
    this.refresh();
    this.runsSignature = '';
    this.follower = this.newFollower();
    this.follower?.read();
    const metrics = this.follower ? this.follower.history() : null;
    this.comparison = this.compareIds.length >= 2 ? this.compare(this.compareIds) : null;
    const analyses = this.analysesView();
    this.analysesSent = analysesKey(analyses);
    return { runs: this.runsView(), metrics, comparison: this.comparison, analyses };
  }

  private runsView(): RunsView {
    const active = this.activeRun();
    const shown = this.shownRun();
    return {
      runs: this.runsList.map((r) => {
        const s = r.summary;
        const running = active?.runId === r.runId;
        const task = s?.task;
        return {
          runId: r.runId,
          ...(r.meta.name ? { name: r.meta.name } : {}),
          ...(r.meta.tags?.length ? { tags: r.meta.tags } : {}),
          ...(r.meta.notes ? { notes: r.meta.notes } : {}),
          ...(r.metaError ? { metaError: r.metaError } : {}),
          ...(task && task !== 'train' ? { task } : {}),
          ...(s?.transferKind && s.transferKind !== 'inductive' ? { transferKind: s.transferKind } : {}),
          status: running ? 'running' : r.status,
          startedAt: s?.startedAt ?? '',
          epochsDone: (running ? active?.epochsDone : undefined) ?? s?.epochsDone ?? 0,
          epochsPlanned: s?.epochsPlanned ?? 0,
          ...(s?.bestEpoch !== undefined ? { bestEpoch: s.bestEpoch } : {}),
          ...(s?.best?.valAccuracy !== undefined ? { bestValAccuracy: s.best.valAccuracy } : {}),
          ...(s?.best?.valLoss !== undefined ? { bestValLoss: s.best.valLoss } : {}),
          ...(s?.test ? { testAccuracy: s.test.accuracy } : {}),
          ...(s?.backend ? { backend: s.backend.name } : {}),
          seconds: s?.seconds ?? 0,
        };
      }),
      ...(active
        ? {
            active: {
              ...(active.runId ? { runId: active.runId } : {}),
              task: active.task,
              state: active.state,
              ...(active.backend ? { backend: active.backend } : {}),
              ...(active.phase ? { phase: phaseText(active.phase) } : {}),
            },
          }
        : {}),
      shownRunId: shown?.runId ?? null,
      following: this.pinnedRunId === undefined,
      backendSetting: readSettings(this.uri).backend,
      canRun: vscode.workspace.isTrusted,
    };
  }

  /** Posts the runs view (re-listing the store when `relist`) if anything in it changed. */
  postRuns(relist: boolean): void {
    if (relist) {
      this.refresh();
      this.artifacts.prune(this.runsList);
      this.postAnalyses();
    }
    const view = this.runsView();
    const sig = JSON.stringify(view);
    if (sig === this.runsSignature) return;
    this.runsSignature = sig;
    this.host.post('runs', view);
  }

  /** The results of the experiment's analysis runs (the shown run's first). */
  private analysesView(): AnalysesView {
    return collectAnalyses(this.runsList, this.shownRun()?.runId, this.host.text(), this.artifacts, (file, run) => this.host.thumbnail(file, run.runDir));
  }

  /** What the analysis views show now, read again from the run store (for tests and the API). */
  analysesNow(): AnalysesView {
    this.refresh();
    return this.analysesView();
  }

  /** Posts the analyses when which run each comes from (or the advice's state) changed. */
  postAnalyses(): void {
    if (!this.host.pageReady()) return;
    const view = this.analysesView();
    const key = analysesKey(view);
    if (key === this.analysesSent) return;
    this.analysesSent = key;
    this.host.post('analyses', view);
  }

  /** Before revealing an analysis view: re-list, and follow again when an analysis run is picked (its results would hide the new ones). */
  prepareReveal(): void {
    this.refresh();
    const pinned = this.runsList.find((r) => r.runId === this.pinnedRunId);
    if (pinned && !isTrainingRun(pinned)) this.pinnedRunId = undefined;
  }

  /** After revealing an analysis view on a live page: the new analyses, the shown run and the runs view. */
  postAfterReveal(): void {
    this.postAnalyses();
    this.showCurrentRun();
    this.postRuns(false);
  }

  /** The strategy advice a run wrote, or undefined (no such run or no `advice.json`). */
  advice(runId: string): AdvisorReport | undefined {
    const run = this.runsList.find((r) => r.runId === runId);
    return run && this.artifacts.read(run, 'advice');
  }

  /** Opens the file of `mistakes[index]` of a run's `evaluation.json` (nothing when the run or the file is gone). */
  async openEvaluationExample(runId: string, index: number): Promise<void> {
    const run = this.runsList.find((r) => r.runId === runId);
    if (run) await openEvaluationExample(this.artifacts.read(run, 'evaluation'), index);
  }

  /** Switches the charts to the run that should be shown now, when it changed. */
  showCurrentRun(): void {
    const shown = this.shownRun();
    if (shown?.runId === this.follower?.runId) return;
    this.follower = this.newFollower();
    this.follower?.read();
    this.host.post('metrics', this.follower ? this.follower.history() : null);
  }

  /** The page picked a run (undefined: follow the newest again). */
  select(runId: string | undefined): void {
    this.pinnedRunId = runId;
    this.showCurrentRun();
    this.postRuns(false);
    this.postAnalyses();
  }

  /** Shows `runId` (from the tree or the API) unless it is shown already. */
  pin(runId: string): void {
    if (runId === this.pinnedRunId) return;
    this.pinnedRunId = runId;
    this.showCurrentRun();
    this.postRuns(false);
  }

  /** Follow the newest run again (the page's Run button). */
  follow(): void {
    this.pinnedRunId = undefined;
  }

  /** The runs view read again from the store (for tests and the API). */
  runsNow(): RunsView {
    this.refresh();
    return this.runsView();
  }

  /** The run folder of one of the experiment's listed runs (for the commands the page asks for). */
  runDir(runId: string): string | undefined {
    return this.runsList.find((r) => r.runId === runId)?.runDir;
  }

  /** The comparison shown now (null: none). */
  comparisonNow(): ComparisonView | null {
    return this.comparison;
  }

  /** The page (or Compare Runs…) picked runs to compare: run ids of this experiment or absolute run folders. */
  setCompare(ids: readonly string[]): void {
    this.compareIds = [...ids];
    this.comparison = this.compareIds.length >= 2 ? this.compare(this.compareIds) : null;
    this.host.post('comparison', this.comparison);
  }

  /** Batched: posts the shown run's new points and any change of the runs view. */
  private flushMetrics(): void {
    if (!this.host.pageReady()) return;
    const update = this.follower?.update();
    if (update) this.host.post('metricsUpdate', update);
    this.postRuns(false);
  }

  /** A run of this window started, progressed or changed state. */
  onRunChanged(run: ActiveRun | undefined): void {
    if (run && run.experimentFile !== this.file) return;
    if (run?.runId && !this.runsList.some((r) => r.runId === run.runId)) {
      this.postRuns(true); // a new run folder
      if (this.pinnedRunId === undefined) this.showCurrentRun();
    }
    this.metricsBatch.request();
  }

  /** A run of this window ended: final values now, then the updated run list. */
  onRunEnded(run: ActiveRun): void {
    if (run.experimentFile !== this.file) return;
    this.metricsBatch.flushNow();
    this.postRuns(true);
  }

  /** Something in the experiment's runs folder changed (another window or the CLI may be training). */
  onRunStoreChanged(changed: string): void {
    // A compared run was renamed or tagged (it may belong to another experiment): its legend and columns change.
    if (path.basename(changed) === 'meta.json' && this.comparison?.runs.some((r) => r.runDir === path.dirname(changed))) {
      this.refresh();
      this.setCompare(this.compareIds);
    }
    const dir = path.join(this.host.runsRoot(), experimentDirName(this.host.experimentName()));
    if (!changed.startsWith(dir + path.sep)) return;
    if (this.follower && changed.startsWith(this.follower.runDir + path.sep)) this.metricsBatch.request();
    if (path.basename(changed) === 'summary.json' || path.basename(changed) === 'meta.json' || path.dirname(changed) === dir) {
      this.postRuns(true);
      if (this.pinnedRunId === undefined) this.showCurrentRun();
    }
  }

  /** Compares the runs named by ids of this experiment or absolute run folders (any experiment); gone runs are left out. */
  private compare(ids: readonly string[]): ComparisonView {
    const refs = ids.flatMap((id) => {
      if (path.isAbsolute(id)) return fs.existsSync(id) ? [{ runId: path.basename(id), runDir: id, experiment: path.basename(path.dirname(id)) }] : [];
      const r = this.runsList.find((x) => x.runId === id);
      return r ? [{ runId: r.runId, runDir: r.runDir, experiment: r.experiment }] : [];
    });
    return compareRunFolders(refs);
  }

  dispose(): void {
    this.metricsBatch.dispose();
  }
}
