/**
 * One experiment panel (a webview panel for one `*.transfer.json`): pushes the full state whenever the
 * page (re)loads — first open, shown again after being hidden, restored after a window reload — and
 * small updates after that; turns the page's commands into edits of the JSON file, runs and stops;
 * follows the shown run's metrics through the run store, batched to at most ~10 posts a second;
 * shows the results of the experiment's analysis runs (advice, layer sweep, clusters, Gabor match,
 * transductive accuracies) and applies their edits to the file.
 *
 * The page keeps no settings of its own: every edit goes to the file, and the file's change comes
 * back (`onDocumentChanged`) as a new `experiment` message — the same path as a keystroke in the editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkExperimentText } from '../../core/experiment/load.js';
import { experimentDirName } from '../../core/runs/store.js';
import type {
  AnalysesView,
  AnalysisTask,
  AnalysisViewName,
  ComparisonView,
  ExperimentView,
  HostToWebviewMessages,
  PersistedPanelState,
  RunsView,
  WebviewToHost,
} from '../../protocol/webview.js';
import { isMessage } from '../../protocol/webview.js';
import { Commands } from '../constants.js';
import { readSettings, runsRootFor } from '../config.js';
import type { ActiveRun, RunManager } from '../runs/runManager.js';
import { listExperimentRuns, type RunRecord } from '../runs/runRecords.js';
import { ArtifactCache, analysesKey, collectAnalyses } from './analyses/analyses.js';
import { EditRefused, addLayerGroup, freezeUpTo, setCutLayer, setLayerGroup, setSetting, toggleFreeze, type EditContext } from './edits/experimentEdits.js';
import { applyJsonEdits, experimentDocument, replaceText, revealPointer } from './experimentDocument.js';
import { mediaRoot, panelHtml } from './html.js';
import { Batcher } from './metrics/batcher.js';
import { compareRunFolders } from './metrics/runComparison.js';
import { RunFollower } from './metrics/runFollower.js';
import { baseLayerNames, experimentView, type ExperimentSnapshot } from './view/experimentView.js';
import { estimateStepsPerEpoch } from './view/lrPreview.js';

/** The command of each analysis the page can start. */
const ANALYSIS_COMMANDS: Record<AnalysisTask, string> = {
  advise: Commands.recommendStrategy,
  layerSweep: Commands.sweepCutLayers,
  gaborMatch: Commands.compareFilters,
};

/** True for a run that trains (`summary.task` `train` or absent): the runs the Training view follows. */
export function isTrainingRun(r: Pick<RunRecord, 'summary'>): boolean {
  const task = r.summary?.task;
  return task === undefined || task === 'train';
}

/** What a panel needs from the extension. */
export interface PanelServices {
  extensionUri: vscode.Uri;
  runs: RunManager;
  log: vscode.LogOutputChannel;
}

/** Webview options of every experiment panel: scripts on, resources from `media/` only. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [mediaRoot(extensionUri)], retainContextWhenHidden: false, enableFindWidget: true };
}

/** Controller of one panel. */
export class ExperimentPanel implements vscode.Disposable {
  readonly file: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** The last text that passed the schema, with what it resolves to. */
  private snapshot: ExperimentSnapshot | undefined;
  private view: ExperimentView | undefined;
  private checking: Promise<void> | undefined;
  private checkSeq = 0;
  /** True once the current page said `ready` (false while hidden: the page is gone). */
  private pageReady = false;
  /** Run picked by the user; undefined: follow the newest training run. */
  private pinnedRunId: string | undefined;
  private follower: RunFollower | undefined;
  private runsList: RunRecord[] = [];
  private runsSignature = '';
  private compareIds: string[] = [];
  private comparison: ComparisonView | null = null;
  private previewSteps: number | undefined;
  private readonly metricsBatch = new Batcher(() => this.flushMetrics());
  private readonly recheck = new Batcher(() => void this.refreshExperiment(), 50);
  private isDisposed = false;
  /** The file's text at the last check (valid or not). */
  private text: string | undefined;
  private readonly artifacts = new ArtifactCache();
  /** {@link analysesKey} of the analyses the page has. */
  private analysesSent = '';
  /** An analysis view to scroll to once the page has its state. */
  private pendingReveal: AnalysisViewName | undefined;
  /** Content-Security-Policy violations the page reported (should stay 0). */
  cspViolations = 0;

