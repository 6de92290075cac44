/** Transfer Lab: Delete Run — removes run folders after a modal confirmation; never a run in progress. */
import * as vscode from 'vscode';
import { deleteRun as deleteRunFolder } from '../../core/runs/store.js';
import type { CommandContext } from './context.js';
import { pickRuns, runsFromArgs } from './targets.js';

/** The confirmation's buttons: the safe one first (focused), the permanent one second. */
export const KEEP = 'Keep';
export const DELETE = 'Delete';

/** Callers that already asked the user (tests) pass `{ confirmed: true }`. */
export interface DeleteOptions {
  confirmed?: boolean;
}

/**
 * Deletes the given run(s) (tree selection, run folder, or a quick pick) after confirming. Returns
 * the deleted run folders (empty when cancelled).
 */
export async function deleteRun(ctx: CommandContext, arg?: unknown, selectionOrOpts?: unknown): Promise<string[]> {
  const opts = (selectionOrOpts && !Array.isArray(selectionOrOpts) ? selectionOrOpts : {}) as DeleteOptions;
  const named = await runsFromArgs(arg, Array.isArray(selectionOrOpts) ? selectionOrOpts : undefined);
  const picked = named.length ? named : await pickRuns('Pick runs to delete');
  if (!picked?.length) return [];
  const busy = picked.filter((r) => ctx.runs.find(r.runId));
  if (busy.length) {
    void vscode.window.showWarningMessage(`Stop ${busy.map((r) => r.runId).join(', ')} before deleting it.`);
    return [];
  }
  const what = picked.length === 1 ? `run ${picked[0].runId} of ${picked[0].experiment}` : `${picked.length} runs`;
  if (!opts.confirmed) {
    // VS Code focuses a modal's first button that is not the close affordance (Enter presses it): that
    // button keeps the runs, so only a deliberate click on Delete deletes.
    const ok = await vscode.window.showWarningMessage(
      `Delete ${what}?`,
      { modal: true, detail: 'The run folder (metrics, summary and checkpoints) is removed permanently.' },
      { title: KEEP },
      { title: DELETE },
      { title: 'Cancel', isCloseAffordance: true },
    );
    if (ok?.title !== DELETE) return [];
  }
  const deleted: string[] = [];
  for (const r of picked) {
    deleteRunFolder(r.runDir); // the store refuses folders that are not runs, and running runs
    ctx.log.info(`Deleted run ${r.runDir}`);
    deleted.push(r.runDir);
  }
  await ctx.tree.refresh();
  return deleted;
}
