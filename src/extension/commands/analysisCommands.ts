/**
 * Transfer Lab: Recommend Strategy, Sweep Cut Layers, Compare First-Layer Filters with Gabor. Each
 * runs its worker task (`advise`, `layerSweep`, `gaborMatch`) as a run of the experiment — started
 * exactly like a training run ({@link startRun}) — reads the result file the task wrote, shows it in
 * the experiment panel's view and sums it up in a notification that offers the matching edit of the
 * JSON file (a `WorkspaceEdit` through jsonc-parser's `modify`: comments and layout kept, one undo step).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AdvisorReport } from '../../core/advisor/advise.js';
import type { PointerEdit } from '../../core/experiment/edits.js';
import { ARTIFACT_FILES, type ArtifactName, type GaborMatchFile, type LayerSweepFile, type RunTask } from '../../core/runs/artifacts.js';
import type { RunStatus } from '../../core/runs/events.js';
import type { AnalysisViewName } from '../../protocol/webview.js';
import type { AdviseTaskOptions } from '../../protocol/worker.js';
import { editsInEffect } from '../panel/analyses/analyses.js';
import { getJsonValue } from '../../core/experiment/json-text.js';
import { experimentNameOfFile } from '../../core/experiment/name.js';
import { percent } from '../../core/format.js';
import { applyJsonEdits, experimentDocument } from '../workspace/experimentDocument.js';
import { experimentPanels } from '../panel/index.js';
import { findExperiments } from '../workspace/experimentFiles.js';
import type { CommandContext } from './context.js';
import { startRun } from './runCommands.js';
import { experimentTarget } from './targets.js';

/** Options of the analysis commands (for tests and other callers; the palette passes none). */
export interface AnalysisCommandOptions {
  /** Apply the suggested edit without asking. */
  apply?: boolean;
  /** Do not open or reveal the experiment panel. */
  noPanel?: boolean;
  /**
   * Recommend Strategy: the source experiment file whose data the target is compared with (default:
   * the experiment of a `run` base; for another base the command asks).
   */
  sourceExperiment?: string;
}

/** What an analysis command returns once its run has ended. */
export interface AnalysisOutcome<T> {
  runId: string;
  runDir: string;
  status: RunStatus | 'fatal';
  /** The result file's content; absent when the run did not complete. */
  result?: T;
  /** The edit the result suggests (empty when there is none). */
  edits: PointerEdit[];
  /** True when the edit was written to the file by this command. */
  applied: boolean;
}

/** The text of one edit for messages: `/transfer/cutLayer = "pool2"`, `remove /transfer/stages`. */
export function describeEdit(e: PointerEdit): string {
  return e.value === undefined ? `remove ${e.pointer}` : `${e.pointer} = ${JSON.stringify(e.value)}`;
}

interface AnalysisSpec<T> {
  task: RunTask;
  artifact: ArtifactName;
  view: AnalysisViewName;
  placeHolder: string;
  /** The suggested edit of a result. */
  edits(v: T): PointerEdit[];
  /** The notification's text. */
  message(v: T, experiment: string): string;
  /** The label of the notification's apply button. */
  applyLabel(v: T): string;
  /** Settings of the task for this experiment; undefined when the user cancelled. */
  taskOptions?(uri: vscode.Uri): Promise<AdviseTaskOptions | undefined>;
}

/** Runs one analysis task, then shows its result (panel view + notification) and applies its edit when asked. */
async function runAnalysisCommand<T>(
  ctx: CommandContext,
  arg: unknown,
  spec: AnalysisSpec<T>,
  opts: AnalysisCommandOptions,
): Promise<AnalysisOutcome<T> | undefined> {
  const what = 'Analysing experiments';
  if (!vscode.workspace.isTrusted) return void (await startRun(ctx, arg, { what })); // refused, with the reason
  const target = await experimentTarget(arg, spec.placeHolder);
  if (!target) return undefined;
  const taskOptions = spec.taskOptions ? await spec.taskOptions(target) : undefined;
  if (spec.taskOptions && !taskOptions) return undefined;
  const started = await startRun(ctx, target, { task: spec.task, what, ...(taskOptions ? { taskOptions } : {}) });
  if (!started) return undefined;
  const { uri, run } = started;
  const outcome = await run.done;
  const runId = outcome.runId ?? run.runId ?? '';
  const runDir = outcome.runDir ?? run.runDir ?? '';
  void ctx.tree.refresh();
  const file = path.join(runDir, ARTIFACT_FILES[spec.artifact]);
  if (outcome.status !== 'completed' || !fs.existsSync(file)) {
    // RunProgress has announced the failure with the worker's last output.
    return { runId, runDir, status: outcome.status, edits: [], applied: false };
  }
  const result = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  const edits = spec.edits(result);
  let applied = false;
  if (opts.apply && edits.length > 0) applied = await applyJsonEdits(uri, edits);
  if (!opts.noPanel) {
    const panel = await experimentPanels()?.open({ experiment: uri });
    panel?.revealAnalysis(spec.view);
  }
  const name = outcome.summary?.experiment ?? experimentNameOfFile(uri.fsPath);
  const pending = edits.length > 0 && !applied && !editsInEffect((await experimentDocument(uri)).getText(), edits);
  const buttons = pending ? [spec.applyLabel(result)] : [];
  void vscode.window
    .showInformationMessage(`${spec.message(result, name)}${pending ? ` Suggested edit: ${edits.map(describeEdit).join(', ')}.` : ''}`, ...buttons)
    .then(async (pick) => {
      if (!pick) return;
      if (!(await applyJsonEdits(uri, edits))) void vscode.window.showWarningMessage('Transfer Lab: could not edit the file: it changed meanwhile; try again.');
    });
  return { runId, runDir, status: outcome.status, result, edits, applied };
}

