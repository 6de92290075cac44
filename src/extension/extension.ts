/**
 * Transfer Lab's VS Code entry point: builds the services (log, run manager, tree, diagnostics,
 * watchers, progress) and registers the commands. VS Code glue only: training happens in the worker
 * process, and nothing here loads tfjs.
 */
import * as vscode from 'vscode';
import type { TransferLabApi } from './api.js';
import { registerCommands } from './commands/register.js';
import { Commands, EXPERIMENTS_VIEW } from './constants.js';
import { ExperimentDiagnostics } from './diagnostics/experimentDiagnostics.js';
import { createLog } from './log.js';
import { predictionsPages, receivePredictionsMessage } from './predictions/predictionsPanel.js';
import { experimentPanels, registerExperimentPanels } from './panel/index.js';
import { RunManager } from './runs/runManager.js';
import { RunProgress } from './runs/runProgress.js';
import { ExperimentsTree } from './tree/experimentsTree.js';
import { isFolderChange, isMetaChange, isSummaryChange, RunStoreWatcher } from './workspace/runStoreWatcher.js';
import { WorkspaceWatchers } from './workspace/watchers.js';

/** Grace period on deactivate (window close/reload) before workers are killed. */
const DEACTIVATE_GRACE_MS = 2_000;

let runManager: RunManager | undefined;

/** Called by VS Code on the first activation event. */
export function activate(context: vscode.ExtensionContext): TransferLabApi {
  const t0 = performance.now();
  const log = createLog();
  const runs = new RunManager(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  runManager = runs;
  const tree = new ExperimentsTree(runs);
  const view = vscode.window.createTreeView(EXPERIMENTS_VIEW, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const diagnostics = new ExperimentDiagnostics(log);
  const watchers = new WorkspaceWatchers();
  const runStore = new RunStoreWatcher();
  const progress = new RunProgress(runs);
  context.subscriptions.push(
    log,
    runs,
    tree,
    view,
    diagnostics,
    watchers,
    runStore,
    progress,
    watchers.onDidChange(() => void tree.refresh()),
    // The tree shows experiment and run folders and each run's summary, name and tags.
    runStore.onDidChange((c) => (isFolderChange(c) || isSummaryChange(c) || isMetaChange(c) ? tree.onRunFileChanged(c.uri) : undefined)),
    runs.onDidChange((r) => tree.onRunChanged(r)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void tree.refresh()),
    ...registerCommands({ extensionUri: context.extensionUri, log, runs, tree, diagnostics }),
    registerExperimentPanels({ extensionUri: context.extensionUri, runs, runStore, log }),
  );
  const activationMs = performance.now() - t0;
  log.info(`Transfer Lab activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${process.release.name} ${process.version})`);
  return {
    runs,
    tree,
    diagnostics,
    activationMs,
    statusBarTexts: () => progress.statusItems().map((i) => i.text),
    panelAnalyses: (file) => experimentPanels()?.get(file)?.analysesNow(),
    panelShownRun: (file) => {
      const p = experimentPanels()?.get(file);
      return p ? (p.shownRunId() ?? null) : undefined;
    },
    panelRuns: (file) => experimentPanels()?.get(file)?.runsNow(),
    panelComparison: (file) => {
      const p = experimentPanels()?.get(file);
      return p ? p.comparison() : undefined;
    },
    panelTransfer: (file) => experimentPanels()?.get(file)?.transferNow(),
    panelLayers: (file) => experimentPanels()?.get(file)?.layersNow(),
    panelReceive: async (file, message) => {
      const p = experimentPanels()?.get(file);
      if (!p) return false;
      await p.receive(message);
      return true;
    },
    predictionsPages,
    predictionsReceive: (runDir, message) =>
      receivePredictionsMessage(
        { extensionUri: context.extensionUri, log, classifyMore: (dir) => vscode.commands.executeCommand(Commands.classifyWithRun, undefined, undefined, dir) },
        runDir,
        message,
      ),
  };
}

/** Called on window close/reload and on uninstall: stops every worker (graceful, then forced). */
export async function deactivate(): Promise<void> {
  const runs = runManager;
  runManager = undefined;
  if (!runs) return;
  await runs.stopAll(DEACTIVATE_GRACE_MS);
  runs.dispose();
}
