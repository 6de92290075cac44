/**
 * The Experiments view: experiment files → their runs (newest first), with status icons, best
 * metric, tooltip. Refreshed from file-system watchers and run events, never by polling: a run's
 * progress re-renders only that run's row (so a tooltip open on another row stays open); runs
 * appearing or ending, and experiment files changing, refresh the whole tree. Both are throttled
 * together (see {@link CHANGE_INTERVAL_MS}).
 */
import * as vscode from 'vscode';
import { Commands } from '../constants.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentRunsDir } from '../../core/runs/store.js';
import type { ActiveRun, RunManager } from '../runs/runManager.js';
import { isTrainingRun, listExperimentRuns, readRunRecord, type RunRecord } from '../runs/runRecords.js';
import { findExperiments, type ExperimentEntry } from '../workspace/experimentFiles.js';
import { progressText } from '../runs/progressText.js';
import { runDescription, runLabel, runTooltip, statusIcon } from './runPresentation.js';

/** A folder of experiment files (shown when the workspace's experiments live in more than one folder). */
export interface FolderNode {
  kind: 'folder';
  /** Absolute folder path. */
  dir: string;
  /** Folder as shown: relative to its workspace folder (multi-root: prefixed with the folder's name); a root by its name. */
  label: string;
  entries: ExperimentEntry[];
}

/** An experiment file in the tree. */
export interface ExperimentNode {
  kind: 'experiment';
  entry: ExperimentEntry;
}

/** A run of an experiment in the tree. */
export interface RunNode {
  kind: 'run';
  experiment: ExperimentEntry;
  record: RunRecord;
}

/** The analysis runs of an experiment (advice, cut-layer sweeps, Gabor matches), kept apart from its training runs. */
export interface AnalysesNode {
  kind: 'analyses';
  experiment: ExperimentEntry;
  runs: RunNode[];
}

/** Any node of the Experiments view. Commands invoked from the view receive these. */
export type TreeNode = FolderNode | ExperimentNode | AnalysesNode | RunNode;

/**
 * The root of the view: experiments grouped by folder (sorted by path), or the experiments themselves
 * when they all live in one folder.
 */
export function groupByFolder(entries: readonly ExperimentEntry[]): FolderNode[] | ExperimentNode[] {
  const groups = new Map<string, ExperimentEntry[]>();
  for (const e of entries) {
    const dir = path.dirname(e.uri.fsPath);
    groups.set(dir, [...(groups.get(dir) ?? []), e]);
  }
  if (groups.size <= 1) return entries.map((entry): ExperimentNode => ({ kind: 'experiment', entry }));
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dir, list]): FolderNode => {
      const uri = vscode.Uri.file(dir);
      const rel = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      // asRelativePath gives a workspace folder's own root back unchanged: name it by the folder
      const label = rel === dir ? (vscode.workspace.getWorkspaceFolder(uri)?.name ?? dir) : rel;
      return { kind: 'folder', dir, label, entries: list };
    });
}

/** True when the experiment's runs folder holds a run (its row then gets a chevron). */
function hasRuns(entry: ExperimentEntry): boolean {
  try {
    return fs.readdirSync(experimentRunsDir(entry.runsRoot, entry.name)).length > 0;
  } catch {
    return false; // no runs folder yet
  }
}

/**
 * Least time between two `onDidChangeTreeData` events. VS Code's extension host debounces them with a
 * 200 ms timer that every new event restarts: a provider firing more often than that for as long as a
 * run reports progress (every step) starves the view, which then re-renders nothing at all (a running
 * run's row stayed missing or at "epoch 0" for minutes). Above 200 ms each event reaches the view.
 */
export const CHANGE_INTERVAL_MS = 300;

