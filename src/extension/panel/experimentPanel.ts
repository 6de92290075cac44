/**
 * One experiment panel (a webview panel for one `*.transfer.json`): pushes the full state whenever the
 * page (re)loads — first open, shown again after being hidden, restored after a window reload — and
 * small updates after that, and routes the page's messages. Two helpers do the work:
 * `documentEditing.ts` (the file's checked text, the experiment view, edits of the file) and
 * `runFollowing.ts` (the shown run, the runs view, live metrics, the comparison, the analysis views).
 *
 * The page keeps no settings of its own: every edit goes to the file, and the file's change comes
 * back (`onDocumentChanged`) as a new `experiment` message — the same path as a keystroke in the editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type {
  AnalysisTask,
  AnalysisViewName,
  ComparisonView,
  ExperimentView,
  RunsView,
  HostToWebviewMessages,
  PersistedPanelState,
  WebviewToHost,
} from '../../protocol/webview.js';
import { isMessage } from '../../protocol/webview.js';
import { Commands } from '../constants.js';
import { runsRootFor } from '../config.js';
import type { ActiveRun, RunManager } from '../runs/runManager.js';
import type { RunStoreWatcher } from '../workspace/runStoreWatcher.js';
import { DocumentEditing } from './documentEditing.js';
import { stepDocumentHistory } from './documentHistory.js';
import { freezeUpTo, setCutLayer, setLayerGroup, setSetting, toggleFreeze } from './edits/experimentEdits.js';
import { mediaRoot, panelHtml } from './html.js';
import { Thumbnails } from './analyses/thumbnails.js';
import { saveChartExport } from './export/chartExport.js';
import { RunFollowing } from './runFollowing.js';

export { isTrainingRun } from '../runs/runRecords.js';

/** The command that edits each field of a run's `meta.json` (the run table's edit buttons). */
const RUN_META_COMMANDS: Record<'name' | 'tags' | 'notes', string> = { name: Commands.renameRun, tags: Commands.editRunTags, notes: Commands.editRunNotes };

/** The command of each analysis the page can start. */
const ANALYSIS_COMMANDS: Record<AnalysisTask, string> = {
  advise: Commands.recommendStrategy,
  layerSweep: Commands.sweepCutLayers,
  gaborMatch: Commands.compareFilters,
};

/** What a panel needs from the extension. */
export interface PanelServices {
  extensionUri: vscode.Uri;
  runs: RunManager;
  /** The run-store watcher the panels share with the Experiments view. */
  runStore: RunStoreWatcher;
  log: vscode.LogOutputChannel;
}

