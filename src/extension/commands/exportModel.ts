/** Transfer Lab: Export Model… — copies a run's checkpoint (tfjs `model.json` + weights) to a chosen folder. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandContext } from './context.js';
import { runTarget } from './targets.js';

/** Answers for callers that know them (tests). */
export interface ExportOptions {
  checkpoint?: 'best' | 'last';
  /** Destination parent folder. */
  target?: vscode.Uri;
}

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Copies `checkpoints/<best|last>/` of a run to `<target>/<experiment>-<runId>-<checkpoint>/`.
 * Returns the new folder, or undefined when cancelled or when the run has no checkpoint.
 */
export async function exportModel(ctx: CommandContext, arg?: unknown, opts: ExportOptions = {}): Promise<vscode.Uri | undefined> {
  const run = await runTarget(arg, 'Pick a run to export');
  if (!run) return undefined;
  const available: ('best' | 'last')[] = [];
  for (const c of ['best', 'last'] as const) if (await isDir(path.join(run.runDir, 'checkpoints', c))) available.push(c);
  if (available.length === 0) {
    void vscode.window.showWarningMessage(`Run ${run.runId} has no checkpoint to export.`);
    return undefined;
  }
  const checkpoint =
    opts.checkpoint ??
    (available.length === 1
      ? available[0]
      : ((
          await vscode.window.showQuickPick(
            available.map((c) => ({ label: c, description: c === 'best' ? 'best monitored validation metric' : 'after the last epoch' })),
            { placeHolder: 'Which checkpoint?' },
          )
        )?.label as 'best' | 'last' | undefined));
  if (!checkpoint) return undefined;
  if (!available.includes(checkpoint)) {
    void vscode.window.showWarningMessage(`Run ${run.runId} has no "${checkpoint}" checkpoint.`);
    return undefined;
  }
  const target =
    opts.target ??
    (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: 'Export model to folder' }))?.[0];
  if (!target) return undefined;
  const dest = path.join(target.fsPath, `${run.experiment}-${run.runId}-${checkpoint}`);
  await fs.cp(path.join(run.runDir, 'checkpoints', checkpoint), dest, { recursive: true, errorOnExist: true, force: false });
  ctx.log.info(`Exported ${run.runDir} (${checkpoint}) to ${dest}`);
  void vscode.window.showInformationMessage(`Exported the ${checkpoint} checkpoint of ${run.experiment} to ${dest}.`);
  return vscode.Uri.file(dest);
}
