/**
 * Shows runs in progress: one status-bar item per run (its name and {@link progressText}, the same
 * words as the Experiments view's row; click: the run's experiment panel, which has Stop), the
 * `transferLab.runningCount` / `transferLab.editorRunning` context keys, and a message when a run
 * ends (errors offer the log, with the worker's last output). There is no progress notification: VS
 * Code mirrors a hidden progress notification into the status bar, so each run showed twice, with its
 * title repeated in the message.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants.js';
import { formatBestMetric } from '../../core/runs/headline.js';
import { progressText, runName } from './progressText.js';
import type { ActiveRun, RunManager, RunOutcome } from './runManager.js';

/** Wires the manager's events to the status bar and context keys. */
export class RunProgress implements vscode.Disposable {
  /** One status-bar item per run in progress, by the run's local key. */
  private readonly items = new Map<number, vscode.StatusBarItem>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly runs: RunManager) {
    this.disposables.push(
      runs.onDidChange(() => this.update()),
      runs.onDidEnd(({ run, outcome }) => void this.announce(run, outcome)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateEditorKey()),
    );
    this.update();
  }

  /** The status-bar items of the runs in progress, oldest run first (for tests). */
  statusItems(): readonly vscode.StatusBarItem[] {
    return [...this.items.values()];
  }

  private update(): void {
    const active = this.runs.active();
    void vscode.commands.executeCommand('setContext', ContextKeys.runningCount, active.length);
    this.updateEditorKey();
    for (const [key, item] of this.items) {
      if (!active.some((r) => r.key === key)) {
        item.dispose();
        this.items.delete(key);
      }
    }
    for (const r of active) {
      let item = this.items.get(r.key);
      if (!item) {
        item = vscode.window.createStatusBarItem(`transferLab.run.${r.key}`, vscode.StatusBarAlignment.Left, 10 - this.items.size * 0.001);
        item.name = `Transfer Lab run ${r.key}`;
        item.command = { command: Commands.openPanel, title: 'Open Experiment Panel', arguments: [vscode.Uri.file(r.experimentFile)] };
        this.items.set(r.key, item);
      }
      const text = `${runName(r)}: ${progressText(r)}`;
      item.text = `$(sync~spin) ${text}`;
      item.tooltip = `${text}${r.lastLoss !== undefined ? ` · loss ${r.lastLoss.toFixed(4)}` : ''}\nClick: open the experiment panel (Stop is there)`;
      item.accessibilityInformation = { label: `Transfer Lab run ${text}`, role: 'button' };
      item.show();
    }
  }

  private updateEditorKey(): void {
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    void vscode.commands.executeCommand('setContext', ContextKeys.editorRunning, !!file && !!this.runs.forExperiment(file));
  }

  private async announce(run: ActiveRun, o: RunOutcome): Promise<void> {
    const name = o.summary?.experiment ?? run.experiment ?? path.basename(run.experimentFile);
    if (o.status === 'completed' && run.task !== 'train') return; // the analysis command shows its result
    if (o.status === 'completed' || o.status === 'stopped') {
      const best = o.summary ? formatBestMetric(o.summary) : undefined;
      const pick = await vscode.window.showInformationMessage(`${name}: run ${o.status}${best ? ` (${best})` : ''}.`, 'Open Summary');
      if (pick && o.runDir) await vscode.commands.executeCommand(Commands.openRunSummary, o.runDir);
    } else {
      const tail = o.outputTail.slice(-3).join(' ⏎ ').slice(-400);
      const pick = await vscode.window.showErrorMessage(
        `${name}: run ${o.status === 'fatal' ? 'could not start' : o.status}. ${o.message ?? ''}${tail ? ` Last output: ${tail}` : ''}`,
        'Show Log',
      );
      if (pick) await vscode.commands.executeCommand(Commands.showLog);
    }
  }

  dispose(): void {
    this.items.forEach((i) => i.dispose());
    this.items.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
