/**
 * Turns a command's arguments into what it acts on. Commands run from the palette (no argument: the
 * active editor or a quick pick), from a menu (a tree node or an explorer `Uri`), or from tests and
 * other commands (a `Uri`, a run folder path or a run id).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { focusedPanelExperiment } from '../panel/index.js';
import { listExperimentRuns, readRunRecord, type RunRecord } from '../runs/runRecords.js';
import type { ExperimentNode, RunNode } from '../tree/experimentsTree.js';
import { runDescription, runLabel } from '../tree/runPresentation.js';
import { findExperiments, isExperimentPath, readExperimentEntry, type ExperimentEntry } from '../workspace/experimentFiles.js';

/** A run the user picked, with its experiment when known. */
export interface RunTarget extends RunRecord {
  experimentEntry?: ExperimentEntry;
}

/** True for the experiment and run nodes of the Experiments view (the nodes commands act on; not folders). */
export function isTreeNode(x: unknown): x is ExperimentNode | RunNode {
  const k = (x as { kind?: unknown } | null)?.kind;
  return (k === 'experiment' && !!(x as ExperimentNode).entry) || (k === 'run' && !!(x as RunNode).record);
}

/**
 * The experiment the user is looking at: the focused experiment panel's, else the active editor's
 * (when it is an experiment file). Undefined when neither has focus.
 */
export function focusedExperiment(): vscode.Uri | undefined {
  const panel = focusedPanelExperiment();
  if (panel) return panel;
  // The active text editor, else the active tab's file (the editor state can reach the extension host later than the tab's).
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const active = vscode.window.activeTextEditor?.document.uri ?? (tab instanceof vscode.TabInputText ? tab.uri : undefined);
  return active && isExperimentPath(active.fsPath) ? active : undefined;
}

/**
 * The experiment file a command should act on: the argument's, else the focused panel's or editor's
 * ({@link focusedExperiment}); asks when it can't tell. Undefined when cancelled.
 */
export async function experimentTarget(arg: unknown, placeHolder = 'Pick an experiment'): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && isExperimentPath(arg)) return vscode.Uri.file(arg);
  if (isTreeNode(arg)) return arg.kind === 'experiment' ? arg.entry.uri : arg.experiment.uri;
  const focused = focusedExperiment();
  if (focused) return focused;
  const all = await findExperiments();
  if (all.length === 1) return all[0].uri;
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No *.transfer.json experiment in this workspace. Create one with "Transfer Lab: New Experiment…".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    all.map((e) => ({ label: e.name, description: vscode.workspace.asRelativePath(e.uri), uri: e.uri })),
    { placeHolder },
  );
  return pick?.uri;
}

/** Every run of every experiment in the workspace, newest first per experiment. */
export async function allRuns(): Promise<RunTarget[]> {
  const out: RunTarget[] = [];
  for (const e of await findExperiments()) {
    for (const r of listExperimentRuns(e.runsRoot, e.name)) out.push({ ...r, experimentEntry: e });
  }
  return out;
}

/** Quick-pick item of a run. */
function runItem(r: RunTarget): vscode.QuickPickItem & { run: RunTarget } {
  return { label: `${r.experiment} · ${runLabel(r.runId, r.summary)}`, description: runDescription(r.status, r.summary), detail: r.runDir, run: r };
}

/** Converts one argument to a run, without asking. */
export async function runFromArg(arg: unknown): Promise<RunTarget | undefined> {
  if (isTreeNode(arg) && arg.kind === 'run') return { ...arg.record, experimentEntry: arg.experiment };
  const dir = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' && path.isAbsolute(arg) ? arg : undefined;
  if (dir) {
    const record = readRunRecord(path.basename(dir) === 'summary.json' ? path.dirname(dir) : dir);
    return record;
  }
  if (typeof arg === 'string') return (await allRuns()).find((r) => r.runId === arg);
  return undefined;
}

/** The run a command should act on; asks with a quick pick when no argument names one. */
export async function runTarget(arg: unknown, placeHolder: string, filter: (r: RunTarget) => boolean = () => true): Promise<RunTarget | undefined> {
  const direct = await runFromArg(arg);
  if (direct) return direct;
  const runs = (await allRuns()).filter(filter);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('No matching runs yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(runs.map(runItem), { placeHolder, matchOnDetail: true }))?.run;
}

/**
 * Several runs named by the arguments: a tree multi-selection (VS Code passes the clicked node and the
 * selection), an array of run folders / ids, or one run. Empty when none is named.
 */
export async function runsFromArgs(arg: unknown, selection: unknown): Promise<RunTarget[]> {
  const given = Array.isArray(selection) && selection.length ? selection : Array.isArray(arg) ? arg : arg !== undefined ? [arg] : [];
  const runs = await Promise.all(given.map(runFromArg));
  return runs.filter((r): r is RunTarget => !!r);
}

/** Multi-select quick pick of all runs, with `preselected` run folders ticked. Undefined when cancelled. */
export async function pickRuns(placeHolder: string, preselected: string[] = []): Promise<RunTarget[] | undefined> {
  const items = (await allRuns()).map((r) => ({ ...runItem(r), picked: preselected.includes(r.runDir) }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No runs yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, canPickMany: true, matchOnDetail: true }))?.map((i) => i.run);
}

/** The experiment entry of a file (for names and runs roots). */
export function experimentEntry(uri: vscode.Uri): Promise<ExperimentEntry> {
  return readExperimentEntry(uri);
}
