/**
 * The one watcher of the run stores: each workspace folder's runs directory (which may lie outside
 * the workspace), watched recursively, re-created when `transferLab.runsDirectory` or the workspace
 * folders change. The Experiments view and the experiment panels subscribe to the same events and
 * pick what they show (runs from the CLI or another window show up too).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsRootFor } from '../config.js';

/** A file event in a run store, or (with `parts` empty) a runs directory that is new to the window. */
export interface RunStoreChange {
  /** Absolute runs directory. */
  root: string;
  uri: vscode.Uri;
  /** Path of `uri` below `root`, split: `[experiment]`, `[experiment, runId]`, `[experiment, runId, file…]`. */
  parts: string[];
}

/** True for the files the run summaries live in: `<experiment>/<run-id>/summary.json`. */
export function isSummaryChange(c: RunStoreChange): boolean {
  return c.parts.length === 3 && c.parts[2] === 'summary.json';
}

/** True for a run's name, tags and notes: `<experiment>/<run-id>/meta.json`. */
export function isMetaChange(c: RunStoreChange): boolean {
  return c.parts.length === 3 && c.parts[2] === 'meta.json';
}

/** True for an experiment or run folder appearing or going, or a new runs directory. */
export function isFolderChange(c: RunStoreChange): boolean {
  return c.parts.length <= 2;
}

/** Watches the run stores of the window; `onDidChange` fires per file event. */
export class RunStoreWatcher implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunStoreChange>();
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires for every file event under a runs directory, and once for each runs directory after a change of folders or setting. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('transferLab.runsDirectory')) this.watch();
      }),
    );
    this.watch();
  }

  private watch(): void {
    const first = this.watchers.length === 0;
    this.watchers.forEach((d) => d.dispose());
    this.watchers = [];
    const roots = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => runsRootFor(f, f.uri.fsPath)));
    // A new runs directory (setting or folders changed) means other runs: tell the views.
    if (!first) for (const root of roots) this.emitter.fire({ root, uri: vscode.Uri.file(root), parts: [] });
    for (const root of roots) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
      const fire = (uri: vscode.Uri) => this.emitter.fire({ root, uri, parts: path.relative(root, uri.fsPath).split(path.sep) });
      this.watchers.push(w, w.onDidCreate(fire), w.onDidChange(fire), w.onDidDelete(fire));
    }
  }

  dispose(): void {
    this.watchers.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}
