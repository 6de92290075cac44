/**
 * File-system watchers that keep the views current without polling: experiment files anywhere in the
 * workspace, and `summary.json` files under each folder's runs directory (which may lie outside the
 * workspace). Re-created when `transferLab.runsDirectory` or the workspace folders change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPERIMENT_GLOB } from '../constants.js';
import { runsRootFor } from '../config.js';

/** What changed: an experiment file (with its uri) or the run store. */
export type WatchEvent = { kind: 'experiment'; uri: vscode.Uri; deleted: boolean } | { kind: 'runs'; uri: vscode.Uri };

/** Owns the watchers; `onDidChange` fires per file event. */
export class WorkspaceWatchers implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<WatchEvent>();
  private runWatchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires for every relevant file event. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    const exp = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
    const fire = (deleted: boolean) => (uri: vscode.Uri) => this.emitter.fire({ kind: 'experiment', uri, deleted });
    this.disposables.push(
      exp,
      exp.onDidCreate(fire(false)),
      exp.onDidChange(fire(false)),
      exp.onDidDelete(fire(true)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchRuns()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('transferLab.runsDirectory')) this.watchRuns();
      }),
    );
    this.watchRuns();
  }

  private watchRuns(): void {
    const first = this.runWatchers.length === 0;
    this.runWatchers.forEach((d) => d.dispose());
    this.runWatchers = [];
    const roots = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => runsRootFor(f, f.uri.fsPath)));
    // A new runs directory (setting or folders changed) means other runs: tell the views.
    if (!first) for (const root of roots) this.emitter.fire({ kind: 'runs', uri: vscode.Uri.file(root) });
    for (const root of roots) {
      // summary.json is written at start, after each epoch and at the end.
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
      // Only what the tree shows: experiment and run folders appearing or going, and summaries.
      const fire = (uri: vscode.Uri) => {
        const parts = path.relative(root, uri.fsPath).split(path.sep);
        if (parts.length <= 2 || (parts.length === 3 && parts[2] === 'summary.json')) this.emitter.fire({ kind: 'runs', uri });
      };
      this.runWatchers.push(w, w.onDidCreate(fire), w.onDidChange(fire), w.onDidDelete(fire));
    }
  }

  dispose(): void {
    this.runWatchers.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}
