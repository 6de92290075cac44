/**
 * The Experiments view: experiment files → their runs (newest first), with status icons, best
 * metric, tooltip. Refreshed from file-system watchers and run events, never by polling: a run's
 * progress re-renders only that run's row (so a tooltip open on another row stays open); runs
 * appearing or ending, and experiment files changing, refresh the whole tree. Both are throttled
 * together (see {@link CHANGE_INTERVAL_MS}).
 */
import * as vscode from 'vscode';
import { Commands } from '../constants.js';
import * as path from 'node:path';
import type { ActiveRun, RunManager } from '../runs/runManager.js';
import { listExperimentRuns, readRunRecord, type RunRecord } from '../runs/runRecords.js';
import { findExperiments, type ExperimentEntry } from '../workspace/experimentFiles.js';
import { runDescription, runLabel, runTooltip, statusIcon } from './runPresentation.js';

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

/** Any node of the Experiments view. Commands invoked from the view receive these. */
export type TreeNode = ExperimentNode | RunNode;

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
  private readonly parents = new Map<string, ExperimentNode>();
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
    const node = path.basename(uri.fsPath) === 'summary.json' ? this.runNodes.get(path.dirname(uri.fsPath)) : undefined;
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
      const nodes = (await findExperiments()).map((entry): ExperimentNode => ({ kind: 'experiment', entry }));
      return nodes;
    }
    if (node.kind === 'run') return [];
    const file = node.entry.uri.fsPath;
    for (const [runDir, experimentFile] of this.awaitingRow) if (experimentFile === file) this.awaitingRow.delete(runDir);
    for (const [runDir, run] of this.runNodes) if (run.experiment.uri.fsPath === file) this.runNodes.delete(runDir);
    const records = listExperimentRuns(node.entry.runsRoot, node.entry.name);
    return records.map((record): RunNode => {
      if (this.runs.find(record.runId)) record.status = 'running';
      this.parents.set(record.runDir, node);
      const run: RunNode = { kind: 'run', experiment: node.entry, record };
      this.runNodes.set(record.runDir, run);
      return run;
    });
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'run' ? this.parents.get(node.record.runDir) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'experiment') {
      const e = node.entry;
      const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `experiment:${e.uri.toString()}`;
      item.contextValue = 'experiment';
      item.resourceUri = e.uri;
      item.iconPath = new vscode.ThemeIcon(this.runs.forExperiment(e.uri.fsPath) ? 'beaker~spin' : 'beaker');
      item.description = [e.folderName, vscode.workspace.asRelativePath(e.uri, false)].filter(Boolean).join(' · ');
      item.tooltip = new vscode.MarkdownString(`**${e.name}**\n\n${e.description ?? ''}\n\n\`${e.uri.fsPath}\``);
      item.command = { command: Commands.openExperiment, title: 'Open Experiment File', arguments: [node] };
      return item;
    }
    const { record } = node;
    const active = this.runs.find(record.runId);
    const summary = active?.summary ?? record.summary;
    const status = active ? 'running' : record.status;
    const item = new vscode.TreeItem(runLabel(record.runId, summary), vscode.TreeItemCollapsibleState.None);
    item.id = `run:${record.runDir}`;
    item.contextValue = `run.${status}`;
    item.iconPath = statusIcon(status);
    item.description = active ? `epoch ${active.epochsDone}/${summary?.epochsPlanned ?? '?'}${active.state === 'stopping' ? ' · stopping' : ''}` : runDescription(status, summary);
    item.tooltip = runTooltip(record.runId, record.runDir, status, summary);
    item.accessibilityInformation = { label: `Run ${record.runId} of ${node.experiment.name}, ${status}, ${item.description}` };
    item.command = { command: Commands.openPanel, title: 'Open Experiment Panel', arguments: [node] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
