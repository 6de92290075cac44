/** Registers every `transferLab.*` command with its handler. */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants.js';
import { openExperimentPanel } from '../panel/index.js';
import { compareFilters, recommendStrategy, sweepCutLayers, type AnalysisCommandOptions } from './analysisCommands.js';
import { compareRuns } from './compareRuns.js';
import type { CommandContext } from './context.js';
import { deleteRun } from './deleteRun.js';
import { exportModel, type ExportOptions } from './exportModel.js';
import { newExperiment, type NewExperimentOptions } from './newExperiment.js';
import { runExperiment, stopRun } from './runCommands.js';
import { openRunFolder, openRunSummary } from './runFolderCommands.js';
import { editRunMeta, type RunMetaOptions } from './runMetaCommands.js';
import { experimentTarget, isTreeNode, runFromArg } from './targets.js';
import { clearFeatureCache, type ClearCacheOptions } from './featureCache.js';
import { validateExperiment } from './validateExperiment.js';
import { classifyWithRun } from './classifyWithRun.js';
import { registerRunSummaryDocuments } from '../runs/runSummaryDocument.js';

/** Wraps a handler so an unexpected error is logged and shown instead of vanishing. */
function guarded<A extends unknown[], R>(ctx: CommandContext, id: string, fn: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R | undefined> => {
    try {
      return await fn(...args);
    } catch (e) {
      ctx.log.error(`${id} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Transfer Lab: ${(e as Error).message}`, 'Show Log').then((p) => p && ctx.log.show(true));
      return undefined;
    }
  };
}

/** Registers the commands; the returned disposables unregister them. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const handlers: Record<(typeof Commands)[keyof typeof Commands], (...args: never[]) => Promise<unknown>> = {
    [Commands.newExperiment]: async (folder?: unknown, opts?: NewExperimentOptions) => {
      const uri = await newExperiment(folder, opts);
      // The walkthrough's "Create an experiment" completes on this context key, not on the command:
      // a cancelled or failed New Experiment (no folder open) leaves the step open.
      if (uri) await vscode.commands.executeCommand('setContext', ContextKeys.experimentCreated, true);
      return uri;
    },
    [Commands.runExperiment]: (arg?: unknown) => runExperiment(ctx, arg),
    [Commands.stopRun]: (arg?: unknown) => stopRun(ctx, arg),
    [Commands.openPanel]: async (arg?: unknown) => {
      const run = isTreeNode(arg) && arg.kind === 'run' ? await runFromArg(arg) : undefined;
      const experiment = run ? (isTreeNode(arg) && arg.kind === 'run' ? arg.experiment.uri : undefined) : await experimentTarget(arg, 'Pick an experiment');
      if (experiment || run) await openExperimentPanel({ experiment, runDir: run?.runDir });
    },
    [Commands.validateExperiment]: (arg?: unknown) => validateExperiment(ctx, arg),
    [Commands.openRunFolder]: (arg?: unknown) => openRunFolder(arg),
    [Commands.openRunSummary]: (arg?: unknown) => openRunSummary(arg),
    [Commands.compareRuns]: (arg?: unknown, selection?: unknown) => compareRuns(arg, selection),
    [Commands.renameRun]: (arg?: unknown, opts?: RunMetaOptions) => editRunMeta(ctx, 'name', arg, opts),
    [Commands.editRunTags]: (arg?: unknown, opts?: RunMetaOptions) => editRunMeta(ctx, 'tags', arg, opts),
    [Commands.editRunNotes]: (arg?: unknown, opts?: RunMetaOptions) => editRunMeta(ctx, 'notes', arg, opts),
    [Commands.exportModel]: (arg?: unknown, opts?: ExportOptions) => exportModel(ctx, arg, opts),
    [Commands.deleteRun]: (arg?: unknown, selectionOrOpts?: unknown) => deleteRun(ctx, arg, selectionOrOpts),
    [Commands.showLog]: async () => ctx.log.show(true),
    [Commands.refresh]: () => ctx.tree.refresh(),
    [Commands.recommendStrategy]: (arg?: unknown, opts?: AnalysisCommandOptions) => recommendStrategy(ctx, arg, opts),
    [Commands.sweepCutLayers]: (arg?: unknown, opts?: AnalysisCommandOptions) => sweepCutLayers(ctx, arg, opts),
    [Commands.compareFilters]: (arg?: unknown, opts?: AnalysisCommandOptions) => compareFilters(ctx, arg, opts),
    [Commands.clearFeatureCache]: (opts?: ClearCacheOptions) => clearFeatureCache(ctx, opts),
    [Commands.classifyWithRun]: (arg?: unknown, selection?: unknown, run?: unknown) => classifyWithRun(ctx, arg, selection, run),
    [Commands.openExperiment]: async (arg?: unknown) => {
      const uri = await experimentTarget(arg);
      if (uri) await vscode.window.showTextDocument(uri);
    },
  };
  return [
    registerRunSummaryDocuments(),
    ...Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, guarded(ctx, id, fn as (...a: unknown[]) => Promise<unknown>))),
  ];
}
