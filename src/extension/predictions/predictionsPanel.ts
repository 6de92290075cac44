/**
 * The webview panel of a "Classify with Run…" result ({@link predictionsHtml}): one panel per run,
 * replaced by that run's next result. Its `localResourceRoots` are the extension's `media/`, each
 * folder the user chose and the folder of each file the user chose — VS Code serves a resource only
 * from below a root (a file given as a root serves nothing), so a chosen file's folder is the
 * narrowest root that shows it; the page itself references only the classified files. A text result
 * has no root beside `media/`. The page names rows by index; the host opens the file it classified at
 * that index.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PredictionResult } from '../../core/prediction/predict.js';
import { PREDICTIONS_VIEW_TYPE, type PredictionsMessage } from '../../protocol/predictions.js';
import { makeNonce } from '../panel/html.js';
import { predictionsHtml } from './predictionsHtml.js';

/** What a shown result page holds (for the extension's API and tests). */
export interface PredictionsPageState {
  runDir: string;
  result: PredictionResult;
  html: string;
  /** `localResourceRoots` of the page, file-system paths. */
  roots: string[];
  cspViolations: number;
}

/** What the panel needs from the extension. */
export interface PredictionsHost {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** "Classify more…": classify other files with this run. */
  classifyMore(runDir: string): Thenable<unknown>;
}

interface OpenPage extends PredictionsPageState {
  panel: vscode.WebviewPanel;
}

const open = new Map<string, OpenPage>();

/** The open result pages, oldest first. */
export function predictionsPages(): PredictionsPageState[] {
  return [...open.values()].map(({ panel: _panel, ...s }) => s);
}

/** The resource roots of the page: each chosen folder, and the folder of each chosen file. */
export function imageRoots(inputs: readonly vscode.Uri[]): vscode.Uri[] {
  const roots = new Map<string, vscode.Uri>();
  for (const u of inputs) {
    let folder: boolean;
    try {
      folder = fs.statSync(u.fsPath).isDirectory();
    } catch {
      folder = false;
    }
    const root = folder ? u : vscode.Uri.file(path.dirname(u.fsPath));
    roots.set(root.fsPath, root);
  }
  return [...roots.values()];
}

/** True when `file` is one of `roots` or lies in one of them. */
export function insideRoots(file: string, roots: readonly vscode.Uri[]): boolean {
  return roots.some((r) => {
    const rel = path.relative(r.fsPath, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** Handles a message of the page of `runDir` (also what tests call to "click"). */
export async function receivePredictionsMessage(host: PredictionsHost, runDir: string, m: PredictionsMessage): Promise<void> {
  const page = open.get(runDir);
  if (!page) return;
  switch (m.type) {
    case 'open': {
      const list = m.payload.skipped ? page.result.skipped : page.result.predictions;
      const file = Number.isInteger(m.payload.index) ? list[m.payload.index]?.file : undefined;
      if (file && fs.existsSync(file)) {
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      }
      return;
    }
    case 'classifyMore':
      await host.classifyMore(runDir);
      return;
    case 'cspViolation':
      page.cspViolations++;
      host.log.warn(`Predictions page CSP violation: ${m.payload.directive} blocked ${m.payload.blocked}`);
      return;
  }
}

/**
 * Shows (or replaces) the result of a run's classification.
 * @param inputs what the user chose to classify (files and folders)
 * @param bestValAccuracy the run's best validation accuracy (0–1), shown in the header when known
 */
export function showPredictions(host: PredictionsHost, r: PredictionResult, inputs: readonly vscode.Uri[], bestValAccuracy?: number): vscode.WebviewPanel {
  const roots = r.kind === 'text' ? [] : imageRoots(inputs);
  const media = vscode.Uri.joinPath(host.extensionUri, 'media');
  const options: vscode.WebviewOptions = { enableScripts: true, localResourceRoots: [media, ...roots] };
  const title = `Predictions · ${r.experiment}`;
  let page = open.get(r.runDir);
  if (page) {
    page.panel.reveal(undefined, true);
    page.panel.webview.options = options;
  } else {
    const panel = vscode.window.createWebviewPanel(PREDICTIONS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, options);
    const created: OpenPage = { panel, runDir: r.runDir, result: r, html: '', roots: [], cspViolations: 0 };
    page = created;
    open.set(r.runDir, created);
    panel.onDidDispose(() => {
      if (open.get(r.runDir) === created) open.delete(r.runDir);
    });
    panel.webview.onDidReceiveMessage((m: PredictionsMessage) => {
      receivePredictionsMessage(host, r.runDir, m).catch((e: unknown) => host.log.error(`Predictions page: ${(e as Error).message}`));
    });
  }
  const webview = page.panel.webview;
  page.panel.title = title;
  page.result = r;
  page.roots = [media, ...roots].map((u) => u.fsPath);
  page.cspViolations = 0;
  page.html = predictionsHtml(r, {
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    cssUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'predictions.css')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'predictions.js')).toString(),
    thumbnail: (file) => (insideRoots(file, roots) ? webview.asWebviewUri(vscode.Uri.file(file)).toString() : null),
    shown: (file) => vscode.workspace.asRelativePath(file, false),
    ...(bestValAccuracy !== undefined ? { bestValAccuracy } : {}),
  });
  webview.html = page.html;
  return page.panel;
}