  /** Fires once when the panel closes. */
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly services: PanelServices,
    persisted?: Partial<PersistedPanelState>,
  ) {
    this.file = uri.fsPath;
    this.pinnedRunId = persisted?.runId;
    this.compareIds = persisted?.compare ?? [];
    this.previewSteps = persisted?.previewSteps;
    panel.webview.options = panelOptions(services.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'transfer-lab.svg');
    panel.title = path.basename(this.file).replace(/\.transfer\.json$/i, '');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.file)), path.basename(this.file)));
    this.disposables.push(
      this.disposed,
      watcher,
      watcher.onDidChange(() => this.onDocumentChanged()),
      watcher.onDidCreate(() => this.onDocumentChanged()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageReady = false; // the page is discarded; it says `ready` again when shown
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.refreshRuns();
    this.checking = this.refreshExperiment();
    panel.webview.html = panelHtml(panel.webview, services.extensionUri, panel.title);
  }

  // -------------------------------------------------------------------------------------------
  // outgoing
  // -------------------------------------------------------------------------------------------

  /** Posts one typed message when the page is there to receive it (a hidden page gets the full state when shown). */
  private post<K extends keyof HostToWebviewMessages>(type: K, payload: HostToWebviewMessages[K]): void {
    if (!this.pageReady || !this.panel.visible) return;
    void this.panel.webview.postMessage({ type, payload });
  }

  /** Sends everything: experiment, runs, the shown run's whole history (read again from the store), comparison. */
  private async pushFullState(): Promise<void> {
    await this.checking;
    const view = this.view;
    if (!view) return;
    this.refreshRuns();
    this.follower = this.newFollower();
    this.follower?.read();
    const metrics = this.follower ? this.follower.history() : null;
    this.comparison = this.compareIds.length >= 2 ? this.compare(this.compareIds) : null;
    const analyses = this.analysesView();
    this.analysesSent = analysesKey(analyses);
    this.post('state', { experiment: view, runs: this.runsView(), metrics, comparison: this.comparison, analyses });
    if (this.pendingReveal && this.pageReady && this.panel.visible) {
      this.post('revealAnalysis', { view: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // experiment
  // -------------------------------------------------------------------------------------------

  private runsRoot(): string {
    return runsRootFor(vscode.workspace.getWorkspaceFolder(this.uri), path.dirname(this.file));
  }

  private experimentName(): string {
    return this.snapshot?.experiment.name ?? path.basename(this.file).replace(/\.transfer\.json$/i, '');
  }

  /** The file or its buffer changed: re-check it soon (bursts of keystrokes coalesce). */
  onDocumentChanged(): void {
    this.recheck.request();
  }

  /** Re-checks the current text and posts the new view. */
  private refreshExperiment(): Promise<void> {
    const run = (async () => {
      const seq = ++this.checkSeq;
      let text: string;
      try {
        text = (await experimentDocument(this.uri)).getText();
      } catch (e) {
        const message = `cannot read the experiment file: ${(e as Error).message}`;
        this.services.log.warn(`Panel: ${this.file}: ${message}`);
        this.view = this.buildView([{ severity: 'error', message, path: '', line: 1 }], false);
        this.post('experiment', this.view);
        return;
      }
      const checked = await checkExperimentText(text, this.file, { runsDir: this.runsRoot() });
      if (seq !== this.checkSeq) return; // a newer check is running
      this.text = text;
      if (checked.experiment) this.snapshot = { text, experiment: checked.experiment, ...(checked.layers ? { layers: checked.layers } : {}) };
      const nameChanged = this.view?.name !== undefined && this.snapshot?.experiment.name !== this.view.name;
      this.view = this.buildView(checked.problems, !!checked.experiment);
      this.panel.title = this.view.name;
      this.post('experiment', this.view);
      if (nameChanged) this.postRuns(true);
      this.postAnalyses(); // the advice may now be in effect, or no longer
    })();
    this.checking = run;
    return run;
  }

  private buildView(problems: ExperimentView['problems'], valid: boolean): ExperimentView {
    const summaries = this.runsList.flatMap((r) => (r.summary ? [r.summary] : []));
    return experimentView(this.file, problems, this.snapshot, valid, (exp) => estimateStepsPerEpoch(exp, summaries, this.previewSteps));
  }

  /** The edit context of the current text, or a message why the panel cannot edit it now. */
  private async editContext(): Promise<{ doc: vscode.TextDocument; ctx: EditContext } | string> {
    const doc = await experimentDocument(this.uri);
    if (this.snapshot?.text !== doc.getText()) await this.refreshExperiment();
    const snap = this.snapshot;
    if (!snap || snap.text !== doc.getText() || !this.view?.valid) return `${path.basename(this.file)} has errors: fix them in the file first (see Problems).`;
    return { doc, ctx: { text: snap.text, experiment: snap.experiment, baseLayers: baseLayerNames(snap.experiment, snap.layers) } };
  }

  /** Applies one panel action to the file; tells the user when it cannot. */
  private async edit(what: string, change: (ctx: EditContext) => string): Promise<void> {
    const got = await this.editContext();
    if (typeof got === 'string') {
      void vscode.window.showWarningMessage(`Transfer Lab: ${got}`);
      return;
    }
    let after: string;
    try {
      after = change(got.ctx);
    } catch (e) {
      if (e instanceof EditRefused) {
        void vscode.window.showWarningMessage(`Transfer Lab: cannot ${what}: ${e.message}`);
        return;
      }
      throw e;
    }
    if (!(await replaceText(got.doc, got.ctx.text, after))) {
      void vscode.window.showWarningMessage(`Transfer Lab: could not ${what}: the file changed meanwhile; try again.`);
    }
    this.recheck.flushNow();
  }

  // -------------------------------------------------------------------------------------------
  // runs
  // -------------------------------------------------------------------------------------------

  private activeRun(): ActiveRun | undefined {
    return this.services.runs.forExperiment(this.file);
  }

  /** Re-reads the experiment's runs from the store. */
  private refreshRuns(): void {
    try {
      this.runsList = listExperimentRuns(this.runsRoot(), this.experimentName());
    } catch (e) {
      this.services.log.warn(`Panel: cannot list the runs of ${this.file}: ${(e as Error).message}`);
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

  /** What the header says about the kind of transfer, once the file has been checked (for tests and the API). */
  async transferNow(): Promise<Pick<NonNullable<ExperimentView['detail']>, 'kind' | 'method' | 'strategy'> | undefined> {
    await this.checking;
    const d = this.view?.detail;
    return d ? { kind: d.kind, ...(d.method ? { method: d.method } : {}), strategy: d.strategy } : undefined;
  }

  /** The shown run's id, for tests and the API. */
  shownRunId(): string | undefined {
    return this.shownRun()?.runId;
  }

  private newFollower(): RunFollower | undefined {
    const shown = this.shownRun();
    return shown && fs.existsSync(shown.runDir) ? new RunFollower(shown.runDir, shown.runId) : undefined;
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
        ? { active: { ...(active.runId ? { runId: active.runId } : {}), task: active.task, state: active.state, ...(active.backend ? { backend: active.backend } : {}) } }
        : {}),
      shownRunId: shown?.runId ?? null,
      following: this.pinnedRunId === undefined,
      backendSetting: readSettings(this.uri).backend,
      canRun: vscode.workspace.isTrusted,
    };
  }

  /** Posts the runs view (re-listing the store when `relist`) if anything in it changed. */
  private postRuns(relist: boolean): void {
    if (relist) {
      this.refreshRuns();
      this.artifacts.prune(this.runsList);
      this.postAnalyses();
    }
    const view = this.runsView();
    const sig = JSON.stringify(view);
    if (sig === this.runsSignature) return;
    this.runsSignature = sig;
    this.post('runs', view);
  }

  /** The results of the experiment's analysis runs (the shown run's first). */
  private analysesView(): AnalysesView {
    return collectAnalyses(this.runsList, this.shownRun()?.runId, this.text, this.artifacts);
  }

  /** What the analysis views show now, read again from the run store (for tests and the API). */
  analysesNow(): AnalysesView {
    this.refreshRuns();
    return this.analysesView();
  }

  /** Posts the analyses when which run each comes from (or the advice's state) changed. */
  private postAnalyses(): void {
    if (!this.pageReady) return;
    const view = this.analysesView();
    const key = analysesKey(view);
    if (key === this.analysesSent) return;
    this.analysesSent = key;
    this.post('analyses', view);
  }

  /** Shows the panel scrolled to an analysis view, with the newest results (after an analysis command). */
  revealAnalysis(view: AnalysisViewName): void {
    this.refreshRuns();
    // A picked analysis run's results would hide the new ones: follow again. A picked training run stays.
    const pinned = this.runsList.find((r) => r.runId === this.pinnedRunId);
    if (pinned && !isTrainingRun(pinned)) this.pinnedRunId = undefined;
    this.panel.reveal(undefined, true);
    if (this.pageReady && this.panel.visible) {
      this.postAnalyses();
      this.showCurrentRun();
      this.postRuns(false);
      this.post('revealAnalysis', { view });
    } else {
      this.pendingReveal = view; // sent with the full state when the page says `ready`
    }
  }

  /** Applies the edit of a run's `advice.json` to the file. */
  private async applyAdvice(runId: string): Promise<void> {
    const run = this.runsList.find((r) => r.runId === runId);
    const report = run && this.artifacts.read(run, 'advice');
    if (!report) {
      void vscode.window.showWarningMessage(`Transfer Lab: run ${runId} has no advice (deleted?).`);
      return;
    }
    if (!(await applyJsonEdits(this.uri, report.edits))) {
      void vscode.window.showWarningMessage('Transfer Lab: could not apply the advice: the file changed meanwhile; try again.');
    }
    this.recheck.flushNow();
  }

  /** Switches the charts to the run that should be shown now, when it changed. */
  private showCurrentRun(): void {
    const shown = this.shownRun();
    if (shown?.runId === this.follower?.runId) return;
    this.follower = this.newFollower();
    this.follower?.read();
    this.post('metrics', this.follower ? this.follower.history() : null);
  }

  /** Batched: posts the shown run's new points and any change of the runs view. */
  private flushMetrics(): void {
    if (!this.pageReady) return;
    const update = this.follower?.update();
    if (update) this.post('metricsUpdate', update);
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
    const dir = path.join(this.runsRoot(), experimentDirName(this.experimentName()));
    if (!changed.startsWith(dir + path.sep)) return;
    if (this.follower && changed.startsWith(this.follower.runDir + path.sep)) this.metricsBatch.request();
    if (path.basename(changed) === 'summary.json' || path.dirname(changed) === dir) {
      this.postRuns(true);
      if (this.pinnedRunId === undefined) this.showCurrentRun();
    }
  }

  /** Settings or trust changed: the run view may say something else. */
  onEnvironmentChanged(): void {
    this.postRuns(true);
  }

  private compare(ids: readonly string[]): ComparisonView {
    const refs = ids.flatMap((id) => {
      const r = this.runsList.find((x) => x.runId === id);
      return r ? [{ runId: r.runId, runDir: r.runDir }] : [];
    });
    return compareRunFolders(refs);
  }

  // -------------------------------------------------------------------------------------------
  // incoming
  // -------------------------------------------------------------------------------------------

  private async onMessage(m: unknown): Promise<void> {
    if (!isMessage(m)) return;
    try {
      await this.handle(m as WebviewToHost);
    } catch (e) {
      this.services.log.error(`Panel ${path.basename(this.file)}: ${m.type} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Transfer Lab: ${(e as Error).message}`);
    }
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.pageReady = true;
        this.runsSignature = '';
        await this.pushFullState();
        return;
      case 'toggleFreeze':
        return this.edit(`${m.payload.frozen ? 'freeze' : 'unfreeze'} ${m.payload.layer}`, (ctx) => toggleFreeze(ctx, m.payload.stage, m.payload.layer, m.payload.frozen));
      case 'freezeUpTo':
        return this.edit(`freeze up to ${m.payload.layer}`, (ctx) => freezeUpTo(ctx, m.payload.stage, m.payload.layer));
      case 'setCutLayer':
        return this.edit('set the cut layer', (ctx) => setCutLayer(ctx.text, this.snapshot?.layers?.map((l) => l.name) ?? [], m.payload.layer));
      case 'setLayerGroup':
        return this.edit(`move ${m.payload.layer} to another group`, (ctx) => setLayerGroup(ctx, m.payload.layer, m.payload.group));
      case 'newLayerGroup':
        return this.newLayerGroup(m.payload.layer);
      case 'setSetting':
        return this.edit('change the setting', (ctx) => setSetting(ctx, m.payload.target, m.payload.value));
      case 'setPreviewSteps':
        this.previewSteps = m.payload.stepsPerEpoch ?? undefined;
        if (this.view) {
          this.view = this.buildView(this.view.problems, this.view.valid);
          this.post('experiment', this.view);
        }
        return;
      case 'selectRun':
        this.pinnedRunId = m.payload.runId ?? undefined;
        this.showCurrentRun();
        this.postRuns(false);
        this.postAnalyses();
        return;
      case 'compare':
        this.compareIds = [...m.payload.runIds];
        this.comparison = this.compareIds.length >= 2 ? this.compare(this.compareIds) : null;
        this.post('comparison', this.comparison);
        return;
      case 'run': {
        this.pinnedRunId = undefined;
        await vscode.commands.executeCommand(Commands.runExperiment, this.uri);
        this.postRuns(true);
        this.showCurrentRun();
        return;
      }
      case 'stop':
        await vscode.commands.executeCommand(Commands.stopRun, this.uri);
        return;
      case 'analyze':
        await vscode.commands.executeCommand(ANALYSIS_COMMANDS[m.payload.task], this.uri);
        return;
      case 'applyAdvice':
        return this.applyAdvice(m.payload.runId);
      case 'openJson':
        return revealPointer(await experimentDocument(this.uri), m.payload.pointer);
      case 'cspViolation':
        this.cspViolations++;
        this.services.log.warn(`Panel CSP violation: ${m.payload.directive} blocked ${m.payload.blocked} (${m.payload.sample})`);
        return;
    }
  }

  private async newLayerGroup(layer: string): Promise<void> {
    const taken = new Set((this.snapshot?.experiment.learningRate.layerGroups ?? []).map((g) => g.name));
    const name = await vscode.window.showInputBox({
      title: `New layer group for ${layer}`,
      prompt: 'Name of the layer group (shown in the rate chart)',
      value: taken.has('early') ? `group${taken.size + 1}` : 'early',
      validateInput: (v) => (!v.trim() ? 'Give the group a name' : taken.has(v.trim()) || v.trim() === 'head' || v.trim() === 'base' ? `"${v.trim()}" is taken` : undefined),
    });
    if (!name) return;
    const mult = await vscode.window.showInputBox({
      title: `Rate multiplier of "${name.trim()}"`,
      prompt: "The group's rate is the scheduled rate × this multiplier (0 stops it learning)",
      value: '0.1',
      validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && v.trim() !== '' ? undefined : 'A number ≥ 0'),
    });
    if (mult === undefined) return;
    await this.edit(`add the layer group ${name.trim()}`, (ctx) => addLayerGroup(ctx, name.trim(), Number(mult), layer));
  }

  /** Shows the panel (and, when given, a run's metrics). */
  reveal(runId?: string): void {
    if (runId !== undefined && runId !== this.pinnedRunId) {
      this.pinnedRunId = runId;
      this.showCurrentRun();
      this.postRuns(false);
    }
    this.panel.reveal();
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.metricsBatch.dispose();
    this.recheck.dispose();
    this.disposed.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
