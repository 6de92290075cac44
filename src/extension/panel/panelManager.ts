/**
 * Owns the experiment panels: one per experiment file (create or reveal), the serializer that
 * restores them after a window reload (from the state the page saved with `setState`), and the
 * wiring of editor, run-manager, run-store (the watcher shared with the Experiments view) and settings
 * events to the panels they concern.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSummary } from '../../core/runs/store.js';
import { PANEL_VIEW_TYPE, type PersistedPanelState } from '../../protocol/webview.js';
import { ExperimentPanel, panelOptions, type PanelServices } from './experimentPanel.js';

/** What to open: an experiment file, optionally showing one of its runs. */
export interface PanelTarget {
  experiment?: vscode.Uri;
  /** A run folder; its experiment is read from its summary when `experiment` is not given. */
  runDir?: string;
}

/** Every open experiment panel of the window. */
export class ExperimentPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PersistedPanelState> {
  private readonly panels = new Map<string, ExperimentPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: PanelServices) {
    const each = (f: (p: ExperimentPanel) => void) => () => this.panels.forEach(f);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this),
      services.runs.onDidChange((run) => this.panels.forEach((p) => p.onRunChanged(run))),
      services.runs.onDidEnd(({ run }) => this.panels.forEach((p) => p.onRunEnded(run))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.panels.get(e.document.uri.fsPath)?.onDocumentChanged();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('transferLab')) this.panels.forEach((p) => p.onEnvironmentChanged());
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(each((p) => p.onEnvironmentChanged())),
      // Runs from the CLI or another window show up too: a run's summary and metrics, run folders appearing or going.
      services.runStore.onDidChange((c) => {
        const file = c.parts[2];
        if (c.parts.length === 2 || (c.parts.length === 3 && (file === 'summary.json' || file === 'metrics.jsonl' || file === 'meta.json'))) {
          this.panels.forEach((p) => p.onRunStoreChanged(c.uri.fsPath));
        }
      }),
    );
  }

  /** Calls `f` with every open panel. */
  forEach(f: (p: ExperimentPanel) => void): void {
    this.panels.forEach(f);
  }

  /** The open panel of an experiment file, if any. */
  get(file: string): ExperimentPanel | undefined {
    return this.panels.get(vscode.Uri.file(file).fsPath);
  }

  /**
   * The experiment file of the panel that has focus (`WebviewPanel.active`), if any: commands run from
   * the palette while a panel is focused act on its experiment.
   */
  focusedExperiment(): vscode.Uri | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p.uri;
    return undefined;
  }

  /** Opens the panel of the target's experiment, or reveals it when it is open. */
  async open(target: PanelTarget): Promise<ExperimentPanel | undefined> {
    let uri = target.experiment;
    const runId = target.runDir ? (readSummary(target.runDir)?.runId ?? path.basename(target.runDir)) : undefined;
    if (!uri && target.runDir) {
      const file = readSummary(target.runDir)?.experimentFile;
      if (!file || !fs.existsSync(file)) {
        void vscode.window.showWarningMessage(`Transfer Lab: the experiment file of run ${runId} is gone${file ? ` (${file})` : ''}.`);
        return undefined;
      }
      uri = vscode.Uri.file(file);
    }
    if (!uri) return undefined;
    const existing = this.panels.get(uri.fsPath);
    if (existing) {
      existing.reveal(runId);
      return existing;
    }
    // Beside the experiment's own editor (JSON and panel side by side), else where the user is.
    const fromEditor = vscode.window.activeTextEditor?.document.uri.fsPath === uri.fsPath;
    const column = fromEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, path.basename(uri.fsPath), column, panelOptions(this.services.extensionUri));
    return this.adopt(panel, uri, runId !== undefined ? { runId } : undefined);
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, persisted?: Partial<PersistedPanelState>): ExperimentPanel {
    const p = new ExperimentPanel(panel, uri, this.services, persisted);
    this.panels.set(uri.fsPath, p);
    p.onDidDispose(() => {
      if (this.panels.get(uri.fsPath) === p) this.panels.delete(uri.fsPath);
    });
    return p;
  }

  /** Restores a panel after a window reload from the state its page saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PersistedPanelState | undefined): Promise<void> {
    const file = state?.file;
    if (!file || !fs.existsSync(file) || this.panels.has(file)) {
      panel.dispose();
      return;
    }
    this.adopt(panel, vscode.Uri.file(file), state);
  }

  dispose(): void {
    this.panels.forEach((p) => p.dispose());
    this.panels.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
