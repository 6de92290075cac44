/**
 * Shows runs in progress: a status-bar item (click: show log), one cancellable progress notification
 * per run (cancel = stop), the `transferLab.runningCount` / `transferLab.editorRunning` context keys,
 * and a message when a run ends (errors offer the log, with the worker's last output).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants.js';
import { formatBestMetric } from '../../core/runs/headline.js';
import type { ActiveRun, RunManager, RunOutcome } from './runManager.js';

/** How an analysis run is named in the status bar and its notification. */
const TASK_LABEL: Record<ActiveRun['task'], string> = { train: '', advise: 'advice', layerSweep: 'layer sweep', gaborMatch: 'Gabor match' };

/** Wires the manager's events to the status bar, notifications and context keys. */
export class RunProgress implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('transferLab.runs', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notified = new Set<number>();

  constructor(private readonly runs: RunManager) {
    this.item.name = 'Transfer Lab runs';
    this.item.command = Commands.showLog;
    this.disposables.push(
      this.item,
      runs.onDidChange((r) => this.update(r)),
      runs.onDidEnd(({ run, outcome }) => void this.announce(run, outcome)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateEditorKey()),
    );
    this.update(undefined);
  }

  private label(r: ActiveRun): string {
    const name = (r.experiment ?? path.basename(r.experimentFile, '.transfer.json')) + (r.task !== 'train' ? ` ${TASK_LABEL[r.task]}` : '');
    const planned = r.summary?.epochsPlanned;
    const epochs = planned ? ` ${r.epochsDone}/${planned}` : '';
    if (r.state === 'starting' && r.download) {
      const d = r.download;
      return `${name} downloading the base ${(d.received / 1e6).toFixed(1)}${d.total ? `/${(d.total / 1e6).toFixed(1)}` : ''} MB`;
    }
    return r.state === 'starting' ? `${name} starting` : r.state === 'stopping' ? `${name} stopping` : `${name}${epochs}`;
  }

  private update(changed: ActiveRun | undefined): void {
    const active = this.runs.active();
    void vscode.commands.executeCommand('setContext', ContextKeys.runningCount, active.length);
    this.updateEditorKey();
    if (active.length === 0) {
      this.item.hide();
    } else {
      this.item.text = active.length === 1 ? `$(sync~spin) ${this.label(active[0])}` : `$(sync~spin) ${active.length} runs training`;
      this.item.tooltip = active.map((r) => `${this.label(r)}${r.lastLoss !== undefined ? ` · loss ${r.lastLoss.toFixed(4)}` : ''}`).join('\n');
      this.item.show();
    }
    if (changed && !this.notified.has(changed.key)) {
      this.notified.add(changed.key);
      this.showNotification(changed);
    }
  }

  private updateEditorKey(): void {
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    void vscode.commands.executeCommand('setContext', ContextKeys.editorRunning, !!file && !!this.runs.forExperiment(file));
  }

  private showNotification(run: ActiveRun): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Transfer Lab: ${path.basename(run.experimentFile)}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          token.onCancellationRequested(() => void this.runs.stop(run));
          const sub = this.runs.onDidChange((r) => {
            if (r !== run) return;
            const planned = run.summary?.epochsPlanned ?? 0;
            const pct = planned ? (100 * run.epochsDone) / planned : 0;
            progress.report({ message: this.label(run), increment: Math.max(0, pct - reported) });
            reported = Math.max(reported, pct);
          });
          void run.done.finally(() => {
            sub.dispose();
            resolve();
          });
        }),
    );
  }

  private async announce(run: ActiveRun, o: RunOutcome): Promise<void> {
    this.notified.delete(run.key);
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
    this.disposables.forEach((d) => d.dispose());
  }
}
