/**
 * Thumbnails of misclassified examples in the panel's webview: an image is served only when it lies in
 * an image folder of the run's data (its `config.json`: `data.train` / `validation` / `test` / `target`
 * of kind `imageFolder`), and the webview's `localResourceRoots` grow by exactly those folders — never
 * wider than the experiment's data (plus the extension's `media/`).
 */
import * as vscode from 'vscode';
import { imageDataFolders, isInside } from './dataFolders.js';

/** Webview URIs of example images, widening the webview's resource roots to the data folders as needed. */
export class Thumbnails {
  private readonly folders = new Map<string, string[]>();
  private readonly roots = new Set<string>();

  constructor(
    private readonly webview: vscode.Webview,
    /** The roots the webview starts with (`media/`). */
    private readonly baseRoots: readonly vscode.Uri[],
  ) {}

  /** The webview URI of `file`, an example of the run in `runDir`; null when it is outside that run's image folders. */
  uri(file: string, runDir: string): string | null {
    let folders = this.folders.get(runDir);
    if (!folders) this.folders.set(runDir, (folders = imageDataFolders(runDir)));
    const root = folders.find((f) => isInside(file, f));
    if (!root) return null;
    if (!this.roots.has(root)) {
      this.roots.add(root);
      this.webview.options = { ...this.webview.options, localResourceRoots: [...this.baseRoots, ...[...this.roots].map((r) => vscode.Uri.file(r))] };
    }
    return this.webview.asWebviewUri(vscode.Uri.file(file)).toString();
  }
}
