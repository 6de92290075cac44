/**
 * Shows runs in progress: one status-bar item per run (its name and {@link progressText}, the same
 * words as the Experiments view's row; click: the run's experiment panel, which has Stop), the
 * `transferLab.runningCount` / `transferLab.editorRunning` context keys, and a message when a run
 * ends (errors offer the log, with the worker's last output). There is no progress notification: VS
 * Code mirrors a hidden progress notification into the status bar, so each run showed twice, with its
 * title repeated in the message.
 *
 * A run reports every step (tens a second): the items are redrawn at most every
 * {@link PROGRESS_INTERVAL_MS} (at once when a run starts, stops or ends), and a context key is set
 * only when its value changes — each is a message to the workbench, which under load fell minutes
 * behind when sent per step.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants.js';
import { formatBestMetric } from '../../core/runs/headline.js';
import { progressText, runName } from './progressText.js';
import type { ActiveRun, RunManager, RunOutcome } from './runManager.js';

/** Progress of a run is redrawn at most this often (ms); a change of state is shown at once. */
export const PROGRESS_INTERVAL_MS = 250;

/** Wires the manager's events to the status bar and context keys. */
export class RunProgress implements vscode.Disposable {
  /** One status-bar item per run in progress, by the run's local key. */
  private readonly items = new Map<number, vscode.StatusBarItem>();
  /** The text each item shows, and the state of its run when last drawn. */
  private readonly drawn = new Map<number, { text: string; state: ActiveRun['state'] }>();
  /** Context key values last set (a key is set again only when its value changes). */
  private readonly contextValues = new Map<string, unknown>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastUpdate = -Infinity;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly runs: RunManager) {
    this.disposables.push(
      runs.onDidChange((r) => this.changed(r)),
      runs.onDidEnd(({ run, outcome }) => void this.announce(run, outcome)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateEditorKey()),
    );
    this.update();
  }

  /** The status-bar items of the runs in progress, oldest run first, redrawn from the runs' state now (for tests). */
  statusItems(): readonly vscode.StatusBarItem[] {
    this.update();
    return [...this.items.values()];
  }

  /** A run changed: redraw now when a run started, changed state or ended, else within the interval. */
  private changed(r: ActiveRun | undefined): void {
    const now = performance.now();
    const stateChanged = !r || !this.drawn.has(r.key) || this.drawn.get(r.key)!.state !== r.state;
    if (stateChanged || now - this.lastUpdate >= PROGRESS_INTERVAL_MS) {
      this.update();
    } else {
      this.timer ??= setTimeout(() => this.update(), this.lastUpdate + PROGRESS_INTERVAL_MS - now);
    }
  }

  private setContext(key: string, value: unknown): void {
    if (this.contextValues.has(key) && this.contextValues.get(key) === value) return;
    this.contextValues.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private update(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastUpdate = performance.now();
    const active = this.runs.active();
    this.setContext(ContextKeys.runningCount, active.length);
    this.updateEditorKey();
    for (const [key, item] of this.items) {
      if (!active.some((r) => r.key === key)) {
        item.dispose();
        this.items.delete(key);
        this.drawn.delete(key);
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
      const drawn = this.drawn.get(r.key);
      this.drawn.set(r.key, { text, state: r.state });
      if (drawn?.text === text) continue;
      item.text = `$(sync~spin) ${text}`;
      item.tooltip = `${text}${r.lastLoss !== undefined ? ` · loss ${r.lastLoss.toFixed(4)}` : ''}\nClick: open the experiment panel (Stop is there)`;
      item.accessibilityInformation = { label: `Transfer Lab run ${text}`, role: 'button' };
      item.show();
    }
  }

  private updateEditorKey(): void {
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    this.setContext(ContextKeys.editorRunning, !!file && !!this.runs.forExperiment(file));
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
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.items.forEach((i) => i.dispose());
    this.items.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
