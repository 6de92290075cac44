/**
 * "Classify with Run…": classifies image files and folders (or `.txt` files, for a text run) with a
 * training run's checkpoint and shows the result as a table with thumbnails or snippets.
 *
 * Arguments: `(uri, selectedUris)` from the Explorer's context menu; `(runNode)` from a run in the
 * Experiments view and `(undefined, undefined, runDir)` from the panel (the files then come from a
 * dialog); `(uri, uris, runDir)` from tests. Without a run, a quick pick lists the training runs with a
 * checkpoint whose data is of the chosen files' kind, newest first, with experiment, run id and best
 * validation accuracy. The classification runs `transfer-lab predict` in a child process
 * (`predictions/classifyProcess.ts`): the run's exact preprocessing, never tfjs in the extension host.
 * @returns the {@link PredictionResult} shown (undefined when cancelled or refused)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PredictionResult } from '../../core/prediction/predict.js';
import { readConfig } from '../../core/runs/store.js';
import { featureCacheEnv, readSettings } from '../config.js';
import { Commands } from '../constants.js';
import { ClassifyError, classifyWithCli } from '../predictions/classifyProcess.js';
import { showPredictions } from '../predictions/predictionsPanel.js';
import { resolveWorkerRuntime, WorkerRuntimeError } from '../runs/workerRuntime.js';
import type { CommandContext } from './context.js';
import { allRuns, isTreeNode, runFromArg, type RunTarget } from './targets.js';

/** Image extensions offered by the file dialog and the Explorer menu (the decoder reads files by content). */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif'];

/** What a run classifies: images, text documents, or neither (csv feature rows). */
export type RunInputKind = 'image' | 'text' | 'features';

const TEXT_SOURCES = new Set(['textFolder', 'textTable', 'spamAssassin', 'brownCorpus']);

/** The kind of input a run was trained on (its `config.json`'s `data.train.kind`); undefined: unreadable. */
export function runInputKind(runDir: string): RunInputKind | undefined {
  const kind = readConfig(runDir)?.data?.train?.kind;
  if (kind === undefined) return undefined;
  return TEXT_SOURCES.has(kind) ? 'text' : kind === 'csv' ? 'features' : 'image';
}

/** The checkpoint `predict` would use: best, else last. */
function checkpointOf(runDir: string): 'best' | 'last' | undefined {
  return (['best', 'last'] as const).find((c) => fs.existsSync(path.join(runDir, 'checkpoints', c, 'model.json')));
}

/** True for a training run with a checkpoint (what `predict` can use). */
export function canClassify(r: RunTarget): boolean {
  const task = r.summary?.task ?? 'train';
  return task === 'train' && r.status !== 'running' && checkpointOf(r.runDir) !== undefined;
}

const isImage = (f: string) => IMAGE_EXTENSIONS.includes(path.extname(f).slice(1).toLowerCase());
const isText = (f: string) => path.extname(f).toLowerCase() === '.txt';

/**
 * The kind of the chosen files: `text` when they are `.txt` files, `image` when images, by the files
 * named and, for folders, the first 2,000 files found in them (hidden ones left out); undefined when
 * mixed or none is either.
 */
export function inputKind(inputs: readonly string[]): 'image' | 'text' | undefined {
  let images = 0;
  let texts = 0;
  let seen = 0;
  const visit = (p: string, depth: number) => {
    if (seen >= 2000) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (depth > 6) return;
      for (const e of fs.readdirSync(p)) if (!e.startsWith('.')) visit(path.join(p, e), depth + 1);
      return;
    }
    seen++;
    if (isImage(p)) images++;
    else if (isText(p)) texts++;
  };
  for (const i of inputs) visit(i, 0);
  if (images > 0 && texts === 0) return 'image';
  if (texts > 0 && images === 0) return 'text';
  return undefined;
}

/** Best validation accuracy of a run (the summary's best, else its last epoch's). */
function bestVal(r: RunTarget): number | undefined {
  return r.summary?.best?.valAccuracy ?? r.summary?.final?.valAccuracy;
}

