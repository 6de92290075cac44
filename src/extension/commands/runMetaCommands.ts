/**
 * Transfer Lab: Rename Run…, Edit Run Tags…, Edit Run Notes… — input boxes (validated as the user
 * types) that write the run's `meta.json` (`core/runs/meta.ts`); `metrics.jsonl` and `summary.json`
 * are never touched. The tree re-reads the run's row and an open panel its run table at once (the
 * run-store watcher would tell them too, a moment later).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { META_FILE, nameProblem, notesProblem, parseTags, readRunMeta, writeRunMeta, type RunMeta, type RunMetaPatch } from '../../core/runs/meta.js';
import { experimentPanels } from '../panel/index.js';
import type { CommandContext } from './context.js';
import { runTarget } from './targets.js';

/** Which field a command edits. */
export type RunMetaField = 'name' | 'tags' | 'notes';

/** Tests (and the panel) may pass the new value instead of asking: `{ value: 'baseline' }`. */
export interface RunMetaOptions {
  value?: string;
}

/** Notes are one line in an input box: a line break is written `\n` there. */
const NOTES_BREAK = '\\n';

function current(field: RunMetaField, meta: RunMeta): string {
  if (field === 'name') return meta.name ?? '';
  if (field === 'tags') return (meta.tags ?? []).join(', ');
  return (meta.notes ?? '').replace(/\r?\n/g, NOTES_BREAK);
}

/** Why the typed text cannot be stored (shown under the input box), or undefined. */
export function inputProblem(field: RunMetaField, text: string): string | undefined {
  if (field === 'name') return nameProblem(text.trim());
  if (field === 'tags') {
    const tags = parseTags(text);
    return Array.isArray(tags) ? undefined : tags.error;
  }
  return notesProblem(text.split(NOTES_BREAK).join('\n'));
}

function patchOf(field: RunMetaField, text: string): RunMetaPatch {
  if (field === 'name') return { name: text };
  if (field === 'tags') {
    const tags = parseTags(text);
    return { tags: Array.isArray(tags) ? tags : [text] }; // a bad tag reaches writeRunMeta, which names it
  }
  return { notes: text.split(NOTES_BREAK).join('\n') };
}

const PROMPTS: Record<RunMetaField, { verb: string; prompt: string; placeHolder: string }> = {
  name: { verb: 'Rename run', prompt: 'Name shown instead of the start time (empty: no name)', placeHolder: 'e.g. lr 3e-4, no warmup' },
  tags: { verb: 'Tags of run', prompt: 'Tags, separated by commas or spaces (empty: none)', placeHolder: 'e.g. baseline, photos' },
  notes: { verb: 'Notes of run', prompt: `Notes (${NOTES_BREAK} for a line break; empty: none)`, placeHolder: 'what this run tried, what it showed' },
};

/**
 * Edits the name, tags or notes of a run (tree node, run folder, run id, or a quick pick). Asks with an
 * input box unless `opts.value` is given. @returns the meta written, or undefined when cancelled.
 * @throws RunMetaError (a bad `meta.json` already there: it is left alone; the message names it).
 */
export async function editRunMeta(ctx: CommandContext, field: RunMetaField, arg?: unknown, opts: RunMetaOptions = {}): Promise<RunMeta | undefined> {
  const run = await runTarget(arg, `Pick a run: ${PROMPTS[field].verb.toLowerCase()}`);
  if (!run) return undefined;
  const meta = readRunMeta(run.runDir); // a bad file stops here, before anything is asked
  let text = opts.value;
  if (text === undefined) {
    text = await vscode.window.showInputBox({
      title: `${PROMPTS[field].verb} ${meta.name ? `"${meta.name}" (${run.runId})` : run.runId} of ${run.experiment}`,
      prompt: PROMPTS[field].prompt,
      placeHolder: PROMPTS[field].placeHolder,
      value: current(field, meta),
      validateInput: (t) => inputProblem(field, t),
    });
    if (text === undefined) return undefined;
  }
  const written = writeRunMeta(run.runDir, patchOf(field, text));
  ctx.log.info(`${PROMPTS[field].verb} ${run.runDir}: ${JSON.stringify(current(field, written))}`);
  const metaFile = path.join(run.runDir, META_FILE);
  ctx.tree.onRunFileChanged(vscode.Uri.file(metaFile));
  experimentPanels()?.forEach((p) => p.onRunStoreChanged(metaFile));
  return written;
}