/** Webview options of every experiment panel: scripts on, resources from `media/` only. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [mediaRoot(extensionUri)], retainContextWhenHidden: false, enableFindWidget: true };
}

/** Controller of one panel: page life cycle and message routing. */
export class ExperimentPanel implements vscode.Disposable {
  readonly file: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** True once the current page said `ready` (false while hidden: the page is gone). */
  private pageReady = false;
  private readonly document: DocumentEditing;
  private readonly runs: RunFollowing;
  private isDisposed = false;
  /** An analysis view to scroll to once the page has its state. */
  private pendingReveal: AnalysisViewName | undefined;
  /** Compare Runs… asked to show the comparison before the page was ready. */
  private pendingCompareReveal = false;
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
    const runsRoot = () => runsRootFor(vscode.workspace.getWorkspaceFolder(this.uri), path.dirname(this.file));
    const post = this.post.bind(this);
    // Webview URIs of misclassified examples' images: the resource roots grow by the run's image folders only.
    const thumbnails = new Thumbnails(panel.webview, [mediaRoot(services.extensionUri)]);
    this.document = new DocumentEditing(
      uri,
      services.log,
      {
        postExperiment: (view) => this.post('experiment', view),
        runsRoot,
        runSummaries: () => this.runs.summaries(),
        checked: (view, nameChanged) => this.onChecked(view, nameChanged),
      },
      persisted?.previewSteps,
    );
    this.runs = new RunFollowing(
      uri,
      services.runs,
      services.log,
      {
        post,
        pageReady: () => this.pageReady,
        runsRoot,
        experimentName: () => this.document.experimentName(),
        text: () => this.document.text,
        thumbnail: (file, runDir) => thumbnails.uri(file, runDir),
      },
      { ...(persisted?.runId !== undefined ? { runId: persisted.runId } : {}), ...(persisted?.compare ? { compare: persisted.compare } : {}) },
    );
    panel.webview.options = panelOptions(services.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'transfer-lab.svg');
    panel.title = this.document.experimentName();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.file)), path.basename(this.file)));
    this.disposables.push(
      this.disposed,
      this.document,
      this.runs,
      watcher,
      watcher.onDidChange(() => this.onDocumentChanged()),
      watcher.onDidCreate(() => this.onDocumentChanged()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageReady = false; // the page is discarded; it says `ready` again when shown
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.runs.refresh();
    void this.document.refresh();
    panel.webview.html = panelHtml(panel.webview, services.extensionUri, panel.title);
  }

  /** Posts one typed message when the page is there to receive it (a hidden page gets the full state when shown). */
  private post<K extends keyof HostToWebviewMessages>(type: K, payload: HostToWebviewMessages[K]): void {
    if (!this.pageReady || !this.panel.visible) return;
    void this.panel.webview.postMessage({ type, payload });
  }

  /** Sends everything: experiment, runs, the shown run's whole history (read again from the store), comparison, analyses. */
  private async pushFullState(): Promise<void> {
    await this.document.ready();
    const view = this.document.view;
    if (!view) return;
    this.post('state', { experiment: view, ...this.runs.fullState() });
    if (this.pendingReveal && this.pageReady && this.panel.visible) {
      this.post('revealAnalysis', { view: this.pendingReveal });
      this.pendingReveal = undefined;
    }
    if (this.pendingCompareReveal && this.pageReady && this.panel.visible) {
      this.post('revealComparison', {});
      this.pendingCompareReveal = false;
    }
  }

  /** After each check of the file: the title, the runs when the experiment's name changed, the analyses (the advice may now be in effect). */
  private onChecked(view: ExperimentView, nameChanged: boolean): void {
    this.panel.title = view.name;
    if (nameChanged) this.runs.postRuns(true);
    this.runs.postAnalyses();
  }

  // -------------------------------------------------------------------------------------------
  // events from the extension (panelManager.ts)
  // -------------------------------------------------------------------------------------------

  /** The file or its buffer changed: re-check it soon (bursts of keystrokes coalesce). */
  onDocumentChanged(): void {
    this.document.onDocumentChanged();
  }

  /** A run of this window started, progressed or changed state. */
  onRunChanged(run: ActiveRun | undefined): void {
    this.runs.onRunChanged(run);
  }

  /** A run of this window ended: final values now, then the updated run list. */
  onRunEnded(run: ActiveRun): void {
    this.runs.onRunEnded(run);
  }

  /** Something in the experiment's runs folder changed (another window or the CLI may be training). */
  onRunStoreChanged(changed: string): void {
    this.runs.onRunStoreChanged(changed);
  }

  /** Settings or trust changed: the run view may say something else. */
  onEnvironmentChanged(): void {
    this.runs.postRuns(true);
  }

  // -------------------------------------------------------------------------------------------
  // for tests and the API
  // -------------------------------------------------------------------------------------------

  /** What the header says about the kind of transfer, once the file has been checked. */
  transferNow(): ReturnType<DocumentEditing['transferNow']> {
    return this.document.transferNow();
  }

  /** The layer table, once the file has been checked and a text base's coverage read. */
  layersNow(): ReturnType<DocumentEditing['layersNow']> {
    return this.document.layersNow();
  }

  /** Handles a message as if the page had sent it (extension-host tests: the freeze toggles). */
  receive(m: WebviewToHost): Promise<void> {
    return this.onMessage(m);
  }

  /** The shown run's id. */
  shownRunId(): string | undefined {
    return this.runs.shownRunId();
  }

  /** What the analysis views show now, read again from the run store. */
  analysesNow(): ReturnType<RunFollowing['analysesNow']> {
    return this.runs.analysesNow();
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
    const doc = this.document;
    switch (m.type) {
      case 'ready':
        this.pageReady = true;
        await this.pushFullState();
        return;
      case 'toggleFreeze':
        return doc.edit(`${m.payload.frozen ? 'freeze' : 'unfreeze'} ${m.payload.layer}`, (ctx) =>
          toggleFreeze(ctx, m.payload.stage, m.payload.layer, m.payload.frozen),
        );
      case 'freezeUpTo':
        return doc.edit(`freeze up to ${m.payload.layer}`, (ctx) => freezeUpTo(ctx, m.payload.stage, m.payload.layer));
      case 'setCutLayer':
        return doc.edit('set the cut layer', (ctx) => setCutLayer(ctx.text, doc.layerNames(), m.payload.layer));
      case 'setLayerGroup':
        return doc.edit(`move ${m.payload.layer} to another group`, (ctx) => setLayerGroup(ctx, m.payload.layer, m.payload.group));
      case 'newLayerGroup':
        return doc.newLayerGroup(m.payload.layer);
      case 'setSetting':
        return doc.edit('change the setting', (ctx) => setSetting(ctx, m.payload.target, m.payload.value));
      case 'setPreviewSteps':
        doc.setPreviewSteps(m.payload.stepsPerEpoch ?? undefined);
        return;
      case 'selectRun':
        this.runs.select(m.payload.runId ?? undefined);
        return;
      case 'compare':
        this.runs.setCompare(m.payload.runIds);
        return;
      case 'editRun': {
        const runDir = this.runs.runDir(m.payload.runId);
        if (runDir) await vscode.commands.executeCommand(RUN_META_COMMANDS[m.payload.field], runDir);
        return;
      }
      case 'run': {
        this.runs.follow();
        await vscode.commands.executeCommand(Commands.runExperiment, this.uri);
        this.runs.postRuns(true);
        this.runs.showCurrentRun();
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
      case 'openEvaluationExample':
        return this.runs.openEvaluationExample(m.payload.runId, m.payload.index);
      case 'openJson':
        return doc.reveal(m.payload.pointer);
      case 'classifyWithRun': {
        const run = this.runs.list.find((r) => r.runId === m.payload.runId);
        if (run) await vscode.commands.executeCommand(Commands.classifyWithRun, undefined, undefined, run.runDir);
        return;
      }
      case 'history':
        return stepDocumentHistory(this.uri, m.payload.action, this.panel);
      case 'focusExit':
        // Tab past the page's last control: the status bar, the part after the editor area (F6 from a
        // webview would land on the webview again; see webview/panel/focusExit.ts)
        await vscode.commands.executeCommand(m.payload.direction === 'next' ? 'workbench.action.focusStatusBar' : 'workbench.action.focusPreviousPart');
        return;
      case 'exportChart': {
        // The save dialog starts in the shown run's folder (else beside the experiment file).
        const run = m.payload.runId ? this.runs.list.find((r) => r.runId === m.payload.runId) : undefined;
        await saveChartExport(m.payload, vscode.Uri.file(run?.runDir ?? path.dirname(this.file)));
        return;
      }
      case 'cspViolation':
        this.cspViolations++;
        this.services.log.warn(`Panel CSP violation: ${m.payload.directive} blocked ${m.payload.blocked} (${m.payload.sample})`);
        return;
    }
  }

  /** Applies the edit of a run's `advice.json` to the file. */
  private async applyAdvice(runId: string): Promise<void> {
    const report = this.runs.advice(runId);
    if (!report) {
      void vscode.window.showWarningMessage(`Transfer Lab: run ${runId} has no advice (deleted?).`);
      return;
    }
    await this.document.applyEdits(report.edits, 'the advice');
  }

  /** Shows the panel scrolled to an analysis view, with the newest results (after an analysis command). */
  revealAnalysis(view: AnalysisViewName): void {
    this.runs.prepareReveal();
    this.panel.reveal(undefined, true);
    if (this.pageReady && this.panel.visible) {
      this.runs.postAfterReveal();
      this.post('revealAnalysis', { view });
    } else {
      this.pendingReveal = view; // sent with the full state when the page says `ready`
    }
  }

  /** Shows the comparison of these run folders (any experiment's), scrolled into view (Compare Runs…). */
  showComparison(runDirs: readonly string[]): void {
    this.runs.setCompare(runDirs);
    this.panel.reveal(undefined, false);
    if (this.pageReady && this.panel.visible) this.post('revealComparison', {});
    else this.pendingCompareReveal = true;
  }

  /** The run table as the page gets it, read again from the store; for tests and the API. */
  runsNow(): RunsView {
    return this.runs.runsNow();
  }

  /** The comparison the panel shows (null: none); for tests and the API. */
  comparison(): ComparisonView | null {
    return this.runs.comparisonNow();
  }

  /** Shows the panel (and, when given, a run's metrics). */
  reveal(runId?: string): void {
    if (runId !== undefined) this.runs.pin(runId);
    this.panel.reveal();
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
