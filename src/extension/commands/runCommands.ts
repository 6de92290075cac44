/** Transfer Lab: Run Experiment and Stop Run, and the start of every run (training or analysis). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunTask } from '../../core/runs/artifacts.js';
import type { AdviseTaskOptions } from '../../protocol/worker.js';
import { featureCacheEnv, readSettings, runsRootFor } from '../config.js';
import { allProblems } from '../diagnostics/checkExperiment.js';
import { RunStartError, type ActiveRun, type RunOutcome } from '../runs/runManager.js';
import { WorkerRuntimeError } from '../runs/workerRuntime.js';
import type { CommandContext } from './context.js';
import { experimentTarget, focusedExperiment, isTreeNode } from './targets.js';

/** What Run Experiment returns (for tests and other commands). */
export interface StartedRun {
  runId: string;
  runDir: string;
  pid: number;
}

/** What {@link startRun} runs. */
export interface StartRunOptions {
  /** Worker task (default `train`). */
  task?: RunTask;
  /** Settings of the `advise` task. */
  taskOptions?: AdviseTaskOptions;
  /** Quick-pick placeholder when the command cannot tell which experiment. */
  placeHolder?: string;
  /** What the refusal messages call the action (`Running experiments`, `Analyses`). */
  what?: string;
}

/**
 * The one way runs start from VS Code (Run Experiment and the analysis commands): refuses in an
 * untrusted workspace, saves and validates the experiment file, then starts the worker through the
 * run manager. Returns the experiment and the started run, or undefined when cancelled or refused
 * (the user has been told why).
 */
export async function startRun(ctx: CommandContext, arg: unknown, opts: StartRunOptions = {}): Promise<{ uri: vscode.Uri; run: ActiveRun } | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage(
        `${opts.what ?? 'Running experiments'} is disabled in Restricted Mode: a run executes a training process that reads models and data from disk. Trust this workspace to run it.`,
        'Manage Workspace Trust',
      )
      .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  const uri = await experimentTarget(arg, opts.placeHolder ?? 'Pick an experiment to run');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) await doc.save();

  const result = await ctx.diagnostics.check(doc);
  const errors = result ? allProblems(result).filter((p) => p.severity === 'error') : [];
  if (errors.length) {
    ctx.log.warn(`Not running ${uri.fsPath}: ${errors.length} problem(s): ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    void vscode.window
      .showErrorMessage(`${path.basename(uri.fsPath)} has ${errors.length} problem(s): ${errors[0].message}`, 'Show Problems')
      .then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return undefined;
  }

  const settings = readSettings(uri);
  const runsDir = runsRootFor(vscode.workspace.getWorkspaceFolder(uri), path.dirname(uri.fsPath));
  let run: ActiveRun;
  try {
    run = await ctx.runs.start(uri.fsPath, {
      ...settings,
      cacheEnv: featureCacheEnv(settings),
      runsDir,
      ...(opts.task ? { task: opts.task } : {}),
      ...(opts.taskOptions ? { taskOptions: opts.taskOptions } : {}),
    });
  } catch (e) {
    const msg = (e as Error).message;
    ctx.log.error(`Run of ${uri.fsPath} failed to start: ${msg}`);
    const actions = e instanceof WorkerRuntimeError ? ['Open Settings', 'Show Log'] : ['Show Log'];
    if (!(e instanceof RunStartError && e.outcome)) {
      // Outcomes from the worker are announced by RunProgress; others are told here.
      void vscode.window.showErrorMessage(`Transfer Lab: ${msg}`, ...actions).then((pick) => {
        if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'transferLab.nodePath');
        if (pick === 'Show Log') ctx.log.show(true);
      });
    }
    return undefined;
  }
  void ctx.tree.refresh();
  return { uri, run };
}

/**
 * Validates and starts the experiment in a worker. Disabled in untrusted workspaces. Returns the
 * started run, or undefined when cancelled or refused (the user has been told why).
 */
export async function runExperiment(ctx: CommandContext, arg?: unknown): Promise<StartedRun | undefined> {
  const started = await startRun(ctx, arg);
  if (!started) return undefined;
  const { run } = started;
  return { runId: run.runId ?? '', runDir: run.runDir ?? '', pid: run.pid };
}

/**
 * Stops a run: the one given (tree node, run id, or experiment file), the only one running, or one
 * picked. Resolves with the outcome when the worker has exited; undefined when nothing was stopped.
 */
export async function stopRun(ctx: CommandContext, arg?: unknown): Promise<RunOutcome | undefined> {
  const active = ctx.runs.active();
  let run: ActiveRun | undefined;
  if (isTreeNode(arg)) {
    run = arg.kind === 'run' ? ctx.runs.find(arg.record.runId) : ctx.runs.forExperiment(arg.entry.uri.fsPath);
  } else if (arg instanceof vscode.Uri) {
    run = ctx.runs.forExperiment(arg.fsPath);
  } else if (typeof arg === 'string') {
    run = ctx.runs.find(arg) ?? ctx.runs.forExperiment(arg);
  } else {
    const focusedFile = focusedExperiment()?.fsPath;
    run = (focusedFile && ctx.runs.forExperiment(focusedFile)) || (active.length === 1 ? active[0] : undefined);
    if (!run && active.length > 1) {
      run = (
        await vscode.window.showQuickPick(
          active.map((r) => ({ label: r.experiment ?? path.basename(r.experimentFile), description: r.runId, r })),
          { placeHolder: 'Pick a run to stop' },
        )
      )?.r;
    }
  }
  if (!run) {
    if (arg === undefined && active.length === 0) void vscode.window.showInformationMessage('No run is in progress.');
    return undefined;
  }
  const outcome = await ctx.runs.stop(run);
  void ctx.tree.refresh();
  return outcome;
}