/** Data provider of `transferLab.experiments`. */
export class ExperimentsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private fullRefresh = false;
  private readonly dirtyRuns = new Set<RunNode>();
  private refreshed: Array<() => void> = [];
  private readonly parents = new Map<string, ExperimentNode | AnalysesNode>();
  private readonly analysesParents = new WeakMap<AnalysesNode, ExperimentNode>();
  private readonly folderOf = new Map<string, FolderNode>();
  /**
   * The run nodes last handed to VS Code, by run folder: element refreshes must name the objects the
   * view holds. Replaced when VS Code fetches an experiment's runs again, never emptied in between (a
   * run's progress then still finds its row while a full refresh is on its way).
   */
  private readonly runNodes = new Map<string, RunNode>();
  /** Active runs (run folder → experiment file) a full refresh was asked for because the tree did not list them yet. */
  private readonly awaitingRow = new Map<string, string>();

  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly runs: RunManager) {}

  /**
   * Schedules a refresh of the whole tree; resolves after listeners were told. Throttled, not
   * debounced: a burst of events refreshes once, a steady stream every {@link CHANGE_INTERVAL_MS}.
   */
  refresh(): Promise<void> {
    this.fullRefresh = true;
    this.schedule();
    return new Promise((r) => this.refreshed.push(r));
  }

  /** A run made progress (or started / ended): re-render its row, or everything when the row is new or gone. */
  onRunChanged(run: ActiveRun | undefined): void {
    if (!run?.runDir || run.state === 'starting') {
      void this.refresh();
      return;
    }
    const node = this.runNodes.get(run.runDir);
    if (node) {
      this.refreshRun(node, false);
    } else if (!this.awaitingRow.has(run.runDir)) {
      // A new run: one full refresh lists it. Asking again for each of its events would refresh the
      // whole tree for as long as the run is not shown (its experiment collapsed, the view hidden).
      this.awaitingRow.set(run.runDir, run.experimentFile);
      void this.refresh();
    }
  }

  /** A file under the runs root changed: re-read that run's summary, or refresh everything for new or deleted runs. */
  onRunFileChanged(uri: vscode.Uri): void {
    const file = path.basename(uri.fsPath);
    const node = file === 'summary.json' || file === 'meta.json' ? this.runNodes.get(path.dirname(uri.fsPath)) : undefined;
    if (node) this.refreshRun(node, true);
    else void this.refresh();
  }

  private refreshRun(node: RunNode, reread: boolean): void {
    if (reread) node.record = readRunRecord(node.record.runDir);
    this.dirtyRuns.add(node);
    this.schedule();
  }

  /** One timer for full and element refreshes, so that together they too fire at most every {@link CHANGE_INTERVAL_MS}. */
  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), CHANGE_INTERVAL_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const nodes = [...this.dirtyRuns];
    this.dirtyRuns.clear();
    if (this.fullRefresh) {
      this.fullRefresh = false;
      this.emitter.fire(undefined);
    } else if (nodes.length > 0) {
      this.emitter.fire(nodes);
    }
    const waiting = this.refreshed;
    this.refreshed = [];
    waiting.forEach((f) => f());
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      this.folderOf.clear();
      return groupByFolder(await findExperiments());
    }
    if (node.kind === 'folder') {
      return node.entries.map((entry): ExperimentNode => {
        this.folderOf.set(entry.uri.fsPath, node);
        return { kind: 'experiment', entry };
      });
    }
    if (node.kind === 'run') return [];
    if (node.kind === 'analyses') return node.runs;
    const file = node.entry.uri.fsPath;
    for (const [runDir, experimentFile] of this.awaitingRow) if (experimentFile === file) this.awaitingRow.delete(runDir);
    for (const [runDir, run] of this.runNodes) if (run.experiment.uri.fsPath === file) this.runNodes.delete(runDir);
    const records = listExperimentRuns(node.entry.runsRoot, node.entry.name);
    const training: RunNode[] = [];
    const analyses: AnalysesNode = { kind: 'analyses', experiment: node.entry, runs: [] };
    this.analysesParents.set(analyses, node);
    for (const record of records) {
      const active = this.runs.find(record.runId);
      if (active) record.status = 'running';
      const run: RunNode = { kind: 'run', experiment: node.entry, record };
      this.runNodes.set(record.runDir, run);
      // A run whose summary is not written yet is an analysis when the run manager says so.
      const analysis = record.summary ? !isTrainingRun(record) : !!active && active.task !== 'train';
      (analysis ? analyses.runs : training).push(run);
      this.parents.set(record.runDir, analysis ? analyses : node);
    }
    return analyses.runs.length ? [...training, analyses] : training;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'run') return this.parents.get(node.record.runDir);
    if (node.kind === 'analyses') return this.analysesParents.get(node);
    return node.kind === 'experiment' ? this.folderOf.get(node.entry.uri.fsPath) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `folder:${node.dir}`;
      item.contextValue = 'folder';
      item.iconPath = vscode.ThemeIcon.Folder;
      item.resourceUri = vscode.Uri.file(node.dir);
      item.description = `${node.entries.length} experiment${node.entries.length === 1 ? '' : 's'}`;
      item.tooltip = node.dir;
      return item;
    }
    if (node.kind === 'experiment') {
      const e = node.entry;
      // A chevron only where there are runs to show.
      const running = !!this.runs.forExperiment(e.uri.fsPath);
      const { Expanded, None } = vscode.TreeItemCollapsibleState;
      const withRuns = running || hasRuns(e);
      const item = new vscode.TreeItem(e.name, withRuns ? Expanded : None);
      // VS Code keeps the collapse state of an id it has seen: a row that had no chevron would stay
      // collapsed when its first run starts. Another id for "has runs" makes it a new, expanded row.
      item.id = `experiment:${e.uri.toString()}${withRuns ? '#runs' : ''}`;
      item.contextValue = 'experiment';
      item.resourceUri = e.uri;
      item.iconPath = new vscode.ThemeIcon(running ? 'beaker~spin' : 'beaker');
      item.description = this.folderOf.has(e.uri.fsPath)
        ? path.basename(e.uri.fsPath)
        : [e.folderName, vscode.workspace.asRelativePath(e.uri, false)].filter(Boolean).join(' · ');
      item.tooltip = new vscode.MarkdownString(`**${e.name}**\n\n${e.description ?? ''}\n\n\`${e.uri.fsPath}\``);
      item.command = { command: Commands.openExperiment, title: 'Open Experiment File', arguments: [node] };
      return item;
    }
    if (node.kind === 'analyses') {
      const item = new vscode.TreeItem('Analysis runs', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `analyses:${node.experiment.uri.toString()}`;
      item.contextValue = 'analyses';
      item.iconPath = new vscode.ThemeIcon('graph');
      item.description = String(node.runs.length);
      item.tooltip = `Analyses of ${node.experiment.name} (strategy advice, cut-layer sweeps, Gabor matches): ${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      return item;
    }
    const { record } = node;
    const active = this.runs.find(record.runId);
    const summary = active?.summary ?? record.summary;
    const status = active ? 'running' : record.status;
    const name = record.meta.name;
    const item = new vscode.TreeItem(name ?? runLabel(record.runId, summary), vscode.TreeItemCollapsibleState.None);
    item.id = `run:${record.runDir}`;
    item.contextValue = `run.${status}`;
    item.iconPath = statusIcon(status);
    const tags = (record.meta.tags ?? []).map((t) => `#${t}`).join(' ');
    item.description = [name ? runLabel(record.runId, summary) : '', active ? progressText(active) : runDescription(status, summary), tags]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = runTooltip(record.runId, record.runDir, status, summary, record.meta, record.metaError);
    item.accessibilityInformation = {
      // `Run [name, ]<id> of <experiment>, <status>, …`: the id stays right before "of" (the UI tests find rows by it).
      label: `Run ${name ? `${name}, ` : ''}${record.runId} of ${node.experiment.name}, ${status}, ${item.description}`,
    };
    item.command = { command: Commands.openPanel, title: 'Open Experiment Panel', arguments: [node] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
