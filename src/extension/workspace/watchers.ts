/**
 * The watcher of experiment files anywhere in the workspace (`*.transfer.json`), for the Experiments
 * view. The run stores have their own watcher (`runStoreWatcher.ts`).
 */
import * as vscode from 'vscode';
import { EXPERIMENT_GLOB } from '../constants.js';

/** An experiment file created, changed or deleted. */
export type WatchEvent = { kind: 'experiment'; uri: vscode.Uri; deleted: boolean };

/** Owns the watcher; `onDidChange` fires per file event. */
export class WorkspaceWatchers implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<WatchEvent>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires for every relevant file event. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    const exp = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
    const fire = (deleted: boolean) => (uri: vscode.Uri) => this.emitter.fire({ kind: 'experiment', uri, deleted });
    this.disposables.push(exp, exp.onDidCreate(fire(false)), exp.onDidChange(fire(false)), exp.onDidDelete(fire(true)));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}