const pct = (x: number | undefined) => percent(x, '—');

/** Transfer Lab: Recommend Strategy — the strategy advisor (`advise` task). */
export function recommendStrategy(ctx: CommandContext, arg?: unknown, opts: AnalysisCommandOptions = {}): Promise<AnalysisOutcome<AdvisorReport> | undefined> {
  return runAnalysisCommand<AdvisorReport>(
    ctx,
    arg,
    {
      task: 'advise',
      artifact: 'advice',
      view: 'advice',
      placeHolder: 'Pick an experiment to recommend a strategy for',
      edits: (r) => r.edits,
      message: (r, name) =>
        `${name}: ${r.verdict.small ? 'small' : 'large'} target (median ${r.target.medianPerClass} labelled per class), ` +
        `${r.verdict.similar ? 'similar to' : 'different from'} the source (domain classifier ${pct(r.similarity.domainAccuracy)}` +
        `${r.specificityGap !== undefined ? `, earlier layer ${r.specificityGap >= 0 ? '+' : ''}${(100 * r.specificityGap).toFixed(1)} pt` : ''}): ${r.verdict.advice}.`,
      applyLabel: () => 'Apply',
      taskOptions: (uri) => adviseOptions(uri, opts.sourceExperiment),
    },
    opts,
  );
}

/**
 * The advise task's source experiment: the given one, none needed (a `run` base names it), or one the
 * user picks among the workspace's experiments. Undefined when the pick was cancelled.
 */
async function adviseOptions(uri: vscode.Uri, given: string | undefined): Promise<AdviseTaskOptions | undefined> {
  if (given) return { sourceExperiment: path.resolve(path.dirname(uri.fsPath), given) };
  const kind = getJsonValue((await experimentDocument(uri)).getText(), ['base', 'kind']);
  if (kind === 'run') return {};
  const others = (await findExperiments()).filter((e) => e.uri.fsPath !== uri.fsPath);
  const pick = await vscode.window.showQuickPick(
    others.map((e) => ({ label: e.name, description: vscode.workspace.asRelativePath(e.uri), detail: e.description, uri: e.uri })),
    {
      title: `Recommend Strategy for ${path.basename(uri.fsPath)}`,
      placeHolder: `The base is "${String(kind ?? 'unknown')}", not another experiment's run: which experiment's data was it trained on (the source)?`,
      matchOnDescription: true,
    },
  );
  return pick ? { sourceExperiment: pick.uri.fsPath } : undefined;
}

/** Transfer Lab: Sweep Cut Layers — a linear head on every candidate cut layer (`layerSweep` task). */
export function sweepCutLayers(ctx: CommandContext, arg?: unknown, opts: AnalysisCommandOptions = {}): Promise<AnalysisOutcome<LayerSweepFile> | undefined> {
  return runAnalysisCommand<LayerSweepFile>(
    ctx,
    arg,
    {
      task: 'layerSweep',
      artifact: 'layerSweep',
      view: 'layerSweep',
      placeHolder: 'Pick an experiment to sweep the cut layers of',
      edits: (f) => (f.edit && f.best !== f.currentCutLayer ? [f.edit] : []),
      message: (f, name) => {
        const best = f.layers.find((l) => l.layer === f.best);
        const current = f.layers.find((l) => l.layer === f.currentCutLayer);
        return best
          ? `${name}: best cut layer by validation accuracy "${best.layer}" (${pct(best.valAccuracy)}; current "${f.currentCutLayer}" ${pct(current?.valAccuracy)}).`
          : `${name}: ${f.layers.length} cut layers swept (no validation data to choose by).`;
      },
      applyLabel: (f) => `Use "${f.best}" as Cut Layer`,
    },
    opts,
  );
}

/** Transfer Lab: Compare First-Layer Filters with Gabor (`gaborMatch` task). */
export function compareFilters(ctx: CommandContext, arg?: unknown, opts: AnalysisCommandOptions = {}): Promise<AnalysisOutcome<GaborMatchFile> | undefined> {
  return runAnalysisCommand<GaborMatchFile>(
    ctx,
    arg,
    {
      task: 'gaborMatch',
      artifact: 'gaborMatch',
      view: 'gaborMatch',
      placeHolder: 'Pick an experiment to compare the first-layer filters of',
      edits: () => [],
      message: (f, name) =>
        `${name}: ${f.filters.length} filters of "${f.layer}" (${f.kernelSize.join('×')}) against ${f.search.kernels} Gabor kernels: ` +
        `mean correlation ${f.meanCorrelation.toFixed(2)}, random kernels of the same size ${f.chance.meanCorrelation.toFixed(2)}.`,
      applyLabel: () => '',
    },
    opts,
  );
}