/** `12 Dec 14:03` for a run's start. */
function started(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Quick pick of the runs that can classify `kind`, newest first. Undefined when cancelled or none. */
async function pickRun(kind: 'image' | 'text' | undefined): Promise<RunTarget | undefined> {
  const runs = (await allRuns()).filter(
    (r) => canClassify(r) && (kind === undefined ? runInputKind(r.runDir) !== 'features' : runInputKind(r.runDir) === kind),
  );
  runs.sort((a, b) => (b.summary?.startedAt ?? '').localeCompare(a.summary?.startedAt ?? '') || b.runId.localeCompare(a.runId));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      `Transfer Lab: no training run with a checkpoint${kind ? ` trained on ${kind === 'text' ? 'text' : 'images'}` : ''} yet. Run an experiment first.`,
    );
    return undefined;
  }
  const items = runs.map((r) => {
    const acc = bestVal(r);
    return {
      label: r.experiment,
      description: `run ${r.runId} · ${acc !== undefined ? `best val ${(acc * 100).toFixed(1)}%` : 'no validation accuracy'}`,
      detail: [r.summary?.strategy, r.status, started(r.summary?.startedAt), `${checkpointOf(r.runDir)} checkpoint`].filter(Boolean).join(' · '),
      run: r,
    };
  });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Classify with Run',
    placeHolder: `Which run classifies the ${kind === 'text' ? 'documents' : kind === 'image' ? 'images' : 'files'}? (newest first)`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.run;
}

/** The files and folders to classify: the Explorer's selection, the clicked resource, else a dialog. */
async function inputsFrom(arg: unknown, selection: unknown, kind: RunInputKind | undefined): Promise<vscode.Uri[] | undefined> {
  if (Array.isArray(selection) && selection.length && selection.every((u) => u instanceof vscode.Uri)) return selection as vscode.Uri[];
  if (arg instanceof vscode.Uri) return [arg];
  return vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: 'Classify',
    title: kind === 'text' ? 'Text files or folders of them to classify' : 'Images or folders of images to classify',
    filters: kind === 'text' ? { 'Text files': ['txt'] } : { Images: IMAGE_EXTENSIONS },
  });
}

/** The command. */
export async function classifyWithRun(ctx: CommandContext, arg?: unknown, selection?: unknown, runArg?: unknown): Promise<PredictionResult | undefined> {
  if (isTreeNode(arg)) {
    runArg = arg;
    arg = undefined;
  }
  let run = runArg !== undefined ? await runFromArg(runArg) : undefined;
  if (runArg !== undefined && !run) {
    void vscode.window.showErrorMessage(`Transfer Lab: no run at ${String(runArg)}.`);
    return undefined;
  }
  const runKind = run ? runInputKind(run.runDir) : undefined;
  if (run && runKind === 'features') {
    void vscode.window.showErrorMessage(`Transfer Lab: run ${run.runId} of ${run.experiment} was trained on feature rows (csv): it classifies no files.`);
    return undefined;
  }
  const inputs = await inputsFrom(arg, selection, runKind);
  if (!inputs?.length) return undefined;
  const files = inputs.map((u) => u.fsPath);
  const kind = inputKind(files);
  run ??= await pickRun(kind);
  if (!run) return undefined;
  if (!checkpointOf(run.runDir)) {
    void vscode.window.showErrorMessage(`Transfer Lab: run ${run.runId} of ${run.experiment} has no checkpoint to classify with.`);
    return undefined;
  }
  const settings = readSettings(inputs[0]);
  let runtime;
  try {
    runtime = await resolveWorkerRuntime(settings.nodePath);
  } catch (e) {
    if (!(e instanceof WorkerRuntimeError)) throw e;
    void vscode.window.showErrorMessage(`Transfer Lab: ${e.message}`);
    return undefined;
  }
  const what = files.length === 1 ? path.basename(files[0]!) : `${files.length} selections`;
  const chosen = run;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Classifying ${what} with ${chosen.experiment} run ${chosen.runId}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await classifyWithCli({
          cliPath: vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'cli.js').fsPath,
          runtime,
          runDir: chosen.runDir,
          inputs: files,
          topK: 3,
          backend: settings.backend,
          env: featureCacheEnv(settings),
          signal: abort.signal,
        });
      } catch (e) {
        if (abort.signal.aborted) return undefined;
        if (e instanceof ClassifyError) {
          void vscode.window.showErrorMessage(`Transfer Lab: ${e.message}`);
          return undefined;
        }
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
  if (!result) return undefined;
  ctx.log.info(`Classify with run ${chosen.runId} (${chosen.experiment}): ${result.predictions.length} classified, ${result.skipped.length} skipped`);
  showPredictions(
    {
      extensionUri: ctx.extensionUri,
      log: ctx.log,
      classifyMore: (runDir) => vscode.commands.executeCommand(Commands.classifyWithRun, undefined, undefined, runDir),
    },
    result,
    inputs,
    bestVal(chosen),
  );
  return result;
}
