/**
 * The Experiments view: experiment files → their runs (newest first), with status icons, best
 * metric, tooltip. Refreshed by `refresh()` (called from file-system watchers and run events),
 * debounced; it never polls.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants.js';
import type { RunManager } from '../runs/runManager.js';
import { listExperimentRuns, type RunRecord } from '../runs/runRecords.js';
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

/** Data provider of `transferLab.experiments`. */
export class ExperimentsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private readonly parents = new Map<string, ExperimentNode>();
  private refreshed: Array<() => void> = [];

  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly runs: RunManager) {}

  /**
   * Schedules a refresh; resolves after listeners were told. Throttled, not debounced: a burst of
   * events (a run reports every step) refreshes at most every 150 ms, and a steady stream still does.
   */
  refresh(): Promise<void> {
    if (!this.timer) this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(undefined);
      const waiting = this.refreshed;
      this.refreshed = [];
      waiting.forEach((f) => f());
    }, 150);
    return new Promise((r) => this.refreshed.push(r));
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const nodes = (await findExperiments()).map((entry): ExperimentNode => ({ kind: 'experiment', entry }));
      return nodes;
    }
    if (node.kind === 'run') return [];
    const records = listExperimentRuns(node.entry.runsRoot, node.entry.name);
    for (const r of records) {
      const active = r.runId ? this.runs.find(r.runId) : undefined;
      if (active) r.status = 'running';
      this.parents.set(r.runDir, node);
    }
    return records.map((record): RunNode => ({ kind: 'run', experiment: node.entry, record }));
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
    item.accessibilityInformation = { label: `Run ${record.runId}, ${status}, ${item.description}` };
    item.command = { command: Commands.openPanel, title: 'Open Experiment Panel', arguments: [node] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
